package training

import (
	"context"
	"fmt"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Outbox kinds of the notices this package builds.
const (
	KindReminder = "reminder"
	KindWaitlist = "waitlist"
	KindTraining = "training"
)

// QueueDue queues what is due at now: the reminders of booked owners (the
// day before from opt.DayBefore, on the day from opt.SameDay, each once
// per booking; a run after the bot was down catches up), and, for every
// offer whose hold expired, the offer of that seat to the next on the
// waitlist. cmd calls it every minute.
func QueueDue(ctx context.Context, ts store.TrainingStore, now time.Time, opt Options) error {
	opt = opt.withDefaults()
	if _, err := ts.QueueReminders(ctx, now, opt.DayBefore, opt.SameDay, reminderNotify(now)); err != nil {
		return fmt.Errorf("queue training reminders: %w", err)
	}
	if _, err := ts.ExpireOffers(ctx, now, opt.OfferHold, offerNotify(now, opt.OfferHold)); err != nil {
		return fmt.Errorf("expire training offers: %w", err)
	}
	return nil
}

// offerNotify is b.opt's offerNotify at now.
func (b *tr) offerNotify(now time.Time) store.Notify { return offerNotify(now, b.opt.OfferHold) }

// offerNotify builds the message that offers a freed seat to the first on
// the waitlist, with the deadline to take it.
func offerNotify(now time.Time, hold time.Duration) store.Notify {
	return func(bk store.Booking, t store.Training) (store.OutboxItem, error) {
		deadline := bk.OfferDeadline
		if deadline.IsZero() {
			deadline = now.Add(hold)
		}
		r := flows.Say("train_offer", "Title", t.Title, "Start", flows.DateTime(t.StartAt),
			"Where", whereText(t, false), "Deadline", flows.DateTime(deadline)).
			WithRow(flows.Btn("train_btn_take", takeData(bk)))
		return item(fmt.Sprintf("offer:%d", bk.ID), KindWaitlist, bk.UserID, now, r)
	}
}

// cancelNotify builds the notice that training t was cancelled, for every
// booked, offered and waitlisted owner.
func cancelNotify(now time.Time) store.Notify {
	return func(bk store.Booking, t store.Training) (store.OutboxItem, error) {
		r := flows.Say("train_cancelled", "Title", t.Title, "Start", flows.DateTime(t.StartAt)).
			WithRow(flows.Btn("train_btn_others", "/"+cmdList))
		return item(fmt.Sprintf("tcancel:%d:%d", t.ID, bk.ID), KindTraining, bk.UserID, now, r)
	}
}

// reminderNotify builds the reminders: the day before (kind d1) and on the
// morning itself (d0), with the time, the place or link, and the code.
func reminderNotify(now time.Time) func(bk store.Booking, t store.Training, kind string) (store.OutboxItem, error) {
	return func(bk store.Booking, t store.Training, kind string) (store.OutboxItem, error) {
		id := "train_remind_d1"
		if kind == store.ReminderSameDay {
			id = "train_remind_d0"
		}
		r := flows.Say(id, "Title", t.Title, "Start", flows.DateTime(t.StartAt), "StartClock", flows.Clock(t.StartAt),
			"End", endText(t), "Where", whereText(t, true), "Code", bk.Code).
			WithRow(flows.Btn("train_btn_mine", "/"+cmdMine))
		return item(fmt.Sprintf("remind:%d:%s", bk.ID, kind), KindReminder, bk.UserID, now, r)
	}
}

// item is one outbox row for user's private chat (a Telegram user's
// private chat has the user's id).
func item(key, kind string, user int64, now time.Time, r flows.Reply) (store.OutboxItem, error) {
	payload, err := flows.EncodeReply(r)
	if err != nil {
		return store.OutboxItem{}, fmt.Errorf("%s: %w", key, err)
	}
	return store.OutboxItem{Key: key, ChatID: user, Kind: kind, Payload: payload, NotBefore: now}, nil
}
