package loan_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/flows/loan"
	"github.com/diskum-tangerang/umkmbot/store"
)

// notices decodes the queued outbox rows.
func (f *fixture) notices(t *testing.T) []flows.Reply {
	t.Helper()
	var out []flows.Reply
	for _, it := range f.outbox(t) {
		r, err := flows.DecodeReply(it.Payload)
		if err != nil {
			t.Fatal(err)
		}
		checkRendered(t, f.Harness, []flows.Reply{r})
		out = append(out, r)
	}
	return out
}

// TestStaffApprovesWithAmount: DISETUJUI asks for the approved amount
// (more than 0, at most the amount requested, typed as staff type money),
// shows it in the confirmation, the notice (which quotes the staff's note),
// the staff card, its history and the owner's timeline; the schedule is
// computed on it.
func TestStaffApprovesWithAmount(t *testing.T) {
	for _, lang := range []string{"id", "en"} {
		t.Run(lang, func(t *testing.T) {
			f := newFixture(t)
			l := f.seed(t, store.Loan{Number: "UPDB-2026-0042", Stage: "RAPAT_KOMITE", Requested: 30_000_000})
			f.link(t, ownerA, "UPDB-2026-0042", nikA)
			if err := f.Store.SetLanguage(context.Background(), ownerA, lang); err != nil {
				t.Fatal(err)
			}
			f.do(t, staffU, "/pinjamanstaf UPDB-2026-0042")
			f.tap(t, staffU, "Ubah tahap")
			rs := f.tap(t, staffU, "Disetujui")
			ft.Want(t, rs, "loan_staff_ask_approved")
			contains(t, f.plain(rs), "Rp30.000.000")
			ft.Want(t, f.do(t, staffU, "dua puluh"), "field_money_format")
			ft.Want(t, f.do(t, staffU, "0"), "loan_staff_approved_zero")
			rs = f.do(t, staffU, "35 juta")
			ft.Want(t, rs, "loan_staff_approved_over", "err_three_strikes")
			contains(t, f.plain(rs[:1]), "Rp35.000.000", "Rp30.000.000")
			ft.Want(t, f.do(t, staffU, "2 juta per bulan"), "loan_staff_approved_per_month", "err_three_strikes")
			ft.Want(t, f.do(t, staffU, "25 juta"), "loan_staff_ask_note")
			rs = f.do(t, staffU, "Akad dijadwalkan setelah rekening dibuka.")
			ft.Want(t, rs, "loan_staff_move_confirm")
			contains(t, f.plain(rs), "ke Disetujui?", "Jumlah disetujui: Rp25.000.000",
				"Akad dijadwalkan setelah rekening dibuka.")
			rs = f.tap(t, staffU, "Ya, pindahkan")
			ft.Want(t, rs, "loan_staff_moved", "loan_staff_card", "loan_staff_view_prompt")
			contains(t, f.plain(rs), "ke Disetujui sebesar Rp25.000.000", "Diminta Rp30.000.000 · disetujui Rp25.000.000",
				"Menunggu keputusan komite → Disetujui (Rp25.000.000) · petugas 7001")
			lacks(t, f.plain(rs), "Rp0")

			got, err := f.Store.Loan(context.Background(), "UPDB-2026-0042")
			if err != nil || got.Stage != "DISETUJUI" || got.Approved != 25_000_000 {
				t.Fatalf("loan %+v, %v", got, err)
			}
			ns := f.notices(t)
			if len(ns) != 1 || ns[0].Lang != lang {
				t.Fatalf("notices %+v", ns)
			}
			notice := f.Catalog.Plain(lang, ns[0].Text)
			want := map[string][]string{
				"id": {"Selamat, pinjaman Anda disetujui sebesar Rp25.000.000.",
					"Catatan petugas: Akad dijadwalkan setelah rekening dibuka."},
				"en": {"Congratulations, your loan is approved for Rp25.000.000.",
					"Staff note: Akad dijadwalkan setelah rekening dibuka."},
			}[lang]
			contains(t, notice, want...)
			lacks(t, notice, "Rp0")

			// The owner's timeline shows the amount approved.
			rs = f.do(t, ownerA, "/pinjaman")
			contains(t, f.Plain(rs), "Disetujui (Rp25.000.000)")

			// Disbursed, the schedule runs on the approved amount: 36
			// instalments of Rp25.000.000 at 4 % flat are Rp777.778.
			for _, to := range []string{"AKAD", "DICAIRKAN"} {
				if err := f.Store.MoveStage(context.Background(), store.StageMove{Actor: staffU, LoanID: l.ID,
					From: map[string]string{"AKAD": "DISETUJUI", "DICAIRKAN": "AKAD"}[to], To: to, At: f.Now()}, nil); err != nil {
					t.Fatal(err)
				}
			}
			contains(t, f.Plain(f.do(t, ownerA, "/pinjaman")), "Rp777.778")
		})
	}
}

