package loan_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/loan"
	"github.com/diskum-tangerang/umkmbot/store"
)

const loansHeader = "nomor;nik;nama;usaha;diminta;disetujui;tenor_bulan;bunga_persen;metode;masa_tenggang;tanggal_cair;tahap;catatan\n"

// first is the UPDB's spreadsheet as first exported: Excel's ";" and a
// byte order mark, three good rows and bad ones.
var first = "\ufeff" + loansHeader +
	"UPDB-2026-0042;3603124507900003;Siti Aminah;Kue Basah Bu Siti;25.000.000;;36;4;flat;;;DIAJUKAN;\n" + // 2
	"UPDB-2026-0043;3603121203850001;Budi Santoso;Bengkel Pak Budi;40000000;35000000;36;4,5;anuitas;3;;RAPAT_KOMITE;\n" + // 3
	"updb 2025 7;3603124507900003;Siti Aminah;Katering Bu Siti;25000000;25000000;36;4;menurun;0;15/11/2026;BERJALAN;\n" + // 4
	"UPDB-2026-0050;3603124507900003;Siti Aminah;Warung;10000000;;12;4;flat;;;SELESAI;\n" + // 5: unknown stage
	"UPDB-2026-0051;3603121303850001x;Budi;Warung;10000000;;12;4;flat;;;DIAJUKAN;\n" + // 6: bad NIK
	"UPDB-2026-0052;3603124507900003;Siti;Warung;sepuluh;;12;4;flat;;;DIAJUKAN;\n" + // 7: bad amount
	"UPDB-2026-0053;3603124507900003;Siti;Warung;10000000;;12;4;cicil;;;DIAJUKAN;\n" + // 8: bad method
	"UPDB-2026-0054;3603124507900003;Siti;Warung;10000000;;12;4;flat;;;PERLU_LENGKAPI;\n" + // 9: note missing
	"UPDB-2026-0055;3603124507900003;Siti;Warung;10000000;10000000;12;4;flat;;;DICAIRKAN;\n" + // 10: no date
	"UPDB-2026-0042;3603124507900003;Siti Aminah;Kue Basah Bu Siti;25000000;;36;4;flat;;;DIAJUKAN;\n" + // 11: twice
	"\n" +
	"UPDB 2026;3603124507900003;Siti;Warung;10000000;;12;4;flat;;;DIAJUKAN;\n" // 13: bad number

// second changes the first file: 0042 moves on, 0043 gets approved
// terms, 2025-0007 is as before, and a repeated 0043 lacks its
// disbursement date.
var second = loansHeader +
	"UPDB-2026-0042;3603124507900003;Siti Aminah;Kue Basah Bu Siti;25000000;;36;4;flat;;;VERIFIKASI;\n" +
	"UPDB-2026-0043;3603121203850001;Budi Santoso;Bengkel Pak Budi;40000000;30000000;36;4,5;anuitas;3;;;\n" +
	"UPDB-2025-0007;3603124507900003;Siti Aminah;Katering Bu Siti;25000000;25000000;36;4;menurun;0;2026-11-15;BERJALAN;\n" +
	"UPDB-2026-0043;3603121203850001;Budi Santoso;Bengkel Pak Budi;40000000;30000000;36;4,5;anuitas;3;;BERJALAN;\n"

