package loan_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/store"
)

func TestLinkHappyPath(t *testing.T) {
	tests := []struct{ typed, nik string }{
		{"updb 2026 42", "3603 1245 0790 0003"},
		{"UPDB-2026-0042", nikA},
		{"updb/2026/0042", "3603.1245.0790.0003"},
		{"2026-42", nikA},
		{"No. UPDB 2026 0042", nikA},
	}
	for _, tc := range tests {
		t.Run(tc.typed, func(t *testing.T) {
			f := newFixture(t)
			f.seed(t, store.Loan{Number: "UPDB-2026-0042", Stage: "VERIFIKASI"})
			ft.Want(t, f.do(t, ownerA, "/pinjaman"), "loan_link_intro", "loan_ask_number")
			rs := f.do(t, ownerA, tc.typed)
			ft.Want(t, rs, "loan_ask_nik")
			contains(t, f.plain(rs), "UPDB-2026-0042")
			rs = f.do(t, ownerA, tc.nik)
			ft.Want(t, rs, "loan_linked", "loan_card", "loan_view_prompt")
			contains(t, f.plain(rs), "UPDB-2026-0042", "⏳ Verifikasi berkas ← sekarang")
			if got := f.linked(t, ownerA); len(got) != 1 || got[0] != "UPDB-2026-0042" {
				t.Fatalf("linked %v", got)
			}
			if s := f.Session(ownerA); strings.Contains(strings.Join(mapValues(s.Data), " "), "0003") {
				t.Errorf("the session keeps the NIK: %v", s.Data)
			}
			// Later visits go straight to the loan, also by the command
			// owners guess from the menu's "Cek Pinjaman".
			ft.Want(t, f.do(t, ownerA, "/pinjaman"), "loan_card", "loan_view_prompt")
			ft.Want(t, f.do(t, ownerA, "/cekpinjaman"), "loan_card", "loan_view_prompt")
		})
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestLinkNumberFormat(t *testing.T) {
	f := newFixture(t)
	f.do(t, ownerA, "/pinjaman")
	ft.Want(t, f.do(t, ownerA, "nomor saya lupa"), "loan_number_format")
	ft.Want(t, f.do(t, ownerA, "UPDB-2026"), "loan_number_format")
	ft.Want(t, f.do(t, ownerA, "updb 2026 42"), "loan_ask_nik")
	ft.Want(t, f.do(t, ownerA, "3603 1245"), "field_nik_length")
	if n := f.loans.links.Load(); n != 0 {
		t.Errorf("a malformed NIK reached the store (%d lookups)", n)
	}
}

// TestWrongPairNeutral: a wrong number and a wrong NIK get the same words.
func TestWrongPairNeutral(t *testing.T) {
	tests := []struct {
		name         string
		number, nik  string
		user         int64
		wantAttempts int
	}{
		{"wrong number", "UPDB-2026-0043", nikA, 2001, 1},
		{"unknown number", "UPDB-2025-0001", nikA, 2002, 1},
		{"wrong NIK", "UPDB-2026-0042", nikB, 2003, 1},
		{"both wrong", "UPDB-2026-0099", nikB, 2004, 1},
	}
	f := newFixture(t)
	f.seed(t, store.Loan{Number: "UPDB-2026-0042"})
	f.seed(t, store.Loan{Number: "UPDB-2026-0043", NIK: nikB, ApplicantName: "Budi Santoso"})
	var first map[string]string
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs := f.link(t, tc.user, tc.number, tc.nik)
			ft.Want(t, rs, "loan_link_wrong", "loan_ask_nik")
			got := map[string]string{}
			for _, lang := range []string{"id", "en"} {
				got[lang] = f.Catalog.Plain(lang, rs[0].Text)
			}
			if first == nil {
				first = got
			} else if got["id"] != first["id"] || got["en"] != first["en"] {
				t.Errorf("the answer differs:\n%q\n%q", got, first)
			}
			lacks(t, got["id"], "NIK salah", "nomor salah", "tidak ditemukan", "Budi")
			at, err := f.tries.Attempts(context.Background(), tc.user)
			if err != nil || len(at) != tc.wantAttempts {
				t.Errorf("attempts %v, %v", at, err)
			}
			if len(f.linked(t, tc.user)) != 0 {
				t.Error("linked after a wrong pair")
			}
		})
	}
}

