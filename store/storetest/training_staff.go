package storetest

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

func testCancelTraining(t *testing.T, newStores newTrainingStores) {
	ss := newStores(t)
	s, ob := ss.Trainings, ss.Outbox
	tr := mustTraining(t, s, trTraining("Branding produk", 10, 2))
	other := mustTraining(t, s, trTraining("Tetap jalan", 10, 2))
	a := mustBook(t, s, tr.ID, 1, store.BookingBooked)
	b := mustBook(t, s, tr.ID, 2, store.BookingBooked)
	c := mustBook(t, s, tr.ID, 3, store.BookingWaitlisted)
	d := mustBook(t, s, tr.ID, 4, store.BookingWaitlisted)
	keep := mustBook(t, s, other.ID, 1, store.BookingBooked)
	n := newNotices()
	if _, err := s.CancelBooking(bg(t), b.UserID, b.ID, trBookNow, trHold, n.notify); err != nil {
		t.Fatal(err)
	}
	// Now a is booked, c offered, d waitlisted, b cancelled.
	told, err := s.CancelTraining(bg(t), trStaff, tr.ID, n.notify)
	if err != nil || told != 3 {
		t.Fatalf("CancelTraining = %d, %v; want 3 told", told, err)
	}
	tkey := func(b store.Booking) string { return fmt.Sprintf("tcancel:%d:%d", tr.ID, b.ID) }
	for _, x := range []store.Booking{a, c, d} {
		wantNotice(t, ob, tkey(x), x.UserID, "training", store.OutboxPending)
	}
	wantNoNotice(t, ob, tkey(b))
	wantNotice(t, ob, offerKey(c.ID), c.UserID, "waitlist", store.OutboxCancelled)

	got := mustSeats(t, s, tr.ID)
	if got.Status != store.TrainingCancelled || got.Booked != 0 || got.Waitlisted != 0 {
		t.Errorf("Training = %s with %d booked and %d waitlisted; want cancelled and empty", got.Status, got.Booked, got.Waitlisted)
	}
	ps, err := s.Participants(bg(t), tr.ID)
	if err != nil || len(ps) != 4 {
		t.Fatalf("Participants = %d, %v; want 4", len(ps), err)
	}
	for _, p := range ps {
		if p.Status != store.BookingCancelled || p.Position != 0 || !p.OfferDeadline.IsZero() {
			t.Errorf("booking %d: %s at %d offered until %v; want cancelled", p.ID, p.Status, p.Position, p.OfferDeadline)
		}
	}
	_, err = s.Book(bg(t), tr.ID, 9, trBookNow)
	wantErr(t, "Book(cancelled training)", err, store.ErrClosed)
	if list, _, err := s.Upcoming(bg(t), trBookNow, "", 0, 10); err != nil || len(list) != 1 || list[0].ID != other.ID {
		t.Errorf("Upcoming = %v, %v; want only training %d", list, err, other.ID)
	}
	if mine, err := s.BookingsOf(bg(t), 1, trBookNow); err != nil || len(mine) != 1 || mine[0].ID != keep.ID {
		t.Errorf("BookingsOf(owner of both) = %+v, %v; want only booking %d", mine, err, keep.ID)
	}

	calls := n.count()
	if told, err := s.CancelTraining(bg(t), trStaff, tr.ID, n.notify); err != nil || told != 0 || n.count() != calls {
		t.Errorf("CancelTraining again = %d, %v (notify calls %d → %d); want 0 and no call", told, err, calls, n.count())
	}
	if k := auditCount(t, ss.Registrations, tr.ID, "cancel"); k != 1 {
		t.Errorf("%d cancel audit entries, want 1", k)
	}
	_, err = s.CancelTraining(bg(t), trStaff, tr.ID+1000, n.notify)
	wantErr(t, "CancelTraining(unknown)", err, store.ErrNotFound)
	err = trUpdate(t, s, got.Training, n.notify)
	wantErr(t, "UpdateTraining(cancelled)", err, store.ErrClosed)
}

