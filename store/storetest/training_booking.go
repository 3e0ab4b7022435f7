package storetest

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// bookAtOnce books training for every user from its own goroutine, all
// released together, and returns the results in users' order.
func bookAtOnce(t *testing.T, s store.TrainingStore, training int64, users []int64) ([]store.Booking, []error) {
	t.Helper()
	got, errs := make([]store.Booking, len(users)), make([]error, len(users))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, u := range users {
		wg.Go(func() {
			<-start
			got[i], errs[i] = s.Book(bg(t), training, u, trBookNow)
		})
	}
	close(start)
	wg.Wait()
	return got, errs
}

func testConcurrentBookings(t *testing.T, newStores newTrainingStores) {
	s := newStores(t).Trainings
	tr := mustTraining(t, s, trTraining("Pemasaran digital", 10, 10))
	users := make([]int64, 100)
	for i := range users {
		users[i] = int64(2001 + i)
	}
	got, errs := bookAtOnce(t, s, tr.ID, users)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Book(user %d): %v", users[i], err)
		}
	}
	byID := slices.Clone(got)
	slices.SortFunc(byID, func(a, b store.Booking) int { return int(a.ID - b.ID) })
	codeRE := regexp.MustCompile(fmt.Sprintf(`^PLT-%d-\d{4}$`, tr.ID))
	codes := map[string]bool{}
	booked, waitlisted := 0, 0
	for i, b := range byID {
		if !codeRE.MatchString(b.Code) || codes[b.Code] {
			t.Errorf("booking %d: code %q not PLT-%d-<4 digits> or not unique", b.ID, b.Code, tr.ID)
		}
		codes[b.Code] = true
		switch b.Status {
		case store.BookingBooked:
			booked++
			if i >= 10 || b.Position != 0 {
				t.Errorf("booking %d is booked (position %d) as the %d-th booking; want the first 10, no position", b.ID, b.Position, i+1)
			}
		case store.BookingWaitlisted:
			waitlisted++
			if b.Position != i-9 {
				t.Errorf("booking %d: position %d as the %d-th booking; want %d", b.ID, b.Position, i+1, i-9)
			}
		default:
			t.Errorf("booking %d: status %s", b.ID, b.Status)
		}
		if i > 0 && b.CreatedAt.Before(byID[i-1].CreatedAt) {
			t.Errorf("booking %d created at %v, before booking %d at %v", b.ID, b.CreatedAt, byID[i-1].ID, byID[i-1].CreatedAt)
		}
	}
	if booked != 10 || waitlisted != 90 {
		t.Fatalf("%d booked and %d waitlisted, want 10 and 90", booked, waitlisted)
	}
	for n := 1; n <= 100; n++ {
		if code := fmt.Sprintf("PLT-%d-%04d", tr.ID, n); !codes[code] {
			t.Errorf("code %s not given; codes count from 0001 without gaps", code)
		}
	}
	wantSeats(t, s, tr.ID, 10, 90)

	w := byID[46] // position 37
	mine, err := s.BookingsOf(bg(t), w.UserID, trBookNow)
	if err != nil || len(mine) != 1 || mine[0].ID != w.ID || mine[0].Position != 37 {
		t.Errorf("BookingsOf(user %d) = %+v, %v; want booking %d at position 37", w.UserID, mine, err, w.ID)
	}
	ps, err := s.Participants(bg(t), tr.ID)
	if err != nil || len(ps) != 100 {
		t.Fatalf("Participants = %d, %v; want 100", len(ps), err)
	}
	for i, p := range ps {
		if p.ID != byID[i].ID || p.Position != byID[i].Position || p.Status != byID[i].Status {
			t.Errorf("participant %d: booking %d %s at %d; want booking %d %s at %d",
				i, p.ID, p.Status, p.Position, byID[i].ID, byID[i].Status, byID[i].Position)
		}
	}
}

