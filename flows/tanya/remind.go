package tanya

import (
	"context"
	"fmt"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// RemindAfter is how many working hours a question waits for an answer
// before the staff are reminded of it.
const RemindAfter = 4 * time.Hour

// RemindKind is the outbox kind of the reminders to staff.
const RemindKind = "ticket-remind"

// workingTime is how much of [from, to) falls within office hours.
func (h Hours) workingTime(from, to time.Time) time.Duration {
	var total time.Duration
	from, to = from.In(wib), to.In(wib)
	day := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, wib)
	for ; day.Before(to); day = day.AddDate(0, 0, 1) {
		if !h.workingDay(day) {
			continue
		}
		start, end := day.Add(openHour*time.Hour), day.Add(closeHour*time.Hour)
		if from.After(start) {
			start = from
		}
		if to.Before(end) {
			end = to
		}
		if end.After(start) {
			total += end.Sub(start)
		}
	}
	return total
}

// QueueReminders queues, for every question that has waited RemindAfter
// working hours for an answer since the owner last wrote, one reminder: into
// the ticket's topic of the staff group when group is set, else to each of
// staff in their private chat. Only staff get them, never the owner. The
// scheduler calls it on every tick; a reminder is keyed by the ticket and
// the moment it began waiting, so it goes once per wait.
func QueueReminders(ctx context.Context, tickets store.TicketStore, outbox store.OutboxStore, staff []int64,
	group int64, hours Hours, now time.Time) (int, error) {
	if len(staff) == 0 && group == 0 {
		return 0, nil
	}
	if hours.Holidays == nil {
		hours = DefaultHours()
	}
	list, err := tickets.OpenTickets(ctx, 0)
	if err != nil {
		return 0, err
	}
	var items []store.OutboxItem
	for _, t := range list {
		if t.Status != store.TicketNew || hours.workingTime(t.UpdatedAt, now) < RemindAfter {
			continue
		}
		r := flows.Say("tanya_remind", "N", t.ID, "Number", t.Number, "Since", flows.DateTime(t.UpdatedAt))
		if group != 0 {
			r = flows.Say("tanya_remind_group", "N", t.ID, "Number", t.Number, "Since", flows.DateTime(t.UpdatedAt))
			r.Lang = "id"
			r.Topic = &flows.Topic{Thread: t.TopicID, Key: t.ID, Name: t.Number}
			payload, err := flows.EncodeReply(r)
			if err != nil {
				return 0, err
			}
			items = append(items, store.OutboxItem{
				Key:    fmt.Sprintf("tanya:remind:%d:%d:group", t.ID, t.UpdatedAt.Unix()),
				ChatID: group, Kind: RemindKind, Payload: payload,
			})
			continue
		}
		payload, err := flows.EncodeReply(r)
		if err != nil {
			return 0, err
		}
		for _, id := range staff {
			items = append(items, store.OutboxItem{
				Key:    fmt.Sprintf("tanya:remind:%d:%d:%d", t.ID, t.UpdatedAt.Unix(), id),
				ChatID: id, Kind: RemindKind, Payload: payload,
			})
		}
	}
	if len(items) == 0 {
		return 0, nil
	}
	return outbox.Enqueue(ctx, items...)
}
