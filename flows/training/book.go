package training

import (
	"errors"
	"strconv"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// outcome is what a booking attempt came to.
type outcome int

const (
	// outDone: the owner was told the result; the flow ends.
	outDone outcome = iota
	// outAsk: the training is full; the owner is asked about the waitlist.
	outAsk
)

// book books training id from the detail (wait false) or after the owner
// agreed to the waitlist (wait true), and returns the event to fire.
func (b *tr) book(c *flows.Ctx, id int64, wait bool) (string, error) {
	out, err := b.reserve(c, id, wait)
	switch {
	case err != nil:
		return flows.Stay, err
	case out == outAsk:
		return "full", nil
	}
	return flows.End, nil
}

// bookFromCommand runs "/pelatihan daftar <id>" (the command the
// registration runs once it is done) and returns the state to start in.
func (b *tr) bookFromCommand(c *flows.Ctx, id int64) (string, error) {
	out, err := b.reserve(c, id, false)
	switch {
	case err != nil:
		return "", err
	case out == outAsk:
		return stWait, nil
	}
	return flows.End, nil
}

// reserve checks that training id takes bookings, that the owner has
// registered a business (else it sends them through the registration, to
// come back here) and holds no place yet, asks before putting them on a
// waitlist, and books.
func (b *tr) reserve(c *flows.Ctx, id int64, wait bool) (outcome, error) {
	t, err := b.ts.Training(c, id)
	if errors.Is(err, store.ErrNotFound) {
		c.Reply(flows.Say("train_not_found", "ID", id).WithRow(listButton()))
		return outDone, nil
	}
	if err != nil {
		return outDone, err
	}
	setJSON(c, kTraining, t)
	if !bookable(t.Training, c.Now) {
		c.Reply(closedReply(t.Training, c.Now))
		return outDone, nil
	}
	regs, err := b.regs.RegistrationsOf(c, c.UserID())
	if err != nil {
		return outDone, err
	}
	if len(regs) == 0 {
		c.Say("train_need_registration", "Title", t.Title)
		c.Then("/" + cmdList + " daftar " + strconv.FormatInt(id, 10))
		c.Switch(b.opt.Registration, "")
		return outDone, nil
	}
	mine, err := b.placeIn(c, id)
	if err != nil {
		return outDone, err
	}
	if mine != nil {
		c.Reply(alreadyReply(t.Training, *mine))
		return outDone, nil
	}
	if !wait && full(t) {
		return outAsk, nil
	}
	bk, err := b.ts.Book(c, id, c.UserID(), c.Now)
	switch {
	case errors.Is(err, store.ErrConflict):
		c.Reply(alreadyReply(t.Training, bk))
		return outDone, nil
	case errors.Is(err, store.ErrClosed):
		if t, err = b.ts.Training(c, id); err != nil {
			return outDone, err
		}
		c.Reply(closedReply(t.Training, c.Now))
		return outDone, nil
	case errors.Is(err, store.ErrNotFound):
		c.Reply(flows.Say("train_not_found", "ID", id).WithRow(listButton()))
		return outDone, nil
	case err != nil:
		return outDone, err
	}
	c.Reply(bookedReply(t.Training, bk))
	return outDone, nil
}

// listButton opens the list of trainings.
func listButton() flows.Button { return flows.Btn("train_btn_others", "/"+cmdList) }

// mineButton opens the owner's bookings.
func mineButton() flows.Button { return flows.Btn("train_btn_mine", "/"+cmdMine) }

// closedReply says why training t takes no bookings at now.
func closedReply(t store.Training, now time.Time) flows.Reply {
	var r flows.Reply
	switch {
	case t.Status == store.TrainingCancelled:
		r = flows.Say("train_closed_cancelled", "Title", t.Title)
	case !now.Before(t.StartAt):
		r = flows.Say("train_closed_started", "Title", t.Title, "Start", flows.DateTime(t.StartAt))
	default:
		r = flows.Say("train_closed_deadline", "Title", t.Title, "Deadline", flows.DateTime(t.Deadline))
	}
	return r.WithRow(listButton())
}

// alreadyReply tells an owner the place they hold already.
func alreadyReply(t store.Training, bk store.Booking) flows.Reply {
	var r flows.Reply
	switch bk.Status {
	case store.BookingWaitlisted:
		r = flows.Say("train_already_waiting", "Title", t.Title, "Position", bk.Position)
	case store.BookingOffered:
		r = flows.Say("train_already_offered", "Title", t.Title, "Deadline", flows.DateTime(bk.OfferDeadline))
	default:
		r = flows.Say("train_already_booked", "Title", t.Title, "Code", bk.Code)
	}
	return r.WithRow(mineButton(), listButton())
}

// bookedReply confirms a seat or a waitlist place.
func bookedReply(t store.Training, bk store.Booking) flows.Reply {
	var r flows.Reply
	if bk.Status == store.BookingWaitlisted {
		r = flows.Say("train_waitlisted", "Title", t.Title, "Position", bk.Position,
			"Start", flows.DateTime(t.StartAt))
	} else {
		r = flows.Say("train_booked", "Title", t.Title, "Code", bk.Code, "Start", flows.DateTime(t.StartAt),
			"End", endText(t), "Where", whereText(t, true))
	}
	return r.WithRow(mineButton(), listButton())
}
