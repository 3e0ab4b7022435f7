package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// reminders records the calls of a reminder builder; it is safe for
// concurrent use.
type reminders struct {
	mu    sync.Mutex
	calls map[string]int // by "<booking>:<kind>"
}

func (r *reminders) notify(b store.Booking, tr store.Training, kind string) (store.OutboxItem, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls[fmt.Sprintf("%d:%s", b.ID, kind)]++
	// No Key, ChatID or Kind: the store sets them.
	return store.OutboxItem{Payload: trPayload(b, tr, "ingat "+kind)}, nil
}

func remindKey(b store.Booking, kind string) string { return fmt.Sprintf("remind:%d:%s", b.ID, kind) }

func testReminders(t *testing.T, newStores newTrainingStores) {
	ss := newStores(t)
	s, ob := ss.Trainings, ss.Outbox
	restart := func() store.TrainingStore {
		if ss.Restart == nil {
			return s
		}
		return ss.Restart(t)
	}
	const dayBefore, sameDay = 8 * time.Hour, 7 * time.Hour
	mk := func(title string, day, hour, minute, capacity int) store.Training {
		tr := trTraining(title, day, capacity)
		tr.StartAt = trAt(day, hour, minute)
		tr.EndAt = tr.StartAt.Add(2 * time.Hour)
		return mustTraining(t, s, tr)
	}
	// T1, day 10 at 09:00: d1 due on day 9 from 08:00 until midnight,
	// d0 on day 10 from 07:00 until 09:00.
	t1 := mk("T1", 10, 9, 0, 3)
	a := mustBook(t, s, t1.ID, 11, store.BookingBooked)
	b := mustBook(t, s, t1.ID, 12, store.BookingBooked)
	c := mustBook(t, s, t1.ID, 13, store.BookingBooked)
	w := mustBook(t, s, t1.ID, 14, store.BookingWaitlisted)
	if _, err := s.CancelBooking(bg(t), c.UserID, c.ID, trBookNow, trHold, nil); err != nil { // w is offered
		t.Fatal(err)
	}
	t2 := mk("T2 cancelled", 10, 9, 0, 3)
	x := mustBook(t, s, t2.ID, 21, store.BookingBooked)
	if _, err := s.CancelTraining(bg(t), trStaff, t2.ID, nil); err != nil {
		t.Fatal(err)
	}
	l := mustBook(t, s, mk("T3 bot down", 12, 10, 0, 3).ID, 31, store.BookingBooked)
	m := mustBook(t, s, mk("T4 early", 14, 6, 30, 3).ID, 41, store.BookingBooked)
	n := mustBook(t, s, mk("T5 back at dawn", 16, 10, 0, 3).ID, 51, store.BookingBooked)
	o := mustBook(t, s, mk("T6 back too late", 18, 9, 0, 3).ID, 61, store.BookingBooked)
	t7 := mk("T7 cancelled later", 20, 9, 0, 3)
	p := mustBook(t, s, t7.ID, 71, store.BookingBooked)

	rec := &reminders{calls: map[string]int{}}
	cur := s
	steps := []struct {
		name string
		do   func()
		now  time.Time
		want int
	}{
		{"before d1 of T1", nil, trAt(9, 7, 59), 0},
		{"d1 of T1", nil, trAt(9, 8, 0), 2},
		{"again", nil, trAt(9, 12, 0), 0},
		{"after a restart", func() { cur = restart() }, trAt(9, 13, 0), 0},
		{"b cancelled", func() {
			if _, err := cur.CancelBooking(bg(t), b.UserID, b.ID, trAt(9, 14, 0), trHold, nil); err != nil {
				t.Fatal(err)
			}
		}, trAt(9, 23, 59), 0},
		{"before d0 of T1", nil, trAt(10, 6, 59), 0},
		{"d0 of T1", nil, trAt(10, 7, 0), 1},
		{"again on the day", nil, trAt(10, 7, 30), 0},
		{"after another restart", func() { cur = restart() }, trAt(10, 8, 0), 0},
		{"T1 started", nil, trAt(10, 9, 0), 0},
		{"T3: back on the day after 07:00, d0 only", nil, trAt(12, 7, 30), 1},
		{"T4: d1", nil, trAt(13, 8, 0), 1},
		{"T4 starts before 07:00: no d0", nil, trAt(14, 6, 0), 0},
		{"T4 started", nil, trAt(14, 7, 0), 0},
		{"T5: back on the day before 07:00, no d1", nil, trAt(16, 5, 0), 0},
		{"T5: d0", nil, trAt(16, 7, 0), 1},
		{"T6: back after the start", nil, trAt(18, 9, 30), 0},
		{"T7: d1", nil, trAt(19, 8, 0), 1},
		{"T7 cancelled", func() {
			if _, err := cur.CancelTraining(bg(t), trStaff, t7.ID, nil); err != nil {
				t.Fatal(err)
			}
		}, trAt(20, 7, 0), 0},
	}
	for _, st := range steps {
		if st.do != nil {
			st.do()
		}
		got, err := cur.QueueReminders(bg(t), st.now, dayBefore, sameDay, rec.notify)
		if err != nil || got != st.want {
			t.Errorf("QueueReminders(%s, at %s) = %d, %v; want %d", st.name, st.now.Format("Jan 2 15:04"), got, err, st.want)
		}
	}

	d1, d0 := store.ReminderDayBefore, store.ReminderSameDay
	queued := []struct {
		booking store.Booking
		kind    string
		status  string // "" for none
	}{
		{a, d1, store.OutboxPending},
		{a, d0, store.OutboxPending},
		{b, d1, store.OutboxCancelled}, // queued, then the booking was cancelled
		{b, d0, ""},
		{c, d1, ""},
		{w, d1, ""}, // offered, not booked
		{w, d0, ""},
		{x, d1, ""},
		{x, d0, ""},
		{l, d1, ""},
		{l, d0, store.OutboxPending},
		{m, d1, store.OutboxPending},
		{m, d0, ""},
		{n, d1, ""},
		{n, d0, store.OutboxPending},
		{o, d1, ""},
		{o, d0, ""},
		{p, d1, store.OutboxCancelled},
		{p, d0, ""},
	}
	for _, q := range queued {
		key := remindKey(q.booking, q.kind)
		if q.status == "" {
			wantNoNotice(t, ob, key)
			continue
		}
		wantNotice(t, ob, key, q.booking.UserID, "reminder", q.status)
		if calls := rec.calls[fmt.Sprintf("%d:%s", q.booking.ID, q.kind)]; calls == 0 {
			t.Errorf("%s queued without a call of notify with kind %s", key, q.kind)
		}
	}
	_, err := s.QueueReminders(bg(t), trAt(9, 8, 0), 24*time.Hour, sameDay, rec.notify)
	if err == nil {
		t.Error("QueueReminders(day before at 24:00): no error")
	}
}