func testUpdateTraining(t *testing.T, newStores newTrainingStores) {
	ss := newStores(t)
	s, ob := ss.Trainings, ss.Outbox
	tr := mustTraining(t, s, trTraining("Foto produk", 10, 2))
	mustBook(t, s, tr.ID, 1, store.BookingBooked)
	mustBook(t, s, tr.ID, 2, store.BookingBooked)
	c := mustBook(t, s, tr.ID, 3, store.BookingWaitlisted)
	d := mustBook(t, s, tr.ID, 4, store.BookingWaitlisted)
	e := mustBook(t, s, tr.ID, 5, store.BookingWaitlisted)
	n := newNotices()

	edit := tr
	edit.Title, edit.Place = "Foto produk dengan ponsel", "Gedung Serbaguna, Cikupa"
	edit.Status, edit.ImportKey, edit.CreatedBy = store.TrainingCancelled, "ignored", 1 // not details
	if err := trUpdate(t, s, edit, n.notify); err != nil {
		t.Fatalf("UpdateTraining: %v", err)
	}
	got := mustSeats(t, s, tr.ID)
	want := edit
	want.ImportKey = ""
	sameTraining(t, "after the update", got.Training, want)
	if got.Status != store.TrainingOpen || got.CreatedBy != trStaff {
		t.Errorf("after the update: status %s, creator %d; want open, %d", got.Status, got.CreatedBy, trStaff)
	}
	log := entries(t, ss.Registrations, fmt.Sprintf("training:%d", tr.ID), "edit")
	if len(log) != 1 || log[0].Actor != trStaff || !strings.Contains(log[0].Detail, "title") ||
		!strings.Contains(log[0].Detail, "place") || strings.Contains(log[0].Detail, "capacity") {
		t.Errorf("edit audit = %+v; want one entry by %d naming title and place", log, trStaff)
	}
	if err := trUpdate(t, s, got.Training, n.notify); err != nil {
		t.Fatalf("UpdateTraining(unchanged): %v", err)
	}
	if k := auditCount(t, ss.Registrations, tr.ID, "edit"); k != 1 {
		t.Errorf("%d edit audit entries after an update that changes nothing, want 1", k)
	}

	low := got.Training
	low.Capacity = 1
	wantErr(t, "UpdateTraining(capacity below the booked)", trUpdate(t, s, low, n.notify), store.ErrConflict)
	bad := got.Training
	bad.Capacity = -1
	if err := trUpdate(t, s, bad, n.notify); err == nil {
		t.Error("UpdateTraining(negative capacity): no error")
	}
	unknown := got.Training
	unknown.ID += 1000
	wantErr(t, "UpdateTraining(unknown)", trUpdate(t, s, unknown, n.notify), store.ErrNotFound)

	raise := got.Training
	raise.Capacity = 4
	if err := trUpdate(t, s, raise, n.notify); err != nil {
		t.Fatalf("UpdateTraining(capacity 4): %v", err)
	}
	wantSeats(t, s, tr.ID, 4, 1)
	for _, x := range []store.Booking{c, d} {
		wantNotice(t, ob, offerKey(x.ID), x.UserID, "waitlist", store.OutboxPending)
		mine, err := s.BookingsOf(bg(t), x.UserID, trBookNow)
		if err != nil || len(mine) != 1 || mine[0].Status != store.BookingOffered ||
			mine[0].OfferDeadline.IsZero() || mine[0].OfferDeadline.After(tr.StartAt) {
			t.Errorf("BookingsOf(%d) = %+v, %v; want an offer held until the start at the latest", x.UserID, mine, err)
		}
	}
	wantNoNotice(t, ob, offerKey(e.ID))
	if mine, err := s.BookingsOf(bg(t), e.UserID, trBookNow); err != nil || len(mine) != 1 || mine[0].Position != 1 {
		t.Errorf("BookingsOf(e) = %+v, %v; want position 1", mine, err)
	}
	if k := n.count(); k != 2 {
		t.Errorf("notify called %d times, want 2", k)
	}
}