func testSameOwnerTwice(t *testing.T, newStores newTrainingStores) {
	s := newStores(t).Trainings
	one := mustTraining(t, s, trTraining("Satu kursi", 10, 1))
	first := mustBook(t, s, one.ID, 1001, store.BookingBooked)
	again, err := s.Book(bg(t), one.ID, 1001, trBookNow)
	wantErr(t, "Book(booked again)", err, store.ErrConflict)
	if again.ID != first.ID || again.Status != store.BookingBooked || again.Code != first.Code {
		t.Errorf("Book(booked again) = %+v; want the held booking %+v", again, first)
	}
	w := mustBook(t, s, one.ID, 1002, store.BookingWaitlisted)
	again, err = s.Book(bg(t), one.ID, 1002, trBookNow)
	wantErr(t, "Book(waitlisted again)", err, store.ErrConflict)
	if again.ID != w.ID || again.Status != store.BookingWaitlisted || again.Position != 1 {
		t.Errorf("Book(waitlisted again) = %+v; want waitlisted booking %d at position 1", again, w.ID)
	}
	wantSeats(t, s, one.ID, 1, 1)

	// Twenty taps at once: one place.
	many := mustTraining(t, s, trTraining("Ramai", 11, 5))
	users := make([]int64, 20)
	for i := range users {
		users[i] = 1003
	}
	got, errs := bookAtOnce(t, s, many.ID, users)
	won := -1
	for i, err := range errs {
		switch {
		case err == nil && won >= 0:
			t.Errorf("two bookings succeeded: %d and %d", got[won].ID, got[i].ID)
		case err == nil:
			won = i
		case !errors.Is(err, store.ErrConflict):
			t.Errorf("Book: %v; want ErrConflict", err)
		}
	}
	if won < 0 {
		t.Fatal("no booking succeeded")
	}
	for i, b := range got {
		if b.ID != got[won].ID {
			t.Errorf("call %d returned booking %d, want the held %d", i, b.ID, got[won].ID)
		}
	}
	wantSeats(t, s, many.ID, 1, 0)

	// After a cancellation the owner may book again, under a new code.
	if _, err := s.CancelBooking(bg(t), 1003, got[won].ID, trBookNow, trHold, nil); err != nil {
		t.Fatalf("CancelBooking: %v", err)
	}
	re := mustBook(t, s, many.ID, 1003, store.BookingBooked)
	if re.ID == got[won].ID || re.Code != fmt.Sprintf("PLT-%d-0002", many.ID) {
		t.Errorf("booking again = %d %s; want a new booking PLT-%d-0002", re.ID, re.Code, many.ID)
	}
}

func testBookingClosed(t *testing.T, newStores newTrainingStores) {
	s := newStores(t).Trainings
	tr := mustTraining(t, s, trTraining("Legalitas", 10, 5))
	cancelled := mustTraining(t, s, trTraining("Batal", 10, 5))
	if _, err := s.CancelTraining(bg(t), trStaff, cancelled.ID, nil); err != nil {
		t.Fatal(err)
	}
	none := mustTraining(t, s, trTraining("Tanpa kursi", 10, 0))
	tests := []struct {
		name     string
		training int64
		user     int64
		now      time.Time
		want     error
		status   string
		position int
	}{
		{"at the deadline", tr.ID, 1, tr.Deadline, nil, store.BookingBooked, 0},
		{"past the deadline", tr.ID, 2, tr.Deadline.Add(time.Second), store.ErrClosed, "", 0},
		{"at the start", tr.ID, 3, tr.StartAt, store.ErrClosed, "", 0},
		{"after the start", tr.ID, 4, tr.EndAt, store.ErrClosed, "", 0},
		{"cancelled training", cancelled.ID, 5, trBookNow, store.ErrClosed, "", 0},
		{"unknown training", tr.ID + 1000, 6, trBookNow, store.ErrNotFound, "", 0},
		{"capacity 0", none.ID, 7, trBookNow, nil, store.BookingWaitlisted, 1},
		{"capacity 0, second", none.ID, 8, trBookNow, nil, store.BookingWaitlisted, 2},
	}
	for _, tt := range tests {
		b, err := s.Book(bg(t), tt.training, tt.user, tt.now)
		wantErr(t, "Book("+tt.name+")", err, tt.want)
		if tt.want == nil && (b.Status != tt.status || b.Position != tt.position) {
			t.Errorf("Book(%s) = %s at %d; want %s at %d", tt.name, b.Status, b.Position, tt.status, tt.position)
		}
	}
	wantSeats(t, s, none.ID, 0, 2)

	b := mustBook(t, s, tr.ID, 9, store.BookingBooked)
	_, err := s.CancelBooking(bg(t), 10, b.ID, trBookNow, trHold, nil)
	wantErr(t, "CancelBooking(another owner's)", err, store.ErrNotFound)
	_, err = s.CancelBooking(bg(t), 9, b.ID, tr.StartAt, trHold, nil)
	wantErr(t, "CancelBooking(at the start)", err, store.ErrClosed)
	_, err = s.CancelBooking(bg(t), 9, b.ID+1000, trBookNow, trHold, nil)
	wantErr(t, "CancelBooking(unknown)", err, store.ErrNotFound)
	wantSeats(t, s, tr.ID, 2, 0)
}

