package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Book implements store.TrainingStore as store/postgres does: a cancelled
// training is ErrClosed; an owner who holds a place gets it with
// ErrConflict; a started training or one past its deadline is ErrClosed;
// the place is booked while fewer than Capacity places are taken and
// nobody waits, else waitlisted.
func (s *Store) Book(ctx context.Context, trainingID, userID int64, now time.Time) (store.Booking, error) {
	if err := ctx.Err(); err != nil {
		return store.Booking{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.trains
	e, err := st.training(trainingID)
	if err != nil {
		return store.Booking{}, fmt.Errorf("book: %w", err)
	}
	fail := func(err error) error {
		return fmt.Errorf("book training %d for user %d: %w", trainingID, userID, err)
	}
	if e.t.Status == store.TrainingCancelled {
		return store.Booking{}, fail(store.ErrClosed)
	}
	for _, b := range e.bookings {
		if b.UserID == userID && active(b) {
			return st.view(b), fail(store.ErrConflict)
		}
	}
	if !now.Before(e.t.StartAt) || now.After(e.t.Deadline) {
		return store.Booking{}, fail(store.ErrClosed)
	}
	status := store.BookingWaitlisted
	if taken, waiting := e.counts(); taken < e.t.Capacity && waiting == 0 {
		status = store.BookingBooked
	}
	e.seq++
	at := s.now().UTC().Round(0)
	b := &store.Booking{ID: int64(len(st.bookings) + 1), Code: store.BookingCode(trainingID, e.seq), TrainingID: trainingID,
		UserID: userID, Status: status, CreatedAt: at, UpdatedAt: at}
	st.bookings = append(st.bookings, b)
	e.bookings = append(e.bookings, b)
	return st.view(b), nil
}

// CancelBooking implements store.TrainingStore as store/postgres does.
func (s *Store) CancelBooking(ctx context.Context, userID, bookingID int64, now time.Time, hold time.Duration, notify store.Notify) (*store.Booking, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if hold <= 0 {
		return nil, fmt.Errorf("cancel booking %d: hold %s not positive", bookingID, hold)
	}
	out := s.out()
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.trains
	fail := func(err error) error { return fmt.Errorf("cancel booking %d of user %d: %w", bookingID, userID, err) }
	if userID == 0 {
		return nil, fail(store.ErrNotFound)
	}
	e, b, err := st.booking(bookingID, userID)
	if err != nil {
		return nil, fail(err)
	}
	switch {
	case b.Status == store.BookingCancelled:
		return nil, nil
	case b.Status == store.BookingAttended || b.Status == store.BookingAbsent || !now.Before(e.t.StartAt):
		return nil, fail(store.ErrClosed)
	}
	freed := b.Status != store.BookingWaitlisted
	// The offers are picked as if b were gone, and their notices built,
	// before anything changes, so that a failing notify changes nothing.
	was := b.Status
	b.Status = store.BookingCancelled
	var offers offered
	if freed {
		offers, err = st.offers(e, now, hold, notify)
	}
	b.Status = was
	if err != nil {
		return nil, fail(err)
	}
	at := s.now().UTC().Round(0)
	cancelPlace(out, b, at)
	offers.apply(out, at)
	if len(offers.list) == 0 {
		return nil, nil
	}
	v := st.view(offers.list[0])
	return &v, nil
}

// ConfirmOffer implements store.TrainingStore as store/postgres does.
func (s *Store) ConfirmOffer(ctx context.Context, userID, bookingID int64, now time.Time) (store.Booking, error) {
	if err := ctx.Err(); err != nil {
		return store.Booking{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.trains
	fail := func(err error) error { return fmt.Errorf("confirm offer %d of user %d: %w", bookingID, userID, err) }
	if userID == 0 {
		return store.Booking{}, fail(store.ErrNotFound)
	}
	e, b, err := st.booking(bookingID, userID)
	if err != nil {
		return store.Booking{}, fail(err)
	}
	switch {
	case b.Status == store.BookingBooked:
		return st.view(b), nil
	case b.Status == store.BookingWaitlisted:
		return store.Booking{}, fail(store.ErrConflict)
	case b.Status != store.BookingOffered || now.After(b.OfferDeadline) || !now.Before(e.t.StartAt):
		return store.Booking{}, fail(store.ErrClosed)
	}
	b.Status, b.OfferDeadline, b.UpdatedAt = store.BookingBooked, time.Time{}, s.now().UTC().Round(0)
	return st.view(b), nil
}

// ExpireOffers implements store.TrainingStore as store/postgres does; a
// notify error stops it with the offers before it expired.
func (s *Store) ExpireOffers(ctx context.Context, now time.Time, hold time.Duration, notify store.Notify) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if hold <= 0 {
		return 0, fmt.Errorf("expire offers: hold %s not positive", hold)
	}
	out := s.out()
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.trains
	var due []*store.Booking
	for _, b := range st.bookings {
		if b.Status == store.BookingOffered && b.OfferDeadline.Before(now) {
			due = append(due, b)
		}
	}
	slices.SortStableFunc(due, func(a, b *store.Booking) int {
		return cmp.Or(a.OfferDeadline.Compare(b.OfferDeadline), cmp.Compare(a.ID, b.ID))
	})
	expired := 0
	for _, b := range due {
		e := st.trainings[b.TrainingID-1]
		b.Status = store.BookingCancelled
		offers, err := st.offers(e, now, hold, notify)
		b.Status = store.BookingOffered
		if err != nil {
			return expired, fmt.Errorf("expire offer %d: %w", b.ID, err)
		}
		at := s.now().UTC().Round(0)
		cancelPlace(out, b, at)
		offers.apply(out, at)
		expired++
	}
	return expired, nil
}

// BookingsOf implements store.TrainingStore as store/postgres does: the
// owner's places in trainings that have not ended by now.
func (s *Store) BookingsOf(ctx context.Context, userID int64, now time.Time) ([]store.Booking, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.trains
	var mine []*store.Booking
	for _, b := range st.bookings {
		if b.UserID == userID && active(b) && st.trainings[b.TrainingID-1].t.EndAt.After(now) {
			mine = append(mine, b)
		}
	}
	slices.SortStableFunc(mine, func(a, b *store.Booking) int {
		ta, tb := st.trainings[a.TrainingID-1].t, st.trainings[b.TrainingID-1].t
		return cmp.Or(ta.StartAt.Compare(tb.StartAt), cmp.Compare(ta.ID, tb.ID), cmp.Compare(a.ID, b.ID))
	})
	list := make([]store.Booking, 0, len(mine))
	for _, b := range mine {
		list = append(list, st.view(b))
	}
	return list, nil
}

// booking returns booking id with its training; with user not 0, a
// booking of another owner is ErrNotFound. s.mu must be held.
func (st *trainState) booking(id, user int64) (*trainEntry, *store.Booking, error) {
	if id <= 0 || int(id) > len(st.bookings) || (user != 0 && st.bookings[id-1].UserID != user) {
		return nil, nil, fmt.Errorf("booking %d: %w", id, store.ErrNotFound)
	}
	b := st.bookings[id-1]
	return st.trainings[b.TrainingID-1], b, nil
}
