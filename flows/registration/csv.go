package registration

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Separator is the CSV field separator. Excel opens a .csv with the list
// separator of the computer's regional settings, which is ";" for
// Indonesian (whose decimal mark is ","), so the export uses it.
const Separator = ';'

// csvHeader names the export's columns, in Indonesian for the staff.
var csvHeader = []string{
	"Nomor", "Tanggal daftar", "Nama pemilik", "NIK", "Jenis kelamin", "Tanggal lahir", "No. HP",
	"Nama usaha", "Sektor", "Produk", "Kecamatan", "Kode kecamatan", "Desa/kelurahan", "Alamat",
	"Tahun mulai", "Tenaga kerja", "Modal usaha", "Omzet per tahun", "Kelas usaha", "NIB", "Halal",
}

// sectorNames are the Indonesian sector names for the export (the bot's
// messages hold the same words; the export is for staff, in Indonesian
// only).
var sectorNames = map[string]string{
	"kuliner": "Kuliner", "fesyen": "Fesyen", "kriya": "Kriya", "agribisnis": "Agribisnis",
	"perdagangan": "Perdagangan", "jasa": "Jasa", "digital_kreatif": "Digital dan kreatif",
	"industri": "Industri", "lainnya": "Lainnya",
}

var (
	classNames = map[string]string{"mikro": "Mikro", "kecil": "Kecil", "menengah": "Menengah", "besar": "Besar"}
	halalNames = map[string]string{halalSudah: "Sudah punya", halalProses: "Sedang diproses", halalBelum: "Belum", "": "Tidak perlu"}
)

// WriteCSV writes registrations as a CSV file that Excel opens as it
// should: UTF-8 with a byte order mark, CRLF line ends, ";" between fields,
// Indonesian headers, dates as YYYY-MM-DD (times in WIB), money as plain
// whole rupiah. Staff see the full NIK: it is their record. NIK and NIB are
// written as ="…" so that Excel keeps all their digits (it rounds numbers
// after the 15th digit and drops leading zeros); both are digits only,
// checked when they were typed. Any other cell that starts with = + - @ or
// a tab gets a leading apostrophe, so that no typed text runs as a
// formula.
func WriteCSV(w io.Writer, regs []store.Registration) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = Separator, true
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, r := range regs {
		gender := "Laki-laki"
		if r.Female {
			gender = "Perempuan"
		}
		birth := ""
		if !r.BirthDate.IsZero() {
			birth = r.BirthDate.Format("2006-01-02")
		}
		desa := r.Desa
		if d, ok := field.DesaByCode(r.Desa); ok {
			desa = d.Name
		}
		row := []string{
			r.Number, r.CreatedAt.In(wib).Format("2006-01-02 15:04"), guard(r.OwnerName), digits(r.NIK),
			gender, birth, field.FormatPhone(r.Phone), guard(r.BusinessName), orKey(sectorNames, r.Sector),
			guard(r.Products), KecamatanName(r.Kecamatan), r.Kecamatan, guard(desa), guard(r.Address),
			strconv.Itoa(r.YearStarted), strconv.Itoa(r.Workers), strconv.FormatInt(r.Capital, 10),
			strconv.FormatInt(r.Turnover, 10), orKey(classNames, r.Class), digits(r.NIB), orKey(halalNames, r.Halal),
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// guard keeps a typed text from being read as a formula.
func guard(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// digits writes a number code so that Excel keeps it as text: ="0123".
// Anything but a run of digits is guarded as typed text instead.
func digits(s string) string {
	if s == "" {
		return ""
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return guard(s)
		}
	}
	return `="` + s + `"`
}

// orKey looks a key up, falling back to the key itself.
func orKey(m map[string]string, key string) string {
	if v, ok := m[key]; ok {
		return v
	}
	return guard(key)
}
