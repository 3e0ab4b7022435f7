package loan_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/store"
)

// foreign are words of owner B's loan that owner A must never read.
var foreign = []string{"UPDB-2026-0043", "Budi", "Bengkel", "Rp40.000.000", "0001"}

// seen renders replies in both languages.
func seen(f *fixture, rs []flows.Reply) string {
	out := ""
	for _, r := range rs {
		for _, lang := range []string{"id", "en"} {
			out += f.Catalog.Plain(lang, r.Text) + "\n"
			for _, row := range r.Buttons {
				for _, b := range row {
					out += f.Catalog.Label(lang, b.Label) + " " + b.Data + "\n"
				}
			}
		}
	}
	return out
}

// TestNoForeignLoan: owner A, linked to two loans, tries commands, typed
// text, forged and stale button data, and a tampered session; none shows
// owner B's loan.
func TestNoForeignLoan(t *testing.T) {
	f := newFixture(t)
	a1 := f.seed(t, running("UPDB-2026-0042", "BERJALAN"))
	f.seed(t, store.Loan{Number: "UPDB-2026-0044", Stage: "SURVEI"})
	b := f.seed(t, store.Loan{Number: "UPDB-2026-0043", NIK: nikB, ApplicantName: "Budi Santoso",
		BusinessName: "Bengkel Pak Budi", Requested: 40_000_000, Stage: "SURVEI"})
	f.link(t, ownerB, "UPDB-2026-0043", nikB)
	f.link(t, ownerA, "UPDB-2026-0042", nikA)
	f.tap(t, ownerA, "Tautkan lagi")
	f.do(t, ownerA, "UPDB-2026-0044")
	f.do(t, ownerA, nikA)

	var all []flows.Reply
	collect := func(rs []flows.Reply) { all = append(all, rs...) }
	inputs := []string{
		"/pinjaman", "UPDB-2026-0043", "updb 2026 43", "pinjaman Budi", "/pinjaman UPDB-2026-0043",
		"/pinjaman 2", "/pinjaman 1", "/pinjamanstaf UPDB-2026-0043", "/pinjamanstaf Budi",
	}
	for _, in := range inputs {
		collect(f.Send(ownerA, in))
	}
	forged := []string{
		"loan.pick:i0", "loan.pick:i1", "loan.pick:i2", "loan.pick:i3", "loan.pick:i-1", "loan.pick:i01",
		"loan.pick:i999", "loan.pick:" + strconv.FormatInt(b.ID, 10), "loan.pick:UPDB-2026-0043",
		"loan.view:sched", "loan.view:other", "loan.view:i2", "loan.view:" + strconv.FormatInt(b.ID, 10),
		"loan.sched:p0", "loan.sched:p1", "loan.sched:back", "loan.unlink:no",
		"loan.number:UPDB-2026-0043", "loan.nik:" + nikB,
		"loanstaff.search:attempts", "loanstaff.spick:i0", "loanstaff.sview:stage", "loanstaff.sview:pay",
		"/pinjamanstaf", "/pinjamanstaf 2026", "/pinjaman", "loan.pick:link",
	}
	for round := 0; round < 2; round++ {
		for _, data := range forged {
			collect(f.TapData(ownerA, data))
		}
		// Again from the pick step and from a schedule page.
		f.Send(ownerA, "/pinjaman")
	}
	f.Send(ownerA, "/pinjaman")
	f.TapLabel(ownerA, "UPDB-2026-0042")
	f.TapLabel(ownerA, "Jadwal lengkap")
	for _, data := range forged {
		collect(f.TapData(ownerA, data))
	}

	// Linking B's number with A's NIK fails like any wrong pair.
	f.Send(ownerA, "/pinjaman")
	f.TapLabel(ownerA, "Tautkan lagi")
	f.Send(ownerA, "UPDB-2026-0043") // echoes the number A typed
	rs := f.Send(ownerA, nikA)
	ft.Want(t, rs, "loan_link_wrong", "loan_ask_nik")
	collect(rs[:1]) // the NIK question after it echoes the number A typed
	f.Send(ownerA, "batal")

	// A session tampered to point at B's loan is checked against A's
	// links on the next step.
	f.Send(ownerA, "/pinjaman")
	f.TapLabel(ownerA, "UPDB-2026-0042")
	s := f.Session(ownerA)
	s.Data["loan"] = strconv.FormatInt(b.ID, 10)
	claim, err := f.Store.Claim(context.Background(), ownerA, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Store.Commit(context.Background(), claim, s, nil, 0); err != nil {
		t.Fatal(err)
	}
	rs = f.TapData(ownerA, "loan.view:sched")
	collect(rs)
	if len(rs) == 0 || rs[0].ID != "loan_not_linked" {
		t.Errorf("tampered session: %q", ft.IDs(rs))
	}

	// A loan unlinked elsewhere (another device) disappears at the next
	// step, and the old buttons show nothing.
	f.Send(ownerA, "/pinjaman")
	f.TapLabel(ownerA, "UPDB-2026-0042")
	stale := f.Buttons(ownerA)
	if err := f.Store.Unlink(context.Background(), ownerA, a1.ID); err != nil {
		t.Fatal(err)
	}
	rs = f.TapLabel(ownerA, "Jadwal lengkap")
	collect(rs)
	ft.Want(t, rs, "loan_not_linked", "loan_card", "loan_view_prompt")
	for _, bt := range stale {
		collect(f.TapData(ownerA, bt.Data))
	}
	lacks(t, seen(f, all), foreign...)
	lacks(t, seen(f, all), "UPDB-2026-0042 ·") // the staff's search labels
	if len(all) < 60 {
		t.Errorf("only %d replies collected", len(all))
	}
	// B still sees B's own loan.
	contains(t, seen(f, f.Send(ownerB, "/pinjaman")), "UPDB-2026-0043", "Bengkel Pak Budi")
}
