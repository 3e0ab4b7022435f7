package training

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/store"
)

// argTake is the /pelatihansaya argument that takes an offered seat:
// "ambil <training> <booking>" from the offer's button, "ambil" alone when
// the owner types it.
const argTake = "ambil"

// takePhrases are what owners type to take the seat just offered to them.
var takePhrases = map[string]string{
	"ambil": argTake, "ambil kursi": argTake, "ambil kursinya": argTake, "iya mau": argTake,
	"ya mau": argTake, "saya mau": argTake, "take the seat": argTake,
}

// takeData is the command of the offer's "Ambil kursi" button: one tap
// takes the seat.
func takeData(bk store.Booking) string {
	return fmt.Sprintf("/%s %s %d %d", cmdMine, argTake, bk.TrainingID, bk.ID)
}

// enterMine starts /pelatihansaya: the owner's places, or first the
// taking of an offered seat ("ambil ...").
func (b *tr) enterMine(c *flows.Ctx) (string, error) {
	args := strings.Fields(c.Update.Args)
	if c.Update.Command == cmdMine && len(args) > 0 && args[0] == argTake {
		return b.enterTake(c, args[1:])
	}
	n, err := b.loadMine(c)
	if err != nil || n > 0 {
		return stMine, err
	}
	c.Reply(flows.Say("train_mine_empty").WithRow(listButton()))
	return flows.End, nil
}

// enterTake takes the seat of booking ids[1] in training ids[0] (the
// offer's button), or, typed, the one seat on offer to the owner; then it
// shows the owner's places.
func (b *tr) enterTake(c *flows.Ctx, ids []string) (string, error) {
	if len(ids) == 2 {
		tid, err1 := strconv.ParseInt(ids[0], 10, 64)
		bid, err2 := strconv.ParseInt(ids[1], 10, 64)
		if err1 == nil && err2 == nil {
			if err := b.take(c, tid, bid); err != nil {
				return "", err
			}
			return b.showMine(c)
		}
	}
	if err := b.takeOffered(c); err != nil {
		return "", err
	}
	return b.showMine(c)
}

// isTakePhrase tells whether text is one of takePhrases.
func isTakePhrase(text string) bool {
	for p := range takePhrases {
		if field.Normalize(p) == field.Normalize(text) {
			return true
		}
	}
	return false
}

// takeOffered takes the one seat on offer to the owner, or says that there
// is none, or asks which when there are several.
func (b *tr) takeOffered(c *flows.Ctx) error {
	list, err := b.ts.BookingsOf(c, c.UserID(), c.Now)
	if err != nil {
		return err
	}
	var offers []store.Booking
	for _, bk := range list {
		if bk.Status == store.BookingOffered && c.Now.Before(bk.OfferDeadline) {
			offers = append(offers, bk)
		}
	}
	switch len(offers) {
	case 0:
		c.Say("train_take_none")
	case 1:
		return b.take(c, offers[0].TrainingID, offers[0].ID)
	default:
		c.Say("train_take_which", "Count", len(offers))
	}
	return nil
}

// take confirms the offered seat of booking id in training tid and says
// how it went: taken (again, for a second tap), too late, or gone.
func (b *tr) take(c *flows.Ctx, tid, id int64) error {
	bk, err := b.ts.ConfirmOffer(c, c.UserID(), id, c.Now)
	if err == nil {
		tid = bk.TrainingID
	}
	t, terr := b.ts.Training(c, tid)
	switch {
	case errors.Is(terr, store.ErrNotFound):
		c.Say("train_offer_gone")
		return nil
	case terr != nil:
		return terr
	}
	switch {
	case err == nil:
		c.Say("train_offer_taken", "Title", t.Title, "Code", bk.Code, "Start", flows.DateTime(t.StartAt),
			"Where", whereText(t.Training, true))
	case errors.Is(err, store.ErrClosed):
		c.Say("train_offer_expired", "Title", t.Title)
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrConflict):
		c.Say("train_offer_gone")
	default:
		return err
	}
	return nil
}

// showMine shows the owner's places after a take, or ends with the menu
// when none is left.
func (b *tr) showMine(c *flows.Ctx) (string, error) {
	n, err := b.loadMine(c)
	if err != nil || n > 0 {
		return stMine, err
	}
	c.Reply(flows.Say("train_mine_empty").WithRow(listButton()))
	return flows.End, nil
}
