package loan

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows/loan/domain"
	"github.com/diskum-tangerang/umkmbot/store"
)

// RowError is a rejected row of an import: its line in the file (from 1,
// the header included) and why, in Indonesian for the UPDB's staff.
type RowError struct {
	Line   int
	Reason string
}

// Summary tells what an import did. For a loans file: loans created, loans
// whose terms or stage changed, and loans already as the file says. For a
// payments file: payments recorded (Created) and payments recorded before
// (Unchanged).
type Summary struct {
	Created, Changed, Unchanged int
	Errors                      []RowError
}

// Columns of the two files ImportCSV reads; the header names them, in any
// order and case.
var (
	LoanColumns = []string{"nomor", "nik", "nama", "usaha", "diminta", "disetujui", "tenor_bulan",
		"bunga_persen", "metode", "masa_tenggang", "tanggal_cair", "tahap", "catatan"}
	PaymentColumns = []string{"nomor", "tanggal", "jumlah", "ref"}
)

// ImportCSV reads one of the UPDB's spreadsheets, saved as CSV (with ";",
// "," or tab between fields, as the header line shows; a UTF-8 byte order
// mark is skipped), and brings the store in line with it.
//
// A loans file has LoanColumns. Each row creates its loan at the row's
// stage, or updates the terms of an existing one and moves it to the row's
// stage when that is one step the stage rules allow (domain.CanMove); the
// move queues notify's notice for the linked owners. A blank tahap keeps an
// existing loan's stage (a new one starts at DIAJUKAN). A payments file
// has PaymentColumns (nomor, tanggal, jumlah, ref) and records each
// payment once: ref, unique per loan, makes a second import of the same
// row a no-op.
//
// Rows are checked before anything is written, so a rejected row changes
// nothing; it is reported with its line and reason, and the import goes on.
// Running the same file twice changes nothing and notifies nobody. The
// error is for a file that cannot be read at all or a store that fails.
func ImportCSV(ctx context.Context, r io.Reader, loans store.LoanStore, actor int64, now time.Time,
	notify store.LoanNotify) (Summary, error) {
	var sum Summary
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\ufeff")) {
		_, _ = br.Discard(3)
	}
	first, err := br.Peek(br.Size())
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return sum, fmt.Errorf("baca berkas: %w", err)
	}
	head, _, _ := bytes.Cut(first, []byte("\n"))
	cr := csv.NewReader(br)
	cr.Comma, cr.FieldsPerRecord, cr.TrimLeadingSpace, cr.ReuseRecord = separator(head), -1, true, false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return sum, errors.New("berkas kosong: baris judul kolom tidak ada")
	}
	if err != nil {
		return sum, fmt.Errorf("baris judul kolom tidak terbaca: %w", err)
	}
	cols := map[string]int{}
	for i, h := range header {
		cols[strings.ReplaceAll(strings.ToLower(strings.TrimSpace(h)), " ", "_")] = i
	}
	im := &importer{loans: loans, actor: actor, now: now, notify: notify, sum: &sum, seen: map[string]int{}}
	var handle func(context.Context, row) error
	switch {
	case has(cols, "tahap") || has(cols, "nik"):
		if missing := missingColumns(cols, LoanColumns); missing != "" {
			return sum, fmt.Errorf("kolom berkas pinjaman tidak lengkap: %s", missing)
		}
		handle = im.loanRow
	case has(cols, "jumlah"):
		if missing := missingColumns(cols, PaymentColumns); missing != "" {
			return sum, fmt.Errorf("kolom berkas pembayaran tidak lengkap: %s", missing)
		}
		handle = im.paymentRow
	default:
		return sum, fmt.Errorf("judul kolom tidak dikenali: berkas pinjaman perlu kolom %s; berkas pembayaran perlu kolom %s",
			strings.Join(LoanColumns, ", "), strings.Join(PaymentColumns, ", "))
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return sum, nil
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			im.reject(perr.StartLine, "baris CSV rusak (periksa tanda kutip)")
			continue
		}
		if err != nil {
			return sum, fmt.Errorf("baca berkas: %w", err)
		}
		line, _ := cr.FieldPos(0)
		rw := row{line: line, rec: rec, cols: cols}
		if rw.blank() {
			continue
		}
		if err := handle(ctx, rw); err != nil {
			return sum, fmt.Errorf("baris %d: %w", line, err)
		}
	}
}

