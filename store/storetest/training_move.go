package storetest

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// moves records the calls of a store.MoveNotify.
type moves struct {
	mu    sync.Mutex
	fail  bool
	calls []moveCall
}

type moveCall struct {
	user            int64
	status          string
	oldStart, start time.Time
	oldPlace, place string
}

func (m *moves) notify(b store.Booking, old, t store.Training) (store.OutboxItem, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		return store.OutboxItem{}, errors.New("render failed")
	}
	m.calls = append(m.calls, moveCall{b.UserID, b.Status, old.StartAt, t.StartAt, old.Place, t.Place})
	return store.OutboxItem{Payload: []byte(`{"moved":true}`)}, nil
}

func (m *moves) take() []moveCall {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.calls
	m.calls = nil
	return c
}

// testTrainingMoved: a change of date, time or place tells every owner
// with a booked, offered or waitlisted place once (key tmove:<training>:
// <move>:<booking>, kind training), with the training before and after;
// other changes, an unchanged update, and cancelled places tell nobody; a
// failing notify changes nothing.
func testTrainingMoved(t *testing.T, newStores newTrainingStores) {
	ss := newStores(t)
	s, ob := ss.Trainings, ss.Outbox
	tr := mustTraining(t, s, trTraining("Foto produk", 10, 2))
	a := mustBook(t, s, tr.ID, 1, store.BookingBooked)
	b := mustBook(t, s, tr.ID, 2, store.BookingBooked)
	c := mustBook(t, s, tr.ID, 3, store.BookingWaitlisted)
	d := mustBook(t, s, tr.ID, 4, store.BookingWaitlisted)
	if _, err := s.CancelBooking(bg(t), 4, d.ID, trBookNow, time.Hour, nil); err != nil {
		t.Fatal(err)
	}
	m := &moves{}
	update := func(tr store.Training) (int, error) {
		return s.UpdateTraining(bg(t), trStaff, tr, store.TrainingNotices{Moved: m.notify})
	}

	// A new title is no move.
	edit := tr
	edit.Title = "Foto produk dengan ponsel"
	if told, err := update(edit); err != nil || told != 0 || len(m.take()) != 0 {
		t.Fatalf("a new title: told %d, %v; want nobody", told, err)
	}

	// A new start time tells the three owners with a place.
	moved := edit
	moved.StartAt, moved.EndAt = tr.StartAt.Add(2*time.Hour), tr.EndAt.Add(2*time.Hour)
	told, err := update(moved)
	if err != nil || told != 3 {
		t.Fatalf("a new start: told %d, %v; want 3", told, err)
	}
	calls := m.take()
	slices.SortFunc(calls, func(x, y moveCall) int { return int(x.user - y.user) })
	want := []moveCall{
		{1, store.BookingBooked, tr.StartAt, moved.StartAt, tr.Place, tr.Place},
		{2, store.BookingBooked, tr.StartAt, moved.StartAt, tr.Place, tr.Place},
		{3, store.BookingWaitlisted, tr.StartAt, moved.StartAt, tr.Place, tr.Place},
	}
	if len(calls) != len(want) {
		t.Fatalf("notify calls %+v, want %+v", calls, want)
	}
	for i := range want {
		g, w := calls[i], want[i]
		if g.user != w.user || g.status != w.status || !g.oldStart.Equal(w.oldStart) || !g.start.Equal(w.start) ||
			g.oldPlace != w.oldPlace || g.place != w.place {
			t.Errorf("notify call %+v, want %+v", g, w)
		}
	}
	for _, bk := range []store.Booking{a, b, c} {
		wantNotice(t, ob, store.MoveNoticeKey(tr.ID, 1, bk.ID), bk.UserID, "training", store.OutboxPending)
	}
	wantNoNotice(t, ob, store.MoveNoticeKey(tr.ID, 1, d.ID))

	// The same details again tell nobody; a new place is the second move.
	if told, err := update(moved); err != nil || told != 0 {
		t.Errorf("an unchanged update: told %d, %v; want nobody", told, err)
	}
	placed := moved
	placed.Place = "Gedung Serbaguna, Cikupa"
	if told, err := update(placed); err != nil || told != 3 {
		t.Fatalf("a new place: told %d, %v; want 3", told, err)
	}
	if calls := m.take(); len(calls) != 3 || calls[0].oldPlace != tr.Place || calls[0].place != placed.Place {
		t.Errorf("notify calls after a new place %+v", calls)
	}
	for _, bk := range []store.Booking{a, b, c} {
		wantNotice(t, ob, store.MoveNoticeKey(tr.ID, 2, bk.ID), bk.UserID, "training", store.OutboxPending)
	}

	// A failing notify leaves the training as it was.
	m.fail = true
	again := placed
	again.StartAt, again.EndAt = placed.StartAt.Add(24*time.Hour), placed.EndAt.Add(24*time.Hour)
	if _, err := update(again); err == nil {
		t.Error("an update with a failing notify succeeded")
	}
	m.fail = false
	sameTraining(t, "after a failed update", mustSeats(t, s, tr.ID).Training, placed)
	for _, bk := range []store.Booking{a, b, c} {
		wantNoNotice(t, ob, store.MoveNoticeKey(tr.ID, 3, bk.ID))
	}
	// The next move is still the third.
	if told, err := update(again); err != nil || told != 3 {
		t.Fatalf("the third move: told %d, %v; want 3", told, err)
	}
	wantNotice(t, ob, store.MoveNoticeKey(tr.ID, 3, a.ID), a.UserID, "training", store.OutboxPending)
}

