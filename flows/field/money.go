package field

import (
	"math/big"
	"strings"
	"unicode"
)

// MaxMoney is the largest amount ParseMoney accepts: Rp1.000 triliun (10^15),
// far above any UMKM figure, and safe from int64 overflow.
const MaxMoney int64 = 1_000_000_000_000_000

// ParseMoney reads a rupiah amount as owners type it (domain.md §7.4):
// "Rp 50.000.000", "Rp1.500.000", "1500000", "50.000.000,-", "50 juta",
// "50jt", "1,5 M", "1.5 miliar", "500rb", "500 ribu", "50k", "2 T",
// "1 juta 500 ribu", "5 ratus ribu", "sejuta", "setengah juta",
// "sekitar 50 juta".
//
// Dots group thousands and a comma marks decimals ("1.500.000,00"); the
// English form "1,500,000.50" is read too. A lone dot or comma before one
// or two digits is a decimal mark ("1.5 jt"); a lone dot before three digits
// groups thousands ("1.500" = 1500). A fraction needs a unit: "1,5" alone,
// "1,500" and "1.5.3" are refused as ambiguous.
//
// perMonth is true when the amount is said to be monthly ("50rb per bulan",
// "sebulan", "/bln"); the amount is returned as typed, and the caller
// multiplies by 12 where a yearly figure is asked. A daily or weekly amount
// is refused with CodeMoneyPeriod (its Data carries the amount) so that the
// owner can give a monthly or yearly one. "0" is valid; negative amounts
// and amounts above MaxMoney are not.
func ParseMoney(s string) (amount int64, perMonth bool, err error) {
	return parseMoney(s, moneyWords)
}

// ParseMoneyIn is ParseMoney for an owner who speaks lang. In English "m",
// "mn" and "million" are millions and "b", "bn" and "billion" billions
// ("10m" is Rp10.000.000, "1.5 billion" Rp1.500.000.000), and "per month",
// "a year", "daily" and the like are read; the Indonesian words still
// work, except "M", which is miliar only in Indonesian.
func ParseMoneyIn(lang, s string) (amount int64, perMonth bool, err error) {
	if lang == "en" {
		return parseMoney(s, moneyWordsEN)
	}
	return parseMoney(s, moneyWords)
}

func parseMoney(s string, dict map[string][]moneyTok) (amount int64, perMonth bool, err error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) > 200 {
		return 0, false, fail(CodeMoneyFormat)
	}
	s = strings.TrimRight(s, " .!?")
	for _, suf := range []string{",-", ".-", ",=", ",--", ".--"} {
		s = strings.TrimSuffix(s, suf)
	}
	toks, ok := moneyTokens(s, dict)
	if !ok {
		return 0, false, fail(CodeMoneyFormat)
	}

	var (
		terms       []moneyTok // numbers and units only
		negative    bool
		period      string // "", "month", "year", "short"
		onlyFillers = true
	)
	for _, t := range toks {
		switch t.kind {
		case tokMinus:
			if len(terms) > 0 {
				return 0, false, fail(CodeMoneyFormat)
			}
			negative = true
			onlyFillers = false
		case tokNum, tokUnit:
			terms = append(terms, t)
			onlyFillers = false
		case tokPeriod:
			onlyFillers = false
			if period != "" && period != t.text {
				return 0, false, fail(CodeMoneyFormat)
			}
			period = t.text
		}
	}
	if len(terms) == 0 {
		if onlyFillers && !negative {
			return 0, false, fail(CodeMoneyEmpty)
		}
		return 0, false, fail(CodeMoneyFormat)
	}
	if negative {
		return 0, false, fail(CodeMoneyNegative)
	}
	total, code := sumTerms(terms)
	if code != "" {
		if code == CodeMoneyTooLarge {
			return 0, false, fail(code, "Max", MaxMoney)
		}
		return 0, false, fail(code)
	}
	switch period {
	case "short":
		return 0, false, fail(CodeMoneyPeriod, "Amount", total)
	case "month":
		return total, true, nil
	}
	return total, false, nil
}

type tokKind int

const (
	tokNum    tokKind = iota // digits with dots and commas: "1.500.000", "1,5"
	tokUnit                  // a multiplier; mult holds it
	tokMinus                 // "-", "minus"
	tokPeriod                // text is "month", "year" or "short"
	tokFiller                // "rp", "sekitar": ignored
)

type moneyTok struct {
	kind tokKind
	text string
	mult int64
}

// moneyWords maps the words ParseMoney knows to their tokens. "se" words
// expand to a number and a unit ("sejuta" = 1 juta). moneyWordsEN are
// those of ParseMoneyIn("en", ...): the same, with English words, and "m"
// meaning million.
var moneyWords, moneyWordsEN = map[string][]moneyTok{}, map[string][]moneyTok{}

