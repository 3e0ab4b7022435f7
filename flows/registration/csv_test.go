package registration_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows/registration"
	"github.com/diskum-tangerang/umkmbot/store"
)

func TestWriteCSV(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	regs := []store.Registration{
		{
			Number: "UMKM-3603-2026-000001", OwnerName: "Siti Aminah", NIK: "3603124507900003",
			BirthDate: time.Date(1990, 7, 5, 0, 0, 0, 0, time.UTC), Female: true, Phone: "+6281234567890",
			BusinessName: "Kue Basah Bu Siti", Sector: "kuliner", Products: "kue basah; nasi uduk\n\"enak\"",
			Kecamatan: "360312", Desa: "3603122015", Address: "Jl. Raya No. 1", YearStarted: 2019, Workers: 3,
			Capital: 50_000_000, Turnover: 18_000_000, Class: "mikro", ClassBasis: "omzet",
			NIB: "0123456789012", Halal: "proses", CreatedAt: time.Date(2026, 11, 27, 17, 30, 0, 0, time.UTC),
		},
		{
			Number: "UMKM-3603-2026-000002", OwnerName: "Budi", NIK: "3603121203850007",
			Phone: "+6285712345678", BusinessName: "=HYPERLINK(\"http://x\")", Sector: "digital_kreatif",
			Products: "+62 pulsa", Kecamatan: "360318", Address: "@rumah", Class: "kecil", Halal: "",
			CreatedAt: time.Date(2026, 11, 27, 2, 0, 0, 0, wib),
		},
	}
	var buf bytes.Buffer
	if err := registration.WriteCSV(&buf, regs); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	if !bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
		t.Fatal("no UTF-8 byte order mark")
	}
	if n, crlf := bytes.Count(raw, []byte("\n")), bytes.Count(raw, []byte("\r\n")); n != crlf || !bytes.HasSuffix(raw, []byte("\r\n")) {
		t.Errorf("%d new lines, %d CRLF: want every line to end in CRLF", n, crlf)
	}
	r := csv.NewReader(bytes.NewReader(raw[3:]))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	header := strings.Join(rows[0], "|")
	want := "Nomor|Tanggal daftar|Nama pemilik|NIK|Jenis kelamin|Tanggal lahir|No. HP|Nama usaha|Sektor|Produk|" +
		"Kecamatan|Kode kecamatan|Desa/kelurahan|Alamat|Tahun mulai|Tenaga kerja|Modal usaha|Omzet per tahun|" +
		"Kelas usaha|NIB|Halal"
	if header != want {
		t.Errorf("header\n %s\nwant\n %s", header, want)
	}
	cells := map[string]string{}
	for i, h := range rows[0] {
		cells[h] = rows[1][i]
	}
	for col, v := range map[string]string{
		"Nomor": "UMKM-3603-2026-000001", "Tanggal daftar": "2026-11-28 00:30", "NIK": `="3603124507900003"`,
		"Jenis kelamin": "Perempuan", "Tanggal lahir": "1990-07-05", "No. HP": "0812-3456-7890",
		"Sektor": "Kuliner", "Produk": "kue basah; nasi uduk\n\"enak\"", "Kecamatan": "Pasar Kemis",
		"Kode kecamatan": "360312", "Desa/kelurahan": "Suka Asih", "Modal usaha": "50000000",
		"Omzet per tahun": "18000000", "Kelas usaha": "Mikro", "NIB": `="0123456789012"`, "Halal": "Sedang diproses",
	} {
		if cells[col] != v {
			t.Errorf("%s = %q, want %q", col, cells[col], v)
		}
	}
	second := rows[2]
	for i, v := range second {
		if rows[0][i] == "NIK" {
			continue
		}
		if v != "" && strings.ContainsRune("=+-@", rune(v[0])) {
			t.Errorf("%s = %q can run as a formula", rows[0][i], v)
		}
	}
	if second[7] != `'=HYPERLINK("http://x")` || second[9] != "'+62 pulsa" || second[13] != "'@rumah" ||
		second[8] != "Digital dan kreatif" || second[20] != "Tidak perlu" || second[5] != "" {
		t.Errorf("second row %q", second)
	}
}
