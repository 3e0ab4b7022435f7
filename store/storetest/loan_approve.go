package storetest

import (
	"testing"

	"github.com/diskum-tangerang/umkmbot/store"
)

// testApprovedAmount: a move to DISETUJUI carries the approved amount
// (more than 0, at most the requested amount), which the loan keeps, the
// event records and the notice sees; no other move carries one. A refused
// amount changes nothing.
func testApprovedAmount(t *testing.T, newStores newLoanStores) {
	st := newStores(t)
	s := st.Loans
	l := lnLoan("UPDB-2026-0042", "Siti Aminah")
	l.Stage = "RAPAT_KOMITE"
	l = mustUpsert(t, s, l, true)
	if _, err := s.Link(bg(t), 7001, l.Number, lnNIK); err != nil {
		t.Fatal(err)
	}
	move := func(to string, approved int64, notify store.LoanNotify) error {
		return s.MoveStage(bg(t), store.StageMove{Actor: 9001, LoanID: l.ID, From: "RAPAT_KOMITE", To: to,
			Note: "catatan", Approved: approved, At: lnAt}, notify)
	}
	for _, tc := range []struct {
		name     string
		to       string
		approved int64
	}{
		{"no amount", "DISETUJUI", 0},
		{"a negative amount", "DISETUJUI", -1},
		{"above the requested amount", "DISETUJUI", 25_000_001},
		{"an amount with another stage", "DITOLAK", 20_000_000},
	} {
		if err := move(tc.to, tc.approved, nil); err == nil {
			t.Errorf("a move to %s with %s succeeded", tc.to, tc.name)
		}
	}
	if got, h := mustLoan(t, s, l.Number), mustHistory(t, s, l.ID); got.Stage != "RAPAT_KOMITE" || got.Approved != 0 ||
		len(h) != 1 {
		t.Fatalf("refused moves left stage %s, approved %d, %d events", got.Stage, got.Approved, len(h))
	}
	if keys := lnClaimAll(t, st.Outbox); len(keys) != 0 {
		t.Fatalf("refused moves queued %v", keys)
	}

	var seen []int64
	notify := func(l store.Loan, user int64, event string) (store.OutboxItem, error) {
		seen = append(seen, l.Approved)
		return store.OutboxItem{Payload: lnPayload(user, event)}, nil
	}
	if err := move("DISETUJUI", 25_000_000, notify); err != nil {
		t.Fatalf("approving the requested amount: %v", err)
	}
	got := mustLoan(t, s, l.Number)
	if got.Stage != "DISETUJUI" || got.Approved != 25_000_000 {
		t.Errorf("approved loan: stage %s, approved %d; want DISETUJUI, 25000000", got.Stage, got.Approved)
	}
	if len(seen) != 1 || seen[0] != 25_000_000 {
		t.Errorf("the notice saw approved amounts %v, want [25000000]", seen)
	}
	h := mustHistory(t, s, l.ID)
	if e := h[len(h)-1]; e.To != "DISETUJUI" || e.Approved != 25_000_000 || h[0].Approved != 0 {
		t.Errorf("history %+v: want the approval's amount on its event only", h)
	}

	// Later moves keep the amount and carry none.
	mustMove(t, s, got, "DISETUJUI", "AKAD", nil)
	if got := mustLoan(t, s, l.Number); got.Approved != 25_000_000 {
		t.Errorf("after AKAD approved %d, want 25000000", got.Approved)
	}
	if h := mustHistory(t, s, l.ID); h[len(h)-1].Approved != 0 {
		t.Errorf("the AKAD event carries %d", h[len(h)-1].Approved)
	}
}