// TestLockAfterFiveFailures: the fifth failure locks lookups for the rest
// of the 24 hours; while locked, nothing is looked up, not even the right
// pair.
func TestLockAfterFiveFailures(t *testing.T) {
	f := newFixture(t)
	f.seed(t, store.Loan{Number: "UPDB-2026-0042"})
	f.do(t, ownerA, "/pinjaman")
	f.do(t, ownerA, "updb 2026 42")
	for i := 1; i <= 4; i++ {
		rs := f.do(t, ownerA, nikB)
		ft.Want(t, rs, "loan_link_wrong", "loan_ask_nik")
		if left := rs[0].Data["Left"]; left != 5-i {
			t.Errorf("try %d: left %v", i, left)
		}
		f.Advance(time.Minute)
	}
	rs := f.do(t, ownerA, nikB)
	ft.Want(t, rs, "loan_locked", "menu_prompt")
	// The first failure was at 09.00 WIB on Friday 27 November 2026; the
	// lock ends 24 hours later.
	contains(t, f.plain(rs[:1]), "Sabtu, 28 November 2026 pukul 09.00 WIB")
	lookups := f.loans.links.Load()
	if lookups != 5 {
		t.Fatalf("%d lookups for 5 tries", lookups)
	}

	f.Advance(time.Hour)
	ft.Want(t, f.do(t, ownerA, "/pinjaman"), "loan_locked", "menu_prompt")
	ft.Want(t, f.do(t, ownerA, "pinjaman"), "loan_locked", "menu_prompt")
	if n := f.loans.links.Load(); n != lookups {
		t.Errorf("a locked owner was looked up (%d lookups)", n)
	}
	if at, _ := f.tries.Attempts(context.Background(), ownerA); len(at) != 5 {
		t.Errorf("%d attempts counted, want 5", len(at))
	}
	if len(f.linked(t, ownerA)) != 0 {
		t.Error("linked while locked")
	}
	// Another account is not locked.
	ft.Want(t, f.do(t, ownerB, "/pinjaman"), "loan_link_intro", "loan_ask_number")

	// A day after the first failure, the right pair links.
	f.Advance(23 * time.Hour)
	ft.Want(t, f.link(t, ownerA, "updb 2026 42", nikA), "loan_linked", "loan_card", "loan_view_prompt")
}

func TestTimeline(t *testing.T) {
	tests := []struct {
		name   string
		loan   store.Loan
		then   []string // stages moved through after creation
		want   []string
		absent []string
	}{
		{"submitted", store.Loan{Stage: "DIAJUKAN"}, nil,
			[]string{"⏳ Pengajuan diterima ← sekarang\n▫️ Verifikasi berkas\n▫️ Survei lapangan", "belum perlu melakukan apa pun"},
			[]string{"✅"}},
		{"survey", store.Loan{Stage: "SURVEI"}, nil,
			[]string{"✅ Pengajuan diterima\n✅ Verifikasi berkas\n⏳ Survei lapangan ← sekarang\n▫️ Menunggu keputusan komite",
				"▫️ Lunas", "Siapkan KTP"},
			nil},
		{"documents missing", store.Loan{Stage: "PERLU_LENGKAPI", Note: "fotokopi KK dan surat keterangan usaha"}, nil,
			[]string{"✅ Verifikasi berkas\n⚠️ Berkas perlu dilengkapi ← sekarang\n▫️ Survei lapangan",
				"Mohon lengkapi berkas: fotokopi KK dan surat keterangan usaha"},
			nil},
		{"rejected", store.Loan{Stage: "RAPAT_KOMITE"}, []string{"DITOLAK"},
			[]string{"✅ Menunggu keputusan komite\n❌ Tidak disetujui", "Alasan: catatan DITOLAK"},
			[]string{"▫️", "⏳"}},
		{"withdrawn during the survey", store.Loan{Stage: "SURVEI"}, []string{"DIBATALKAN"},
			[]string{"✅ Survei lapangan\n❌ Dibatalkan pemohon"},
			[]string{"▫️", "Menunggu keputusan komite"}},
		{"approved", store.Loan{Stage: "DISETUJUI", Approved: 20_000_000}, nil,
			[]string{"⏳ Disetujui (Rp20.000.000) ← sekarang", "disetujui sebesar Rp20.000.000", "Rp20.000.000 (disetujui)"},
			nil},
		{"paid off", running("", "LUNAS"), nil,
			[]string{"✅ Angsuran berjalan\n✅ Lunas", "Surat Keterangan Lunas"},
			[]string{"▫️", "⏳", "Angsuran berikutnya"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			tc.loan.Number = "UPDB-2026-0042"
			l := f.seed(t, tc.loan)
			for _, to := range tc.then {
				if err := f.Store.MoveStage(context.Background(), store.StageMove{Actor: staffU, LoanID: l.ID,
					From: l.Stage, To: to, Note: "catatan " + to, At: f.Now()}, nil); err != nil {
					t.Fatal(err)
				}
				l.Stage = to
			}
			rs := f.link(t, ownerA, "UPDB-2026-0042", nikA)
			ft.Want(t, rs, "loan_linked", "loan_card", "loan_view_prompt")
			card := f.plain(rs[1:2])
			contains(t, card, tc.want...)
			lacks(t, card, tc.absent...)
		})
	}
}

