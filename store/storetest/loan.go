package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// LoanStores are what the loan suite runs against: the loans, the outbox
// their notices go to and the registrations (the audit log) of one fresh,
// empty database.
type LoanStores struct {
	Loans         store.LoanStore
	Outbox        store.OutboxStore
	Registrations store.RegistrationStore
}

type newLoanStores = func(t *testing.T) LoanStores

// RunLoanStore runs the store.LoanStore contract against the stores
// newStores returns (fresh ones per subtest).
//
// Beyond the interface's comments it pins down: a new loan starts at
// DIAJUKAN unless given a stage, and its creation is the first event of
// its history (from ""); an upsert that changes nothing writes nothing;
// moving to DICAIRKAN stamps DisbursedAt; notices are outbox rows keyed
// "loan:<loan id>:<event id>:<user>" (event ids count every event of the
// store, creations included, from 1) and "loanpay:<payment id>:<user>",
// with event = the new stage or "payment", ChatID 0 becoming the owner and
// an empty Kind "loan"; notify failing undoes the whole change; each
// change is audited on "loan:<number>" without the NIK; Link's ErrNotFound
// reads the same whichever part was wrong.
func RunLoanStore(t *testing.T, newStores func(t *testing.T) LoanStores) {
	tests := []struct {
		name string
		run  func(t *testing.T, newStores newLoanStores)
	}{
		{"Upsert", testLoanUpsert},
		{"UpsertRefused", testLoanUpsertRefused},
		{"ConcurrentUpserts", testLoanConcurrentUpserts},
		{"Find", testFindLoans},
		{"MoveStage", testMoveStage},
		{"ApprovedAmount", testApprovedAmount},
		{"ConcurrentMoves", testConcurrentMoves},
		{"Payments", testLoanPayments},
		{"Link", testLoanLink},
		{"Notices", testLoanNotices},
		{"NoticeFails", testLoanNoticeFails},
		{"ImportTwice", testLoanImportTwice},
		{"Audit", testLoanAudit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newStores)
		})
	}
}

// lnNIK is the NIK of the suite's applicants; it must never reach the
// audit log or an error.
const lnNIK = "3603124507900001"

// lnAt is an instant of the suite, whole microseconds (Postgres keeps no
// finer).
var lnAt = time.Date(2026, 3, 16, 2, 30, 0, 0, time.UTC)

// lnLoan returns a loan of the suite, at DIAJUKAN.
func lnLoan(number, name string) store.Loan {
	return store.Loan{Number: number, NIK: lnNIK, ApplicantName: name, BusinessName: "Warung " + name,
		Requested: 25_000_000, TenorMonths: 36, RateBP: 400, Method: "annuity"}
}

func mustUpsert(t *testing.T, s store.LoanStore, l store.Loan, wantCreated bool) store.Loan {
	t.Helper()
	saved, created, err := s.UpsertLoan(bg(t), 9001, l)
	if err != nil {
		t.Fatalf("UpsertLoan(%s): %v", l.Number, err)
	}
	if created != wantCreated || saved.ID == 0 || saved.Number != l.Number {
		t.Fatalf("UpsertLoan(%s) = %+v, created %t; want created %t", l.Number, saved, created, wantCreated)
	}
	return saved
}

func mustLoan(t *testing.T, s store.LoanStore, number string) store.Loan {
	t.Helper()
	l, err := s.Loan(bg(t), number)
	if err != nil {
		t.Fatalf("Loan(%s): %v", number, err)
	}
	return l
}

func mustMove(t *testing.T, s store.LoanStore, l store.Loan, from, to string, notify store.LoanNotify) {
	t.Helper()
	if err := s.MoveStage(bg(t), store.StageMove{Actor: 9001, LoanID: l.ID,
		From: from, To: to, Note: "ke " + to, At: lnAt}, notify); err != nil {
		t.Fatalf("MoveStage(%s, %s → %s): %v", l.Number, from, to, err)
	}
}

// lnNorm makes a loan comparable: times as instants.
func lnNorm(l store.Loan) store.Loan {
	l.DisbursedAt, l.CreatedAt, l.UpdatedAt = instant(l.DisbursedAt), instant(l.CreatedAt), instant(l.UpdatedAt)
	return l
}

func sameLoan(t *testing.T, what string, got, want store.Loan) {
	t.Helper()
	if lnNorm(got) != lnNorm(want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, lnNorm(got), lnNorm(want))
	}
}

// stages returns the From→To of a history.
func stages(h []store.LoanEvent) string {
	var parts []string
	for _, e := range h {
		parts = append(parts, e.From+">"+e.To)
	}
	return strings.Join(parts, " ")
}

