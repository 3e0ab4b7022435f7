package storetest

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// TrainingStores are what the training suite runs against: the trainings,
// the outbox their notices go to and the registrations (owners' contacts,
// the audit log) of one fresh, empty database.
type TrainingStores struct {
	Trainings     store.TrainingStore
	Outbox        store.OutboxStore
	Registrations store.RegistrationStore
	// Restart returns another store over the same data, as a process
	// started again would open it; nil when the data lives in the process
	// (Trainings is used again then).
	Restart func(t *testing.T) store.TrainingStore
}

type newTrainingStores = func(t *testing.T) TrainingStores

// RunTrainingStore runs the store.TrainingStore contract against the
// stores newStores returns (fresh ones per subtest).
//
// Beyond the interface's comments it pins down: booking codes are
// PLT-<training>-<4 digits>, counting from 0001 in each training; the
// waitlist is in booking order; a seat is booked only while nobody waits;
// notices are outbox rows with the store's keys ("offer:<booking>",
// "tcancel:<training>:<booking>", "remind:<booking>:<kind>"), a ChatID of
// 0 becoming the owner and an empty Kind the store's; offers run until
// min(now+hold, start) and expire when now is after that; a d1 reminder is
// due from dayBefore on the day before until that day ends (WIB), a d0
// from sameDay on the day, both before the start only; a cancelled
// booking's pending reminders and offer are cancelled; every staff change
// is audited on "training:<id>" without personal data.
func RunTrainingStore(t *testing.T, newStores func(t *testing.T) TrainingStores) {
	tests := []struct {
		name string
		run  func(t *testing.T, newStores newTrainingStores)
	}{
		{"CreateAndRead", testTrainingCreateAndRead},
		{"Upcoming", testUpcoming},
		{"ConcurrentBookings", testConcurrentBookings},
		{"SameOwnerTwice", testSameOwnerTwice},
		{"Closed", testBookingClosed},
		{"CancelPromotes", testCancelPromotes},
		{"Offers", testOffers},
		{"CancelTraining", testCancelTraining},
		{"UpdateTraining", testUpdateTraining},
		{"TrainingMoved", testTrainingMoved},
		{"ImportMoved", testImportMoved},
		{"Participants", testParticipants},
		{"Attendance", testAttendance},
		{"Import", testImportTrainings},
		{"Reminders", testReminders},
		{"RemindersAfterMove", testRemindersAfterMove},
		{"DeleteReleasesPlaces", testDeleteReleasesPlaces},
		{"DeletionPreview", testDeletionPreview},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newStores)
		})
	}
}

// trBase is midnight WIB thirty days from now: trainings of the suite lie
// after it, so that a store judging by its own clock (UpdateTraining
// offers, audit times) sees them in the future.
var trBase = func() time.Time {
	n := time.Now().In(wib)
	return time.Date(n.Year(), n.Month(), n.Day()+30, 0, 0, 0, 0, wib)
}()

// trAt is hour:minute WIB on day days after trBase.
func trAt(day, hour, minute int) time.Time {
	return trBase.AddDate(0, 0, day).Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
}

// trStaff is the staff member of the suite.
const trStaff = 9001

// trHold is how long offers of the suite are held.
const trHold = 2 * time.Hour

// trBookNow is when the suite's owners book: long before every training.
var trBookNow = trAt(0, 10, 0)

// trTraining returns a training on day at 09:00 WIB for three hours, with
// capacity seats and bookings until the evening before.
func trTraining(title string, day, capacity int) store.Training {
	start := trAt(day, 9, 0)
	return store.Training{
		Topic: store.TopicFinance, Title: title, Description: "Pembukuan sederhana dengan SIAPIK",
		StartAt: start, EndAt: start.Add(3 * time.Hour), Place: "Aula Dinas, Tigaraksa",
		Capacity: capacity, Deadline: trAt(day-1, 20, 0),
	}
}

func mustTraining(t *testing.T, s store.TrainingStore, tr store.Training) store.Training {
	t.Helper()
	saved, err := s.CreateTraining(bg(t), trStaff, tr)
	if err != nil {
		t.Fatalf("CreateTraining(%q): %v", tr.Title, err)
	}
	return saved
}

func mustBook(t *testing.T, s store.TrainingStore, training, user int64, wantStatus string) store.Booking {
	t.Helper()
	b, err := s.Book(bg(t), training, user, trBookNow)
	if err != nil || b.Status != wantStatus {
		t.Fatalf("Book(training %d, user %d) = %s, %v; want %s", training, user, b.Status, err, wantStatus)
	}
	return b
}

func mustSeats(t *testing.T, s store.TrainingStore, id int64) store.TrainingSeats {
	t.Helper()
	ts, err := s.Training(bg(t), id)
	if err != nil {
		t.Fatalf("Training(%d): %v", id, err)
	}
	return ts
}