// TestRunningLoan: next instalment, arrears once a month is missed, and
// the full schedule in pages of 12.
func TestRunningLoan(t *testing.T) {
	f := newFixture(t)
	f.seed(t, running("UPDB-2026-0042", "BERJALAN"))
	rs := f.link(t, ownerA, "UPDB-2026-0042", nikA)
	ft.Want(t, rs, "loan_linked", "loan_card", "loan_view_prompt")
	contains(t, f.plain(rs[1:2]),
		"Angsuran berikutnya: Rp777.778, jatuh tempo Selasa, 15 Desember 2026",
		"Sisa yang harus dibayar: Rp28.000.000", "Angsuran lunas: 0 dari 36", "✅ Tidak ada tunggakan.")

	// 16 December 2026: the first instalment is a day late.
	f.Advance(19 * 24 * time.Hour)
	rs = f.do(t, ownerA, "/pinjaman")
	ft.Want(t, rs, "loan_card", "loan_view_prompt")
	contains(t, f.plain(rs[:1]), "⚠️ Tunggakan: 1 angsuran, sebesar Rp777.778",
		"Angsuran berikutnya: Rp777.778, jatuh tempo Jumat, 15 Januari 2027")

	rs = f.tap(t, ownerA, "Jadwal lengkap")
	ft.Want(t, rs, "loan_sched_page", "loan_sched_nav")
	page := f.plain(rs[:1])
	contains(t, page, "halaman 1 dari 3", "⚠️ 1. Selasa, 15 Desember 2026 · Rp777.778 (terlambat)",
		"▫️ 12. Senin, 15 November 2027")
	lacks(t, page, " 13. ")
	if rows, _ := rs[0].Data["Rows"].([]flows.Text); len(rows) != 12 {
		t.Errorf("page 1 has %d rows", len(rows))
	}
	if got := labels(f, ownerA); strings.Join(got, "|") != "Berikutnya ›|Kembali ke status" {
		t.Errorf("page 1 buttons %q", got)
	}
	rs = f.tap(t, ownerA, "Berikutnya ›")
	ft.Want(t, rs, "loan_sched_page", "loan_sched_nav")
	contains(t, f.plain(rs[:1]), "halaman 2 dari 3", " 13. ", " 24. ")
	if got := labels(f, ownerA); strings.Join(got, "|") != "‹ Sebelumnya|Berikutnya ›|Kembali ke status" {
		t.Errorf("page 2 buttons %q", got)
	}
	rs = f.tap(t, ownerA, "Berikutnya ›")
	contains(t, f.plain(rs[:1]), "halaman 3 dari 3", " 36. Kamis, 15 November 2029 · Rp777.770")
	// A forged page number shows the last page.
	rs = f.TapData(ownerA, "loan.sched:p99")
	contains(t, f.plain(rs[:1]), "halaman 3 dari 3")
	ft.Want(t, f.tap(t, ownerA, "Kembali ke status"), "loan_card", "loan_view_prompt")
}

func labels(f *fixture, user int64) []string {
	var out []string
	for _, b := range f.Buttons(user) {
		out = append(out, f.Catalog.Label("id", b.Label))
	}
	return out
}

