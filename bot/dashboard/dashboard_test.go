package dashboard

import (
	"bytes"
	"net/url"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/diskum-tangerang/umkmbot/flows/loan/domain"
	"github.com/diskum-tangerang/umkmbot/locales"
)

func TestParseFilter(t *testing.T) {
	cases := []struct {
		query   string
		encoded string
		problem bool
		page    int
	}{
		{"", "", false, 1},
		{"kecamatan=360301&desa=3603012003&kelas=mikro&hal=3", "desa=3603012003&kecamatan=360301&kelas=mikro", false, 3},
		// A desa of another kecamatan, an unknown class and a bad date are
		// dropped, never passed on.
		{"kecamatan=360301&desa=3603022001", "kecamatan=360301", true, 1},
		{"kelas=raksasa&nib=ya", "nib=ya", true, 1},
		{"dari=2026-13-01&sampai=2026-02-01&hal=-2", "sampai=2026-02-01", true, 1},
		{"halal=none&sektor=digital_kreatif", "halal=none&sektor=digital_kreatif", false, 1},
		{"kecamatan=36.03.01", "", true, 1},
	}
	for _, c := range cases {
		v, _ := url.ParseQuery(c.query)
		f := parseFilter(v)
		if f.Encoded != c.encoded || (f.Problem != "") != c.problem || f.Page != c.page {
			t.Errorf("parseFilter(%q) = %q, problem %q, page %d; want %q, %v, %d",
				c.query, f.Encoded, f.Problem, f.Page, c.encoded, c.problem, c.page)
		}
	}
	f := parseFilter(url.Values{"dari": {"2026-02-01"}, "sampai": {"2026-02-28"}})
	if want := time.Date(2026, 3, 1, 0, 0, 0, 0, locales.WIB); !f.Query.To.Equal(want) {
		t.Errorf("sampai 2026-02-28 ends at %v, want the whole day (%v)", f.Query.To, want)
	}
}

func TestDaysOverdue(t *testing.T) {
	start := time.Date(2026, 1, 15, 0, 0, 0, 0, domain.WIB)
	sched, err := domain.Schedule(domain.Terms{Principal: 12_000_000, TenorMonths: 12, RateBP: 400,
		Method: domain.MethodFlat, Start: start})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 5, 20, 10, 0, 0, 0, domain.WIB) // instalments 1–4 due (15 Feb … 15 May)
	for _, c := range []struct {
		paid int64
		want int
	}{
		{0, 94},              // since 15 February
		{sched[0].Total, 66}, // since 15 March
		{sched[0].Total + sched[1].Total - 1, 66}, // the second not yet whole
		{4 * sched[0].Total, 0},                   // all due paid
		{sched[0].Total*3 + sched[3].Total/2, 5},  // the fourth half paid
	} {
		if got := daysOverdue(sched, c.paid, now); got != c.want {
			t.Errorf("paid %d: %d days overdue, want %d", c.paid, got, c.want)
		}
	}
}

func TestCSVToXLSX(t *testing.T) {
	// As registration.WriteCSV writes it: NIK and NIB as ="…" (quoted by
	// the CSV writer), a formula-like text behind an apostrophe.
	csv := "\ufeffNomor;NIK;Nama usaha;Modal usaha;NIB\r\n" +
		"UMKM-1;\"=\"\"3603124507900003\"\"\";'=SUM(A1);20000000;\"=\"\"0123456789012\"\"\"\r\n"
	b, err := csvToXLSX("Pendaftaran", []byte(csv), ';')
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]string{"A1": "Nomor", "B2": "3603124507900003", "C2": "=SUM(A1)",
		"D2": "20000000", "E2": "0123456789012"} {
		if got, _ := f.GetCellValue("Pendaftaran", cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	if formula, _ := f.GetCellFormula("Pendaftaran", "C2"); formula != "" {
		t.Errorf("C2 holds the formula %q; typed text must stay text", formula)
	}
	if typ, _ := f.GetCellType("Pendaftaran", "D2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("D2 is of type %v, want a number", typ)
	}
	if typ, _ := f.GetCellType("Pendaftaran", "B2"); typ == excelize.CellTypeNumber {
		t.Error("the NIK became a number; Excel would round it")
	}
}

func TestFormats(t *testing.T) {
	for got, want := range map[string]string{
		num(0): "0", num(1000): "1.000", num(100000): "100.000", num(-1234567): "-1.234.567",
		percent(7, 8): "87,5 %", percent(1, 0): "–",
		duration(4 * time.Second): "4 detik", duration(200 * time.Second): "3 menit 20 detik",
		duration(3*time.Hour + 5*time.Minute): "3 jam 05 menit",
		maskNIK("3603124507900003"):           "3603********0003",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestCharts(t *testing.T) {
	c := hbars("t", []string{"a", "b", "c"}, []int{500, 1000, 0}, 1000, num)
	if c.Bars[0].W != 120 || c.Bars[1].W != 240 || c.Bars[2].W != 0 || c.Bars[0].Value != "500" {
		t.Errorf("rates scaled to 1000: %+v", c.Bars)
	}
	c = hbars("t", []string{"a", "b"}, []int{1, 400}, 0, num)
	if c.Bars[1].W != 240 || c.Bars[0].W != 1 {
		t.Errorf("scaled to the largest, a non-zero bar at least 1 px: %+v", c.Bars)
	}
	days := make([]string, 30)
	vals := make([]int, 30)
	vals[29] = 7
	col := columns("t", days, vals)
	if len(col.Bars) != 30 || col.Bars[29].H != 120 || col.Bars[0].H != 0 || col.Bars[0].X < 0 {
		t.Errorf("columns: %+v", col.Bars[29])
	}
}
