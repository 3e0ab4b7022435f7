package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Participants implements store.TrainingStore as store/postgres does:
// every booking in booking order with the contact of the owner's latest
// registration that is not anonymised.
func (s *Store) Participants(ctx context.Context, trainingID int64) ([]store.Participant, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.trains
	e, err := st.training(trainingID)
	if err != nil {
		return nil, fmt.Errorf("participants: %w", err)
	}
	regs := s.reg().regs
	list := make([]store.Participant, 0, len(e.bookings))
	for _, b := range e.bookings {
		p := store.Participant{Booking: st.view(b)}
		for i := len(regs) - 1; i >= 0; i-- {
			if r := regs[i]; !r.anonymised && r.r.UserID == b.UserID {
				p.OwnerName, p.Phone, p.BusinessName, p.Kecamatan = r.r.OwnerName, r.r.Phone, r.r.BusinessName, r.r.Kecamatan
				break
			}
		}
		list = append(list, p)
	}
	slices.SortStableFunc(list, func(a, b store.Participant) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return list, nil
}

// MarkAttendance implements store.TrainingStore as store/postgres does.
func (s *Store) MarkAttendance(ctx context.Context, actor, bookingID int64, attended bool, now time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	mark := store.BookingAbsent
	if attended {
		mark = store.BookingAttended
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fail := func(err error) error { return fmt.Errorf("mark attendance of booking %d: %w", bookingID, err) }
	e, b, err := s.trains.booking(bookingID, 0)
	if err != nil {
		return fail(err)
	}
	switch {
	case e.t.Status == store.TrainingCancelled || now.Before(e.t.StartAt):
		return fail(store.ErrClosed)
	case b.Status != store.BookingBooked && b.Status != store.BookingAttended && b.Status != store.BookingAbsent:
		return fail(fmt.Errorf("booking is %s: %w", b.Status, store.ErrConflict))
	case b.Status == mark:
		return nil
	}
	at := s.now().UTC().Round(0)
	b.Status, b.UpdatedAt = mark, at
	s.reg().appendAudit(store.AuditEntry{Actor: actor, Action: "attendance", Object: trainingObject(e.t.ID),
		Detail: fmt.Sprintf("booking=%s %s", b.Code, mark)}, at)
	return nil
}

// ImportTrainings implements store.TrainingStore as store/postgres does:
// all rows or none; a capacity change of a training with a waitlist, or
// below its taken places, is ErrConflict; a new date, time or place is
// told to the owners with a place through moved.
func (s *Store) ImportTrainings(ctx context.Context, actor int64, ts []store.Training, moved store.MoveNotify) (store.TrainingImport, error) {
	var r store.TrainingImport
	if err := ctx.Err(); err != nil {
		return r, err
	}
	checked := make([]store.Training, len(ts))
	for i, t := range ts {
		if t.ImportKey == "" {
			return r, fmt.Errorf("import trainings: row %d (%q) has no import key", i+1, t.Title)
		}
		var err error
		if checked[i], err = store.CheckTraining(t); err != nil {
			return r, fmt.Errorf("import trainings: row %d: %w", i+1, err)
		}
	}
	out := s.out()
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.trains
	// Every row is checked, and its notices built, against the state it
	// will meet before any is written: a row may follow another with the
	// same key.
	type change struct {
		e      *trainEntry // nil for a new training
		t      store.Training
		fields []string
		moved  bool
	}
	var changes []change
	var notices []store.OutboxItem
	pending := map[string]store.Training{}
	moves := map[*trainEntry]int{}
	for _, t := range checked {
		old, seen := pending[t.ImportKey]
		e := st.byImport[t.ImportKey]
		if !seen && e == nil {
			changes = append(changes, change{t: t})
			pending[t.ImportKey] = t
			continue
		}
		if !seen {
			old = e.t
		}
		fields := store.TrainingChanges(old, t)
		if len(fields) == 0 {
			continue
		}
		if e != nil && old.Capacity != t.Capacity {
			if taken, waiting := e.counts(); waiting > 0 || t.Capacity < taken {
				return store.TrainingImport{}, fmt.Errorf("import trainings: %s: capacity %d of training %d with %d places taken and %d waiting: %w",
					t.ImportKey, t.Capacity, e.t.ID, taken, waiting, store.ErrConflict)
			}
		}
		c := change{e: e, t: t, fields: fields}
		if e != nil && store.TrainingMoved(old, t) {
			c.moved = true
			moves[e]++
			before, after := old, t
			before.ID, after.ID = e.t.ID, e.t.ID
			after.Status, after.CreatedBy, after.CreatedAt = e.t.Status, e.t.CreatedBy, e.t.CreatedAt
			for _, b := range e.bookings {
				if !active(b) {
					continue
				}
				it, ok, err := store.MoveNotice(moved, store.MoveNoticeKey(e.t.ID, e.moves+moves[e], b.ID), st.view(b),
					before, after)
				if err != nil {
					return store.TrainingImport{}, fmt.Errorf("import trainings: %s: %w", t.ImportKey, err)
				}
				if ok {
					notices = append(notices, it)
				}
			}
		}
		changes = append(changes, c)
		pending[t.ImportKey] = t
	}
	now := s.now().UTC().Round(0)
	for _, c := range changes {
		e := c.e
		if e == nil {
			e = st.byImport[c.t.ImportKey]
		}
		if e == nil {
			e = st.add(c.t, actor, now)
			r.Created++
			s.reg().appendAudit(store.AuditEntry{Actor: actor, Action: "import", Object: trainingObject(e.t.ID),
				Detail: "created " + store.TrainingCreatedDetail(e.t)}, now)
			continue
		}
		e.setDetails(c.t, now)
		if c.moved {
			e.moves++
			moveReminders(out, e.bookings, e.moves)
		}
		r.Updated++
		s.reg().appendAudit(store.AuditEntry{Actor: actor, Action: "import", Object: trainingObject(e.t.ID),
			Detail: "fields: " + strings.Join(c.fields, ", ")}, now)
	}
	r.Told = enqueue(out, notices, now)
	return r, nil
}

// QueueReminders implements store.TrainingStore as store/postgres does.
func (s *Store) QueueReminders(ctx context.Context, now time.Time, dayBefore, sameDay time.Duration,
	notify func(b store.Booking, t store.Training, kind string) (store.OutboxItem, error)) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := store.CheckTimesOfDay(dayBefore, sameDay); err != nil {
		return 0, fmt.Errorf("queue reminders: %w", err)
	}
	out := s.out()
	s.mu.Lock()
	defer s.mu.Unlock()
	var items []store.OutboxItem
	for _, e := range s.trains.trainings {
		if e.t.Status != store.TrainingOpen || !now.Before(e.t.StartAt) {
			continue
		}
		d1, d0 := store.ReminderDue(now, e.t.StartAt, dayBefore, sameDay)
		for _, b := range e.bookings {
			if b.Status != store.BookingBooked {
				continue
			}
			for _, r := range []struct {
				kind string
				due  bool
			}{{store.ReminderDayBefore, d1}, {store.ReminderSameDay, d0}} {
				key := fmt.Sprintf("remind:%d:%s", b.ID, r.kind)
				if !r.due || out.byKey[key] != nil {
					continue
				}
				it, err := notify(s.trains.view(b), e.t, r.kind)
				if err != nil {
					return 0, fmt.Errorf("queue reminders: notice %s: %w", key, err)
				}
				if it, err = store.NoticeWithKey(it, key, "reminder", b.UserID); err != nil {
					return 0, fmt.Errorf("queue reminders: %w", err)
				}
				items = append(items, it)
			}
		}
	}
	return enqueue(out, items, s.now().UTC().Round(0)), nil
}
