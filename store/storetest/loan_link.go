package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// lnCall is one call of a notify of the suite.
type lnCall struct {
	user        int64
	event       string
	stage, note string // of the loan handed over
}

// lnNotify returns a notify recording its calls in calls (when not nil)
// and returning a message whose payload names the user and event.
func lnNotify(calls *[]lnCall) store.LoanNotify {
	var mu sync.Mutex
	return func(l store.Loan, user int64, event string) (store.OutboxItem, error) {
		if calls != nil {
			mu.Lock()
			*calls = append(*calls, lnCall{user: user, event: event, stage: l.Stage, note: l.Note})
			mu.Unlock()
		}
		return store.OutboxItem{Payload: lnPayload(user, event)}, nil
	}
}

func lnPayload(user int64, event string) []byte {
	return fmt.Appendf(nil, `{"t":{"id":"loan_notice","d":{"user":%d,"event":%q}}}`, user, event)
}

// lnClaimAll claims every queued item and returns their keys, sorted.
func lnClaimAll(t *testing.T, s store.OutboxStore) []string {
	t.Helper()
	items, err := s.Claim(bg(t), "suite", 1000, time.Minute, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatalf("Claim: %v", err)
	}
	var keys []string
	for _, it := range items {
		keys = append(keys, it.Key)
	}
	slices.Sort(keys)
	return keys
}

// wantLoanNotice checks the queued row of key: to user, kind loan, the
// payload of event.
func wantLoanNotice(t *testing.T, s store.OutboxStore, key string, user int64, event string) {
	t.Helper()
	it := mustItem(t, s, key)
	if it.ChatID != user || it.Kind != "loan" || it.Status != store.OutboxPending ||
		!bytes.Equal(it.Payload, lnPayload(user, event)) {
		t.Errorf("notice %s = %+v; want a pending loan row to %d about %s", key, it, user, event)
	}
}

func mustPayments(t *testing.T, s store.LoanStore, id int64) []store.Payment {
	t.Helper()
	list, err := s.Payments(bg(t), id)
	if err != nil {
		t.Fatalf("Payments(%d): %v", id, err)
	}
	return list
}

