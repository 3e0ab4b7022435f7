package loan

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/flows/loan/domain"
	"github.com/diskum-tangerang/umkmbot/store"
)

// nikReasons explain a NIK the import refuses, without repeating it.
var nikReasons = map[string]string{
	field.CodeNIKChars:     "NIK berisi selain angka",
	field.CodeNIKLength:    "NIK harus 16 angka",
	field.CodeNIKRegion:    "kode wilayah NIK tidak dikenal",
	field.CodeNIKBirthdate: "tanggal lahir di NIK tidak mungkin",
	field.CodeNIKFuture:    "tanggal lahir di NIK belum terjadi",
	field.CodeNIKSerial:    "nomor urut NIK tidak boleh 0000",
}

// loanRow creates or updates one loan and moves its stage.
func (im *importer) loanRow(ctx context.Context, r row) error {
	l, target, ok := im.parseLoan(r)
	if !ok {
		return nil
	}
	if prev, dup := im.seen[l.Number]; dup {
		im.reject(r.line, "nomor %s sudah ada di baris %d", l.Number, prev)
		return nil
	}
	im.seen[l.Number] = r.line
	old, err := im.loans.Loan(ctx, l.Number)
	if errors.Is(err, store.ErrNotFound) {
		if target == "" {
			target = domain.Diajukan
		}
		if !im.noteOK(r, target, l.Note) {
			return nil
		}
		l.Stage = target
		if _, created, err := im.loans.UpsertLoan(ctx, im.actor, l); err != nil {
			return err
		} else if created {
			im.sum.Created++
			return nil
		}
		// Created meanwhile by someone else: it counts as existing.
		if old, err = im.loans.Loan(ctx, l.Number); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	if target == "" && approvedStage(old.Stage) && l.Approved == 0 {
		im.reject(r.line, "disetujui wajib diisi: %s sudah di tahap %s", l.Number, old.Stage)
		return nil
	}
	move := target != "" && target != old.Stage
	if move {
		if err := domain.CanMove(old.Stage, target); err != nil {
			im.reject(r.line, "transisi tidak mungkin: %s → %s", old.Stage, target)
			return nil
		}
		if !im.noteOK(r, target, l.Note) {
			return nil
		}
	}
	terms := termsDiffer(old, l)
	if terms {
		if _, _, err := im.loans.UpsertLoan(ctx, im.actor, l); err != nil {
			return err
		}
	}
	if move {
		m := store.StageMove{Actor: im.actor, LoanID: old.ID, From: old.Stage, To: target,
			Note: l.Note, At: im.now}
		if target == domain.Disetujui {
			m.Approved = l.Approved
		}
		err := im.loans.MoveStage(ctx, m, im.notify)
		if errors.Is(err, store.ErrConflict) {
			im.reject(r.line, "tahap %s berubah selama impor; jalankan impor lagi", l.Number)
			return nil
		}
		if err != nil {
			return err
		}
	}
	if terms || move {
		im.sum.Changed++
	} else {
		im.sum.Unchanged++
	}
	return nil
}

// noteOK rejects a row that moves to a stage needing a note without one.
func (im *importer) noteOK(r row, stage, note string) bool {
	if note == "" && noteRequired(stage) {
		im.reject(r.line, "catatan wajib diisi untuk tahap %s (berkas yang kurang, atau alasan penolakan)", stage)
		return false
	}
	return true
}

// parseLoan reads a row's loan and target stage ("" to keep the stage),
// rejecting the row with the first problem found.
func (im *importer) parseLoan(r row) (store.Loan, string, bool) {
	fail := func(format string, args ...any) (store.Loan, string, bool) {
		im.reject(r.line, format, args...)
		return store.Loan{}, "", false
	}
	number, ok := ParseNumber(r.get("nomor"))
	if !ok {
		return fail("nomor pengajuan tidak dikenali: %q (contoh: UPDB-2026-0042)", r.get("nomor"))
	}
	nik, err := field.ParseNIK(r.get("nik"), im.now)
	if err != nil {
		return fail("NIK tidak valid: %s", nikReasons[field.CodeOf(err)])
	}
	l := store.Loan{Number: number, NIK: nik.Digits, ApplicantName: r.get("nama"), BusinessName: r.get("usaha"),
		Note: r.get("catatan")}
	if l.ApplicantName == "" {
		return fail("nama pemohon kosong")
	}
	if l.Requested, ok = money(r.get("diminta")); !ok || l.Requested <= 0 {
		return fail("angka diminta tidak dikenali: %q", r.get("diminta"))
	}
	if s := r.get("disetujui"); s != "" {
		if l.Approved, ok = money(s); !ok {
			return fail("angka disetujui tidak dikenali: %q", s)
		}
		if l.Approved > l.Requested {
			return fail("disetujui (%d) lebih besar dari diminta (%d)", l.Approved, l.Requested)
		}
	}
	if l.TenorMonths, ok = count(r.get("tenor_bulan")); !ok || l.TenorMonths < 1 || l.TenorMonths > domain.MaxTenorMonths {
		return fail("tenor_bulan tidak dikenali: %q (jumlah bulan, 1 sampai %d)", r.get("tenor_bulan"), domain.MaxTenorMonths)
	}
	if l.RateBP, ok = parseRate(r.get("bunga_persen")); !ok {
		return fail("bunga_persen tidak dikenali: %q (contoh: 4 atau 4,5)", r.get("bunga_persen"))
	}
	if l.Method, ok = methods[strings.ToLower(r.get("metode"))]; !ok {
		return fail("metode tidak dikenali: %q (flat, menurun atau anuitas)", r.get("metode"))
	}
	if s := r.get("masa_tenggang"); s != "" {
		if l.GraceMonths, ok = count(s); !ok || l.GraceMonths >= l.TenorMonths {
			return fail("masa_tenggang tidak dikenali: %q (bulan, kurang dari tenor)", s)
		}
	}
	target := ""
	if s := r.get("tahap"); s != "" {
		if target = typedStage(s); target == "" {
			return fail("tahap tidak dikenal: %q", s)
		}
	}
	if approvedStage(target) && l.Approved == 0 {
		return fail("disetujui wajib diisi untuk tahap %s", target)
	}
	if s := r.get("tanggal_cair"); s != "" {
		if l.DisbursedAt, ok = ParseDate(s, im.now.In(wib)); !ok {
			return fail("tanggal_cair tidak dikenali: %q (tulis 31/12/2026 atau 2026-12-31)", s)
		}
		if _, err := domain.Schedule(domain.TermsOf(l)); err != nil {
			return fail("jadwal angsuran tidak bisa dihitung dari syarat pinjaman ini")
		}
	} else if running(target) || target == domain.Lunas {
		return fail("tanggal_cair wajib diisi untuk tahap %s", target)
	}
	return l, target, true
}

// approvedStage tells whether a loan at stage has been approved, so that
// its approved amount is known: DISETUJUI and every stage after it.
func approvedStage(stage string) bool {
	switch stage {
	case domain.Disetujui, domain.Akad, domain.Dicairkan, domain.Berjalan, domain.Menunggak, domain.Lunas:
		return true
	}
	return false
}

// termsDiffer tells whether the row changes an existing loan's terms.
func termsDiffer(old, l store.Loan) bool {
	return old.NIK != l.NIK || old.ApplicantName != l.ApplicantName || old.BusinessName != l.BusinessName ||
		old.Requested != l.Requested || old.Approved != l.Approved || old.TenorMonths != l.TenorMonths ||
		old.RateBP != l.RateBP || old.Method != l.Method || old.GraceMonths != l.GraceMonths ||
		(!l.DisbursedAt.IsZero() && !l.DisbursedAt.Equal(old.DisbursedAt))
}

// money reads an amount of the spreadsheet: plain digits, or grouped with
// dots ("25.000.000"), with or without "Rp".
func money(s string) (int64, bool) {
	n, perMonth, err := field.ParseMoney(s)
	return n, err == nil && !perMonth
}

// count reads a whole number of months.
func count(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil && n >= 0
}
