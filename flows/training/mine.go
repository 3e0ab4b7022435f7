package training

import (
	"errors"
	"strconv"

	"github.com/looplab/fsm"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// States of /pelatihansaya.
const (
	stMine    = "mine"
	stMineAsk = "confirm"
)

// Data keys of /pelatihansaya.
const (
	kRows    = "rows"    // the places shown (JSON []mineRow)
	kBooking = "booking" // the booking to cancel
)

// mineRow is one of the owner's places with its training.
type mineRow struct {
	Booking  store.Booking  `json:"b"`
	Training store.Training `json:"t"`
}

// mineFlow is /pelatihansaya: the owner's seats, offers and waitlist
// places, each with "Batalkan" until the start, and "Ambil kursi" for an
// offered seat. "/pelatihansaya ambil", from the offer's button or typed
// ("ambil", "iya mau"), takes the offered seat first.
func (b *tr) mineFlow() *flows.Flow {
	return &flows.Flow{
		Name:     MineName,
		Version:  1,
		Title:    flows.T("train_mine_title"),
		Start:    stMine,
		Commands: []string{cmdMine},
		Events: fsm.Events{
			{Name: "ask", Src: []string{stMine}, Dst: stMineAsk},
			{Name: "back", Src: []string{stMineAsk}, Dst: stMine},
		},
		Steps: map[string]*flows.Step{
			stMine: {
				Prompt: b.minePrompt,
				Help:   flows.T("train_help_mine"),
				Text:   true,
				Handle: b.readMine,
			},
			stMineAsk: {
				Prompt: b.cancelAskPrompt,
				Help:   flows.T("train_help_cancel_ask"),
				Text:   true,
				Handle: b.readCancelAsk,
				NoBack: true,
			},
		},
		Phrases: takePhrases,
		Enter:   b.enterMine,
	}
}

// loadMine keeps the owner's places for the prompt and returns how many
// there are.
func (b *tr) loadMine(c *flows.Ctx) (int, error) {
	list, err := b.ts.BookingsOf(c, c.UserID(), c.Now)
	if err != nil {
		return 0, err
	}
	rows := make([]mineRow, 0, len(list))
	for _, bk := range list {
		if bk.Status == store.BookingCancelled {
			continue
		}
		t, err := b.ts.Training(c, bk.TrainingID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return 0, err
		}
		t.Description = ""
		rows = append(rows, mineRow{Booking: bk, Training: t.Training})
	}
	setJSON(c, kRows, rows)
	return len(rows), nil
}

func mineRows(c *flows.Ctx) []mineRow {
	var rows []mineRow
	getJSON(c, kRows, &rows)
	return rows
}

func (b *tr) minePrompt(c *flows.Ctx) flows.Reply {
	rows := mineRows(c)
	lines := make([]flows.Text, len(rows))
	var buttons [][]flows.Button
	for i, row := range rows {
		bk, t := row.Booking, row.Training
		n := i + 1
		lines[i] = flows.T("train_mine_line", "N", n, "Title", t.Title, "Start", flows.DateTime(t.StartAt),
			"Where", whereText(t, bk.Status != store.BookingWaitlisted), "Status", bookingStatus(bk))
		var btns []flows.Button
		id := strconv.FormatInt(bk.ID, 10)
		if bk.Status == store.BookingOffered && c.Now.Before(bk.OfferDeadline) {
			btns = append(btns, flows.Button{Label: flows.T("train_btn_take_n", "N", n), Data: "take" + id})
		}
		if c.Now.Before(t.StartAt) && (bk.Status == store.BookingBooked || bk.Status == store.BookingOffered ||
			bk.Status == store.BookingWaitlisted) {
			btns = append(btns, flows.Button{Label: flows.T("train_btn_cancel_n", "N", n), Data: "c" + id})
		}
		if len(btns) > 0 {
			buttons = append(buttons, btns)
		}
	}
	r := flows.Say("train_mine", "Lines", lines)
	r.Buttons = buttons
	return r.WithRow(listButton())
}

// row finds the place with booking id among those shown.
func row(c *flows.Ctx, id int64) (mineRow, bool) {
	for _, r := range mineRows(c) {
		if r.Booking.ID == id {
			return r, true
		}
	}
	return mineRow{}, false
}

func (b *tr) readMine(c *flows.Ctx, in flows.Input) (string, error) {
	if id, ok := idChoice(in.Choice, "take"); ok {
		return b.takeOffer(c, id)
	}
	if in.Choice == "" && isTakePhrase(in.Text) {
		if err := b.takeOffered(c); err != nil {
			return flows.Stay, err
		}
		return b.reloadMine(c, "")
	}
	if id, ok := idChoice(in.Choice, "c"); ok {
		if _, ok := row(c, id); !ok {
			return flows.Stay, flows.Invalid("train_mine_choose")
		}
		c.Set(kBooking, strconv.FormatInt(id, 10))
		return "ask", nil
	}
	return flows.Stay, flows.Invalid("train_mine_choose")
}

// takeOffer confirms an offered seat and shows the places again.
func (b *tr) takeOffer(c *flows.Ctx, id int64) (string, error) {
	r, ok := row(c, id)
	if !ok {
		return flows.Stay, flows.Invalid("train_mine_choose")
	}
	bk, err := b.ts.ConfirmOffer(c, c.UserID(), id, c.Now)
	switch {
	case errors.Is(err, store.ErrClosed):
		c.Say("train_offer_expired", "Title", r.Training.Title)
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrConflict):
		c.Say("train_offer_gone")
	case err != nil:
		return flows.Stay, err
	default:
		c.Say("train_offer_taken", "Title", r.Training.Title, "Code", bk.Code,
			"Start", flows.DateTime(r.Training.StartAt), "Where", whereText(r.Training, true))
	}
	return b.reloadMine(c, "")
}

