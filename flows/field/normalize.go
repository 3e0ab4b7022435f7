package field

import (
	"strings"
	"unicode"
)

// Normalize prepares free text for matching against labels: lower-case,
// apostrophes dropped ("Jum'at" → "jumat"), every other character that is
// not a letter or digit (punctuation, emoji, symbols) turned into a space,
// runs of spaces collapsed, and the ends trimmed. "  Kec. Sepatan-Tim.!! 👍"
// becomes "kec sepatan tim".
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case isApostrophe(r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '`' || r == '\u2018' || r == '\u2019' || r == '\u02bc'
}

// collapseRepeats turns runs of the same rune into one: "iyaaa" → "iya",
// "nggak" → "ngak". Both sides of a word comparison go through it.
func collapseRepeats(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var prev rune = -1
	for _, r := range s {
		if r != prev {
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

// stripSeparators removes what people put between the digits of an
// identifier: spaces of any kind, dots, dashes, and invisible format
// characters (the direction marks some clients wrap copied numbers in).
// ok is false when anything else but ASCII digits remains.
func stripSeparators(s string, extra string) (digits string, ok bool) {
	var b strings.Builder
	b.Grow(len(s))
	ok = true
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case unicode.IsSpace(r), unicode.Is(unicode.Cf, r), isDash(r), r == '.',
			strings.ContainsRune(extra, r):
		default:
			ok = false
		}
	}
	return b.String(), ok
}

func isDash(r rune) bool {
	return r == '-' || r == '\u2010' || r == '\u2011' || r == '\u2012' || r == '\u2013' ||
		r == '\u2014' || r == '\u2212'
}

// allDigits reports whether s is non-empty and only ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi converts a short string of ASCII digits (checked by the caller).
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