func wantSeats(t *testing.T, s store.TrainingStore, id int64, booked, waitlisted int) {
	t.Helper()
	if ts := mustSeats(t, s, id); ts.Booked != booked || ts.Waitlisted != waitlisted {
		t.Errorf("training %d: %d booked and %d waitlisted, want %d and %d", id, ts.Booked, ts.Waitlisted, booked, waitlisted)
	}
}

// notices records the calls of a Notify and builds items from them; it is
// safe for concurrent use.
type notices struct {
	mu    sync.Mutex
	calls map[int64]int // by booking
	fail  bool
}

func newNotices() *notices { return &notices{calls: map[int64]int{}} }

func (n *notices) notify(b store.Booking, tr store.Training) (store.OutboxItem, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.fail {
		return store.OutboxItem{}, errors.New("notify failed")
	}
	n.calls[b.ID]++
	return store.OutboxItem{Payload: trPayload(b, tr, b.Status)}, nil
}

// count returns how many calls were made in all.
func (n *notices) count() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	total := 0
	for _, c := range n.calls {
		total += c
	}
	return total
}

func trPayload(b store.Booking, tr store.Training, what string) []byte {
	return fmt.Appendf(nil, `{"t":{"raw":"%s %s %s"}}`, what, b.Code, strconv.Quote(tr.Title))
}

// outboxRow returns the outbox row of key, or false when there is none.
func outboxRow(t *testing.T, ob store.OutboxStore, key string) (store.OutboxItem, bool) {
	t.Helper()
	it, err := ob.OutboxItem(bg(t), key)
	if errors.Is(err, store.ErrNotFound) {
		return store.OutboxItem{}, false
	}
	if err != nil {
		t.Fatalf("OutboxItem(%s): %v", key, err)
	}
	return it, true
}

// wantNotice fails unless key is queued for chat with kind and status.
func wantNotice(t *testing.T, ob store.OutboxStore, key string, chat int64, kind, status string) {
	t.Helper()
	it, ok := outboxRow(t, ob, key)
	switch {
	case !ok:
		t.Errorf("outbox %s: missing", key)
	case it.ChatID != chat || it.Kind != kind || it.Status != status || len(it.Payload) == 0:
		t.Errorf("outbox %s: chat %d kind %q status %s payload %q; want chat %d kind %q status %s",
			key, it.ChatID, it.Kind, it.Status, it.Payload, chat, kind, status)
	}
}

// wantNoNotice fails if key is queued.
func wantNoNotice(t *testing.T, ob store.OutboxStore, key string) {
	t.Helper()
	if it, ok := outboxRow(t, ob, key); ok {
		t.Errorf("outbox %s: queued (%s), want none", key, it.Status)
	}
}

func offerKey(b int64) string { return "offer:" + strconv.FormatInt(b, 10) }

// auditCount counts the training's audit entries with action.
func auditCount(t *testing.T, regs store.RegistrationStore, training int64, action string) int {
	t.Helper()
	return len(entries(t, regs, "training:"+strconv.FormatInt(training, 10), action))
}

