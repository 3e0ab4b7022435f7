package field

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseNIK(t *testing.T) {
	tests := []struct {
		in     string
		digits string
		born   time.Time
		female bool
	}{
		{"3603124507900003", "3603124507900003", date(1990, 7, 5), true},
		{"3603 1245 0790 0003", "3603124507900003", date(1990, 7, 5), true},
		{"3603 12 450790 0003", "3603124507900003", date(1990, 7, 5), true},
		{"3603.1245.0790.0003", "3603124507900003", date(1990, 7, 5), true},
		{"3603-1245-0790-0003", "3603124507900003", date(1990, 7, 5), true},
		{" \u202a3603124507900003\u202c ", "3603124507900003", date(1990, 7, 5), true},
		{"3603 1245 0890 0001", "3603124508900001", date(1990, 8, 5), true},
		{"3671011203850001", "3671011203850001", date(1985, 3, 12), false},  // Kota Tangerang
		{"3174012902000001", "3174012902000001", date(2000, 2, 29), false},  // leap day
		{"3174016902000001", "3174016902000001", date(2000, 2, 29), true},   // 69 - 40
		{"3603017112990001", "3603017112990001", date(1999, 12, 31), true},  // 71 - 40
		{"3603011501260001", "3603011501260001", date(2026, 1, 15), false},  // this year, past
		{"3603011507260001", "3603011507260001", date(2026, 7, 15), false},  // born today
		{"3603010101270001", "3603010101270001", date(1927, 1, 1), false},   // 27 > 26: last century
		{"9601010101900001", "9601010101900001", date(1990, 1, 1), false},   // Papua Pegunungan
		{"1101010101909999", "1101010101909999", date(1990, 1, 1), false},   // serial 9999
		{"3603124507900003\n", "3603124507900003", date(1990, 7, 5), true},  // trailing newline
		{"3603–1245–0790–0003", "3603124507900003", date(1990, 7, 5), true}, // en dashes
	}
	for _, tt := range tests {
		n, err := ParseNIK(tt.in, now)
		if err != nil {
			t.Errorf("ParseNIK(%q): %v", tt.in, err)
			continue
		}
		if n.Digits != tt.digits || !n.BirthDate.Equal(tt.born) || n.Female != tt.female {
			t.Errorf("ParseNIK(%q) = %s %v female=%v, want %s %v female=%v",
				tt.in, n.Digits, n.BirthDate, n.Female, tt.digits, tt.born, tt.female)
		}
	}
}