// reloadMine reloads the places and returns event to show them again ("":
// the list prompts again and stays), or says there are none left and ends.
func (b *tr) reloadMine(c *flows.Ctx, event string) (string, error) {
	n, err := b.loadMine(c)
	if err != nil {
		return flows.Stay, err
	}
	if n == 0 {
		c.Reply(flows.Say("train_mine_empty").WithRow(listButton()))
		return flows.End, nil
	}
	if event == "" {
		c.Prompt()
		return flows.Stay, nil
	}
	return event, nil
}

func (b *tr) cancelAskPrompt(c *flows.Ctx) flows.Reply {
	id, _ := strconv.ParseInt(c.Get(kBooking), 10, 64)
	r, _ := row(c, id)
	return flows.Say("train_cancel_ask", "Title", r.Training.Title, "Start", flows.DateTime(r.Training.StartAt),
		"Status", bookingStatus(r.Booking)).
		WithRow(flows.Btn("train_btn_cancel_yes", "yes"), flows.Btn("train_btn_cancel_no", "no"))
}

func (b *tr) readCancelAsk(c *flows.Ctx, in flows.Input) (string, error) {
	id, _ := strconv.ParseInt(c.Get(kBooking), 10, 64)
	r, _ := row(c, id)
	switch yesNo(in, "yes", "no") {
	case "yes":
		_, err := b.ts.CancelBooking(c, c.UserID(), id, c.Now, b.opt.OfferHold, b.offerNotify(c.Now))
		switch {
		case errors.Is(err, store.ErrClosed):
			c.Say("train_cancel_started", "Title", r.Training.Title)
		case errors.Is(err, store.ErrNotFound):
			c.Say("train_cancel_gone")
		case err != nil:
			return flows.Stay, err
		default:
			c.Say("train_booking_cancelled", "Title", r.Training.Title)
		}
	case "no":
		c.Say("train_cancel_kept")
	default:
		return flows.Stay, flows.Invalid("train_cancel_choose")
	}
	return b.reloadMine(c, "back")
}