func mustHistory(t *testing.T, s store.LoanStore, id int64) []store.LoanEvent {
	t.Helper()
	h, err := s.History(bg(t), id)
	if err != nil {
		t.Fatalf("History(%d): %v", id, err)
	}
	return h
}

func testLoanUpsert(t *testing.T, newStores newLoanStores) {
	st := newStores(t)
	s := st.Loans
	l := lnLoan("UPDB-2026-0042", "Siti Aminah")
	saved := mustUpsert(t, s, l, true)
	if saved.Stage != "DIAJUKAN" || saved.CreatedAt.IsZero() || saved.UpdatedAt.IsZero() || !saved.DisbursedAt.IsZero() {
		t.Errorf("new loan %+v: want DIAJUKAN, created and updated stamped, not disbursed", saved)
	}
	want := l
	want.ID, want.Stage, want.CreatedAt, want.UpdatedAt = saved.ID, "DIAJUKAN", saved.CreatedAt, saved.UpdatedAt
	sameLoan(t, "saved", saved, want)
	sameLoan(t, "Loan", mustLoan(t, s, l.Number), saved)
	byID, err := s.LoanByID(bg(t), saved.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameLoan(t, "LoanByID", byID, saved)
	if h := mustHistory(t, s, saved.ID); stages(h) != ">DIAJUKAN" || h[0].Actor != 9001 || h[0].LoanID != saved.ID {
		t.Errorf("history of a new loan: %+v", h)
	}

	// The same import again changes nothing, not even UpdatedAt.
	audits := len(entries(t, st.Registrations, "loan:"+l.Number, "loan.update"))
	again := mustUpsert(t, s, l, false)
	sameLoan(t, "upsert unchanged", again, saved)
	if n := len(entries(t, st.Registrations, "loan:"+l.Number, "loan.update")); n != audits {
		t.Errorf("an unchanged upsert was audited")
	}

	// New terms are taken; stage, note and history are not touched, and a
	// zero disbursement date keeps the one set.
	mustMove(t, s, saved, "DIAJUKAN", "VERIFIKASI", nil)
	disbursed := time.Date(2026, 3, 14, 17, 0, 0, 0, time.UTC)
	first := l
	first.DisbursedAt = disbursed
	mustUpsert(t, s, first, false)
	changed := l
	changed.Approved, changed.GraceMonths, changed.Stage, changed.Note = 20_000_000, 3, "BERJALAN", "impor"
	changed.ApplicantName = "Siti Aminah Lubis"
	got := mustUpsert(t, s, changed, false)
	want = changed
	want.ID, want.Stage, want.Note, want.DisbursedAt = saved.ID, "VERIFIKASI", "ke VERIFIKASI", disbursed
	want.CreatedAt, want.UpdatedAt = saved.CreatedAt, got.UpdatedAt
	sameLoan(t, "updated", got, want)
	sameLoan(t, "Loan after update", mustLoan(t, s, l.Number), want)
	if got.UpdatedAt.Before(saved.UpdatedAt) {
		t.Errorf("UpdatedAt went back: %s < %s", got.UpdatedAt, saved.UpdatedAt)
	}
	if h := mustHistory(t, s, saved.ID); stages(h) != ">DIAJUKAN DIAJUKAN>VERIFIKASI" {
		t.Errorf("history after upserts: %s", stages(h))
	}
	if e := entries(t, st.Registrations, "loan:"+l.Number, "loan.update"); len(e) != audits+2 ||
		e[len(e)-1].Detail != "changed=applicant_name,approved,grace_months" {
		t.Errorf("update audits %+v: want 2, the last naming applicant_name, approved, grace_months", e)
	}

	// An import of a loan already under way keeps its stage.
	running := lnLoan("UPDB-2025-0007", "Budi")
	running.Stage = "BERJALAN"
	if got := mustUpsert(t, s, running, true); got.Stage != "BERJALAN" {
		t.Errorf("imported at stage %s, want BERJALAN", got.Stage)
	}
	for _, number := range []string{"UPDB-2026-9999", "updb-2026-0042", ""} {
		_, err := s.Loan(bg(t), number)
		wantErr(t, "Loan("+number+")", err, store.ErrNotFound)
	}
	_, err = s.LoanByID(bg(t), saved.ID+100)
	wantErr(t, "LoanByID(unknown)", err, store.ErrNotFound)
}

func testLoanUpsertRefused(t *testing.T, newStores newLoanStores) {
	s := newStores(t).Loans
	tests := []struct {
		name string
		edit func(*store.Loan)
	}{
		{"no number", func(l *store.Loan) { l.Number = " " }},
		{"unknown method", func(l *store.Loan) { l.Method = "balloon" }},
		{"unknown stage", func(l *store.Loan) { l.Stage = "SELESAI" }},
		{"negative amount", func(l *store.Loan) { l.Approved = -1 }},
		{"negative tenor", func(l *store.Loan) { l.TenorMonths = -1 }},
	}
	for _, tt := range tests {
		l := lnLoan("UPDB-2026-0100", "Ani")
		tt.edit(&l)
		if _, _, err := s.UpsertLoan(bg(t), 9001, l); err == nil {
			t.Errorf("%s: UpsertLoan accepted %+v", tt.name, l)
		}
	}
	if list, err := s.FindLoans(bg(t), "", 10); err != nil || len(list) != 0 {
		t.Errorf("refused loans were stored: %v, %v", list, err)
	}
}

func testLoanConcurrentUpserts(t *testing.T, newStores newLoanStores) {
	s := newStores(t).Loans
	const n = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := 0
	for range n {
		wg.Go(func() {
			_, c, err := s.UpsertLoan(bg(t), 0, lnLoan("UPDB-2026-0500", "Rina"))
			if err != nil {
				t.Errorf("UpsertLoan: %v", err)
			}
			mu.Lock()
			defer mu.Unlock()
			if c {
				created++
			}
		})
	}
	wg.Wait()
	l := mustLoan(t, s, "UPDB-2026-0500")
	if h := mustHistory(t, s, l.ID); created != 1 || len(h) != 1 {
		t.Errorf("%d of %d concurrent upserts created the loan, history %s; want 1 and one event", created, n, stages(h))
	}
}

func testFindLoans(t *testing.T, newStores newLoanStores) {
	s := newStores(t).Loans
	for _, l := range []store.Loan{lnLoan("UPDB-2026-0001", "Siti Aminah"), lnLoan("UPDB-2026-0002", "Budi Santoso"),
		lnLoan("UPDB-2025-0100", "Aminah Rahma"), lnLoan("UPDB-2026-0003", "Dewi 50%_off")} {
		mustUpsert(t, s, l, true)
	}
	tests := []struct {
		query string
		limit int
		want  []string
	}{
		{"UPDB-2026-0002", 10, []string{"UPDB-2026-0002"}},
		{"  updb-2026-000 ", 10, []string{"UPDB-2026-0003", "UPDB-2026-0002", "UPDB-2026-0001"}},
		{"aminah", 10, []string{"UPDB-2025-0100", "UPDB-2026-0001"}},
		{"SANTOSO", 10, []string{"UPDB-2026-0002"}},
		{"", 2, []string{"UPDB-2026-0003", "UPDB-2025-0100"}},
		{"", 0, []string{"UPDB-2026-0003", "UPDB-2025-0100", "UPDB-2026-0002", "UPDB-2026-0001"}},
		{"%", 10, []string{"UPDB-2026-0003"}},
		{"0%_", 10, []string{"UPDB-2026-0003"}},
		{"_", 10, []string{"UPDB-2026-0003"}},
		{"Warung", 10, nil}, // the business name is not searched
		{lnNIK, 10, nil},    // nor the NIK
	}
	for _, tt := range tests {
		list, err := s.FindLoans(bg(t), tt.query, tt.limit)
		if err != nil {
			t.Fatalf("FindLoans(%q): %v", tt.query, err)
		}
		var got []string
		for _, l := range list {
			got = append(got, l.Number)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("FindLoans(%q, %d) = %v, want %v", tt.query, tt.limit, got, tt.want)
		}
	}
}

func testMoveStage(t *testing.T, newStores newLoanStores) {
	s := newStores(t).Loans
	l := mustUpsert(t, s, lnLoan("UPDB-2026-0042", "Siti Aminah"), true)
	path := []string{"DIAJUKAN", "VERIFIKASI", "PERLU_LENGKAPI", "VERIFIKASI", "SURVEI", "RAPAT_KOMITE",
		"DISETUJUI", "AKAD", "DICAIRKAN", "BERJALAN"}
	for i := 1; i < len(path); i++ {
		at := lnAt.Add(time.Duration(i) * time.Hour)
		m := store.StageMove{Actor: 9000 + int64(i), LoanID: l.ID, From: path[i-1], To: path[i],
			Note: "catatan " + path[i], At: at}
		if path[i] == "DISETUJUI" {
			m.Approved = 20_000_000
		}
		if err := s.MoveStage(bg(t), m, nil); err != nil {
			t.Fatalf("MoveStage(%s → %s): %v", path[i-1], path[i], err)
		}
	}
	got := mustLoan(t, s, l.Number)
	disbursedAt := lnAt.Add(8 * time.Hour) // the move to DICAIRKAN
	if got.Stage != "BERJALAN" || got.Note != "catatan BERJALAN" || !got.DisbursedAt.Equal(disbursedAt) ||
		got.Approved != 20_000_000 {
		t.Errorf("after the moves: stage %s, note %q, disbursed %s, approved %d; want BERJALAN, the last note, %s, 20000000",
			got.Stage, got.Note, got.DisbursedAt, got.Approved, disbursedAt)
	}
	h := mustHistory(t, s, l.ID)
	if len(h) != len(path) {
		t.Fatalf("history has %d events, want %d: %s", len(h), len(path), stages(h))
	}
	for i := 1; i < len(path); i++ {
		e := h[i]
		approved := int64(0)
		if path[i] == "DISETUJUI" {
			approved = 20_000_000
		}
		if e.LoanID != l.ID || e.From != path[i-1] || e.To != path[i] || e.Note != "catatan "+path[i] ||
			e.Approved != approved || e.Actor != 9000+int64(i) || !e.At.Equal(lnAt.Add(time.Duration(i)*time.Hour)) {
			t.Errorf("event %d = %+v, want %s → %s by %d at +%dh", i, e, path[i-1], path[i], 9000+i, i)
		}
	}

	// A stale from, an unknown loan, an unknown stage: nothing changes.
	err := s.MoveStage(bg(t), store.StageMove{Actor: 9001, LoanID: l.ID, From: "DICAIRKAN", To: "BERJALAN", At: lnAt}, nil)
	wantErr(t, "MoveStage from a stale stage", err, store.ErrConflict)
	err = s.MoveStage(bg(t), store.StageMove{Actor: 9001, LoanID: l.ID + 100,
		From: "DIAJUKAN", To: "VERIFIKASI", At: lnAt}, nil)
	wantErr(t, "MoveStage of an unknown loan", err, store.ErrNotFound)
	if err := s.MoveStage(bg(t), store.StageMove{Actor: 9001, LoanID: l.ID,
		From: "BERJALAN", To: "SELESAI", At: lnAt}, nil); err == nil {
		t.Error("MoveStage to an unknown stage succeeded")
	}
	if h2 := mustHistory(t, s, l.ID); len(h2) != len(h) || mustLoan(t, s, l.Number).Stage != "BERJALAN" {
		t.Errorf("refused moves changed the loan: %s", stages(h2))
	}

	// A zero time is the store's now; a disbursement date once set stays.
	before := time.Now().Add(-time.Minute)
	mustMove(t, s, got, "BERJALAN", "MENUNGGAK", nil)
	if err := s.MoveStage(bg(t), store.StageMove{Actor: 9001, LoanID: l.ID,
		From: "MENUNGGAK", To: "BERJALAN"}, nil); err != nil {
		t.Fatal(err)
	}
	h = mustHistory(t, s, l.ID)
	if last := h[len(h)-1]; last.At.Before(before) || last.At.After(time.Now().Add(time.Minute)) {
		t.Errorf("event with zero time stamped %s, want about now", last.At)
	}
	_, err = s.History(bg(t), l.ID+100)
	wantErr(t, "History of an unknown loan", err, store.ErrNotFound)
}

func testConcurrentMoves(t *testing.T, newStores newLoanStores) {
	st := newStores(t)
	s := st.Loans
	l := mustUpsert(t, s, lnLoan("UPDB-2026-0042", "Siti Aminah"), true)
	if _, err := s.Link(bg(t), 7001, l.Number, lnNIK); err != nil {
		t.Fatal(err)
	}
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = s.MoveStage(bg(t), store.StageMove{Actor: int64(i), LoanID: l.ID,
				From: "DIAJUKAN", To: "VERIFIKASI", Note: fmt.Sprint(i), At: lnAt}, lnNotify(nil))
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, store.ErrConflict):
			t.Errorf("a losing move: %v, want ErrConflict", err)
		}
	}
	h := mustHistory(t, s, l.ID)
	if won != 1 || stages(h) != ">DIAJUKAN DIAJUKAN>VERIFIKASI" {
		t.Fatalf("%d of %d concurrent moves won, history %s; want 1", won, n, stages(h))
	}
	if got := lnClaimAll(t, st.Outbox); !slices.Equal(got, []string{fmt.Sprintf("loan:%d:2:7001", l.ID)}) {
		t.Errorf("notices %v, want one for the winning move", got)
	}
}