func TestImportCSV(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	notify := loan.NewNotify(nil)
	sum, err := loan.ImportCSV(ctx, strings.NewReader(first), f.Store, 0, f.Now(), notify)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Created != 3 || sum.Changed != 0 || sum.Unchanged != 0 {
		t.Errorf("first import %+v", sum)
	}
	wantErrors := map[int]string{5: "tahap tidak dikenal", 6: "NIK tidak valid", 7: "diminta", 8: "metode",
		9: "catatan wajib", 10: "tanggal_cair wajib", 11: "sudah ada di baris 2", 13: "nomor pengajuan"}
	checkRowErrors(t, sum.Errors, wantErrors)
	l, err := f.Store.Loan(ctx, "UPDB-2025-0007")
	if err != nil || l.Stage != "BERJALAN" || l.Method != "declining" || l.Approved != 25_000_000 ||
		!l.DisbursedAt.Equal(running("", "").DisbursedAt) {
		t.Errorf("imported %+v, %v", l, err)
	}
	if l, _ := f.Store.Loan(ctx, "UPDB-2026-0043"); l.RateBP != 450 || l.GraceMonths != 3 || l.Stage != "RAPAT_KOMITE" {
		t.Errorf("imported %+v", l)
	}
	for _, n := range []string{"UPDB-2026-0050", "UPDB-2026-0051", "UPDB-2026-0054"} {
		if _, err := f.Store.Loan(ctx, n); err == nil {
			t.Errorf("bad row %s was imported", n)
		}
	}
	// Owners link; a second file changes what it changes and tells them.
	f.link(t, ownerA, "UPDB-2026-0042", nikA)
	f.link(t, ownerB, "UPDB-2026-0043", nikB)
	for run := 1; run <= 2; run++ {
		sum, err = loan.ImportCSV(ctx, strings.NewReader(second), f.Store, 0, f.Now(), notify)
		if err != nil {
			t.Fatal(err)
		}
		want := loan.Summary{Changed: 2, Unchanged: 1}
		if run == 2 {
			want = loan.Summary{Unchanged: 3}
		}
		if sum.Created != want.Created || sum.Changed != want.Changed || sum.Unchanged != want.Unchanged {
			t.Errorf("run %d: %+v, want %+v", run, sum, want)
		}
		checkRowErrors(t, sum.Errors, map[int]string{5: "tanggal_cair wajib"})
		items := f.outbox(t)
		wantRows := 1
		if run == 2 {
			wantRows = 0
		}
		if len(items) != wantRows {
			t.Fatalf("run %d: %d outbox rows, want %d", run, len(items), wantRows)
		}
		if run == 1 {
			if items[0].ChatID != ownerA {
				t.Errorf("notice to %d", items[0].ChatID)
			}
			r, err := flows.DecodeReply(items[0].Payload)
			if err != nil || r.ID != "loan_notice_stage" {
				t.Fatalf("notice %+v, %v", r, err)
			}
			checkRendered(t, f.Harness, []flows.Reply{r})
			contains(t, f.Catalog.Plain("id", r.Text), "UPDB-2026-0042", "Verifikasi berkas")
		}
	}
	if l, _ := f.Store.Loan(ctx, "UPDB-2026-0043"); l.Approved != 30_000_000 || l.Stage != "RAPAT_KOMITE" {
		t.Errorf("after the second file %+v", l)
	}
}