func testLoanPayments(t *testing.T, newStores newLoanStores) {
	s := newStores(t).Loans
	l := mustUpsert(t, s, lnLoan("UPDB-2026-0042", "Siti Aminah"), true)
	other := mustUpsert(t, s, lnLoan("UPDB-2026-0043", "Budi"), true)
	if list := mustPayments(t, s, l.ID); len(list) != 0 {
		t.Fatalf("payments of a new loan: %v", list)
	}
	pays := []store.Payment{
		{LoanID: l.ID, Amount: 738_100, PaidAt: lnAt.AddDate(0, 1, 0), Actor: 9001, Ref: "BANK-001"},
		{LoanID: l.ID, Amount: 738_100, PaidAt: lnAt.AddDate(0, 2, 0), Actor: 9001},
		{LoanID: l.ID, Amount: 100_000, PaidAt: lnAt.AddDate(0, 0, 10), Actor: 9002},
	}
	for _, p := range pays {
		created, err := s.RecordPayment(bg(t), p, nil)
		if err != nil || !created {
			t.Fatalf("RecordPayment(%+v) = %t, %v; want created", p, created, err)
		}
	}
	// The same ref again is the same payment, however often and however
	// concurrently; a payment without a ref is always new.
	if created, err := s.RecordPayment(bg(t), pays[0], nil); err != nil || created {
		t.Errorf("RecordPayment(same ref) = %t, %v; want not created", created, err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := 0
	for range 6 {
		wg.Go(func() {
			c, err := s.RecordPayment(bg(t), store.Payment{LoanID: other.ID, Amount: 5, PaidAt: lnAt, Ref: "BANK-010"}, nil)
			if err != nil {
				t.Errorf("RecordPayment(BANK-010): %v", err)
			}
			mu.Lock()
			defer mu.Unlock()
			if c {
				created++
			}
		})
	}
	wg.Wait()
	if created != 1 || len(mustPayments(t, s, other.ID)) != 1 {
		t.Errorf("%d of 6 concurrent payments with one ref were created, want 1", created)
	}
	if created, err := s.RecordPayment(bg(t), pays[1], nil); err != nil || !created {
		t.Errorf("a second payment without a ref: %t, %v; want created", created, err)
	}
	list := mustPayments(t, s, l.ID)
	var got []string
	for _, p := range list {
		if p.ID == 0 || p.LoanID != l.ID {
			t.Errorf("payment %+v: want an id and loan %d", p, l.ID)
		}
		got = append(got, fmt.Sprintf("%d@%s/%d/%s", p.Amount, p.PaidAt.UTC().Format(time.DateOnly), p.Actor, p.Ref))
	}
	want := []string{"100000@2026-03-26/9002/", "738100@2026-04-16/9001/BANK-001",
		"738100@2026-05-16/9001/", "738100@2026-05-16/9001/"}
	if !slices.Equal(got, want) {
		t.Errorf("Payments = %v, want %v (by date)", got, want)
	}
	if list[2].ID == list[3].ID {
		t.Errorf("two payments share id %d", list[2].ID)
	}

	tests := []struct {
		name string
		p    store.Payment
		want error
	}{
		{"the ref on another loan", store.Payment{LoanID: other.ID, Amount: 738_100, Ref: "BANK-001"}, store.ErrConflict},
		{"the ref with another amount", store.Payment{LoanID: l.ID, Amount: 1, Ref: "BANK-001"}, store.ErrConflict},
		{"an unknown loan", store.Payment{LoanID: other.ID + 100, Amount: 5, Ref: "BANK-002"}, store.ErrNotFound},
		{"a zero amount", store.Payment{LoanID: l.ID, Amount: 0}, nil},
		{"a negative amount", store.Payment{LoanID: l.ID, Amount: -5}, nil},
	}
	for _, tt := range tests {
		created, err := s.RecordPayment(bg(t), tt.p, nil)
		if err == nil || created || (tt.want != nil && !errors.Is(err, tt.want)) {
			t.Errorf("%s: RecordPayment = %t, %v; want refused (%v)", tt.name, created, err, tt.want)
		}
	}
	if n := len(mustPayments(t, s, l.ID)) + len(mustPayments(t, s, other.ID)); n != 5 {
		t.Errorf("%d payments after refusals, want 5", n)
	}
	// A payment with no date is stamped now.
	if _, err := s.RecordPayment(bg(t), store.Payment{LoanID: other.ID, Amount: 7}, nil); err != nil {
		t.Fatal(err)
	}
	if p := mustPayments(t, s, other.ID)[1]; p.Amount != 7 || time.Since(p.PaidAt).Abs() > time.Minute {
		t.Errorf("undated payment paid at %s, want about now", p.PaidAt)
	}
	_, err := s.Payments(bg(t), other.ID+100)
	wantErr(t, "Payments of an unknown loan", err, store.ErrNotFound)
}

func testLoanLink(t *testing.T, newStores newLoanStores) {
	s := newStores(t).Loans
	a := mustUpsert(t, s, lnLoan("UPDB-2026-0042", "Siti Aminah"), true)
	bLoan := lnLoan("UPDB-2026-0043", "Budi")
	bLoan.NIK = "3603121203850002"
	b := mustUpsert(t, s, bLoan, true)
	noNIK := lnLoan("UPDB-2026-0044", "Tanpa NIK")
	noNIK.NIK = ""
	mustUpsert(t, s, noNIK, true)

	got, err := s.Link(bg(t), 7001, a.Number, lnNIK)
	if err != nil {
		t.Fatalf("Link: %v", err)
	}
	sameLoan(t, "linked loan", got, a)
	if _, err := s.Link(bg(t), 7001, a.Number, lnNIK); err != nil { // again: no second link
		t.Fatalf("Link again: %v", err)
	}
	if _, err := s.Link(bg(t), 7001, b.Number, bLoan.NIK); err != nil {
		t.Fatal(err)
	}

	// Every mismatch reads the same and names neither part; user 7002 does
	// not get a's loan by guessing.
	tests := []struct{ name, number, nik string }{
		{"wrong NIK", a.Number, "3603124507900009"},
		{"another applicant's NIK", a.Number, bLoan.NIK},
		{"wrong number", "UPDB-2026-0099", lnNIK},
		{"number in lower case", "updb-2026-0042", lnNIK},
		{"NIK with a space", a.Number, lnNIK + " "},
		{"empty NIK", noNIK.Number, ""},
		{"both empty", "", ""},
	}
	var first string
	for _, tt := range tests {
		_, err := s.Link(bg(t), 7002, tt.number, tt.nik)
		wantErr(t, tt.name, err, store.ErrNotFound)
		msg := err.Error()
		if first == "" {
			first = msg
		}
		if msg != first || strings.Contains(msg, lnNIK) || strings.Contains(msg, "UPDB") {
			t.Errorf("%s: error %q; want %q, naming neither number nor NIK", tt.name, msg, first)
		}
	}
	if loans, err := s.LinkedLoans(bg(t), 7002); err != nil || len(loans) != 0 {
		t.Errorf("LinkedLoans(7002) = %v, %v; want none", loans, err)
	}

	lnWantLinked(t, s, 7001, a.Number, b.Number)
	lnWantUsers(t, s, a.ID, 7001)
	if _, err := s.Link(bg(t), 6999, a.Number, lnNIK); err != nil { // a second account of the applicant
		t.Fatal(err)
	}
	lnWantUsers(t, s, a.ID, 6999, 7001)

	if err := s.Unlink(bg(t), 7001, a.ID); err != nil {
		t.Fatalf("Unlink: %v", err)
	}
	wantErr(t, "Unlink again", s.Unlink(bg(t), 7001, a.ID), store.ErrNotFound)
	wantErr(t, "Unlink a loan never linked", s.Unlink(bg(t), 7002, b.ID), store.ErrNotFound)
	lnWantLinked(t, s, 7001, b.Number)
	lnWantUsers(t, s, a.ID, 6999)
	lnWantUsers(t, s, b.ID+100)
	// Linking again after an unlink puts the loan last.
	if _, err := s.Link(bg(t), 7001, a.Number, lnNIK); err != nil {
		t.Fatal(err)
	}
	lnWantLinked(t, s, 7001, b.Number, a.Number)
}

func lnWantLinked(t *testing.T, s store.LoanStore, user int64, numbers ...string) {
	t.Helper()
	loans, err := s.LinkedLoans(bg(t), user)
	if err != nil {
		t.Fatalf("LinkedLoans(%d): %v", user, err)
	}
	var got []string
	for _, l := range loans {
		got = append(got, l.Number)
	}
	if !slices.Equal(got, numbers) {
		t.Errorf("LinkedLoans(%d) = %v, want %v", user, got, numbers)
	}
}

func lnWantUsers(t *testing.T, s store.LoanStore, loan int64, users ...int64) {
	t.Helper()
	got, err := s.LinkedUsers(bg(t), loan)
	if err != nil {
		t.Fatalf("LinkedUsers(%d): %v", loan, err)
	}
	if !slices.Equal(got, users) {
		t.Errorf("LinkedUsers(%d) = %v, want %v", loan, got, users)
	}
}
