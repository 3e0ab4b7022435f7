package training_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/store"
)

// freeSeat has siti cancel her seat of fullTraining, so that the seat is
// offered to budi; it returns the offer as queued.
func freeSeat(t *testing.T, h *ft.Harness, budiB store.Booking) flows.Reply {
	t.Helper()
	say(t, h, siti, "/pelatihansaya", "train_mine")
	tap(t, h, siti, "Batalkan 1", "train_cancel_ask")
	tap(t, h, siti, "Ya, batalkan", "train_booking_cancelled", "train_mine_empty")
	return decode(t, outbox(t, h, fmt.Sprint("offer:", budiB.ID)))
}

// TestOfferButtonTakesSeat: one tap on "Ambil kursi" in the offer takes
// the seat; a second tap says so again and changes nothing; in English
// too.
func TestOfferButtonTakesSeat(t *testing.T) {
	for _, lang := range []string{"id", "en"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t)
			_, _, budiB, _ := fullTraining(t, h)
			if err := h.Store.SetLanguage(context.Background(), budi, lang); err != nil {
				t.Fatal(err)
			}
			offer := freeSeat(t, h, budiB)
			contains(t, h.Catalog.Plain("id", offer.Text), "atau ketik ambil")
			if got := h.Catalog.Label(lang, offer.Buttons[0][0].Label); got != map[string]string{"id": "Ambil kursi", "en": "Take the seat"}[lang] {
				t.Errorf("offer button %q", got)
			}
			for range 2 {
				rs := h.TapData(budi, offer.Buttons[0][0].Data)
				ft.Want(t, rs, "train_offer_taken", "train_mine")
				checkRendered(t, h, rs)
				if rs[0].Lang != lang {
					t.Errorf("answer in %q, want %q", rs[0].Lang, lang)
				}
				contains(t, h.Catalog.Plain("id", rs[0].Text), "sekarang milik Anda", "Kode pendaftaran: PLT-1-0002")
				if b := bookings(t, h, budi); len(b) != 1 || b[0].Status != store.BookingBooked {
					t.Fatalf("budi %+v", b)
				}
			}
			if got := labels(h, budi); len(got) != 2 || got[0] != "Batalkan 1" {
				t.Errorf("buttons after taking %q", got)
			}
		})
	}
}

// TestOfferButtonLate: a tap after the hold is answered politely, and the
// seat stays with whoever has it now.
func TestOfferButtonLate(t *testing.T) {
	h := newHarness(t)
	_, _, budiB, _ := fullTraining(t, h)
	offer := freeSeat(t, h, budiB)
	h.Advance(25 * time.Hour)
	rs := h.TapData(budi, offer.Buttons[0][0].Data)
	ft.Want(t, rs, "train_offer_expired", "train_mine")
	checkRendered(t, h, rs)
	contains(t, plain(h, rs[:1]), "waktu untuk mengambil kursi pelatihan Pencatatan Keuangan Sederhana sudah habis")
	if b := bookings(t, h, budi); len(b) == 1 && b[0].Status == store.BookingBooked {
		t.Fatal("a late tap took the seat")
	}
	// A forged tap on another owner's booking shows nothing of it.
	rs = h.TapData(ani, offer.Buttons[0][0].Data)
	ft.Want(t, rs, "train_offer_gone", "train_mine")
}

// TestOfferTypedTake: right after an offer, typing "ambil", "ambil kursi"
// or "iya mau" takes the seat, from the menu or from no flow at all; with
// no seat on offer the owner is told so.
func TestOfferTypedTake(t *testing.T) {
	for _, typed := range []string{"ambil", "Ambil kursi", "iya mau!", "take the seat"} {
		t.Run(typed, func(t *testing.T) {
			h := newHarness(t)
			_, _, budiB, _ := fullTraining(t, h)
			say(t, h, budi, "menu", "menu_prompt")
			say(t, h, budi, "ambil", "train_take_none", "train_mine")
			freeSeat(t, h, budiB)
			rs := say(t, h, budi, typed, "train_offer_taken", "train_mine")
			contains(t, plain(h, rs[:1]), "Kode pendaftaran: PLT-1-0002")
			if b := bookings(t, h, budi); len(b) != 1 || b[0].Status != store.BookingBooked {
				t.Fatalf("budi %+v", b)
			}
		})
	}
	// From no flow at all (a flow that ended without the menu).
	h := newHarness(t)
	_, _, budiB, _ := fullTraining(t, h)
	freeSeat(t, h, budiB)
	say(t, h, dewi, "/pelatihansaya", "train_mine_empty")
	if s := h.Session(dewi); s == nil || s.Flow != "" {
		t.Fatalf("dewi's session %+v, want no flow", s)
	}
	say(t, h, dewi, "ambil", "train_take_none", "train_mine_empty")
	say(t, h, budi, "/pelatihansaya", "train_mine")
	say(t, h, budi, "batal", "cancel_done", "menu_prompt")
	say(t, h, budi, "ambil kursi", "train_offer_taken", "train_mine")
}
