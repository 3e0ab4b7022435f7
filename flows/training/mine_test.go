package training_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/flows/training"
	"github.com/diskum-tangerang/umkmbot/store"
)

// fullTraining seeds a one-seat training with siti booked and budi and ani
// on the waitlist, and returns their bookings.
func fullTraining(t *testing.T, h *ft.Harness) (tr store.Training, sitiB, budiB, aniB store.Booking) {
	t.Helper()
	register(t, h, siti, "Siti Aminah", "Kue Siti")
	register(t, h, budi, "Budi Santoso", "Bengkel Budi")
	register(t, h, ani, "Ani Lestari", "Jahit Ani")
	tr = seed(t, h, store.Training{Capacity: 1})
	var out [3]store.Booking
	for i, u := range []int64{siti, budi, ani} {
		b, err := h.Store.Book(context.Background(), tr.ID, u, h.Now())
		if err != nil {
			t.Fatal(err)
		}
		out[i] = b
	}
	return tr, out[0], out[1], out[2]
}

func TestCancelPromotesWaitlist(t *testing.T) {
	h := newHarness(t)
	_, sitiB, budiB, aniB := fullTraining(t, h)

	rs := say(t, h, siti, "/pelatihansaya", "train_mine")
	contains(t, plain(h, rs), "1. Pencatatan Keuangan Sederhana", "Kamis, 14 Januari 2027 pukul 09.00 WIB",
		"Kode pendaftaran: PLT-1-0001")
	if got := labels(h, siti); !slices.Equal(got, []string{"Batalkan 1", "Lihat jadwal pelatihan"}) {
		t.Errorf("buttons %q", got)
	}
	rs = tap(t, h, siti, "Batalkan 1", "train_cancel_ask")
	contains(t, plain(h, rs), "Yakin ingin membatalkan?")
	if hasOutbox(h, fmt.Sprint("offer:", budiB.ID)) {
		t.Fatal("the seat was offered before the owner confirmed")
	}
	tap(t, h, siti, "Ya, batalkan", "train_booking_cancelled", "train_mine_empty")
	if n := len(bookings(t, h, siti)); n != 0 {
		t.Errorf("siti still holds %d places", n)
	}

	it := outbox(t, h, fmt.Sprint("offer:", budiB.ID))
	if it.Kind != training.KindWaitlist || it.ChatID != budi || !it.NotBefore.Equal(h.Now()) {
		t.Errorf("offer row %+v", it)
	}
	offer := decode(t, it)
	ft.Want(t, []flows.Reply{offer}, "train_offer")
	checkRendered(t, h, []flows.Reply{offer})
	contains(t, plain(h, []flows.Reply{offer}), "Ada kursi kosong di pelatihan Pencatatan Keuangan Sederhana",
		"sebelum Sabtu, 28 November 2026 pukul 09.00 WIB")
	if want := fmt.Sprintf("/pelatihansaya ambil 1 %d", budiB.ID); len(offer.Buttons) != 1 || offer.Buttons[0][0].Data != want {
		t.Errorf("offer buttons %+v, want one with %q", offer.Buttons, want)
	}
	if hasOutbox(h, fmt.Sprint("offer:", aniB.ID)) || hasOutbox(h, fmt.Sprint("offer:", sitiB.ID)) {
		t.Error("a seat offered to more than the first on the waitlist")
	}

	// Budi opens his places before taking it: the list offers the seat.
	rs = say(t, h, budi, "/pelatihansaya", "train_mine")
	contains(t, plain(h, rs), "Ada kursi untuk Anda. Ambil sebelum Sabtu, 28 November 2026 pukul 09.00 WIB")
	if got := labels(h, budi); !slices.Equal(got, []string{"Ambil kursi 1", "Batalkan 1", "Lihat jadwal pelatihan"}) {
		t.Errorf("budi's buttons %q", got)
	}
	rs = tap(t, h, budi, "Ambil kursi 1", "train_offer_taken", "train_mine")
	contains(t, plain(h, rs), "sekarang milik Anda", "Kode pendaftaran: PLT-1-0002")
	if b := bookings(t, h, budi); len(b) != 1 || b[0].Status != store.BookingBooked {
		t.Fatalf("budi %+v", b)
	}

	// Ani, second on the waitlist, is now first; she keeps her place.
	rs = say(t, h, ani, "/pelatihansaya", "train_mine")
	contains(t, plain(h, rs), "Anda di daftar tunggu, urutan ke-1.")
	tap(t, h, ani, "Batalkan 1", "train_cancel_ask")
	tap(t, h, ani, "Tidak, tetap ikut", "train_cancel_kept", "train_mine")
	say(t, h, ani, "terserah", "train_mine_choose")
	if b := bookings(t, h, ani); len(b) != 1 || b[0].Status != store.BookingWaitlisted {
		t.Fatalf("ani %+v", b)
	}
}