// testRemindersAfterMove: a training moved after its reminder was queued
// gets the reminder of its new time when that is due; the one queued for
// the old time is set aside (store.MovedReminderKey) and, not sent yet,
// cancelled.
func testRemindersAfterMove(t *testing.T, newStores newTrainingStores) {
	ss := newStores(t)
	s, ob := ss.Trainings, ss.Outbox
	const dayBefore, sameDay = 8 * time.Hour, 7 * time.Hour
	tr := trTraining("Pindah jadwal", 10, 3)
	tr.StartAt = trAt(10, 9, 0)
	tr.EndAt = tr.StartAt.Add(2 * time.Hour)
	tr = mustTraining(t, s, tr)
	a := mustBook(t, s, tr.ID, 81, store.BookingBooked)
	rec := &reminders{calls: map[string]int{}}
	queue := func(now time.Time) int {
		t.Helper()
		n, err := s.QueueReminders(bg(t), now, dayBefore, sameDay, rec.notify)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := queue(trAt(9, 8, 0)); n != 1 {
		t.Fatalf("d1 of the old date: %d queued, want 1", n)
	}
	moved := tr
	moved.StartAt, moved.EndAt = trAt(12, 9, 0), trAt(12, 11, 0)
	m := &moves{}
	if told, err := s.UpdateTraining(bg(t), trStaff, moved, store.TrainingNotices{Moved: m.notify}); err != nil || told != 1 {
		t.Fatalf("move: told %d, %v; want 1", told, err)
	}
	key := remindKey(a, store.ReminderDayBefore)
	wantNoNotice(t, ob, key)
	wantNotice(t, ob, store.MovedReminderKey(key, 1), a.UserID, "reminder", store.OutboxCancelled)
	if n := queue(trAt(9, 9, 0)); n != 0 {
		t.Errorf("%d reminders queued the day before the old date, after the move", n)
	}
	if n := queue(trAt(11, 8, 0)); n != 1 {
		t.Fatalf("d1 of the new date: %d queued, want 1", n)
	}
	wantNotice(t, ob, key, a.UserID, "reminder", store.OutboxPending)
	if got := rec.calls[fmt.Sprintf("%d:%s", a.ID, store.ReminderDayBefore)]; got != 2 {
		t.Errorf("the d1 reminder was built %d times, want twice (old date, new date)", got)
	}
}