// TestStaffApprovalBack: "Kembali" at the amount question changes nothing.
func TestStaffApprovalBack(t *testing.T) {
	f := newFixture(t)
	f.seed(t, store.Loan{Number: "UPDB-2026-0042", Stage: "RAPAT_KOMITE"})
	f.do(t, staffU, "/pinjamanstaf UPDB-2026-0042")
	f.tap(t, staffU, "Ubah tahap")
	f.tap(t, staffU, "Disetujui")
	ft.Want(t, f.tap(t, staffU, "Kembali"), "loan_staff_view_prompt")
	if l, _ := f.Store.Loan(context.Background(), "UPDB-2026-0042"); l.Stage != "RAPAT_KOMITE" || l.Approved != 0 {
		t.Errorf("loan %+v", l)
	}
	if n := len(f.outbox(t)); n != 0 {
		t.Errorf("%d notices", n)
	}
}

// TestImportApproval: the import takes the approved amount from its
// column for DISETUJUI and the stages after it, and refuses a row without
// one.
func TestImportApproval(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.seed(t, store.Loan{Number: "UPDB-2026-0042", Stage: "RAPAT_KOMITE", Requested: 30_000_000})
	f.link(t, ownerA, "UPDB-2026-0042", nikA)
	file := loansHeader +
		"UPDB-2026-0042;3603124507900003;Siti Aminah;Kue Basah Bu Siti;30000000;;36;4;flat;;;DISETUJUI;\n" +
		"UPDB-2026-0060;3603124507900003;Siti Aminah;Warung;10000000;;12;4;flat;;;AKAD;\n"
	sum, err := loan.ImportCSV(ctx, strings.NewReader(file), f.Store, 0, f.Now(), loan.NewNotify(nil))
	if err != nil {
		t.Fatal(err)
	}
	checkRowErrors(t, sum.Errors, map[int]string{2: "disetujui wajib diisi untuk tahap DISETUJUI",
		3: "disetujui wajib diisi untuk tahap AKAD"})
	if l, _ := f.Store.Loan(ctx, "UPDB-2026-0042"); l.Stage != "RAPAT_KOMITE" {
		t.Fatalf("a refused row moved the loan to %s", l.Stage)
	}

	file = loansHeader +
		"UPDB-2026-0042;3603124507900003;Siti Aminah;Kue Basah Bu Siti;30000000;Rp25.000.000;36;4;flat;;;DISETUJUI;Silakan buka rekening di bank mitra\n"
	f.Advance(time.Hour)
	sum, err = loan.ImportCSV(ctx, strings.NewReader(file), f.Store, 0, f.Now(), loan.NewNotify(nil))
	if err != nil || len(sum.Errors) != 0 || sum.Changed != 1 {
		t.Fatalf("import %+v, %v", sum, err)
	}
	l, _ := f.Store.Loan(ctx, "UPDB-2026-0042")
	h, _ := f.Store.History(ctx, l.ID)
	if l.Stage != "DISETUJUI" || l.Approved != 25_000_000 || h[len(h)-1].Approved != 25_000_000 {
		t.Fatalf("loan %+v, history %+v", l, h)
	}
	ns := f.notices(t)
	if len(ns) != 1 {
		t.Fatalf("%d notices", len(ns))
	}
	contains(t, f.Catalog.Plain("id", ns[0].Text), "disetujui sebesar Rp25.000.000",
		"Catatan petugas: Silakan buka rekening di bank mitra")
}