func TestMineEmptyAndStarted(t *testing.T) {
	h := newHarness(t)
	say(t, h, siti, "/pelatihansaya", "train_mine_empty")
	register(t, h, siti, "Siti Aminah", "Kue Siti")
	tr := seed(t, h, store.Training{StartAt: wibTime(2026, 11, 28, 9, 0)})
	if _, err := h.Store.Book(context.Background(), tr.ID, siti, h.Now()); err != nil {
		t.Fatal(err)
	}
	say(t, h, siti, "/pelatihansaya", "train_mine")
	tap(t, h, siti, "Batalkan 1", "train_cancel_ask")
	// The training starts while the owner thinks it over.
	h.Advance(25 * time.Hour)
	tap(t, h, siti, "Ya, batalkan", "train_cancel_started", "train_mine")
	if got := labels(h, siti); slices.Contains(got, "Batalkan 1") {
		t.Errorf("a started training can still be cancelled: %q", got)
	}
	h.Advance(3 * time.Hour)
	say(t, h, siti, "/pelatihansaya", "train_mine_empty")
}

func TestOfferExpiresToTheNext(t *testing.T) {
	h := newHarness(t)
	_, _, budiB, aniB := fullTraining(t, h)
	say(t, h, siti, "/pelatihansaya", "train_mine")
	tap(t, h, siti, "Batalkan 1", "train_cancel_ask")
	tap(t, h, siti, "Ya, batalkan", "train_booking_cancelled", "train_mine_empty")
	say(t, h, budi, "/pelatihansaya", "train_mine")

	h.Advance(25 * time.Hour)
	tap(t, h, budi, "Ambil kursi 1", "train_offer_expired", "train_mine")
	if err := training.QueueDue(context.Background(), h.Store, h.Now(), training.Options{}); err != nil {
		t.Fatal(err)
	}
	it := outbox(t, h, fmt.Sprint("offer:", aniB.ID))
	if it.ChatID != ani || it.Kind != training.KindWaitlist {
		t.Errorf("ani's offer %+v", it)
	}
	offer := decode(t, it)
	checkRendered(t, h, []flows.Reply{offer})
	contains(t, plain(h, []flows.Reply{offer}), "sebelum Minggu, 29 November 2026 pukul 10.00 WIB")
	say(t, h, budi, "/pelatihansaya", "train_mine_empty")
	rs := say(t, h, ani, "/pelatihansaya", "train_mine")
	contains(t, plain(h, rs), "Ada kursi untuk Anda")
	tap(t, h, ani, "Ambil kursi 1", "train_offer_taken", "train_mine")
	if b := bookings(t, h, budi); len(b) != 0 {
		t.Errorf("budi after his offer expired: %+v", b)
	}
	if hasOutbox(h, fmt.Sprint("offer:", budiB.ID)) == false {
		t.Error("budi's offer row is gone")
	}
}

