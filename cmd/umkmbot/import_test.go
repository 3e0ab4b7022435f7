package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store/postgres/pgtest"
)

// TestImportCommands runs `umkmbot import` twice on the same files against
// real Postgres: the second run changes nothing.
func TestImportCommands(t *testing.T) {
	dir := t.TempDir()
	next := strconv.Itoa(time.Now().Year() + 1)
	trainings := filepath.Join(dir, "jadwal.csv")
	loans := filepath.Join(dir, "pinjaman.csv")
	bad := filepath.Join(dir, "salah.csv")
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(trainings, "\ufeffkode;topik;judul;deskripsi;mulai;selesai;tempat;tautan;kuota;batas_daftar\n"+
		"KEU-01;Keuangan;Pencatatan Keuangan Sederhana;Mencatat kas harian.;14 Jan "+next+" 09.00;12.00;Aula Kecamatan Tigaraksa;;30;\n"+
		"PEM-01;pemasaran digital;Jualan di Marketplace;;14/01/"+next+" 13:00;2 jam;;https://zoom.us/j/1234567890;100;12 Jan "+next+"\n")
	write(loans, "nomor;nik;nama;usaha;diminta;disetujui;tenor_bulan;bunga_persen;metode;masa_tenggang;tanggal_cair;tahap;catatan\n"+
		"UPDB-2026-0042;3603124507900003;Siti Aminah;Kue Basah Bu Siti;25.000.000;;36;4;flat;;;DIAJUKAN;\n"+
		"UPDB-2026-0050;3603124507900003;Siti Aminah;Warung;10000000;;12;4;flat;;;SELESAI;\n")
	write(bad, "kode;topik;judul;deskripsi;mulai;selesai;tempat;tautan;kuota;batas_daftar\n"+
		"X-1;Keuangan;Salah tanggal;;31 Februari "+next+" 09.00;12.00;Aula;;10;\n")
	env := map[string]string{"DATABASE_URL": pgtest.NewEmpty(t)}

	for run, want := range []string{"2 pelatihan baru, 0 diperbarui, 0 tidak berubah", "0 pelatihan baru, 0 diperbarui, 2 tidak berubah"} {
		out, stderr, err := runWith(t, env, "", "import", "trainings", trainings)
		if err != nil || !strings.Contains(out, want) {
			t.Fatalf("trainings run %d: %q %q %v, want %q", run+1, out, stderr, err, want)
		}
	}
	for run, want := range []string{"1 baru, 0 berubah, 0 tidak berubah, 1 ditolak", "0 baru, 0 berubah, 1 tidak berubah, 1 ditolak"} {
		out, stderr, err := runWith(t, env, "", "import", "loans", loans)
		if err != nil || !strings.Contains(out, want) || !strings.Contains(stderr, "baris 3") {
			t.Fatalf("loans run %d: %q %q %v, want %q and the bad row named", run+1, out, stderr, err, want)
		}
	}
	_, stderr, err := runWith(t, env, "", "import", "trainings", bad)
	if err == nil || !strings.Contains(err.Error(), "nothing was imported") || !strings.Contains(stderr, "Baris 2") {
		t.Fatalf("bad file: %v %q", err, stderr)
	}
}
