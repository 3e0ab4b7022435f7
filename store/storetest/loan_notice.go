package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/diskum-tangerang/umkmbot/store"
)

func testLoanNotices(t *testing.T, newStores newLoanStores) {
	st := newStores(t)
	s, ob := st.Loans, st.Outbox
	a := mustUpsert(t, s, lnLoan("UPDB-2026-0042", "Siti Aminah"), true) // event 1
	b := mustUpsert(t, s, lnLoan("UPDB-2026-0043", "Budi"), true)        // event 2
	for _, user := range []int64{7002, 7001} {
		if _, err := s.Link(bg(t), user, a.Number, lnNIK); err != nil {
			t.Fatal(err)
		}
	}

	// A stage change tells every linked owner once, with the loan as it is
	// after the change; the unlinked loan b tells nobody.
	var calls []lnCall
	mustMove(t, s, a, "DIAJUKAN", "VERIFIKASI", lnNotify(&calls)) // event 3
	mustMove(t, s, b, "DIAJUKAN", "VERIFIKASI", lnNotify(&calls)) // event 4
	wantCalls := []lnCall{{7001, "VERIFIKASI", "VERIFIKASI", "ke VERIFIKASI"}, {7002, "VERIFIKASI", "VERIFIKASI", "ke VERIFIKASI"}}
	if !slices.Equal(calls, wantCalls) {
		t.Errorf("notify calls %+v, want %+v", calls, wantCalls)
	}
	for _, user := range []int64{7001, 7002} {
		wantLoanNotice(t, ob, fmt.Sprintf("loan:%d:3:%d", a.ID, user), user, "VERIFIKASI")
	}

	// A lost compare-and-set tells nobody.
	calls = nil
	err := s.MoveStage(bg(t), store.StageMove{Actor: 9001, LoanID: a.ID,
		From: "DIAJUKAN", To: "VERIFIKASI", At: lnAt}, lnNotify(&calls))
	wantErr(t, "stale move", err, store.ErrConflict)
	if len(calls) != 0 {
		t.Errorf("a refused move called notify: %+v", calls)
	}

	// A payment tells them once, however often the import brings it; a
	// nil notify tells nobody.
	p := store.Payment{LoanID: a.ID, Amount: 738_100, PaidAt: lnAt, Ref: "BANK-001"}
	for range 2 {
		if _, err := s.RecordPayment(bg(t), p, lnNotify(&calls)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.RecordPayment(bg(t), store.Payment{LoanID: a.ID, Amount: 5, PaidAt: lnAt}, nil); err != nil {
		t.Fatal(err)
	}
	want := []lnCall{{7001, "payment", "VERIFIKASI", "ke VERIFIKASI"}, {7002, "payment", "VERIFIKASI", "ke VERIFIKASI"}}
	if !slices.Equal(calls, want) {
		t.Errorf("payment notify calls %+v, want %+v", calls, want)
	}
	pays := mustPayments(t, s, a.ID)
	for _, user := range []int64{7001, 7002} {
		wantLoanNotice(t, ob, fmt.Sprintf("loanpay:%d:%d", pays[0].ID, user), user, "payment")
	}

	// An owner who unlinks hears no more; notify may choose the kind and
	// the chat.
	if err := s.Unlink(bg(t), 7002, a.ID); err != nil {
		t.Fatal(err)
	}
	custom := func(l store.Loan, user int64, event string) (store.OutboxItem, error) {
		return store.OutboxItem{Key: "ignored", ChatID: -100500, Kind: "loan-staff", Payload: lnPayload(user, event)}, nil
	}
	mustMove(t, s, a, "VERIFIKASI", "SURVEI", custom) // event 5
	it := mustItem(t, ob, fmt.Sprintf("loan:%d:5:7001", a.ID))
	if it.ChatID != -100500 || it.Kind != "loan-staff" {
		t.Errorf("custom notice %+v: want chat -100500, kind loan_staff", it)
	}

	keys := []string{
		fmt.Sprintf("loan:%d:3:7001", a.ID), fmt.Sprintf("loan:%d:3:7002", a.ID), fmt.Sprintf("loan:%d:5:7001", a.ID),
		fmt.Sprintf("loanpay:%d:7001", pays[0].ID), fmt.Sprintf("loanpay:%d:7002", pays[0].ID),
	}
	slices.Sort(keys)
	if got := lnClaimAll(t, ob); !slices.Equal(got, keys) {
		t.Errorf("outbox holds %v, want %v", got, keys)
	}
}

// testLoanNoticeFails checks that a notify error undoes the whole change.
func testLoanNoticeFails(t *testing.T, newStores newLoanStores) {
	st := newStores(t)
	s := st.Loans
	l := mustUpsert(t, s, lnLoan("UPDB-2026-0042", "Siti Aminah"), true)
	for _, user := range []int64{7001, 7002} {
		if _, err := s.Link(bg(t), user, l.Number, lnNIK); err != nil {
			t.Fatal(err)
		}
	}
	boom := errors.New("render failed")
	failing := func(l store.Loan, user int64, event string) (store.OutboxItem, error) {
		if user == 7002 {
			return store.OutboxItem{}, boom
		}
		return store.OutboxItem{Payload: lnPayload(user, event)}, nil
	}
	audits := len(entries(t, st.Registrations, "loan:"+l.Number, "loan.stage"))
	err := s.MoveStage(bg(t), store.StageMove{Actor: 9001, LoanID: l.ID,
		From: "DIAJUKAN", To: "VERIFIKASI", Note: "x", At: lnAt}, failing)
	wantErr(t, "MoveStage with a failing notify", err, boom)
	_, err = s.RecordPayment(bg(t), store.Payment{LoanID: l.ID, Amount: 5, Ref: "BANK-001"}, failing)
	wantErr(t, "RecordPayment with a failing notify", err, boom)
	noPayload := func(store.Loan, int64, string) (store.OutboxItem, error) { return store.OutboxItem{}, nil }
	if err := s.MoveStage(bg(t), store.StageMove{Actor: 9001, LoanID: l.ID,
		From: "DIAJUKAN", To: "VERIFIKASI", Note: "x", At: lnAt}, noPayload); err == nil {
		t.Error("MoveStage queued a notice without a payload")
	}

	got := mustLoan(t, s, l.Number)
	if h := mustHistory(t, s, l.ID); got.Stage != "DIAJUKAN" || got.Note != "" || len(h) != 1 {
		t.Errorf("failed moves left stage %s, note %q, history %s", got.Stage, got.Note, stages(h))
	}
	if pays := mustPayments(t, s, l.ID); len(pays) != 0 {
		t.Errorf("a failed payment was kept: %+v", pays)
	}
	if n := len(entries(t, st.Registrations, "loan:"+l.Number, "loan.stage")); n != audits {
		t.Errorf("a failed move was audited")
	}
	if keys := lnClaimAll(t, st.Outbox); len(keys) != 0 {
		t.Errorf("failed changes queued %v", keys)
	}
	// The ref of the failed payment is free, and the move can be made.
	if created, err := s.RecordPayment(bg(t), store.Payment{LoanID: l.ID, Amount: 5, Ref: "BANK-001"}, nil); err != nil || !created {
		t.Errorf("RecordPayment after the failure: %t, %v", created, err)
	}
	mustMove(t, s, l, "DIAJUKAN", "VERIFIKASI", nil)
}

// testLoanAudit checks what the store audits on "loan:<number>": who did
// what, never the NIK.
func testLoanAudit(t *testing.T, newStores newLoanStores) {
	st := newStores(t)
	s := st.Loans
	l := mustUpsert(t, s, lnLoan("UPDB-2026-0042", "Siti Aminah"), true)
	changed := lnLoan("UPDB-2026-0042", "Siti Aminah")
	changed.NIK = "3603124507900002"
	mustUpsert(t, s, changed, false)
	if _, err := s.Link(bg(t), 7001, l.Number, changed.NIK); err != nil {
		t.Fatal(err)
	}
	mustMove(t, s, l, "DIAJUKAN", "VERIFIKASI", nil)
	if _, err := s.RecordPayment(bg(t), store.Payment{LoanID: l.ID, Amount: 5, Actor: 9002, Ref: "BANK-7"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Unlink(bg(t), 7001, l.ID); err != nil {
		t.Fatal(err)
	}
	_, linkErr := s.Link(bg(t), 7003, l.Number, lnNIK) // the old NIK no longer links

	log, err := st.Registrations.AuditLog(bg(t), "loan:"+l.Number)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		got = append(got, fmt.Sprintf("%d %s %s", e.Actor, e.Action, e.Detail))
		if e.At.IsZero() || e.ID == 0 {
			t.Errorf("audit entry %+v not stamped", e)
		}
		for _, nik := range []string{lnNIK, changed.NIK} {
			if strings.Contains(e.Detail, nik) {
				t.Errorf("audit entry %+v holds a NIK", e)
			}
		}
	}
	pays := mustPayments(t, s, l.ID)
	want := []string{"9001 loan.create stage=DIAJUKAN", "9001 loan.update changed=nik", "7001 loan.link ",
		"9001 loan.stage DIAJUKAN->VERIFIKASI", fmt.Sprintf("9002 loan.payment payment=%d ref=BANK-7", pays[0].ID),
		"7001 loan.unlink "}
	if !slices.Equal(got, want) {
		t.Errorf("audit log of the loan:\n got %q\nwant %q", got, want)
	}
	wantErr(t, "Link with the old NIK", linkErr, store.ErrNotFound)
	if strings.Contains(linkErr.Error(), lnNIK) {
		t.Errorf("error holds the NIK: %v", linkErr)
	}
}

// testLoanImportTwice runs one import (loans by number, payments by ref,
// each told to the linked owner) twice: the second run creates nothing,
// writes nothing, audits nothing and tells nobody anything.
func testLoanImportTwice(t *testing.T, newStores newLoanStores) {
	st := newStores(t)
	s := st.Loans
	running := lnLoan("UPDB-2025-0007", "Budi")
	running.Stage, running.Approved = "BERJALAN", 25_000_000
	loans := []store.Loan{lnLoan("UPDB-2026-0042", "Siti Aminah"), running}
	var calls []lnCall
	importOnce := func() (created int) {
		for _, l := range loans {
			if _, c, err := s.UpsertLoan(bg(t), 0, l); err != nil {
				t.Fatal(err)
			} else if c {
				created++
			}
		}
		l := mustLoan(t, s, running.Number)
		for i, ref := range []string{"BANK-2025-11-07", "BANK-2025-12-07"} {
			p := store.Payment{LoanID: l.ID, Amount: 738_100, PaidAt: lnAt.AddDate(0, i-4, 0), Ref: ref}
			if c, err := s.RecordPayment(bg(t), p, lnNotify(&calls)); err != nil {
				t.Fatal(err)
			} else if c {
				created++
			}
		}
		return created
	}
	// The owner linked before the import hears of each payment once.
	mustUpsert(t, s, running, true)
	if _, err := s.Link(bg(t), 7001, running.Number, lnNIK); err != nil {
		t.Fatal(err)
	}
	if n := importOnce(); n != 3 {
		t.Fatalf("first import created %d records, want 3 (a loan, two payments)", n)
	}
	log, err := st.Registrations.AuditLog(bg(t), "")
	if err != nil {
		t.Fatal(err)
	}
	before := map[string]store.Loan{}
	for _, l := range loans {
		before[l.Number] = mustLoan(t, s, l.Number)
	}
	calls = nil
	if n := importOnce(); n != 0 {
		t.Errorf("second import created %d records", n)
	}
	if len(calls) != 0 {
		t.Errorf("second import called notify: %+v", calls)
	}
	for _, l := range loans {
		sameLoan(t, "after the second import", mustLoan(t, s, l.Number), before[l.Number])
	}
	if again, err := st.Registrations.AuditLog(bg(t), ""); err != nil || len(again) != len(log) {
		t.Errorf("second import audited %d entries (%v)", len(again)-len(log), err)
	}
	if pays := mustPayments(t, s, before[running.Number].ID); len(pays) != 2 {
		t.Errorf("%d payments after two imports, want 2", len(pays))
	}
	if keys := lnClaimAll(t, st.Outbox); len(keys) != 2 || !strings.HasPrefix(keys[0], "loanpay:") {
		t.Errorf("outbox holds %v, want one notice per payment", keys)
	}
}