// separator picks the field separator the header line uses most.
func separator(head []byte) rune {
	best, n := ',', bytes.Count(head, []byte(","))
	for _, r := range []rune{';', '\t'} {
		if c := bytes.Count(head, []byte(string(r))); c > n {
			best, n = r, c
		}
	}
	return best
}

func has(cols map[string]int, name string) bool {
	_, ok := cols[name]
	return ok
}

func missingColumns(cols map[string]int, want []string) string {
	var out []string
	for _, w := range want {
		if !has(cols, w) {
			out = append(out, w)
		}
	}
	return strings.Join(out, ", ")
}

// row is one record of the file.
type row struct {
	line int
	rec  []string
	cols map[string]int
}

// get returns the trimmed cell of column name ("" when the row is short).
func (r row) get(name string) string {
	i, ok := r.cols[name]
	if !ok || i >= len(r.rec) {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

func (r row) blank() bool {
	for _, v := range r.rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// importer holds one import's state.
type importer struct {
	loans  store.LoanStore
	actor  int64
	now    time.Time
	notify store.LoanNotify
	sum    *Summary
	seen   map[string]int // loan number → line, in a loans file
}

func (im *importer) reject(line int, format string, args ...any) {
	im.sum.Errors = append(im.sum.Errors, RowError{Line: line, Reason: fmt.Sprintf(format, args...)})
}

// paymentRow records one payment.
func (im *importer) paymentRow(ctx context.Context, r row) error {
	number, ok := ParseNumber(r.get("nomor"))
	if !ok {
		im.reject(r.line, "nomor pengajuan tidak dikenali: %q", r.get("nomor"))
		return nil
	}
	day, ok := ParseDate(r.get("tanggal"), im.now.In(wib))
	if !ok {
		im.reject(r.line, "tanggal tidak dikenali: %q (tulis 31/12/2026 atau 2026-12-31)", r.get("tanggal"))
		return nil
	}
	if day.After(im.now) {
		im.reject(r.line, "tanggal %s belum terjadi", day.Format("02/01/2006"))
		return nil
	}
	amount, ok := money(r.get("jumlah"))
	if !ok || amount <= 0 {
		im.reject(r.line, "jumlah tidak dikenali: %q", r.get("jumlah"))
		return nil
	}
	ref := r.get("ref")
	if ref == "" {
		im.reject(r.line, "ref kosong: setiap pembayaran perlu ref agar impor ulang tidak mencatatnya dua kali")
		return nil
	}
	l, err := im.loans.Loan(ctx, number)
	if errors.Is(err, store.ErrNotFound) {
		im.reject(r.line, "pinjaman %s tidak ada; impor dulu berkas pinjamannya", number)
		return nil
	}
	if err != nil {
		return err
	}
	if !running(l.Stage) && l.Stage != domain.Lunas {
		im.reject(r.line, "pinjaman %s belum dicairkan (tahap %s)", number, l.Stage)
		return nil
	}
	created, err := im.loans.RecordPayment(ctx, store.Payment{LoanID: l.ID, Amount: amount, PaidAt: day,
		Actor: im.actor, Ref: "csv:" + number + ":" + ref}, im.notify)
	switch {
	case errors.Is(err, store.ErrConflict):
		im.reject(r.line, "ref %q sudah tercatat untuk pembayaran lain dengan jumlah berbeda", ref)
		return nil
	case err != nil:
		return err
	case created:
		im.sum.Created++
	default:
		im.sum.Unchanged++
	}
	return nil
}
