package training

import (
	"fmt"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Data keys of /pelatihanedit: the training as it was when loaded, to tell
// a change of date, time or place, and how many owners hold a place in it.
const (
	kOldStart = "ostart"
	kOldEnd   = "oend"
	kOldPlace = "oplace"
	kOldLink  = "olink"
	kBooked   = "nbooked"
	kWaiting  = "nwaiting"
)

// keepOriginal remembers the training as loaded for a change.
func keepOriginal(c *flows.Ctx, t store.TrainingSeats) {
	setTime(c, kOldStart, t.StartAt)
	setTime(c, kOldEnd, t.EndAt)
	c.Set(kOldPlace, t.Place)
	c.Set(kOldLink, t.Link)
	c.Set(kBooked, fmt.Sprint(t.Booked))
	c.Set(kWaiting, fmt.Sprint(t.Waitlisted))
}

// original is the training as loaded for a change: its date, time and
// place.
func original(c *flows.Ctx) store.Training {
	return store.Training{StartAt: timeData(c, kOldStart), EndAt: timeData(c, kOldEnd),
		Place: c.Get(kOldPlace), Link: c.Get(kOldLink)}
}

// whenText is when a training takes place: "Kamis, 14 Januari 2027 pukul
// 09.00 WIB sampai pukul 12.00 WIB".
func whenText(t store.Training) flows.Text {
	return flows.T("train_when", "Start", flows.DateTime(t.StartAt), "End", endText(t))
}

// placeText is where a training takes place, without its emoji: the
// address, or online (with the link when showLink).
func placeText(t store.Training, showLink bool) flows.Text {
	switch {
	case t.Place != "":
		return flows.Raw(t.Place)
	case showLink && t.Link != "":
		return flows.T("train_place_link", "Link", t.Link)
	}
	return flows.T("train_place_online")
}

// changesText lists what a move changes, old → new, and what stays.
func changesText(old, t store.Training, showLink bool) []flows.Text {
	var lines []flows.Text
	if !old.StartAt.Equal(t.StartAt) || !old.EndAt.Equal(t.EndAt) {
		lines = append(lines, flows.T("train_moved_when", "Old", whenText(old), "New", whenText(t)))
	} else {
		lines = append(lines, flows.T("train_moved_when_same", "When", whenText(t)))
	}
	if old.Place != t.Place || old.Link != t.Link {
		lines = append(lines, flows.T("train_moved_where", "Old", placeText(old, showLink), "New", placeText(t, showLink)))
	} else {
		lines = append(lines, flows.T("train_moved_where_same", "Where", placeText(t, showLink)))
	}
	return lines
}

// movedPreview tells staff, before they save, that the form moves the
// training and how many owners will be told (counted now, or as loaded
// when the store does not answer); "" when it does not move.
func (b *tr) movedPreview(c *flows.Ctx, t store.Training) any {
	old := original(c)
	if c.Get(kOldStart) == "" || !store.TrainingMoved(old, t) {
		return ""
	}
	booked, waiting := atoiData(c, kBooked), atoiData(c, kWaiting)
	if now, err := b.ts.Training(c, t.ID); err == nil {
		booked, waiting = now.Booked, now.Waitlisted
	}
	return flows.T("train_edit_moved", "Changes", changesText(old, t, true), "Booked", booked, "Waiting", waiting)
}

// MovedNotify builds the notice that a training's date, time or place
// changed, for every owner with a place: old → new, in the owner's
// language (the outbox renders it when sent). /pelatihanedit and cmd's
// import of trainings pass it to the store.
func MovedNotify(now time.Time) store.MoveNotify {
	return func(bk store.Booking, old, t store.Training) (store.OutboxItem, error) {
		waiting := bk.Status == store.BookingWaitlisted
		code := ""
		if !waiting {
			code = bk.Code
		}
		r := flows.Say("train_moved", "Title", t.Title, "Waiting", waiting, "Code", code,
			"Changes", changesText(old, t, !waiting)).
			WithRow(flows.Btn("train_btn_mine", "/"+cmdMine))
		// The store sets the key, numbered by the move.
		return item(fmt.Sprintf("tmove:%d:%d", t.ID, bk.ID), KindTraining, bk.UserID, now, r)
	}
}
