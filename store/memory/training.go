package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

var _ store.TrainingStore = (*Store)(nil)

// raiseHold is how long a seat offered because staff raised the capacity
// is held (store.TrainingStore.UpdateTraining takes no hold), capped at
// the training's start; as in store/postgres.
const raiseHold = 24 * time.Hour

// trainState holds the trainings and bookings of one Store. It is guarded
// by the Store's mutex; notices go to the Store's outbox under the same
// lock, so a change and its notices are one step.
type trainState struct {
	trainings []*trainEntry // by ID-1
	byImport  map[string]*trainEntry
	bookings  []*store.Booking // by ID-1
}

// trainEntry is one training with its bookings in ID order.
type trainEntry struct {
	t        store.Training
	seq      int // the last booking code sequence given
	moves    int // how many times the date, time or place changed
	bookings []*store.Booking
}

// trainingObject names a training in the audit log.
func trainingObject(id int64) string { return "training:" + strconv.FormatInt(id, 10) }

// training returns training id, or ErrNotFound. s.mu must be held.
func (st *trainState) training(id int64) (*trainEntry, error) {
	if id <= 0 || int(id) > len(st.trainings) {
		return nil, fmt.Errorf("training %d: %w", id, store.ErrNotFound)
	}
	return st.trainings[id-1], nil
}

// counts returns e's taken places (booked, offered, attended) and its
// waitlist length. s.mu must be held.
func (e *trainEntry) counts() (taken, waiting int) {
	for _, b := range e.bookings {
		switch b.Status {
		case store.BookingBooked, store.BookingOffered, store.BookingAttended:
			taken++
		case store.BookingWaitlisted:
			waiting++
		}
	}
	return taken, waiting
}