func TestParseNIKErrors(t *testing.T) {
	tests := []struct {
		in   string
		code string
		data map[string]any
	}{
		{"", CodeNIKLength, map[string]any{"Count": 0}},
		{"   ", CodeNIKLength, map[string]any{"Count": 0}},
		{"123", CodeNIKLength, map[string]any{"Count": 3}},
		{"3603 1245 0790 003", CodeNIKLength, map[string]any{"Count": 15}},
		{"36031245079000031", CodeNIKLength, map[string]any{"Count": 17}},
		{"3603abc507900003", CodeNIKChars, nil},
		{"3603/1245/0790/0003", CodeNIKChars, nil},
		{"NIK 3603124507900003", CodeNIKChars, nil},
		{"+3603124507900003", CodeNIKChars, nil},
		{"３６０３124507900003", CodeNIKChars, nil}, // full-width digits
		{"9903124507900003", CodeNIKRegion, map[string]any{"Code": "990312", "From": 1, "To": 2}},
		{"0003124507900003", CodeNIKRegion, map[string]any{"Code": "000312", "From": 1, "To": 2}},
		{"2003124507900003", CodeNIKRegion, map[string]any{"Code": "200312", "From": 1, "To": 2}},
		{"3600124507900003", CodeNIKRegion, map[string]any{"Code": "360012", "From": 3, "To": 4}},
		{"3603004507900003", CodeNIKRegion, map[string]any{"Code": "360300", "From": 5, "To": 6}},
		{"3603123002900001", CodeNIKBirthdate, map[string]any{"Day": 30, "Month": 2, "Year": 1990}},
		{"3603122902010001", CodeNIKBirthdate, map[string]any{"Day": 29, "Month": 2, "Year": 2001}},
		{"3603120113900001", CodeNIKBirthdate, map[string]any{"Day": 1, "Month": 13, "Year": 1990}},
		{"3603120100900001", CodeNIKBirthdate, map[string]any{"Day": 1, "Month": 0, "Year": 1990}},
		{"3603120001900001", CodeNIKBirthdate, map[string]any{"Day": 0, "Month": 1, "Year": 1990}},
		{"3603123501900001", CodeNIKBirthdate, map[string]any{"Day": 35, "Month": 1, "Year": 1990}},
		{"3603124001900001", CodeNIKBirthdate, map[string]any{"Day": 40, "Month": 1, "Year": 1990}},
		{"3603127201900001", CodeNIKBirthdate, map[string]any{"Day": 32, "Month": 1, "Year": 1990}},
		{"3603123104900001", CodeNIKBirthdate, map[string]any{"Day": 31, "Month": 4, "Year": 1990}},
		{"3603129999900001", CodeNIKBirthdate, map[string]any{"Day": 59, "Month": 99, "Year": 1990}},
		{"3603011607260001", CodeNIKFuture, map[string]any{"BirthDate": date(2026, 7, 16)}},
		{"3603015607260001", CodeNIKFuture, map[string]any{"BirthDate": date(2026, 7, 16)}},
		{"3603124507900000", CodeNIKSerial, nil},
	}
	for _, tt := range tests {
		n, err := ParseNIK(tt.in, now)
		if err == nil {
			t.Errorf("ParseNIK(%q) = %v, want %s", tt.in, n, tt.code)
			continue
		}
		t.Run(tt.in, func(t *testing.T) { checkErr(t, err, tt.code, tt.data) })
	}
}

// TestParseNIKCentury checks the two-digit year rule at a century edge.
func TestParseNIKCentury(t *testing.T) {
	jan2001 := time.Date(2001, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		year int
	}{
		{"3603010101010001", 2001},
		{"3603010101000001", 2000},
		{"3603010101020001", 1902},
		{"3603010101990001", 1999},
	}
	for _, tt := range tests {
		n, err := ParseNIK(tt.in, jan2001)
		if err != nil || n.BirthDate.Year() != tt.year {
			t.Errorf("ParseNIK(%q) at 2001 = %v, %v; want year %d", tt.in, n.BirthDate, err, tt.year)
		}
	}
}

func TestNIKMaskedAndAge(t *testing.T) {
	n, err := ParseNIK("3603 1245 0790 0003", now)
	if err != nil {
		t.Fatal(err)
	}
	if got := n.Masked(); got != "3603********0003" {
		t.Errorf("Masked = %q", got)
	}
	for _, format := range []string{"%v", "%s", "%+v", "%#v"} {
		if s := fmt.Sprintf(format, n); strings.Contains(s, "3603124507900003") {
			t.Errorf("%s prints the full NIK: %s", format, s)
		}
	}
	if n.Region() != "360312" {
		t.Errorf("Region = %q", n.Region())
	}
	if got := n.Age(now); got != 36 {
		t.Errorf("Age = %d, want 36", got)
	}
	if got := n.Age(time.Date(2026, 7, 4, 0, 0, 0, 0, time.UTC)); got != 35 {
		t.Errorf("Age the day before the birthday = %d, want 35", got)
	}
	if got := (NIK{}).Masked(); got != "" {
		t.Errorf("zero NIK Masked = %q", got)
	}
}

func TestProvinces(t *testing.T) {
	if len(Provinces) != 38 {
		t.Errorf("%d provinces, want 38", len(Provinces))
	}
	for _, p := range Provinces {
		if len(p) != 2 || !allDigits(p) {
			t.Errorf("bad province code %q", p)
		}
	}
}
