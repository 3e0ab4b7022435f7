package field

import (
	"strings"
	"time"
)

// ParseNIB reads a Nomor Induk Berusaha: 13 digits once spaces, dots and
// dashes are removed (domain.md §2.2). The digits have no known structure
// or checksum, so nothing else is checked.
func ParseNIB(s string) (string, error) {
	digits, ok := stripSeparators(s, "")
	if !ok {
		return "", fail(CodeNIBChars)
	}
	if len(digits) != 13 {
		return "", fail(CodeNIBLength, "Count", len(digits))
	}
	return digits, nil
}

// MinYear is the earliest year a business may have started (domain.md §4.2).
const MinYear = 1950

// ParseYear reads the year a business started: four digits, optionally after
// "tahun", "thn", "sejak" or "mulai" ("sejak 2015"), from MinYear to now's
// year; or a year counted back from now's: "tahun ini", "tahun lalu",
// "3 tahun lalu", "sejak 5 tahun yang lalu", "last year", "3 years ago".
func ParseYear(s string, now time.Time) (int, error) {
	words := strings.Fields(splitDigitRuns(Normalize(s)))
	for len(words) > 1 && inList(FillerWords, "", words[len(words)-1]) {
		words = words[:len(words)-1]
	}
	back, ok := yearsAgo(words)
	for len(words) > 1 && yearPrefixes[words[0]] {
		words = words[1:]
	}
	if !ok {
		back, ok = yearsAgo(words)
	}
	if ok {
		if back > now.Year()-MinYear {
			return 0, fail(CodeYearRange, "Min", MinYear, "Max", now.Year())
		}
		return now.Year() - back, nil
	}
	if len(words) != 1 || len(words[0]) != 4 || !allDigits(words[0]) || isNegative(s) {
		return 0, fail(CodeYearFormat)
	}
	y := atoi(words[0])
	if y < MinYear || y > now.Year() {
		return 0, fail(CodeYearRange, "Min", MinYear, "Max", now.Year())
	}
	return y, nil
}

var yearPrefixes = map[string]bool{
	"tahun": true, "thn": true, "th": true, "sejak": true, "mulai": true, "dari": true, "pada": true,
	"since": true, "in": true,
}

// yearsAgo reads a year counted back: "tahun ini" (0), "tahun lalu" and
// "setahun lalu" (1), "3 tahun lalu", "3 thn yg lalu", "last year",
// "3 years ago". ok is false for anything else.
func yearsAgo(words []string) (int, bool) {
	phrase := strings.Join(words, " ")
	switch phrase {
	case "tahun ini", "thn ini", "this year":
		return 0, true
	case "tahun lalu", "thn lalu", "tahun kemarin", "thn kemarin", "setahun lalu", "setahun yang lalu",
		"setahun yg lalu", "last year", "a year ago", "one year ago":
		return 1, true
	}
	if len(words) < 3 || !allDigits(words[0]) || len(words[0]) > 2 {
		return 0, false
	}
	switch strings.Join(words[1:], " ") {
	case "tahun lalu", "thn lalu", "th lalu", "tahun yang lalu", "tahun yg lalu", "thn yg lalu",
		"thn yang lalu", "years ago", "year ago":
		return atoi(words[0]), true
	}
	return 0, false
}

// MaxWorkers bounds ParseCount: more than any UMKM (a medium business has at
// most a few hundred workers) while leaving room for typing "1.000".
const MaxWorkers = 100_000

// ParseCount reads the number of workers, the owner included: a whole number
// from 1 to MaxWorkers, optionally with words around it ("5 orang",
// "ada 3 karyawan termasuk saya", "3 people"); "1.000" groups thousands.
// "sendiri", "saya sendiri" and "alone" mean 1.
func ParseCount(s string) (int, error) {
	norm := splitDigitRuns(Normalize(s))
	if aloneWords[norm] {
		return 1, nil
	}
	words := strings.Fields(norm)
	for len(words) > 1 && countSuffixes[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	for len(words) > 1 && countPrefixes[words[0]] {
		words = words[1:]
	}
	if aloneWords[strings.Join(words, " ")] {
		return 1, nil
	}
	if isNegative(s) {
		return 0, fail(CodeCountRange, "Min", 1, "Max", MaxWorkers)
	}
	if len(words) == 0 || strings.ContainsRune(s, ',') {
		return 0, fail(CodeCountFormat)
	}
	// Normalize turned "1.000" into "1 000": join the thousands groups back.
	digits := ""
	for i, w := range words {
		if !allDigits(w) || (i > 0 && (len(w) != 3 || len(words[0]) > 3)) {
			return 0, fail(CodeCountFormat)
		}
		digits += w
	}
	digits = strings.TrimLeft(digits, "0")
	if digits == "" || len(digits) > 6 || atoi(digits) > MaxWorkers {
		return 0, fail(CodeCountRange, "Min", 1, "Max", MaxWorkers)
	}
	return atoi(digits), nil
}

// splitDigitRuns puts a space where digits meet letters: "5orang" → "5 orang".
func splitDigitRuns(s string) string {
	var b strings.Builder
	prevDigit, prevLetter := false, false
	for _, r := range s {
		digit := r >= '0' && r <= '9'
		letter := !digit && r != ' '
		if (digit && prevLetter) || (letter && prevDigit) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prevDigit, prevLetter = digit, letter
	}
	return b.String()
}

var aloneWords = map[string]bool{
	"sendiri": true, "sendirian": true, "saya sendiri": true, "hanya saya": true, "cuma saya": true,
	"saya saja": true, "saya aja": true, "saya sendiri saja": true,
	"alone": true, "just me": true, "only me": true, "myself": true, "by myself": true, "me alone": true,
	"me only": true, "just myself": true, "on my own": true, "i work alone": true, "solo": true, "me": true,
}

var countSuffixes = map[string]bool{
	"orang": true, "org": true, "pekerja": true, "karyawan": true, "pegawai": true, "tenaga": true,
	"kerja": true, "termasuk": true, "saya": true, "pekerjanya": true, "karyawannya": true, "an": true,
	"dengan": true, "sama": true,
	"people": true, "persons": true, "person": true, "workers": true, "worker": true, "employees": true,
	"employee": true, "staff": true, "including": true, "incl": true, "myself": true, "me": true, "with": true,
}

var countPrefixes = map[string]bool{
	"ada": true, "sekitar": true, "kurang": true, "lebih": true, "total": true, "jumlah": true,
	"kira": true, "semua": true, "hanya": true, "cuma": true,
	"about": true, "around": true, "approximately": true, "roughly": true, "only": true, "just": true,
}

// isNegative reports whether trimmed s starts with a minus sign.
func isNegative(s string) bool {
	for _, r := range strings.TrimSpace(s) {
		return isDash(r)
	}
	return false
}