// waitlist returns e's waitlisted bookings in (CreatedAt, ID) order.
// s.mu must be held.
func (e *trainEntry) waitlist() []*store.Booking {
	var list []*store.Booking
	for _, b := range e.bookings {
		if b.Status == store.BookingWaitlisted {
			list = append(list, b)
		}
	}
	slices.SortStableFunc(list, func(a, b *store.Booking) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return list
}

// view returns a copy of b with its waitlist position. s.mu must be held.
func (st *trainState) view(b *store.Booking) store.Booking {
	v := *b
	v.Position = 0
	if b.Status == store.BookingWaitlisted {
		v.Position = slices.Index(st.trainings[b.TrainingID-1].waitlist(), b) + 1
	}
	return v
}

// seats returns e with its counts.
func (e *trainEntry) seats() store.TrainingSeats {
	taken, waiting := e.counts()
	return store.TrainingSeats{Training: e.t, Booked: taken, Waitlisted: waiting}
}

// CreateTraining implements store.TrainingStore as store/postgres does:
// the training starts open, a zero EndAt or Deadline becomes StartAt, the
// creation is audited, an ImportKey already taken is ErrConflict.
func (s *Store) CreateTraining(ctx context.Context, actor int64, t store.Training) (store.Training, error) {
	if err := ctx.Err(); err != nil {
		return store.Training{}, err
	}
	t, err := store.CheckTraining(t)
	if err != nil {
		return store.Training{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.trains
	if t.ImportKey != "" && st.byImport[t.ImportKey] != nil {
		return store.Training{}, fmt.Errorf("create training %q: import key taken: %w", t.Title, store.ErrConflict)
	}
	e := st.add(t, actor, s.now().UTC().Round(0))
	s.reg().appendAudit(store.AuditEntry{Actor: actor, Action: "create", Object: trainingObject(e.t.ID),
		Detail: store.TrainingCreatedDetail(e.t)}, e.t.CreatedAt)
	return e.t, nil
}

// add stores a new open training. s.mu must be held.
func (st *trainState) add(t store.Training, actor int64, now time.Time) *trainEntry {
	t.ID, t.Status, t.CreatedBy, t.CreatedAt, t.UpdatedAt = int64(len(st.trainings)+1), store.TrainingOpen, actor, now, now
	e := &trainEntry{t: t}
	st.trainings = append(st.trainings, e)
	if t.ImportKey != "" {
		st.byImport[t.ImportKey] = e
	}
	return e
}

// setDetails copies the details of t that updates write into e. s.mu
// must be held.
func (e *trainEntry) setDetails(t store.Training, now time.Time) {
	old := e.t
	e.t = t
	e.t.ID, e.t.Status, e.t.CreatedBy, e.t.ImportKey = old.ID, old.Status, old.CreatedBy, old.ImportKey
	e.t.CreatedAt, e.t.UpdatedAt = old.CreatedAt, now
}

// UpdateTraining implements store.TrainingStore as store/postgres does;
// seats a raised capacity frees are offered until raiseHold from the
// store's clock, and a change of date, time or place is told to every
// owner with a place under store.MoveNoticeKey.
func (s *Store) UpdateTraining(ctx context.Context, actor int64, t store.Training, notices store.TrainingNotices) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	t, err := store.CheckTraining(t)
	if err != nil {
		return 0, err
	}
	out := s.out()
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.trains
	e, err := st.training(t.ID)
	if err != nil {
		return 0, fmt.Errorf("update training: %w", err)
	}
	if e.t.Status == store.TrainingCancelled {
		return 0, fmt.Errorf("update training %d: %w", t.ID, store.ErrClosed)
	}
	fields := store.TrainingChanges(e.t, t)
	if len(fields) == 0 {
		return 0, nil
	}
	if taken, _ := e.counts(); t.Capacity < taken {
		return 0, fmt.Errorf("update training %d: capacity %d below the %d places taken: %w", t.ID, t.Capacity, taken, store.ErrConflict)
	}
	now := s.now().UTC().Round(0)
	// Notices are built before anything changes, so that a failing notify
	// leaves the store as it was.
	next := *e
	next.setDetails(t, now)
	var moved []store.OutboxItem
	if store.TrainingMoved(e.t, next.t) {
		next.moves++
		for _, b := range e.bookings {
			if !active(b) {
				continue
			}
			it, ok, err := store.MoveNotice(notices.Moved, store.MoveNoticeKey(t.ID, next.moves, b.ID), st.view(b),
				e.t, next.t)
			if err != nil {
				return 0, fmt.Errorf("update training %d: %w", t.ID, err)
			}
			if ok {
				moved = append(moved, it)
			}
		}
	}
	offers, err := st.offers(&next, now, raiseHold, notices.Offer)
	if err != nil {
		return 0, fmt.Errorf("update training %d: %w", t.ID, err)
	}
	e.setDetails(t, now)
	if next.moves != e.moves {
		moveReminders(out, e.bookings, next.moves)
	}
	e.moves = next.moves
	told := enqueue(out, moved, now)
	offers.apply(out, now)
	s.reg().appendAudit(store.AuditEntry{Actor: actor, Action: "edit", Object: trainingObject(t.ID),
		Detail: "fields: " + strings.Join(fields, ", ")}, now)
	return told, nil
}

// CancelTraining implements store.TrainingStore as store/postgres does.
func (s *Store) CancelTraining(ctx context.Context, actor, id int64, notify store.Notify) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	out := s.out()
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.trains
	e, err := st.training(id)
	if err != nil {
		return 0, fmt.Errorf("cancel training: %w", err)
	}
	if e.t.Status == store.TrainingCancelled {
		return 0, nil
	}
	now := s.now().UTC().Round(0)
	t := e.t
	t.Status, t.UpdatedAt = store.TrainingCancelled, now
	var held []*store.Booking
	var items []store.OutboxItem
	for _, b := range e.bookings {
		if !active(b) {
			continue
		}
		v := *b
		v.Status, v.OfferDeadline, v.UpdatedAt, v.Position = store.BookingCancelled, time.Time{}, now, 0
		it, ok, err := store.BookingNotice(notify, fmt.Sprintf("tcancel:%d:%d", id, b.ID), "training", v, t)
		if err != nil {
			return 0, fmt.Errorf("cancel training %d: %w", id, err)
		}
		if ok {
			items = append(items, it)
		}
		held = append(held, b)
	}
	e.t = t
	for _, b := range held {
		cancelPlace(out, b, now)
	}
	told := enqueue(out, items, now)
	s.reg().appendAudit(store.AuditEntry{Actor: actor, Action: "cancel", Object: trainingObject(id),
		Detail: fmt.Sprintf("bookings cancelled=%d told=%d", len(held), told)}, now)
	return told, nil
}

// Training implements store.TrainingStore.
func (s *Store) Training(ctx context.Context, id int64) (store.TrainingSeats, error) {
	if err := ctx.Err(); err != nil {
		return store.TrainingSeats{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.trains.training(id)
	if err != nil {
		return store.TrainingSeats{}, err
	}
	return e.seats(), nil
}

// Upcoming implements store.TrainingStore as store/postgres does.
func (s *Store) Upcoming(ctx context.Context, now time.Time, topic string, offset, limit int) ([]store.TrainingSeats, int, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var match []*trainEntry
	for _, e := range s.trains.trainings {
		if e.t.Status == store.TrainingOpen && e.t.StartAt.After(now) && (topic == "" || e.t.Topic == topic) {
			match = append(match, e)
		}
	}
	slices.SortStableFunc(match, func(a, b *trainEntry) int {
		return cmp.Or(a.t.StartAt.Compare(b.t.StartAt), cmp.Compare(a.t.ID, b.t.ID))
	})
	total := len(match)
	offset = max(offset, 0)
	if limit <= 0 || offset >= total {
		return nil, total, nil
	}
	var list []store.TrainingSeats
	for _, e := range match[offset:min(offset+limit, total)] {
		list = append(list, e.seats())
	}
	return list, total, nil
}

// active says whether b holds a place (booked, offered, waitlisted).
func active(b *store.Booking) bool {
	switch b.Status {
	case store.BookingBooked, store.BookingOffered, store.BookingWaitlisted:
		return true
	}
	return false
}

// offers picks the waitlisted bookings of e that its free seats go to and
// builds their notices, changing nothing: nothing once e has started or is
// cancelled. The offers run until min(now+hold, start). s.mu must be held.
func (st *trainState) offers(e *trainEntry, now time.Time, hold time.Duration, notify store.Notify) (offered, error) {
	if e.t.Status != store.TrainingOpen || !now.Before(e.t.StartAt) {
		return offered{}, nil
	}
	taken, _ := e.counts()
	wait := e.waitlist()
	next := wait[:min(max(e.t.Capacity-taken, 0), len(wait))]
	until := store.OfferUntil(now, hold, e.t.StartAt).Truncate(time.Microsecond)
	var items []store.OutboxItem
	for _, b := range next {
		v := *b
		v.Status, v.OfferDeadline, v.UpdatedAt, v.Position = store.BookingOffered, until, now, 0
		it, ok, err := store.BookingNotice(notify, fmt.Sprintf("offer:%d", b.ID), "waitlist", v, e.t)
		if err != nil {
			return offered{}, err
		}
		if ok {
			items = append(items, it)
		}
	}
	return offered{next, until, items}, nil
}

// offered is what offers picked: the bookings, their deadline and their
// notices.
type offered struct {
	list  []*store.Booking
	until time.Time
	items []store.OutboxItem
}

// apply turns the picked bookings into offers and queues their notices at
// now. s.mu must be held.
func (o offered) apply(out *outState, now time.Time) {
	for _, b := range o.list {
		b.Status, b.OfferDeadline, b.UpdatedAt = store.BookingOffered, o.until, now
	}
	enqueue(out, o.items, now)
}

// moveReminders sets aside the reminders of the active bookings of a
// training that moved, as store/postgres does. s.mu must be held.
func moveReminders(out *outState, bookings []*store.Booking, move int) {
	for _, b := range bookings {
		if !active(b) {
			continue
		}
		for _, key := range store.ReminderKeys(b.ID) {
			it := out.byKey[key]
			if it == nil || it.Status == store.OutboxSending {
				continue
			}
			delete(out.byKey, key)
			it.Key = store.MovedReminderKey(key, move)
			if it.Status == store.OutboxPending {
				it.Status = store.OutboxCancelled
			}
			out.byKey[it.Key] = it
		}
	}
}

// cancelPlace cancels b and its pending notices. s.mu must be held.
func cancelPlace(out *outState, b *store.Booking, now time.Time) {
	b.Status, b.OfferDeadline, b.UpdatedAt = store.BookingCancelled, time.Time{}, now
	for _, key := range store.BookingNoticeKeys(b.ID) {
		if it := out.byKey[key]; it != nil && it.Status == store.OutboxPending {
			it.Status = store.OutboxCancelled
		}
	}
}

// enqueue adds items whose key is new to the outbox and returns how many
// it added. s.mu must be held.
func enqueue(out *outState, items []store.OutboxItem, now time.Time) int {
	n := 0
	for _, it := range items {
		if out.byKey[it.Key] == nil {
			out.add(it, now)
			n++
		}
	}
	return n
}
