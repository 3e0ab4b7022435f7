package flows

import (
	"strings"
	"unicode"
)

// globalWords maps what people type (and the command names) to the four
// global words that work in every step.
var globalWords = map[string]string{
	"batal": "batal", "batalkan": "batal", "cancel": "batal", "stop": "batal", "berhenti": "batal",
	"keluar": "batal", "udahan": "batal", "tidak jadi": "batal", "gak jadi": "batal", "ga jadi": "batal",
	"kembali": "kembali", "balik": "kembali", "back": "kembali", "mundur": "kembali",
	"menu": "menu", "home": "menu", "menu utama": "menu",
	"bantuan": "bantuan", "bantu": "bantuan", "tolong": "bantuan", "help": "bantuan", "?": "bantuan",
}

// globalWord returns the global word the whole message means, or "".
func globalWord(text string) string {
	t := strings.TrimSpace(strings.ToLower(text))
	if t == "?" {
		return "bantuan"
	}
	return globalWords[normalize(t)]
}

// normalize lower-cases s, keeps letters, digits and single spaces, and
// collapses a letter typed three times or more into one ("batalll" →
// "batal", "iyaaa" → "iya").
func normalize(s string) string {
	out := make([]rune, 0, len(s))
	space := false
	var last rune
	run := 0
	for _, r := range strings.ToLower(s) {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			space, last, run = true, 0, 0
			continue
		}
		if space && len(out) > 0 {
			out = append(out, ' ')
		}
		space = false
		if r == last {
			run++
		} else {
			last, run = r, 1
		}
		switch {
		case run == 3 && unicode.IsLetter(r):
			out = out[:len(out)-1]
		case run > 3 && unicode.IsLetter(r):
		default:
			out = append(out, r)
		}
	}
	return string(out)
}
