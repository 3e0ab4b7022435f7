package main

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// TestTally checks the verdict on made-up outcomes: what each kind of
// failure counts as, and that a clean run passes.
func TestTally(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	var os []*Owner
	for i := range 5 {
		os = append(os, NewOwner(r, i, int64(10+i), now))
	}
	number := func(o *Owner) string { return fmt.Sprintf("UMKM-3603-2026-%06d", o.ID) }
	done := func(o *Owner) *Result { return &Result{Owner: o, Done: true, Number: number(o)} }
	stored := func(o *Owner, recs ...Record) *Stored {
		s := &Stored{Records: recs, Consents: 1}
		for range recs {
			s.Numbers = append(s.Numbers, number(o))
		}
		return s
	}
	clean := &faultReport{owners: 5, killsPlanned: 1, killsDone: 1}
	var results []*Result
	db := map[int64]*Stored{}
	for _, o := range os {
		res := done(o)
		res.DupPrompts = []string{"name"} // reported, not a failure
		results = append(results, res)
		db[o.ID] = stored(o, o.Want)
	}
	clean.tally(results, db)
	if !clean.pass() || clean.dupPrompts != 5 {
		t.Fatalf("clean run: pass=%v %+v", clean.pass(), clean.lines)
	}

	wrong := os[1].Want
	wrong.Phone = "+6280000000000"
	db[os[1].ID] = stored(os[1], wrong)
	db[os[2].ID] = stored(os[2], os[2].Want, os[2].Want)
	results[3] = &Result{Owner: os[3], Stuck: "phone"}
	delete(db, os[3].ID)
	db[999] = stored(os[0], os[0].Want)
	bad := &faultReport{owners: 5, killsPlanned: 1, killsDone: 1}
	bad.tally(results, db)
	if bad.pass() || bad.wrongFields != 1 || bad.dupStored != 1 || bad.stuck != 1 || bad.missing != 1 ||
		bad.stray != 1 || bad.completed != 4 {
		t.Errorf("bad run: pass=%v wrong=%d dup=%d stuck=%d missing=%d stray=%d completed=%d\n%v", bad.pass(),
			bad.wrongFields, bad.dupStored, bad.stuck, bad.missing, bad.stray, bad.completed, bad.lines)
	}
}