func testCancelPromotes(t *testing.T, newStores newTrainingStores) {
	ss := newStores(t)
	s, ob := ss.Trainings, ss.Outbox
	tr := mustTraining(t, s, trTraining("Ekspor", 10, 10))
	var booked, waiting []store.Booking
	for u := int64(3001); u <= 3030; u++ {
		if u <= 3010 {
			booked = append(booked, mustBook(t, s, tr.ID, u, store.BookingBooked))
		} else {
			waiting = append(waiting, mustBook(t, s, tr.ID, u, store.BookingWaitlisted))
		}
	}

	// A failing notice rolls the cancellation back.
	failing := &notices{calls: map[int64]int{}, fail: true}
	if _, err := s.CancelBooking(bg(t), booked[0].UserID, booked[0].ID, trBookNow, trHold, failing.notify); err == nil {
		t.Fatal("CancelBooking with a failing notify: no error")
	}
	wantSeats(t, s, tr.ID, 10, 20)
	wantNoNotice(t, ob, offerKey(waiting[0].ID))

	// Ten cancellations at once offer the seats to the next ten.
	now := trAt(2, 9, 0)
	n := newNotices()
	promoted := make([]*store.Booking, len(booked))
	var wg sync.WaitGroup
	for i, b := range booked {
		wg.Go(func() {
			var err error
			if promoted[i], err = s.CancelBooking(bg(t), b.UserID, b.ID, now, trHold, n.notify); err != nil {
				t.Errorf("CancelBooking(%d): %v", b.ID, err)
			}
		})
	}
	wg.Wait()
	got := map[int64]bool{}
	for i, p := range promoted {
		switch {
		case p == nil:
			t.Errorf("cancelling booking %d promoted nobody", booked[i].ID)
		case p.Status != store.BookingOffered || !p.OfferDeadline.Equal(now.Add(trHold)) || got[p.ID]:
			t.Errorf("promoted %+v; want a distinct offer until %v", *p, now.Add(trHold))
		default:
			got[p.ID] = true
		}
	}
	for i, w := range waiting {
		if want := i < 10; got[w.ID] != want {
			t.Errorf("waitlisted booking %d (position %d) promoted: %v, want %v", w.ID, i+1, got[w.ID], want)
		}
		if i < 10 {
			wantNotice(t, ob, offerKey(w.ID), w.UserID, "waitlist", store.OutboxPending)
		} else {
			wantNoNotice(t, ob, offerKey(w.ID))
		}
	}
	if c := n.count(); c != 10 || len(n.calls) != 10 {
		t.Errorf("notify called %d times for %d bookings, want once for each of 10", c, len(n.calls))
	}
	wantSeats(t, s, tr.ID, 10, 10)

	// Cancelling a waitlist place frees no seat; the places behind move up.
	p, err := s.CancelBooking(bg(t), waiting[14].UserID, waiting[14].ID, now, trHold, n.notify)
	if err != nil || p != nil {
		t.Errorf("CancelBooking(waitlisted) = %v, %v; want nobody promoted", p, err)
	}
	mine, err := s.BookingsOf(bg(t), waiting[15].UserID, now)
	if err != nil || len(mine) != 1 || mine[0].Position != 5 {
		t.Errorf("BookingsOf(16th waiting) = %+v, %v; want position 5", mine, err)
	}
	// Cancelling twice changes nothing.
	p, err = s.CancelBooking(bg(t), booked[0].UserID, booked[0].ID, now, trHold, n.notify)
	if err != nil || p != nil {
		t.Errorf("CancelBooking(cancelled) = %v, %v; want nothing", p, err)
	}
	if c := n.count(); c != 10 {
		t.Errorf("notify called %d times in all, want 10", c)
	}
	wantSeats(t, s, tr.ID, 10, 9)
}

