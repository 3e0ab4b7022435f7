package postgres_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/postgres/pgtest"
)

// TestRegistrationTally checks that the tallies the dashboard reads follow
// every change of a registration (creation, an edit moving it to another
// kecamatan and class, an owner's data deletion) and that the summary and
// the table's counts read them right.
func TestRegistrationTally(t *testing.T) {
	db := pgtest.New(t)
	ctx := t.Context()
	kecs := []string{"360301", "360302", "360303"}
	var regs []store.Registration
	for i := range 9 {
		r, _, err := db.CreateRegistration(ctx, fmt.Sprintf("k%d", i), store.Registration{
			UserID: int64(100 + i), OwnerName: "Pemilik", NIK: fmt.Sprintf("36030141019000%02d", i),
			BusinessName: fmt.Sprintf("Usaha %d", i), Sector: []string{"kuliner", "jasa"}[i%2],
			Kecamatan: kecs[i%3], Class: "mikro", ConsentAt: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		regs = append(regs, r)
	}
	moved := regs[0]
	moved.Kecamatan, moved.Class = "360303", "kecil"
	if err := db.UpdateRegistration(ctx, moved.UserID, moved); err != nil {
		t.Fatal(err)
	}
	if _, err := db.DeleteUserData(ctx, regs[1].UserID); err != nil {
		t.Fatal(err)
	}

	type key struct{ kec, sector, class string }
	tally := func(sql string) map[key][2]int {
		rows, err := db.Pool().Query(ctx, sql)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		m := map[key][2]int{}
		for rows.Next() {
			var k key
			var n, live int
			if err := rows.Scan(&k.kec, &k.sector, &k.class, &n, &live); err != nil {
				t.Fatal(err)
			}
			if n != 0 || live != 0 {
				m[k] = [2]int{n, live}
			}
		}
		return m
	}
	kept := tally(`SELECT kecamatan, sector, class, n, live FROM registration_tally`)
	counted := tally(`SELECT kecamatan, sector, class, count(*), count(*) FILTER (WHERE anonymised_at IS NULL)
		FROM registrations GROUP BY 1, 2, 3`)
	if fmt.Sprint(kept) != fmt.Sprint(counted) {
		t.Errorf("tally %v, counted from the rows %v", kept, counted)
	}

	s, err := db.RegistrationSummary(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if s.Total != 9 || len(s.Daily) != 30 || s.Daily[29].N != 9 {
		t.Errorf("summary: total %d, %d days, today %v; want 9, 30, 9", s.Total, len(s.Daily), s.Daily[len(s.Daily)-1])
	}
	// Anonymised rows still count in the statistics.
	if fmt.Sprint(s.ByClass) != "[{mikro 8} {kecil 1}]" || fmt.Sprint(s.ByKecamatan) != "[{360303 4} {360302 3} {360301 2}]" {
		t.Errorf("by class %v, by kecamatan %v", s.ByClass, s.ByKecamatan)
	}
	for _, c := range []struct {
		q    store.RegistrationQuery
		want int
	}{
		{store.RegistrationQuery{}, 8},
		{store.RegistrationQuery{Kecamatan: "360302"}, 2}, // regs[1] deleted its data
		{store.RegistrationQuery{Kecamatan: "360303", Class: "kecil"}, 1},
		{store.RegistrationQuery{Sector: "jasa", From: time.Now().Add(-time.Hour)}, 3},
	} {
		list, total, err := db.QueryRegistrations(ctx, c.q)
		if err != nil || total != c.want || len(list) != c.want {
			t.Errorf("QueryRegistrations(%+v) = %d rows, total %d, %v; want %d", c.q, len(list), total, err, c.want)
		}
	}
}