func TestUnlink(t *testing.T) {
	f := newFixture(t)
	f.seed(t, running("UPDB-2026-0042", "BERJALAN"))
	f.link(t, ownerA, "UPDB-2026-0042", nikA)
	stale := f.Buttons(ownerA)
	ft.Want(t, f.tap(t, ownerA, "Lepas tautan"), "loan_unlink_confirm")
	ft.Want(t, f.do(t, ownerA, "tidak"), "loan_card", "loan_view_prompt")
	f.tap(t, ownerA, "Lepas tautan")
	ft.Want(t, f.tap(t, ownerA, "Ya, lepaskan"), "loan_unlinked", "menu_prompt")
	if got := f.linked(t, ownerA); len(got) != 0 {
		t.Fatalf("still linked: %v", got)
	}
	for _, b := range stale {
		rs := f.TapData(ownerA, b.Data)
		ft.Want(t, rs, "err_stale_button")
	}
	ft.Want(t, f.do(t, ownerA, "/pinjaman"), "loan_link_intro", "loan_ask_number")
}

func TestSeveralLoans(t *testing.T) {
	f := newFixture(t)
	f.seed(t, store.Loan{Number: "UPDB-2026-0042", Stage: "SURVEI"})
	f.seed(t, running("UPDB-2025-0007", "BERJALAN"))
	f.link(t, ownerA, "UPDB-2026-0042", nikA)
	f.tap(t, ownerA, "Tautkan lagi")
	rs := f.do(t, ownerA, "updb 2025 7")
	ft.Want(t, rs, "loan_ask_nik")
	ft.Want(t, f.do(t, ownerA, nikA), "loan_linked", "loan_card", "loan_view_prompt")
	rs = f.do(t, ownerA, "/pinjaman")
	ft.Want(t, rs, "loan_pick")
	if got := labels(f, ownerA); strings.Join(got, "|") != "UPDB-2026-0042|UPDB-2025-0007|Tautkan lagi" {
		t.Fatalf("pick buttons %q", got)
	}
	rs = f.tap(t, ownerA, "UPDB-2025-0007")
	ft.Want(t, rs, "loan_card", "loan_view_prompt")
	contains(t, f.plain(rs[:1]), "Pinjaman UPDB-2025-0007", "Angsuran berikutnya")
	rs = f.tap(t, ownerA, "Pinjaman lain")
	ft.Want(t, rs, "loan_pick")
	ft.Want(t, f.do(t, ownerA, "UPDB-2026-0042"), "loan_card", "loan_view_prompt")
}

// TestHelpAndExamples: bantuan explains every step, and three wrong
// answers show an example; all of it renders.
func TestHelpAndExamples(t *testing.T) {
	f := newFixture(t)
	f.seed(t, running("UPDB-2026-0042", "BERJALAN"))
	f.seed(t, store.Loan{Number: "UPDB-2026-0044"})
	steps := []struct {
		user   int64
		reach  func()
		help   string
		prompt string
	}{
		{ownerA, func() { f.do(t, ownerA, "/pinjaman") }, "loan_help_number", "loan_ask_number"},
		{ownerA, func() { f.do(t, ownerA, "updb 2026 42") }, "loan_help_nik", "loan_ask_nik"},
		{ownerA, func() { f.do(t, ownerA, nikA) }, "loan_help_view", "loan_view_prompt"},
		{ownerA, func() { f.tap(t, ownerA, "Jadwal lengkap") }, "loan_help_sched", "loan_sched_nav"},
		{ownerA, func() { f.tap(t, ownerA, "Kembali ke status"); f.tap(t, ownerA, "Lepas tautan") },
			"loan_help_unlink", "loan_unlink_confirm"},
		{staffU, func() { f.do(t, staffU, "/pinjamanstaf") }, "loan_staff_help_search", "loan_staff_ask_search"},
		{staffU, func() { f.do(t, staffU, "siti") }, "loan_staff_help_pick", "loan_staff_pick"},
		{staffU, func() { f.tap(t, staffU, "UPDB-2026-0042 · Siti Aminah") }, "loan_staff_help_view", "loan_staff_view_prompt"},
		{staffU, func() { f.tap(t, staffU, "Ubah tahap") }, "loan_staff_help_stage", "loan_staff_ask_stage"},
		{staffU, func() { f.tap(t, staffU, "Lunas") }, "loan_staff_help_note", "loan_staff_ask_note"},
		{staffU, func() { f.tap(t, staffU, "Lewati") }, "loan_staff_help_confirm", "loan_staff_move_confirm"},
		{staffU, func() { f.do(t, staffU, "tidak"); f.tap(t, staffU, "Catat pembayaran") }, "loan_staff_help_amount", "loan_staff_ask_amount"},
		{staffU, func() { f.do(t, staffU, "500rb") }, "loan_staff_help_date", "loan_staff_ask_date"},
		{staffU, func() { f.do(t, staffU, "kemarin") }, "loan_staff_help_confirm", "loan_staff_pay_confirm"},
		{staffU, func() { f.do(t, staffU, "tidak"); f.tap(t, staffU, "Percobaan tautan") }, "loan_staff_help_user", "loan_staff_ask_user"},
	}
	for _, st := range steps {
		st.reach()
		ft.Want(t, f.do(t, st.user, "bantuan"), st.help, st.prompt)
	}
	// Three wrong answers to a step with an example.
	f.do(t, ownerB, "/pinjaman")
	for i := 1; i <= 3; i++ {
		rs := f.do(t, ownerB, "entah")
		if i == 3 {
			ft.Want(t, rs, "loan_number_format", "err_three_strikes")
			contains(t, f.plain(rs), "UPDB-2026-0042, atau updb 2026 42")
		}
	}
}