func init() {
	unit := func(mult int64, words ...string) {
		for _, w := range words {
			moneyWords[w] = []moneyTok{{kind: tokUnit, mult: mult}}
		}
	}
	unit(100, "ratus", "ratusan")
	unit(1_000, "ribu", "rb", "rbu", "ribuan", "rban", "k", "rebu")
	unit(1_000_000, "juta", "jt", "jta", "jutaan", "jtan", "jeti")
	unit(1_000_000_000, "miliar", "milyar", "miliyar", "miliaran", "milyaran", "m", "mlyr", "mly")
	unit(1_000_000_000_000, "triliun", "trilyun", "t", "tn")
	period := func(p string, words ...string) {
		for _, w := range words {
			moneyWords[w] = []moneyTok{{kind: tokPeriod, text: p}}
		}
	}
	period("month", "bulan", "bln", "bl", "sebulan", "sebln", "perbulan", "perbln", "bulanan", "bulannya")
	period("year", "tahun", "thn", "th", "setahun", "sethn", "pertahun", "perthn", "tahunan", "tahunnya")
	period("short", "hari", "hr", "sehari", "perhari", "harian", "minggu", "mgg", "seminggu",
		"perminggu", "mingguan", "pekan", "sepekan")
	for _, w := range []string{"rp", "idr", "rupiah", "per", "tiap", "setiap", "sekitar", "sekitaran",
		"kira", "kirakira", "kurang", "lebih", "kurleb", "omzet", "omset", "modal", "usaha", "total",
		"hanya", "cuma", "sebesar", "senilai", "dan", "saya", "ya", "pak", "bu", "kak"} {
		moneyWords[w] = []moneyTok{{kind: tokFiller}}
	}
	moneyWords["minus"] = []moneyTok{{kind: tokMinus}}
	moneyWords["negatif"] = []moneyTok{{kind: tokMinus}}
	moneyWords["seribu"] = []moneyTok{{kind: tokNum, text: "1"}, {kind: tokUnit, mult: 1_000}}
	moneyWords["sejuta"] = []moneyTok{{kind: tokNum, text: "1"}, {kind: tokUnit, mult: 1_000_000}}
	moneyWords["semiliar"] = []moneyTok{{kind: tokNum, text: "1"}, {kind: tokUnit, mult: 1_000_000_000}}
	moneyWords["semilyar"] = moneyWords["semiliar"]
	moneyWords["seratus"] = []moneyTok{{kind: tokNum, text: "100"}}
	moneyWords["setengah"] = []moneyTok{{kind: tokNum, text: "0,5"}}

	for w, t := range moneyWords {
		moneyWordsEN[w] = t
	}
	en := func(t moneyTok, words ...string) {
		for _, w := range words {
			moneyWordsEN[w] = []moneyTok{t}
		}
	}
	en(moneyTok{kind: tokUnit, mult: 100}, "hundred", "hundreds")
	en(moneyTok{kind: tokUnit, mult: 1_000}, "thousand", "thousands", "thou", "grand")
	en(moneyTok{kind: tokUnit, mult: 1_000_000}, "m", "mn", "mio", "mil", "million", "millions")
	en(moneyTok{kind: tokUnit, mult: 1_000_000_000}, "b", "bn", "billion", "billions")
	en(moneyTok{kind: tokUnit, mult: 1_000_000_000_000}, "trillion", "trillions")
	en(moneyTok{kind: tokPeriod, text: "month"}, "month", "months", "monthly", "mo", "mth", "pm")
	en(moneyTok{kind: tokPeriod, text: "year"}, "year", "years", "yearly", "annually", "annual", "yr", "pa")
	en(moneyTok{kind: tokPeriod, text: "short"}, "day", "days", "daily", "week", "weeks", "weekly", "wk")
	en(moneyTok{kind: tokFiller}, "about", "around", "approximately", "approx", "roughly", "some", "only", "just",
		"a", "an", "each", "every", "my", "our", "the", "is", "of", "in", "turnover", "capital", "sales",
		"total", "revenue", "income", "rupiahs", "rps", "and", "sir", "madam", "maam")
	moneyWordsEN["one"] = []moneyTok{{kind: tokNum, text: "1"}}
	moneyWordsEN["half"] = []moneyTok{{kind: tokNum, text: "0,5"}}
}