func TestImportImpossibleTransition(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := loan.ImportCSV(ctx, strings.NewReader(first), f.Store, 0, f.Now(), nil); err != nil {
		t.Fatal(err)
	}
	file := loansHeader +
		"UPDB-2026-0042;3603124507900003;Siti Aminah;Kue Basah Bu Siti;25000000;20000000;36;4;flat;;2026-12-01;BERJALAN;\n" +
		"UPDB-2025-0007;3603124507900003;Siti Aminah;Katering Bu Siti;25000000;25000000;36;4;menurun;0;2026-11-15;DIAJUKAN;\n"
	sum, err := loan.ImportCSV(ctx, strings.NewReader(file), f.Store, 0, f.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	checkRowErrors(t, sum.Errors, map[int]string{2: "transisi tidak mungkin: DIAJUKAN → BERJALAN",
		3: "transisi tidak mungkin: BERJALAN → DIAJUKAN"})
	if sum.Changed != 0 {
		t.Errorf("%+v", sum)
	}
	// A rejected row changes nothing, not even the terms.
	if l, _ := f.Store.Loan(ctx, "UPDB-2026-0042"); l.Approved != 0 || l.Stage != "DIAJUKAN" || !l.DisbursedAt.IsZero() {
		t.Errorf("rejected row changed %+v", l)
	}
}

func TestImportPayments(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := loan.ImportCSV(ctx, strings.NewReader(first), f.Store, 0, f.Now(), nil); err != nil {
		t.Fatal(err)
	}
	f.link(t, ownerA, "UPDB-2025-0007", nikA)
	f.Advance(45 * 24 * time.Hour) // Monday 11 January 2027
	file := "nomor,tanggal,jumlah,ref\n" +
		"UPDB-2025-0007,15/12/2026,\"777.778\",BNI-001\n" +
		"UPDB-2025-0007,2026-12-20,Rp 500.000,BNI-002\n" +
		"UPDB-2026-0042,2026-12-20,500000,BNI-003\n" + // not disbursed
		"UPDB-2026-0099,2026-12-20,500000,BNI-004\n" + // unknown
		"UPDB-2025-0007,kemarin lusa,500000,BNI-005\n" + // bad date
		"UPDB-2025-0007,2026-12-20,500000,\n" + // no ref
		"UPDB-2025-0007,2027-12-20,500000,BNI-006\n" // future
	for run := 1; run <= 2; run++ {
		sum, err := loan.ImportCSV(ctx, strings.NewReader(file), f.Store, 0, f.Now(), loan.NewNotify(nil))
		if err != nil {
			t.Fatal(err)
		}
		if (run == 1 && (sum.Created != 2 || sum.Unchanged != 0)) || (run == 2 && (sum.Created != 0 || sum.Unchanged != 2)) {
			t.Errorf("run %d: %+v", run, sum)
		}
		checkRowErrors(t, sum.Errors, map[int]string{4: "belum dicairkan", 5: "tidak ada", 6: "tanggal", 7: "ref kosong", 8: "belum terjadi"})
		want := 2
		if run == 2 {
			want = 0
		}
		if n := len(f.outbox(t)); n != want {
			t.Errorf("run %d: %d notices, want %d", run, n, want)
		}
	}
	l, _ := f.Store.Loan(ctx, "UPDB-2025-0007")
	pays, _ := f.Store.Payments(ctx, l.ID)
	if len(pays) != 2 || pays[0].Amount != 777_778 || pays[1].Amount != 500_000 {
		t.Errorf("payments %+v", pays)
	}
}

func TestImportBadFiles(t *testing.T) {
	tests := []struct{ name, file, want string }{
		{"empty", "", "kosong"},
		{"unknown header", "a,b,c\n1,2,3\n", "judul kolom"},
		{"loans without tahap", "nomor,nik,nama\nUPDB-2026-0001,1,x\n", "tidak lengkap: usaha"},
		{"payments without ref", "nomor,tanggal,jumlah\n", "tidak lengkap: ref"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			_, err := loan.ImportCSV(context.Background(), strings.NewReader(tc.file), f.Store, 0, f.Now(), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want %q", err, tc.want)
			}
		})
	}
}

func TestImportBrokenQuotes(t *testing.T) {
	f := newFixture(t)
	file := "nomor,tanggal,jumlah,ref\n" +
		"UPDB-2025-0007,15/12/2026,\"777\"8\",BNI-001\n" +
		"UPDB-2025-0099,15/11/2026,1000,BNI-002\n"
	sum, err := loan.ImportCSV(context.Background(), strings.NewReader(file), f.Store, 0, f.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	checkRowErrors(t, sum.Errors, map[int]string{2: "CSV rusak", 3: "tidak ada"})
}

// checkRowErrors fails unless errs are exactly on the lines of want, each
// reason containing want's words.
func checkRowErrors(t *testing.T, errs []loan.RowError, want map[int]string) {
	t.Helper()
	var lines []int
	for _, e := range errs {
		lines = append(lines, e.Line)
		if w, ok := want[e.Line]; !ok || !strings.Contains(e.Reason, w) {
			t.Errorf("line %d: %q, want %q", e.Line, e.Reason, w)
		}
		if strings.Contains(e.Reason, "3603124507900003") || strings.Contains(e.Reason, "%!") {
			t.Errorf("line %d: reason %q", e.Line, e.Reason)
		}
	}
	for line := range want {
		if !slices.Contains(lines, line) {
			t.Errorf("no error on line %d (got %v)", line, fmt.Sprint(errs))
		}
	}
}

func TestDataLines(t *testing.T) {
	f := newFixture(t)
	f.seed(t, store.Loan{Number: "UPDB-2026-0042", Stage: "SURVEI"})
	lines, err := loan.DataLines(context.Background(), f.Store, ownerA)
	if err != nil || len(lines) != 0 {
		t.Fatalf("before linking: %v, %v", lines, err)
	}
	f.link(t, ownerA, "UPDB-2026-0042", nikA)
	lines, err = loan.DataLines(context.Background(), f.Store, ownerA)
	if err != nil || len(lines) != 1 {
		t.Fatalf("lines %v, %v", lines, err)
	}
	checkRendered(t, f.Harness, []flows.Reply{{Text: lines[0]}})
	contains(t, f.Catalog.Plain("id", lines[0]), "UPDB-2026-0042", "Survei lapangan")
}
