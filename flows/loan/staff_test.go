package loan_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/store"
)

func TestStaffOnly(t *testing.T) {
	f := newFixture(t)
	f.seed(t, store.Loan{Number: "UPDB-2026-0042"})
	for _, in := range []string{"/pinjamanstaf", "/pinjamanstaf UPDB-2026-0042"} {
		ft.Want(t, f.do(t, ownerA, in), "err_unknown_command")
	}
	ft.Want(t, f.TapData(ownerA, "/pinjamanstaf Siti"), "err_unknown_command")
	if log, _ := f.Store.AuditLog(context.Background(), "loan:UPDB-2026-0042"); slices.ContainsFunc(log,
		func(e store.AuditEntry) bool { return e.Action == "view" }) {
		t.Error("a non-staff view was audited")
	}
}

// views counts the audited staff views of a loan.
func (f *fixture) views(t *testing.T, number string) int {
	t.Helper()
	log, err := f.Store.AuditLog(context.Background(), "loan:"+number)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range log {
		if e.Action == "view" && e.Actor == staffU {
			n++
		}
	}
	return n
}

func TestStaffSearchAndView(t *testing.T) {
	f := newFixture(t)
	f.seed(t, store.Loan{Number: "UPDB-2026-0042", Stage: "VERIFIKASI"})
	f.seed(t, running("UPDB-2025-0007", "BERJALAN"))
	f.seed(t, store.Loan{Number: "UPDB-2026-0043", NIK: nikB, ApplicantName: "Budi Santoso"})
	f.link(t, ownerA, "UPDB-2025-0007", nikA)

	ft.Want(t, f.do(t, staffU, "/pinjamanstaf"), "loan_staff_ask_search")
	ft.Want(t, f.do(t, staffU, "x"), "loan_staff_query_short")
	ft.Want(t, f.do(t, staffU, "Rahmat"), "loan_staff_none")
	rs := f.do(t, staffU, "siti")
	ft.Want(t, rs, "loan_staff_pick")
	if got := labels(f, staffU); strings.Join(got, "|") != "UPDB-2025-0007 · Siti Aminah|UPDB-2026-0042 · Siti Aminah|Cari lagi" {
		t.Fatalf("pick %q", got)
	}
	rs = f.tap(t, staffU, "UPDB-2025-0007 · Siti Aminah")
	ft.Want(t, rs, "loan_staff_card", "loan_staff_view_prompt")
	card := f.plain(rs[:1])
	contains(t, card, "UPDB-2025-0007 · Angsuran berjalan", "NIK 3603********0003", "Kue Basah Bu Siti",
		"disetujui Rp25.000.000", "bunga 4% per tahun, flat", "Tanggal cair: Minggu, 15 November 2026",
		"Akun pemilik yang tertaut: 1", "dicatat di tahap Angsuran berjalan · impor",
		"36 angsuran, umumnya Rp777.778 per bulan", "Belum ada pembayaran.", "Rp777.778, jatuh tempo Selasa, 15 Desember 2026")
	lacks(t, card, nikA)
	if n := f.views(t, "UPDB-2025-0007"); n != 1 {
		t.Errorf("%d audited views, want 1", n)
	}
	if got := labels(f, staffU); strings.Join(got, "|") != "Ubah tahap|Catat pembayaran|Percobaan tautan|Cari lagi" {
		t.Errorf("view buttons %q", got)
	}

	// A number typed loosely finds the loan at once.
	rs = f.do(t, staffU, "/pinjamanstaf updb 2026 42")
	ft.Want(t, rs, "loan_staff_card", "loan_staff_view_prompt")
	if got := labels(f, staffU); strings.Join(got, "|") != "Ubah tahap|Percobaan tautan|Cari lagi" {
		t.Errorf("view buttons of an application %q", got)
	}
	if n := f.views(t, "UPDB-2026-0042"); n != 1 {
		t.Errorf("%d audited views, want 1", n)
	}
}

