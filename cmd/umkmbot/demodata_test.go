package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestDemoDataCommand loads scale 1 into an empty database, then refuses
// to load into one that holds records.
func TestDemoDataCommand(t *testing.T) {
	env := map[string]string{"DATABASE_URL": pgtestURL(t)}
	out, _, err := runWith(t, env, "", "demo-data", "--scale", "1")
	if err != nil || !strings.Contains(out, "1000 pendaftaran, 20 pelatihan") || !strings.Contains(out, "50 pinjaman") {
		t.Fatalf("demo-data: %v\n%s", err, out)
	}
	if _, _, err := runWith(t, env, "", "demo-data", "--scale", "1"); err == nil || !strings.Contains(err.Error(), "already holds") {
		t.Errorf("second demo-data: %v, want a refusal", err)
	}
	if _, _, err := runWith(t, env, "", "demo-data", "--scale", "0"); err == nil {
		t.Error("--scale 0 was accepted")
	}
}

// TestGenDemo checks that the same scale and seed give the same data set,
// and that it keeps the rules the stores keep: unique NIK per business,
// loans paying by their schedule only once disbursed, distinct owners per
// training.
func TestGenDemo(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	a, err := genDemo(2, 9, now)
	if err != nil {
		t.Fatal(err)
	}
	b, err := genDemo(2, 9, now)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(a.Registrations[:5], a.Loans[:5], len(a.Outbox)) != fmt.Sprint(b.Registrations[:5], b.Loans[:5], len(b.Outbox)) {
		t.Error("the same seed gave different data")
	}
	nik := map[string]bool{}
	for _, r := range a.Registrations {
		if nik[r.NIK] || len(r.NIK) != 16 || r.CreatedAt.After(now) {
			t.Fatalf("registration %s: NIK %s repeated or malformed, or in the future", r.Number, r.NIK)
		}
		nik[r.NIK] = true
	}
	disbursed := map[int64]bool{}
	for _, l := range a.Loans {
		disbursed[l.ID] = !l.DisbursedAt.IsZero()
	}
	for _, p := range a.Payments {
		if !disbursed[p.LoanID] || p.PaidAt.After(now) {
			t.Fatalf("payment of loan %d: not disbursed, or paid in the future", p.LoanID)
		}
	}
	seen := map[[2]int64]bool{}
	for _, bk := range a.Bookings {
		k := [2]int64{bk.TrainingID, bk.UserID}
		if seen[k] {
			t.Fatalf("owner %d booked twice on training %d", bk.UserID, bk.TrainingID)
		}
		seen[k] = true
	}
}