func testOffers(t *testing.T, newStores newTrainingStores) {
	ss := newStores(t)
	s, ob := ss.Trainings, ss.Outbox
	tr := mustTraining(t, s, trTraining("Halal", 10, 1))
	a := mustBook(t, s, tr.ID, 1, store.BookingBooked)
	b := mustBook(t, s, tr.ID, 2, store.BookingWaitlisted)
	c := mustBook(t, s, tr.ID, 3, store.BookingWaitlisted)
	d := mustBook(t, s, tr.ID, 4, store.BookingWaitlisted)
	n := newNotices()

	now := trAt(3, 9, 0)
	p, err := s.CancelBooking(bg(t), a.UserID, a.ID, now, time.Hour, n.notify)
	if err != nil || p == nil || p.ID != b.ID || !p.OfferDeadline.Equal(now.Add(time.Hour)) {
		t.Fatalf("CancelBooking = %+v, %v; want booking %d offered until %v", p, err, b.ID, now.Add(time.Hour))
	}
	_, err = s.ConfirmOffer(bg(t), c.UserID, b.ID, now)
	wantErr(t, "ConfirmOffer(another owner's)", err, store.ErrNotFound)
	_, err = s.ConfirmOffer(bg(t), c.UserID, c.ID, now)
	wantErr(t, "ConfirmOffer(waitlisted)", err, store.ErrConflict)
	for _, at := range []time.Time{now.Add(time.Hour), now.Add(time.Hour)} { // at the deadline; and a double tap
		got, err := s.ConfirmOffer(bg(t), b.UserID, b.ID, at)
		if err != nil || got.Status != store.BookingBooked || !got.OfferDeadline.IsZero() {
			t.Errorf("ConfirmOffer = %+v, %v; want booked", got, err)
		}
	}
	if n, err := s.ExpireOffers(bg(t), now.Add(2*time.Hour), time.Hour, n.notify); err != nil || n != 0 {
		t.Errorf("ExpireOffers with the offer confirmed = %d, %v; want 0", n, err)
	}

	// b cancels: c is offered, lets the offer lapse, and d gets it.
	now = trAt(4, 9, 0)
	if p, err := s.CancelBooking(bg(t), b.UserID, b.ID, now, time.Hour, n.notify); err != nil || p == nil || p.ID != c.ID {
		t.Fatalf("CancelBooking = %+v, %v; want booking %d offered", p, err, c.ID)
	}
	if n, err := s.ExpireOffers(bg(t), now.Add(time.Hour), time.Hour, n.notify); err != nil || n != 0 {
		t.Errorf("ExpireOffers at the deadline = %d, %v; want 0", n, err)
	}
	late := now.Add(time.Hour + time.Second)
	_, err = s.ConfirmOffer(bg(t), c.UserID, c.ID, late)
	wantErr(t, "ConfirmOffer(expired)", err, store.ErrClosed)
	if n, err := s.ExpireOffers(bg(t), late, time.Hour, n.notify); err != nil || n != 1 {
		t.Errorf("ExpireOffers = %d, %v; want 1", n, err)
	}
	if n, err := s.ExpireOffers(bg(t), late, time.Hour, n.notify); err != nil || n != 0 {
		t.Errorf("ExpireOffers again = %d, %v; want 0", n, err)
	}
	_, err = s.ConfirmOffer(bg(t), c.UserID, c.ID, late)
	wantErr(t, "ConfirmOffer(expired and cancelled)", err, store.ErrClosed)
	wantNotice(t, ob, offerKey(c.ID), c.UserID, "waitlist", store.OutboxCancelled)
	wantNotice(t, ob, offerKey(d.ID), d.UserID, "waitlist", store.OutboxPending)
	mine, err := s.BookingsOf(bg(t), d.UserID, late)
	if err != nil || len(mine) != 1 || mine[0].Status != store.BookingOffered || !mine[0].OfferDeadline.Equal(late.Add(time.Hour)) {
		t.Errorf("BookingsOf(d) = %+v, %v; want an offer until %v", mine, err, late.Add(time.Hour))
	}
	if c, err := s.BookingsOf(bg(t), c.UserID, late); err != nil || len(c) != 0 {
		t.Errorf("BookingsOf(c) = %+v, %v; want none", c, err)
	}
	wantSeats(t, s, tr.ID, 1, 0)

	// An offer made just before the start is held until the start only.
	soon := mustTraining(t, s, trTraining("Segera", 10, 1))
	e := mustBook(t, s, soon.ID, 5, store.BookingBooked)
	f := mustBook(t, s, soon.ID, 6, store.BookingWaitlisted)
	now = soon.StartAt.Add(-30 * time.Minute)
	p, err = s.CancelBooking(bg(t), e.UserID, e.ID, now, trHold, n.notify)
	if err != nil || p == nil || p.ID != f.ID || !p.OfferDeadline.Equal(soon.StartAt) {
		t.Errorf("CancelBooking before the start = %+v, %v; want booking %d offered until the start %v", p, err, f.ID, soon.StartAt)
	}
	_, err = s.ConfirmOffer(bg(t), f.UserID, f.ID, soon.StartAt)
	wantErr(t, "ConfirmOffer(at the start)", err, store.ErrClosed)
}