func TestStaffAllowedStagesOnly(t *testing.T) {
	tests := []struct {
		stage string
		want  []string
	}{
		{"VERIFIKASI", []string{"Berkas perlu dilengkapi", "Survei lapangan", "Dibatalkan pemohon", "Kembali"}},
		{"RAPAT_KOMITE", []string{"Disetujui", "Tidak disetujui", "Dibatalkan pemohon", "Kembali"}},
		{"MENUNGGAK", []string{"Angsuran berjalan", "Lunas", "Kembali"}},
	}
	for _, tc := range tests {
		t.Run(tc.stage, func(t *testing.T) {
			f := newFixture(t)
			l := running("UPDB-2026-0042", tc.stage)
			f.seed(t, l)
			f.do(t, staffU, "/pinjamanstaf UPDB-2026-0042")
			ft.Want(t, f.tap(t, staffU, "Ubah tahap"), "loan_staff_ask_stage")
			if got := labels(f, staffU); !slices.Equal(got, tc.want) {
				t.Errorf("stage buttons %q, want %q", got, tc.want)
			}
		})
	}
}

func TestStaffRefusedTransition(t *testing.T) {
	f := newFixture(t)
	f.seed(t, store.Loan{Number: "UPDB-2026-0042", Stage: "VERIFIKASI"})
	f.do(t, staffU, "/pinjamanstaf UPDB-2026-0042")
	f.tap(t, staffU, "Ubah tahap")
	for _, in := range []func() []flows.Reply{
		func() []flows.Reply { return f.do(t, staffU, "lunas") },
		func() []flows.Reply { return f.TapData(staffU, "loanstaff.stage:LUNAS") },
	} {
		rs := in()
		ft.Want(t, rs, "loan_staff_move_refused")
		checkRendered(t, f.Harness, rs)
		contains(t, f.plain(rs), "dari Verifikasi berkas ke Lunas", "• Survei lapangan")
	}
	ft.Want(t, f.do(t, staffU, "terbang"), "loan_staff_stage_unknown")
	if l, _ := f.Store.Loan(context.Background(), "UPDB-2026-0042"); l.Stage != "VERIFIKASI" {
		t.Errorf("stage %s", l.Stage)
	}
}

// TestStaffRejectWithNote: DITOLAK needs a note; the owner is told once,
// through the outbox, with the reason and a /pinjaman button.
func TestStaffRejectWithNote(t *testing.T) {
	f := newFixture(t)
	f.seed(t, store.Loan{Number: "UPDB-2026-0042", Stage: "RAPAT_KOMITE"})
	f.link(t, ownerA, "UPDB-2026-0042", nikA)
	if err := f.Store.SetLanguage(context.Background(), ownerA, "en"); err != nil {
		t.Fatal(err)
	}
	f.do(t, staffU, "/pinjamanstaf UPDB-2026-0042")
	f.tap(t, staffU, "Ubah tahap")
	rs := f.tap(t, staffU, "Tidak disetujui")
	ft.Want(t, rs, "loan_staff_ask_note_required")
	if len(f.Buttons(staffU)) != 0 && labels(f, staffU)[0] == "Lewati" {
		t.Error("a required note offers Lewati")
	}
	ft.Want(t, f.do(t, staffU, "lewati"), "loan_staff_note_required")
	ft.Want(t, f.do(t, staffU, "-"), "loan_staff_note_required")
	ft.Want(t, f.do(t, staffU, strings.Repeat("a", 501)), "loan_staff_note_long")
	rs = f.do(t, staffU, "Usaha belum berjalan 6 bulan")
	ft.Want(t, rs, "loan_staff_move_confirm")
	contains(t, f.plain(rs), "dari Menunggu keputusan komite ke Tidak disetujui", "Usaha belum berjalan 6 bulan")
	rs = f.tap(t, staffU, "Ya, pindahkan")
	ft.Want(t, rs, "loan_staff_moved", "loan_staff_card", "loan_staff_view_prompt")
	contains(t, f.plain(rs), "Pemilik yang diberi kabar: 1", "Menunggu keputusan komite → Tidak disetujui · petugas 7001",
		"Catatan: Usaha belum berjalan 6 bulan")
	if got := labels(f, staffU); strings.Join(got, "|") != "Percobaan tautan|Cari lagi" {
		t.Errorf("a final stage offers %q", got)
	}

	items := f.outbox(t)
	if len(items) != 1 {
		t.Fatalf("%d outbox rows, want 1", len(items))
	}
	it := items[0]
	if it.ChatID != ownerA || it.Kind != "loan" {
		t.Errorf("row %+v", it)
	}
	r, err := flows.DecodeReply(it.Payload)
	if err != nil {
		t.Fatal(err)
	}
	checkRendered(t, f.Harness, []flows.Reply{r})
	if r.ID != "loan_notice_stage" || r.Lang != "en" || len(r.Buttons) != 1 || r.Buttons[0][0].Data != "/pinjaman" {
		t.Errorf("notice %+v", r)
	}
	contains(t, f.Catalog.Plain(r.Lang, r.Text), "UPDB-2026-0042", "Not approved", "Reason: Usaha belum berjalan 6 bulan")
	// The owner sees the reason too (the chat stays in the language it
	// started in).
	contains(t, f.plain(f.do(t, ownerA, "/pinjaman")), "Alasan: Usaha belum berjalan 6 bulan")
}

