package field

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// checkFuzzErr fails unless err is nil or a *Error with a listed code.
func checkFuzzErr(t *testing.T, in string, err error) {
	t.Helper()
	var fe *Error
	if err != nil && (!errors.As(err, &fe) || !slices.Contains(Codes, fe.Code)) {
		t.Fatalf("%q: error %v is not a *field.Error with a listed code", in, err)
	}
}

func FuzzParseNIK(f *testing.F) {
	for _, s := range []string{"3603124507900003", "3603 1245 0790 0003", "3603123002900001", "9903124507900003",
		"3603127201900001", "3603011607260001", "3174016902000001", "", "3603-1245-0790-0000", "\u202a1\u202c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNIK(s, now)
		checkFuzzErr(t, s, err)
		if err != nil {
			return
		}
		if len(n.Digits) != 16 || !allDigits(n.Digits) {
			t.Fatalf("%q: accepted %q", s, n.Digits)
		}
		day, month := atoi(n.Digits[6:8]), atoi(n.Digits[8:10])
		if n.Female {
			day -= 40
		}
		b := n.BirthDate
		if b.Day() != day || int(b.Month()) != month || b.Year()%100 != atoi(n.Digits[10:12]) ||
			b.After(now) || b.Year() <= now.Year()-100 || !isProvince(n.Digits[:2]) || n.Digits[12:] == "0000" {
			t.Fatalf("%q: accepted %s born %v female=%v", s, n.Digits, b, n.Female)
		}
		if n.Masked()[:4] != n.Digits[:4] || len(n.Masked()) != 16 {
			t.Fatalf("%q: masked %q", s, n.Masked())
		}
	})
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"0812-3456-7890", "+62 812 3456 7890", "6281234567890", "(0812) 3456 7890",
		"+62 (0) 812", "0062812", "021-5555-1234", "08123", "+1 415", "81234567890", "++", "\u202a+62\u202c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e164, err := ParsePhone(s)
		checkFuzzErr(t, s, err)
		if err != nil {
			return
		}
		if !mobileE164.MatchString(e164) {
			t.Fatalf("%q: accepted %q", s, e164)
		}
		if back, err := ParsePhone(FormatPhone(e164)); err != nil || back != e164 {
			t.Fatalf("%q: FormatPhone(%q) = %q does not parse back (%q, %v)", s, e164, FormatPhone(e164), back, err)
		}
	})
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"Rp 50.000.000", "50 juta", "50jt", "1,5 M", "1.5 miliar", "500rb", "Rp1.500.000",
		"1500000", "2 T", "50rb/bln", "1.5.3", "-5", "1 juta 500 ribu", "1 500 000", "1,500,000.50", "sejuta",
		"1000 T", "0", "setengah juta", "500rb per hari", "10m", "1.5 billion", "50 million a month"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, lang := range []string{"id", "en"} {
			v, perMonth, err := ParseMoneyIn(lang, s)
			checkFuzzErr(t, s, err)
			if err != nil {
				if v != 0 || perMonth {
					t.Fatalf("%s %q: error %v with value %d, %v", lang, s, err, v, perMonth)
				}
				continue
			}
			if v < 0 || v > MaxMoney {
				t.Fatalf("%s %q: accepted %d", lang, s, v)
			}
		}
	})
}

func FuzzMatchKecamatan(f *testing.F) {
	for _, s := range []string{"pasarkemis", "Teluk Naga", "kelapadua", "Sindangjaya", "Sepatan Tim.",
		"kec. cikupa", "Kecamatan Curug", "360301", "Cikpua", "Serpong", "Tangerang", "kab tangerang", ""} {
		f.Add(s)
	}
	codes := map[string]bool{}
	for _, k := range Kecamatans() {
		codes[k.Code+"/"+k.Name] = true
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := MatchKecamatan(s)
		checkFuzzErr(t, s, err)
		if err == nil && !codes[k.Code+"/"+k.Name] {
			t.Fatalf("%q: matched %v, not one of the 29", s, k)
		}
		if err != nil {
			return
		}
		// The desa matcher must survive the same input within the match.
		if _, err := MatchDesa(k.Code, s); err != nil {
			checkFuzzErr(t, s, err)
		}
	})
}

// FuzzWords only checks that the word predicates and the other parsers
// survive any input.
func FuzzWords(f *testing.F) {
	for _, s := range []string{"ya", "tidak jadi", "?", "-", "👍🏽", "batal pak", "\xff", "3 tahun lalu", "selamat pagi",
		"setuju ga ya", "99 tahun lalu"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		IsYes(s)
		IsNo(s)
		IsCancel(s)
		IsBack(s)
		IsMenu(s)
		IsHelp(s)
		IsSkip(s)
		IsStop(s)
		IsHave(s)
		IsChange(s)
		IsDone(s)
		IsSave(s)
		IsFullGreeting(s)
		Normalize(s)
		_, err := MatchSector(s)
		checkFuzzErr(t, s, err)
		_, err = ParseNIB(s)
		checkFuzzErr(t, s, err)
		now := time.Now()
		if y, err := ParseYear(s, now); err == nil && (y < MinYear || y > now.Year()) {
			t.Fatalf("%q: year %d", s, y)
		} else {
			checkFuzzErr(t, s, err)
		}
		if n, err := ParseCount(s); err == nil && (n < 1 || n > MaxWorkers) {
			t.Fatalf("%q: count %d", s, n)
		}
	})
}