// TestWrongNIKStaysOnNIK: after a wrong pair the owner stays at the NIK
// question with the number kept, so a retyped NIK is read as a NIK (each
// wrong one still counts); "Ubah nomor", or a number typed with its UPDB,
// changes the number without counting.
func TestWrongNIKStaysOnNIK(t *testing.T) {
	for _, lang := range []string{"id", "en"} {
		t.Run(lang, func(t *testing.T) {
			f := newFixture(t)
			f.seed(t, store.Loan{Number: "UPDB-2026-0042"})
			if lang == "en" {
				if err := f.Store.SetLanguage(context.Background(), ownerA, "en"); err != nil {
					t.Fatal(err)
				}
			}
			f.do(t, ownerA, "/pinjaman")
			rs := f.do(t, ownerA, "updb 2026 42")
			ft.Want(t, rs, "loan_ask_nik")
			rs = f.do(t, ownerA, nikB)
			ft.Want(t, rs, "loan_link_wrong", "loan_ask_nik")
			contains(t, f.Plain(rs[1:]), "UPDB-2026-0042")
			if got := labels(f, ownerA); len(got) != 1 || got[0] != "Ubah nomor" {
				t.Fatalf("NIK buttons %q", got)
			}
			if f.Session(ownerA).State != "nik" {
				t.Fatalf("state %s after a wrong NIK", f.Session(ownerA).State)
			}
			// A second wrong NIK is read as a NIK and counts.
			rs = f.do(t, ownerA, "3603 1212 0385 0001")
			ft.Want(t, rs, "loan_link_wrong", "loan_ask_nik")
			if left := rs[0].Data["Left"]; left != 3 {
				t.Errorf("left %v after two wrong NIKs, want 3", left)
			}
			// The number typed with its UPDB replaces the one kept.
			rs = f.do(t, ownerA, "UPDB-2026-0043")
			ft.Want(t, rs, "loan_number_changed", "loan_ask_nik")
			contains(t, f.Plain(rs[1:]), "UPDB-2026-0043")
			// The button goes back to the number question.
			ft.Want(t, f.tap(t, ownerA, "Ubah nomor"), "loan_ask_number")
			f.do(t, ownerA, "UPDB-2026-0042")
			rs = f.do(t, ownerA, nikA)
			ft.Want(t, rs, "loan_linked", "loan_card", "loan_view_prompt")
			if at, _ := f.tries.Attempts(context.Background(), ownerA); len(at) != 2 {
				t.Errorf("%d attempts counted, want 2", len(at))
			}
			for _, r := range rs {
				if r.Lang != lang {
					t.Errorf("reply %s in %q, want %q", r.ID, r.Lang, lang)
				}
			}
		})
	}
}