func TestStaffOptionalNote(t *testing.T) {
	f := newFixture(t)
	f.seed(t, store.Loan{Number: "UPDB-2026-0042", Stage: "VERIFIKASI"})
	f.do(t, staffU, "/pinjamanstaf UPDB-2026-0042")
	f.tap(t, staffU, "Ubah tahap")
	ft.Want(t, f.do(t, staffU, "survei lapangan"), "loan_staff_ask_note")
	rs := f.tap(t, staffU, "Lewati")
	ft.Want(t, rs, "loan_staff_move_confirm")
	contains(t, f.plain(rs), "(tanpa catatan)")
	ft.Want(t, f.do(t, staffU, "tidak"), "loan_staff_move_aborted", "loan_staff_view_prompt")
	f.tap(t, staffU, "Ubah tahap")
	f.tap(t, staffU, "Survei lapangan")
	f.tap(t, staffU, "Lewati")
	ft.Want(t, f.do(t, staffU, "ya"), "loan_staff_moved", "loan_staff_card", "loan_staff_view_prompt")
	if l, _ := f.Store.Loan(context.Background(), "UPDB-2026-0042"); l.Stage != "SURVEI" {
		t.Errorf("stage %s", l.Stage)
	}
	if n := len(f.outbox(t)); n != 0 {
		t.Errorf("%d notices without a linked owner", n)
	}
}

// TestStaffConflict: someone else moves the loan between the view and the
// confirmation; the change is refused and the loan shown as it is now.
func TestStaffConflict(t *testing.T) {
	f := newFixture(t)
	l := f.seed(t, store.Loan{Number: "UPDB-2026-0042", Stage: "VERIFIKASI"})
	f.do(t, staffU, "/pinjamanstaf UPDB-2026-0042")
	f.tap(t, staffU, "Ubah tahap")
	f.tap(t, staffU, "Survei lapangan")
	f.tap(t, staffU, "Lewati")
	if err := f.Store.MoveStage(context.Background(), store.StageMove{Actor: 7002, LoanID: l.ID,
		From: "VERIFIKASI", To: "PERLU_LENGKAPI", Note: "KK", At: f.Now()}, nil); err != nil {
		t.Fatal(err)
	}
	rs := f.tap(t, staffU, "Ya, pindahkan")
	ft.Want(t, rs, "loan_staff_conflict", "loan_staff_card", "loan_staff_view_prompt")
	contains(t, f.plain(rs[:1]), "Berkas perlu dilengkapi")
	if got, _ := f.Store.Loan(context.Background(), "UPDB-2026-0042"); got.Stage != "PERLU_LENGKAPI" {
		t.Errorf("stage %s", got.Stage)
	}
	// The stage buttons now start from the new stage.
	f.tap(t, staffU, "Ubah tahap")
	if got := labels(f, staffU); strings.Join(got, "|") != "Verifikasi berkas|Dibatalkan pemohon|Kembali" {
		t.Errorf("stage buttons %q", got)
	}
}