func testParticipants(t *testing.T, newStores newTrainingStores) {
	ss := newStores(t)
	s, regs := ss.Trainings, ss.Registrations
	mustCreate(t, regs, "p1", reg(siti, "Warung Siti"))
	latest := reg(siti, "Katering Siti")
	latest.Kecamatan = "360305"
	mustCreate(t, regs, "p2", latest)
	mustCreate(t, regs, "p3", reg(budi, "Bengkel Budi"))
	if _, err := regs.DeleteUserData(bg(t), budi.user); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, regs, "p4", reg(dewi, "Batik Dewi"))

	tr := mustTraining(t, s, trTraining("Katalog online", 10, 2))
	bs := mustBook(t, s, tr.ID, siti.user, store.BookingBooked)
	bb := mustBook(t, s, tr.ID, budi.user, store.BookingBooked)
	bd := mustBook(t, s, tr.ID, dewi.user, store.BookingWaitlisted)
	stranger := mustBook(t, s, tr.ID, 4242, store.BookingWaitlisted)

	ps, err := s.Participants(bg(t), tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Participant{
		{Booking: bs, OwnerName: siti.name, Phone: siti.phone, BusinessName: "Katering Siti", Kecamatan: "360305"},
		{Booking: bb}, // data deleted: no contact left
		{Booking: bd, OwnerName: dewi.name, Phone: dewi.phone, BusinessName: "Batik Dewi", Kecamatan: "360312"},
		{Booking: stranger},
	}
	if len(ps) != len(want) {
		t.Fatalf("Participants = %d rows, want %d", len(ps), len(want))
	}
	for i, w := range want {
		p := ps[i]
		if p.ID != w.ID || p.Code != w.Code || p.UserID != w.UserID || p.Status != w.Status || p.Position != w.Position ||
			p.OwnerName != w.OwnerName || p.Phone != w.Phone || p.BusinessName != w.BusinessName || p.Kecamatan != w.Kecamatan {
			t.Errorf("participant %d:\n got %+v\nwant %+v", i, p, w)
		}
	}
	if ps[3].Position != 2 {
		t.Errorf("second on the waitlist at position %d, want 2", ps[3].Position)
	}
	_, err = s.Participants(bg(t), tr.ID+1000)
	wantErr(t, "Participants(unknown)", err, store.ErrNotFound)
}

func testAttendance(t *testing.T, newStores newTrainingStores) {
	ss := newStores(t)
	s := ss.Trainings
	tr := mustTraining(t, s, trTraining("Perpajakan UMKM", 10, 2))
	a := mustBook(t, s, tr.ID, 1, store.BookingBooked)
	x := mustBook(t, s, tr.ID, 2, store.BookingBooked)
	if _, err := s.CancelBooking(bg(t), x.UserID, x.ID, trBookNow, trHold, nil); err != nil {
		t.Fatal(err)
	}
	mustBook(t, s, tr.ID, 3, store.BookingBooked)
	w := mustBook(t, s, tr.ID, 4, store.BookingWaitlisted)
	after := tr.StartAt.Add(4 * time.Hour)

	tests := []struct {
		name     string
		booking  int64
		attended bool
		now      time.Time
		want     error
		status   string
	}{
		{"before the start", a.ID, true, tr.StartAt.Add(-time.Minute), store.ErrClosed, store.BookingBooked},
		{"attended", a.ID, true, tr.StartAt, nil, store.BookingAttended},
		{"corrected to absent", a.ID, false, after, nil, store.BookingAbsent},
		{"absent again", a.ID, false, after, nil, store.BookingAbsent},
		{"waitlisted", w.ID, true, after, store.ErrConflict, store.BookingWaitlisted},
		{"cancelled", x.ID, true, after, store.ErrConflict, store.BookingCancelled},
		{"unknown", a.ID + 1000, true, after, store.ErrNotFound, ""},
	}
	for _, tt := range tests {
		err := s.MarkAttendance(bg(t), trStaff, tt.booking, tt.attended, tt.now)
		wantErr(t, "MarkAttendance("+tt.name+")", err, tt.want)
		if tt.status == "" {
			continue
		}
		ps, err := s.Participants(bg(t), tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if p.ID == tt.booking && p.Status != tt.status {
				t.Errorf("after MarkAttendance(%s): booking %d is %s, want %s", tt.name, p.ID, p.Status, tt.status)
			}
		}
	}
	// An absent place no longer counts as taken; an attended one does.
	wantSeats(t, s, tr.ID, 1, 1)
	if err := s.MarkAttendance(bg(t), trStaff, a.ID, true, after); err != nil {
		t.Fatal(err)
	}
	wantSeats(t, s, tr.ID, 2, 1)
	log := entries(t, ss.Registrations, fmt.Sprintf("training:%d", tr.ID), "attendance")
	if len(log) != 3 || log[0].Actor != trStaff || !strings.Contains(log[0].Detail, a.Code) {
		t.Errorf("attendance audit = %+v; want 3 entries by %d naming %s", log, trStaff, a.Code)
	}
	noPersonalData(t, ss.Registrations)
}

// importRows is a season's schedule.
func importRows() []store.Training {
	rows := []store.Training{
		trTraining("Manajemen keuangan dasar", 10, 30),
		trTraining("Pemasaran lewat marketplace", 12, 25),
		trTraining("Mengurus NIB lewat OSS", 14, 40),
	}
	for i := range rows {
		rows[i].ImportKey = fmt.Sprintf("2026-s1-%02d", i+1)
	}
	rows[1].Topic, rows[2].Topic = store.TopicMarketing, store.TopicLegal
	rows[1].StartAt = rows[1].StartAt.Add(123456789 * time.Nanosecond) // finer than Postgres keeps
	return rows
}

