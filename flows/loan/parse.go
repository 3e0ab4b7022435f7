package loan

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/diskum-tangerang/umkmbot/flows/field"
)

// ParseNumber reads an application number typed loosely ("updb 2026 42",
// "UPDB-2026-0042", "updb/2026/42", "2026-42", "UPDB20260042") and returns
// it in the stored form UPDB-YYYY-NNNN. ok is false when the text is not
// an application number.
func ParseNumber(s string) (string, bool) {
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.TrimPrefix(t, "nomor")
	t = strings.TrimPrefix(strings.TrimSpace(t), "no")
	t = strings.TrimLeft(t, " .:")
	t = strings.TrimPrefix(t, "updb")
	var groups []string
	cur := ""
	for _, r := range t {
		switch {
		case r >= '0' && r <= '9':
			cur += string(r)
		case unicode.IsSpace(r) || strings.ContainsRune("-_./:#\u2013\u2014", r):
			if cur != "" {
				groups, cur = append(groups, cur), ""
			}
		default:
			return "", false
		}
	}
	if cur != "" {
		groups = append(groups, cur)
	}
	var year, seq string
	switch {
	case len(groups) == 2:
		year, seq = groups[0], groups[1]
	case len(groups) == 1 && len(groups[0]) == 8:
		year, seq = groups[0][:4], groups[0][4:]
	default:
		return "", false
	}
	if len(year) != 4 || year[0] != '2' || len(seq) == 0 || len(seq) > 4 {
		return "", false
	}
	n, _ := strconv.Atoi(seq)
	if n == 0 {
		return "", false
	}
	return fmt.Sprintf("UPDB-%s-%04d", year, n), true
}

// months are the Indonesian and English month names and their short forms.
var months = map[string]time.Month{
	"januari": 1, "jan": 1, "january": 1,
	"februari": 2, "feb": 2, "pebruari": 2, "february": 2,
	"maret": 3, "mar": 3, "march": 3,
	"april": 4, "apr": 4,
	"mei": 5, "may": 5,
	"juni": 6, "jun": 6, "june": 6,
	"juli": 7, "jul": 7, "july": 7,
	"agustus": 8, "agu": 8, "agt": 8, "aug": 8, "august": 8,
	"september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "okt": 10, "oct": 10, "october": 10,
	"november": 11, "nov": 11, "nop": 11,
	"desember": 12, "des": 12, "dec": 12, "december": 12,
}

// ParseDate reads a calendar day as staff type it, always day first:
// "hari ini", "kemarin", "12/01/2027", "12-1-27", "12 Januari 2027",
// "12 jan 27", and the ISO form "2027-01-12" of spreadsheets. today is the
// current day in WIB; the result is midnight WIB of the day read.
func ParseDate(s string, today time.Time) (time.Time, bool) {
	t := field.Normalize(s)
	base := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, wib)
	switch t {
	case "hari ini", "hr ini", "sekarang", "today":
		return base, true
	case "kemarin", "kmrn", "kemaren", "yesterday":
		return base.AddDate(0, 0, -1), true
	}
	parts := strings.Fields(t)
	if len(parts) != 3 {
		return time.Time{}, false
	}
	if len(parts[0]) == 4 { // ISO: year first
		parts[0], parts[2] = parts[2], parts[0]
	}
	d, err1 := strconv.Atoi(parts[0])
	y, err2 := strconv.Atoi(parts[2])
	m, ok := months[parts[1]]
	if !ok {
		n, err := strconv.Atoi(parts[1])
		if err != nil || n < 1 || n > 12 {
			return time.Time{}, false
		}
		m = time.Month(n)
	}
	if err1 != nil || err2 != nil || len(parts[2]) == 3 || len(parts[2]) > 4 {
		return time.Time{}, false
	}
	if y < 100 {
		y += 2000
	}
	day := time.Date(y, m, d, 0, 0, 0, 0, wib)
	if day.Day() != d || day.Month() != m || d < 1 {
		return time.Time{}, false
	}
	return day, true
}

// parseRate reads an interest rate in percent per year ("4", "4,5",
// "4.5", "4,5%") as basis points.
func parseRate(s string) (int, bool) {
	t := strings.TrimSuffix(strings.TrimSpace(s), "%")
	t = strings.ReplaceAll(strings.TrimSpace(t), ",", ".")
	whole, frac, _ := strings.Cut(t, ".")
	if whole == "" || len(frac) > 2 || !digits(whole) || (frac != "" && !digits(frac)) {
		return 0, false
	}
	w, _ := strconv.Atoi(whole)
	frac = (frac + "00")[:2]
	f, _ := strconv.Atoi(frac)
	bp := w*100 + f
	return bp, bp <= 10000
}

// digits reports whether s is non-empty and only ASCII digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// methods maps the spreadsheet's method words to the stored ones.
var methods = map[string]string{
	"flat": "flat", "tetap": "flat",
	"menurun": "declining", "declining": "declining", "efektif": "declining",
	"anuitas": "annuity", "annuity": "annuity",
}