func sameTraining(t *testing.T, what string, got, want store.Training) {
	t.Helper()
	if got.Topic != want.Topic || got.Title != want.Title || got.Description != want.Description ||
		!got.StartAt.Equal(want.StartAt) || !got.EndAt.Equal(want.EndAt) || got.Place != want.Place ||
		got.Link != want.Link || got.Capacity != want.Capacity || !got.Deadline.Equal(want.Deadline) ||
		got.ImportKey != want.ImportKey {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func testTrainingCreateAndRead(t *testing.T, newStores newTrainingStores) {
	ss := newStores(t)
	s := ss.Trainings
	in := trTraining("Laporan keuangan UMKM", 10, 25)
	in.Topic, in.Link, in.Place = store.TopicLegal, "https://zoom.example/j/123", ""
	in.Status = store.TrainingCancelled // ignored: a new training is open
	saved := mustTraining(t, s, in)
	if saved.ID == 0 || saved.Status != store.TrainingOpen || saved.CreatedBy != trStaff || saved.CreatedAt.IsZero() {
		t.Errorf("CreateTraining = %+v; want an ID, open, by %d, with a creation time", saved, trStaff)
	}
	sameTraining(t, "CreateTraining", saved, in)
	got := mustSeats(t, s, saved.ID)
	sameTraining(t, "Training", got.Training, in)
	if got.ID != saved.ID || got.Status != store.TrainingOpen || got.Booked != 0 || got.Waitlisted != 0 || got.SeatsLeft() != 25 {
		t.Errorf("Training(%d) = %+v; want open with 25 seats left", saved.ID, got)
	}
	if n := auditCount(t, ss.Registrations, saved.ID, "create"); n != 1 {
		t.Errorf("%d create audit entries, want 1", n)
	}
	_, err := s.Training(bg(t), saved.ID+1000)
	wantErr(t, "Training(unknown)", err, store.ErrNotFound)

	defaults := trTraining("Tanpa batas waktu", 11, 5)
	defaults.EndAt, defaults.Deadline = time.Time{}, time.Time{}
	d := mustTraining(t, s, defaults)
	if !d.EndAt.Equal(d.StartAt) || !d.Deadline.Equal(d.StartAt) {
		t.Errorf("zero end and deadline became %v and %v, want the start %v", d.EndAt, d.Deadline, d.StartAt)
	}

	keyed := trTraining("Dari jadwal", 12, 5)
	keyed.ImportKey = "2026-s1-01"
	mustTraining(t, s, keyed)
	_, err = s.CreateTraining(bg(t), trStaff, keyed)
	wantErr(t, "CreateTraining(import key taken)", err, store.ErrConflict)

	bad := []struct {
		name string
		edit func(*store.Training)
	}{
		{"negative capacity", func(tr *store.Training) { tr.Capacity = -1 }},
		{"unknown topic", func(tr *store.Training) { tr.Topic = "memasak" }},
		{"no title", func(tr *store.Training) { tr.Title = "" }},
		{"no start", func(tr *store.Training) { tr.StartAt = time.Time{} }},
		{"ends before it starts", func(tr *store.Training) { tr.EndAt = tr.StartAt.Add(-time.Hour) }},
	}
	for _, tt := range bad {
		tr := trTraining("Salah", 10, 5)
		tt.edit(&tr)
		if _, err := s.CreateTraining(bg(t), trStaff, tr); err == nil {
			t.Errorf("CreateTraining(%s): no error", tt.name)
		}
	}
	if _, total, err := s.Upcoming(bg(t), trBookNow, "", 0, 10); err != nil || total != 3 {
		t.Errorf("Upcoming after refused creations: total %d, %v; want 3", total, err)
	}
}

func testUpcoming(t *testing.T, newStores newTrainingStores) {
	s := newStores(t).Trainings
	mk := func(title, topic string, day, hour int) store.Training {
		tr := trTraining(title, day, 2)
		tr.Topic, tr.StartAt, tr.EndAt = topic, trAt(day, hour, 0), trAt(day, hour+2, 0)
		return mustTraining(t, s, tr)
	}
	a := mk("A", store.TopicFinance, 5, 9)
	b := mk("B", store.TopicMarketing, 3, 9)
	c := mk("C", store.TopicFinance, 3, 9) // same start as B: ID order
	d := mk("D", store.TopicFinance, 8, 9)
	mk("E", store.TopicLegal, 1, 9) // started at now
	f := mk("F", store.TopicExport, 20, 13)
	if _, err := s.CancelTraining(bg(t), trStaff, d.ID, nil); err != nil {
		t.Fatalf("CancelTraining: %v", err)
	}
	mustBook(t, s, a.ID, 1, store.BookingBooked)
	mustBook(t, s, a.ID, 2, store.BookingBooked)
	mustBook(t, s, a.ID, 3, store.BookingWaitlisted)
	now := trAt(1, 10, 0)

	tests := []struct {
		name          string
		now           time.Time
		topic         string
		offset, limit int
		want          []int64
		total         int
	}{
		{"all", now, "", 0, 10, []int64{b.ID, c.ID, a.ID, f.ID}, 4},
		{"topic", now, store.TopicFinance, 0, 10, []int64{c.ID, a.ID}, 2},
		{"page", now, "", 1, 2, []int64{c.ID, a.ID}, 4},
		{"last page", now, "", 3, 2, []int64{f.ID}, 4},
		{"past the end", now, "", 4, 2, nil, 4},
		{"no limit", now, "", 0, 0, nil, 4},
		{"topic without trainings", now, "koperasi", 0, 10, nil, 0},
		{"starting now is started", b.StartAt, "", 0, 10, []int64{a.ID, f.ID}, 2},
	}
	for _, tt := range tests {
		list, total, err := s.Upcoming(bg(t), tt.now, tt.topic, tt.offset, tt.limit)
		if err != nil {
			t.Fatalf("Upcoming(%s): %v", tt.name, err)
		}
		var ids []int64
		for _, ts := range list {
			ids = append(ids, ts.ID)
		}
		if fmt.Sprint(ids) != fmt.Sprint(tt.want) || total != tt.total {
			t.Errorf("Upcoming(%s) = %v, total %d; want %v, total %d", tt.name, ids, total, tt.want, tt.total)
		}
		for _, ts := range list {
			if ts.ID == a.ID && (ts.Booked != 2 || ts.Waitlisted != 1 || ts.SeatsLeft() != 0) {
				t.Errorf("Upcoming(%s): A has %d booked, %d waitlisted, %d left; want 2, 1, 0",
					tt.name, ts.Booked, ts.Waitlisted, ts.SeatsLeft())
			}
		}
	}
}