func TestQueueDueRemindsOnce(t *testing.T) {
	h := newHarness(t)
	register(t, h, siti, "Siti Aminah", "Kue Siti")
	register(t, h, budi, "Budi Santoso", "Bengkel Budi")
	register(t, h, ani, "Ani Lestari", "Jahit Ani")
	mon := seed(t, h, store.Training{StartAt: wibTime(2026, 11, 30, 9, 0), Capacity: 2})
	tue := seed(t, h, store.Training{Title: "Jualan di Marketplace", Topic: store.TopicMarketing,
		StartAt: wibTime(2026, 12, 1, 9, 0), Link: "https://zoom.us/j/1234567890"})
	book := func(tr store.Training, user int64) store.Booking {
		b, err := h.Store.Book(context.Background(), tr.ID, user, h.Now())
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	sitiMon, aniMon := book(mon, siti), book(mon, ani)
	budiMon := book(mon, budi) // waitlisted: no reminder
	sitiTue := book(tue, siti)
	if _, err := h.Store.CancelBooking(context.Background(), ani, aniMon.ID, h.Now(), time.Hour, nil); err != nil {
		t.Fatal(err)
	}
	// Budi got ani's seat as an offer for an hour; he never takes it, so he
	// gets no reminder.

	// The bot runs QueueDue every 10 minutes, but is down on Monday from
	// 07.00 to 12.00 WIB.
	downFrom, downTo := wibTime(2026, 11, 30, 7, 0), wibTime(2026, 11, 30, 12, 0)
	first := map[string]time.Time{}
	keys := map[string]string{
		"siti mon d1": fmt.Sprintf("remind:%d:d1", sitiMon.ID), "siti mon d0": fmt.Sprintf("remind:%d:d0", sitiMon.ID),
		"siti tue d1": fmt.Sprintf("remind:%d:d1", sitiTue.ID), "siti tue d0": fmt.Sprintf("remind:%d:d0", sitiTue.ID),
		"budi mon d1": fmt.Sprintf("remind:%d:d1", budiMon.ID), "budi mon d0": fmt.Sprintf("remind:%d:d0", budiMon.ID),
		"ani mon d1": fmt.Sprintf("remind:%d:d1", aniMon.ID), "ani mon d0": fmt.Sprintf("remind:%d:d0", aniMon.ID),
	}
	rows := map[string]int64{}
	for end := wibTime(2026, 12, 1, 10, 0); h.Now().Before(end); h.Advance(10 * time.Minute) {
		if !h.Now().Before(downFrom) && h.Now().Before(downTo) {
			continue
		}
		opt := training.Options{OfferHold: 48 * time.Hour}
		if err := training.QueueDue(context.Background(), h.Store, h.Now(), opt); err != nil {
			t.Fatal(err)
		}
		for name, key := range keys {
			it, err := h.Store.Outbox().OutboxItem(context.Background(), key)
			if err != nil {
				continue
			}
			if id, seen := rows[name]; seen && id != it.ID {
				t.Fatalf("%s queued twice (rows %d and %d)", name, id, it.ID)
			}
			if _, seen := first[name]; !seen {
				first[name], rows[name] = h.Now(), it.ID
			}
		}
	}
	want := map[string]time.Time{
		"siti mon d1": wibTime(2026, 11, 29, 8, 0),
		"siti mon d0": wibTime(2026, 11, 30, 6, 0),
		// Due on Monday at 08.00, while the bot was down: queued as soon as
		// it came back.
		"siti tue d1": downTo,
		"siti tue d0": wibTime(2026, 12, 1, 6, 0),
	}
	for name, at := range want {
		if got, ok := first[name]; !ok || !got.Equal(at) {
			t.Errorf("%s first queued at %v, want %v", name, got.In(wib), at.In(wib))
		}
	}
	for _, name := range []string{"budi mon d1", "budi mon d0", "ani mon d1", "ani mon d0"} {
		if _, ok := first[name]; ok {
			t.Errorf("%s was queued", name)
		}
	}

	d1 := decode(t, outbox(t, h, keys["siti tue d1"]))
	ft.Want(t, []flows.Reply{d1}, "train_remind_d1")
	d0 := decode(t, outbox(t, h, keys["siti tue d0"]))
	ft.Want(t, []flows.Reply{d0}, "train_remind_d0")
	checkRendered(t, h, []flows.Reply{d1, d0})
	contains(t, plain(h, []flows.Reply{d1, d0}), "besok Anda mengikuti pelatihan Jualan di Marketplace",
		"Selasa, 1 Desember 2026 pukul 09.00 WIB sampai pukul 12.00 WIB", "📍 Daring: https://zoom.us/j/1234567890",
		"hari ini pukul 09.00 WIB", fmt.Sprint("Kode pendaftaran: ", sitiTue.Code))
	for _, r := range []flows.Reply{d1, d0} {
		if len(r.Buttons) != 1 || r.Buttons[0][0].Data != "/pelatihansaya" {
			t.Errorf("%s buttons %+v", r.ID, r.Buttons)
		}
	}
	if it := outbox(t, h, keys["siti tue d1"]); it.Kind != training.KindReminder || it.ChatID != siti {
		t.Errorf("reminder row %+v", it)
	}
}