// testImportMoved: an import that changes a training's date, time or place
// tells every owner with a place once, like an edit; the same rows again
// tell nobody.
func testImportMoved(t *testing.T, newStores newTrainingStores) {
	ss := newStores(t)
	s, ob := ss.Trainings, ss.Outbox
	rows := importRows()
	if _, err := s.ImportTrainings(bg(t), trStaff, rows, nil); err != nil {
		t.Fatal(err)
	}
	list, _, err := s.Upcoming(bg(t), trBookNow, "", 0, 10)
	if err != nil || len(list) != 3 {
		t.Fatalf("Upcoming = %d, %v", len(list), err)
	}
	tr := list[0].Training
	a := mustBook(t, s, tr.ID, 1, store.BookingBooked)
	b := mustBook(t, s, tr.ID, 2, store.BookingBooked)
	m := &moves{}
	rows[0].Place = "Gedung Serbaguna, Cikupa"
	r, err := s.ImportTrainings(bg(t), trStaff, rows, m.notify)
	if err != nil || r.Updated != 1 || r.Told != 2 {
		t.Fatalf("ImportTrainings(a new place) = %+v, %v; want 1 updated, 2 told", r, err)
	}
	if calls := m.take(); len(calls) != 2 || calls[0].oldPlace != tr.Place || calls[0].place != rows[0].Place {
		t.Errorf("notify calls %+v", calls)
	}
	for _, bk := range []store.Booking{a, b} {
		wantNotice(t, ob, store.MoveNoticeKey(tr.ID, 1, bk.ID), bk.UserID, "training", store.OutboxPending)
	}
	if r, err := s.ImportTrainings(bg(t), trStaff, rows, m.notify); err != nil || r.Updated != 0 || r.Told != 0 {
		t.Errorf("ImportTrainings(again) = %+v, %v; want nothing", r, err)
	}
	// A title alone is no move.
	rows[0].Title = "Judul baru"
	if r, err := s.ImportTrainings(bg(t), trStaff, rows, m.notify); err != nil || r.Updated != 1 || r.Told != 0 {
		t.Errorf("ImportTrainings(a new title) = %+v, %v; want 1 updated, nobody told", r, err)
	}
}
