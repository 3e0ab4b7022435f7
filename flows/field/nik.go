package field

import (
	"strings"
	"time"
)

// NIK is a structurally valid Nomor Induk Kependudukan (domain.md §2.1).
// There is no checksum: only Dukcapil can tell whether it exists.
type NIK struct {
	// Digits is the 16-digit number. Keep it out of logs; use Masked.
	Digits string
	// BirthDate is the calendar day of birth encoded in digits 7–12, at
	// midnight UTC.
	BirthDate time.Time
	// Female is true when the day was written plus 40.
	Female bool
}

// Masked shows the NIK the way the bot echoes it: "3603********0003".
func (n NIK) Masked() string {
	if len(n.Digits) != 16 {
		return strings.Repeat("*", len(n.Digits))
	}
	return n.Digits[:4] + strings.Repeat("*", 8) + n.Digits[12:]
}

// String returns Masked, so a NIK printed by mistake does not leak.
func (n NIK) String() string { return n.Masked() }

// GoString returns Masked too (for %#v).
func (n NIK) GoString() string { return "field.NIK(" + n.Masked() + ")" }

// Region is the 6-digit kecamatan code where the NIK was registered
// ("360312"); it need not be where the person lives now.
func (n NIK) Region() string {
	if len(n.Digits) < 6 {
		return ""
	}
	return n.Digits[:6]
}

// Age is the age in whole years on the calendar day of now.
func (n NIK) Age(now time.Time) int {
	y, m, d := now.Date()
	age := y - n.BirthDate.Year()
	if m < n.BirthDate.Month() || (m == n.BirthDate.Month() && d < n.BirthDate.Day()) {
		age--
	}
	return age
}

// Provinces are the 38 Kemendagri province codes (not contiguous).
var Provinces = []string{
	"11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
	"31", "32", "33", "34", "35", "36",
	"51", "52", "53",
	"61", "62", "63", "64", "65",
	"71", "72", "73", "74", "75", "76",
	"81", "82",
	"91", "92", "93", "94", "95", "96",
}

// ParseNIK reads a NIK typed with or without spaces, dots and dashes, and
// checks its structure: 16 digits, a known province, non-zero kab/kota and
// kecamatan codes, a real birth date (women's day plus 40; the two-digit year
// is in the current century unless that is after now's year) that is not
// after now's calendar day, and a serial other than 0000. It does not require
// a Kabupaten Tangerang (3603) prefix: people keep the NIK of the place they
// were first registered.
func ParseNIK(s string, now time.Time) (NIK, error) {
	digits, ok := stripSeparators(s, "")
	if !ok {
		return NIK{}, fail(CodeNIKChars)
	}
	if len(digits) != 16 {
		return NIK{}, fail(CodeNIKLength, "Count", len(digits))
	}
	region := digits[:6]
	if !isProvince(digits[:2]) {
		return NIK{}, fail(CodeNIKRegion, "Code", region, "From", 1, "To", 2)
	}
	if digits[2:4] == "00" {
		return NIK{}, fail(CodeNIKRegion, "Code", region, "From", 3, "To", 4)
	}
	if digits[4:6] == "00" {
		return NIK{}, fail(CodeNIKRegion, "Code", region, "From", 5, "To", 6)
	}

	day, month, yy := atoi(digits[6:8]), atoi(digits[8:10]), atoi(digits[10:12])
	female := day > 40
	if female {
		day -= 40
	}
	nowY, nowM, nowD := now.Date()
	year := nowY - nowY%100 + yy
	if year > nowY {
		year -= 100
	}
	born := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if day < 1 || month < 1 || month > 12 || born.Day() != day || born.Month() != time.Month(month) {
		return NIK{}, fail(CodeNIKBirthdate, "Day", day, "Month", month, "Year", year)
	}
	if born.After(time.Date(nowY, nowM, nowD, 0, 0, 0, 0, time.UTC)) {
		return NIK{}, fail(CodeNIKFuture, "BirthDate", born)
	}
	if digits[12:] == "0000" {
		return NIK{}, fail(CodeNIKSerial)
	}
	return NIK{Digits: digits, BirthDate: born, Female: female}, nil
}

func isProvince(code string) bool {
	for _, p := range Provinces {
		if p == code {
			return true
		}
	}
	return false
}