func TestStaffPayment(t *testing.T) {
	f := newFixture(t)
	f.seed(t, running("UPDB-2026-0042", "BERJALAN"))
	f.link(t, ownerA, "UPDB-2026-0042", nikA)
	f.Advance(19 * 24 * time.Hour) // Wednesday 16 December 2026: the first instalment is late
	f.do(t, staffU, "/pinjamanstaf UPDB-2026-0042")
	ft.Want(t, f.tap(t, staffU, "Catat pembayaran"), "loan_staff_ask_amount")
	ft.Want(t, f.do(t, staffU, "nol"), "field_money_format")
	ft.Want(t, f.do(t, staffU, "0"), "loan_staff_amount_zero")
	ft.Want(t, f.do(t, staffU, "777.778"), "loan_staff_ask_date")
	ft.Want(t, f.do(t, staffU, "12/01/2027"), "loan_staff_date_future")
	ft.Want(t, f.do(t, staffU, "1/11/2026"), "loan_staff_date_early")
	ft.Want(t, f.do(t, staffU, "31/02/2026"), "loan_staff_date_format", "err_three_strikes")
	rs := f.do(t, staffU, "kemarin")
	ft.Want(t, rs, "loan_staff_pay_confirm")
	contains(t, f.plain(rs), "Rp777.778", "Selasa, 15 Desember 2026")
	rs = f.tap(t, staffU, "Ya, catat")
	ft.Want(t, rs, "loan_staff_paid", "loan_staff_card", "loan_staff_view_prompt")
	contains(t, f.plain(rs), "Pemilik yang diberi kabar: 1", "1 pembayaran, total Rp777.778",
		"Selasa, 15 Desember 2026 · Rp777.778 · petugas 7001", "Lunas 1 · tunggakan 0")

	pays, err := f.Store.Payments(context.Background(), 1)
	if err != nil || len(pays) != 1 {
		t.Fatalf("payments %v, %v", pays, err)
	}
	if p := pays[0]; p.Amount != 777_778 || p.Actor != staffU || !p.PaidAt.Equal(time.Date(2026, 12, 15, 0, 0, 0, 0, wib)) {
		t.Errorf("payment %+v", p)
	}
	items := f.outbox(t)
	if len(items) != 1 || !strings.HasPrefix(items[0].Key, "loanpay:") {
		t.Fatalf("outbox %+v", items)
	}
	r, err := flows.DecodeReply(items[0].Payload)
	if err != nil || r.ID != "loan_notice_payment" {
		t.Fatalf("notice %+v, %v", r, err)
	}
	checkRendered(t, f.Harness, []flows.Reply{r})
	// The owner's arrears are gone.
	contains(t, f.plain(f.do(t, ownerA, "/pinjaman")), "✅ Tidak ada tunggakan.", "Angsuran lunas: 1 dari 36")

	// Today's payment with the button.
	f.tap(t, staffU, "Catat pembayaran")
	f.do(t, staffU, "Rp 777.778")
	rs = f.tap(t, staffU, "Hari ini")
	contains(t, f.plain(rs), "Rabu, 16 Desember 2026")
	f.tap(t, staffU, "Ya, catat")
	if pays, _ := f.Store.Payments(context.Background(), 1); len(pays) != 2 {
		t.Errorf("%d payments", len(pays))
	}
}

func TestStaffPaymentNeedsRunningLoan(t *testing.T) {
	f := newFixture(t)
	f.seed(t, store.Loan{Number: "UPDB-2026-0042", Stage: "SURVEI"})
	f.do(t, staffU, "/pinjamanstaf UPDB-2026-0042")
	ft.Want(t, f.TapData(staffU, "loanstaff.sview:pay"), "loan_staff_pay_stage")
}

func TestStaffAttempts(t *testing.T) {
	f := newFixture(t)
	f.seed(t, store.Loan{Number: "UPDB-2026-0042"})
	for range 2 {
		f.link(t, ownerB, "UPDB-2026-0042", nikB)
		f.Advance(time.Minute)
	}
	ft.Want(t, f.do(t, staffU, "/pinjamanstaf"), "loan_staff_ask_search")
	ft.Want(t, f.tap(t, staffU, "Percobaan tautan"), "loan_staff_ask_user")
	ft.Want(t, f.do(t, staffU, "budi"), "loan_staff_user_format")
	rs := f.do(t, staffU, "1002")
	ft.Want(t, rs, "loan_staff_attempts", "loan_staff_ask_search")
	contains(t, f.plain(rs[:1]), "akun 1002", ": 2", "Jumat, 27 November 2026 pukul 09.00 WIB",
		"pukul 09.01 WIB", "Pengecekan tidak terkunci.")
	log, err := f.Store.AuditLog(context.Background(), "user:1002")
	if err != nil || len(log) != 1 || log[0].Actor != staffU || log[0].Action != "view" {
		t.Errorf("audit %+v, %v", log, err)
	}
}