// moneyTokens splits lower-cased input into tokens. ok is false on an
// unknown word, a digit of another script, a percent sign, or a dot or
// comma in front of a digit (".5 juta").
func moneyTokens(s string, dict map[string][]moneyTok) ([]moneyTok, bool) {
	var toks []moneyTok
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r >= '0' && r <= '9':
			j := i
			for j < len(rs) && (rs[j] >= '0' && rs[j] <= '9' || rs[j] == '.' || rs[j] == ',') {
				j++
			}
			toks = append(toks, moneyTok{kind: tokNum, text: strings.TrimRight(string(rs[i:j]), ".,")})
			i = j
		case unicode.IsLetter(r):
			j := i
			for j < len(rs) && unicode.IsLetter(rs[j]) {
				j++
			}
			w, known := dict[string(rs[i:j])]
			if !known {
				return nil, false
			}
			toks = append(toks, w...)
			i = j
		case unicode.IsDigit(r), r == '%':
			return nil, false
		case r == '.' || r == ',':
			if i+1 < len(rs) && rs[i+1] >= '0' && rs[i+1] <= '9' {
				return nil, false
			}
			i++
		case r == '/':
			i++
		case isDash(r):
			toks = append(toks, moneyTok{kind: tokMinus})
			i++
		default: // spaces, invisible marks, "±", ":", emoji
			i++
		}
	}
	return toks, true
}

// sumTerms adds "1 juta 500 ribu": each number with its unit; several terms
// need a unit each, in strictly falling order. Space-separated thousands
// groups ("1 500 000") are joined first. It returns a Code on failure.
func sumTerms(ts []moneyTok) (int64, string) {
	type term struct {
		num  string
		mult int64
	}
	var terms []term
	for i := 0; i < len(ts); {
		if ts[i].kind != tokNum {
			return 0, CodeMoneyFormat
		}
		num := ts[i].text
		i++
		if allDigits(num) && len(num) <= 3 {
			for i < len(ts) && ts[i].kind == tokNum && len(ts[i].text) == 3 && allDigits(ts[i].text) {
				num += "." + ts[i].text
				i++
			}
		}
		mult := int64(1)
		if i < len(ts) && ts[i].kind == tokUnit && ts[i].mult == 100 {
			mult = 100
			i++
		}
		if i < len(ts) && ts[i].kind == tokUnit && ts[i].mult > 100 {
			mult *= ts[i].mult
			i++
		}
		terms = append(terms, term{num, mult})
	}
	total := new(big.Rat)
	for k, t := range terms {
		if len(terms) > 1 && (t.mult < 1000 || (k > 0 && t.mult >= terms[k-1].mult)) {
			return 0, CodeMoneyFormat
		}
		whole, frac, ok := splitNumber(t.num)
		if !ok {
			return 0, CodeMoneyFormat
		}
		if t.mult == 1 && frac != "" && (len(frac) > 2 || strings.Trim(frac, "0") != "") {
			return 0, CodeMoneyFormat
		}
		whole = strings.TrimLeft(whole, "0")
		if len(whole) > 20 {
			return 0, CodeMoneyTooLarge
		}
		v, ok := new(big.Rat).SetString("0" + whole + "." + frac + "0")
		if !ok {
			return 0, CodeMoneyFormat
		}
		total.Add(total, v.Mul(v, new(big.Rat).SetInt64(t.mult)))
	}
	// Round half up to whole rupiah.
	q, r := new(big.Int).QuoRem(total.Num(), total.Denom(), new(big.Int))
	if r.Lsh(r, 1).Cmp(total.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if q.Cmp(big.NewInt(MaxMoney)) > 0 {
		return 0, CodeMoneyTooLarge
	}
	return q.Int64(), ""
}

// splitNumber splits "1.500.000,50" into "1500000" and "50" following the
// rules in ParseMoney's doc. ok is false when the separators are ambiguous.
func splitNumber(s string) (whole, frac string, ok bool) {
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	switch {
	case dots == 0 && commas == 0:
		return s, "", allDigits(s)
	case dots > 0 && commas > 0:
		last := strings.LastIndexAny(s, ".,")
		dec, group := s[last], ","
		if dec == ',' {
			group = "."
		}
		if strings.Count(s, string(dec)) != 1 {
			return "", "", false
		}
		whole, ok = thousands(s[:last], group)
		frac = s[last+1:]
		return whole, frac, ok && allDigits(frac)
	case commas == 1 && dots == 0, dots == 1 && commas == 0:
		sep := ","
		if dots == 1 {
			sep = "."
		}
		before, after, _ := strings.Cut(s, sep)
		if !allDigits(before) || !allDigits(after) {
			return "", "", false
		}
		if sep == "." && len(after) == 3 && before != "0" && len(before) <= 3 {
			return before + after, "", true
		}
		return before, after, true
	case dots > 1:
		whole, ok = thousands(s, ".")
		return whole, "", ok
	default: // commas > 1
		whole, ok = thousands(s, ",")
		return whole, "", ok
	}
}

// thousands joins "1.500.000" (sep ".") into "1500000" when every group after
// the first has exactly three digits and the first has one to three.
func thousands(s, sep string) (string, bool) {
	groups := strings.Split(s, sep)
	if len(groups[0]) < 1 || len(groups[0]) > 3 || !allDigits(groups[0]) {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !allDigits(g) {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}