func testImportTrainings(t *testing.T, newStores newTrainingStores) {
	ss := newStores(t)
	s := ss.Trainings
	imp := func(rows []store.Training) (int, int, error) {
		r, err := s.ImportTrainings(bg(t), trStaff, rows, nil)
		return r.Created, r.Updated, err
	}
	created, updated, err := imp(importRows())
	if err != nil || created != 3 || updated != 0 {
		t.Fatalf("ImportTrainings = (%d, %d), %v; want (3, 0)", created, updated, err)
	}
	list, _, err := s.Upcoming(bg(t), trBookNow, "", 0, 10)
	if err != nil || len(list) != 3 {
		t.Fatalf("Upcoming = %d trainings, %v; want 3", len(list), err)
	}
	for i, row := range importRows() {
		row.StartAt = row.StartAt.Truncate(time.Microsecond)
		sameTraining(t, "imported "+row.ImportKey, list[i].Training, row)
		if list[i].CreatedBy != trStaff || list[i].Status != store.TrainingOpen {
			t.Errorf("imported %s: by %d, %s; want by %d, open", row.ImportKey, list[i].CreatedBy, list[i].Status, trStaff)
		}
	}
	for range 2 {
		if created, updated, err := imp(importRows()); err != nil || created != 0 || updated != 0 {
			t.Errorf("ImportTrainings again = (%d, %d), %v; want (0, 0)", created, updated, err)
		}
	}
	audits := func() int {
		n := 0
		for _, ts := range list {
			n += auditCount(t, ss.Registrations, ts.ID, "import")
		}
		return n
	}
	if n := audits(); n != 3 {
		t.Errorf("%d import audit entries, want 3 (one per creation)", n)
	}

	rows := importRows()
	rows[1].Title = "Pemasaran lewat marketplace dan media sosial"
	rows[2].Capacity = 45
	if created, updated, err := imp(rows); err != nil || created != 0 || updated != 2 {
		t.Errorf("ImportTrainings(two changed) = (%d, %d), %v; want (0, 2)", created, updated, err)
	}
	if got := mustSeats(t, s, list[1].ID); got.Title != rows[1].Title {
		t.Errorf("title after the import %q, want %q", got.Title, rows[1].Title)
	}
	if n := audits(); n != 5 {
		t.Errorf("%d import audit entries, want 5", n)
	}

	// All rows or none: a row without a key, or a capacity change that
	// would strand a waitlist, stops the whole import.
	first := list[0]
	mustBook(t, s, first.ID, 1, store.BookingBooked)
	full := rows
	full[0].Capacity = 1
	if _, _, err := imp(full); err != nil {
		t.Fatalf("ImportTrainings(capacity 1): %v", err)
	}
	mustBook(t, s, first.ID, 2, store.BookingWaitlisted)
	fresh := trTraining("Baru", 16, 10)
	fresh.ImportKey = "2026-s1-04"
	noKey := trTraining("Tanpa kunci", 17, 10)
	raise := append(full[:3:3], fresh)
	raise[0].Capacity = 2
	tests := []struct {
		name string
		rows []store.Training
		want error
	}{
		{"capacity change with a waitlist", raise, store.ErrConflict},
		{"row without a key", append([]store.Training{fresh}, noKey), nil},
	}
	for _, tt := range tests {
		created, updated, err := imp(tt.rows)
		if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) || created != 0 || updated != 0 {
			t.Errorf("ImportTrainings(%s) = (%d, %d), %v; want an error (%v)", tt.name, created, updated, err, tt.want)
		}
	}
	if _, total, err := s.Upcoming(bg(t), trBookNow, "", 0, 10); err != nil || total != 3 {
		t.Errorf("Upcoming after refused imports: total %d, %v; want 3", total, err)
	}
	if got := mustSeats(t, s, first.ID); got.Capacity != 1 {
		t.Errorf("capacity after a refused import %d, want 1", got.Capacity)
	}
}

// trUpdate updates tr as staff, with offer for the seats a raised capacity
// frees and no notice of a move.
func trUpdate(t *testing.T, s store.TrainingStore, tr store.Training, offer store.Notify) error {
	t.Helper()
	_, err := s.UpdateTraining(bg(t), trStaff, tr, store.TrainingNotices{Offer: offer})
	return err
}
