package field

import (
	"slices"
	"strings"
)

// otherRegion is a neighbouring kota whose kecamatan people mistake for
// Kabupaten Tangerang's; its own dinas serves its businesses.
type otherRegion struct {
	Name, Office string
	Kecamatan    []string
}

var otherRegions = []otherRegion{
	{
		Name:   "Kota Tangerang",
		Office: "Dinas Perindustrian, Perdagangan, Koperasi dan UKM Kota Tangerang",
		Kecamatan: []string{"Tangerang", "Jatiuwung", "Batuceper", "Benda", "Cipondoh", "Ciledug",
			"Karawaci", "Periuk", "Cibodas", "Neglasari", "Pinang", "Karang Tengah", "Larangan"},
	},
	{
		Name:   "Kota Tangerang Selatan",
		Office: "Dinas Koperasi dan UKM Kota Tangerang Selatan",
		Kecamatan: []string{"Serpong", "Serpong Utara", "Pondok Aren", "Ciputat", "Ciputat Timur",
			"Pamulang", "Setu"},
	},
}

// place is one name MatchKecamatan knows: a kecamatan of the Kabupaten
// (kec >= 0) or of another region (kec < 0, other and name set).
type place struct {
	key   string
	kec   int
	other *otherRegion
	name  string
}

var places []place

func buildPlaceIndex() {
	for i, k := range kecamatans {
		places = append(places, place{key: placeKey(k.Name), kec: i}, place{key: k.Code, kec: i})
	}
	for r := range otherRegions {
		for _, n := range otherRegions[r].Kecamatan {
			places = append(places, place{key: placeKey(n), kec: -1, other: &otherRegions[r], name: n})
		}
	}
}

// abbreviations people and Kemendagri use inside place names.
var abbreviations = map[string]string{
	"tim": "timur", "tmr": "timur", "brt": "barat", "bar": "barat", "utr": "utara", "ut": "utara",
	"sel": "selatan", "slt": "selatan", "psr": "pasar", "gn": "gunung", "gng": "gunung",
	"kp": "kampung", "kmp": "kampung", "kpg": "kampung", "tj": "tanjung", "tjg": "tanjung",
	"tlk": "teluk", "pd": "pondok", "pdk": "pondok", "jl": "jalan",
}

// placePrefixes are words before a name: "kec. Cikupa", "desa Bitung Jaya".
var placePrefixes = map[string]bool{
	"kec": true, "kecamatan": true, "kel": true, "kelurahan": true, "desa": true, "ds": true,
	"di": true, "daerah": true, "wilayah": true,
}

// regionWords are phrases around a name that say which region it is in:
// "Cikupa, Kab. Tangerang". They are dropped when something else remains.
var regionWords = [][]string{
	{"kabupaten", "tangerang"}, {"kab", "tangerang"}, {"kab", "tng"}, {"kab", "tangerang", "banten"},
	{"kota", "tangerang", "selatan"}, {"tangerang", "selatan"}, {"tangsel"}, {"kota", "tangerang"},
	{"tangerang"}, {"provinsi", "banten"}, {"prov", "banten"}, {"banten"}, {"kab"}, {"kabupaten"},
}

// placeTokens normalises a place name into words, with abbreviations
// spelled out and leading words such as "kec" dropped.
func placeTokens(s string) []string {
	words := strings.Fields(Normalize(s))
	for i, w := range words {
		if long, ok := abbreviations[w]; ok {
			words[i] = long
		} else if w == "2" && i > 0 {
			words[i] = "dua" // "Kelapa 2"
		}
	}
	for len(words) > 1 && placePrefixes[words[0]] {
		words = words[1:]
	}
	return words
}

// placeKey is the comparison form of a name: its words joined without
// spaces, so "Teluk Naga" and "Teluknaga" meet.
func placeKey(s string) string { return strings.Join(placeTokens(s), "") }

// stripRegion drops region phrases at the ends of words, and leading
// "kec"-type words again after them, as long as a word remains.
func stripRegion(words []string) []string {
	for changed := true; changed; {
		changed = false
		for _, p := range regionWords {
			if len(words) > len(p) && slices.Equal(words[len(words)-len(p):], p) {
				words, changed = words[:len(words)-len(p)], true
			}
			if len(words) > len(p) && slices.Equal(words[:len(p)], p) {
				words, changed = words[len(p):], true
			}
		}
		for len(words) > 1 && placePrefixes[words[0]] {
			words, changed = words[1:], true
		}
	}
	return words
}

// placeKeys are the keys to try for input s, most literal first.
func placeKeys(words []string) []string {
	keys := []string{strings.Join(words, "")}
	if stripped := strings.Join(stripRegion(slices.Clone(words)), ""); stripped != keys[0] {
		keys = append(keys, stripped)
	}
	return keys
}

// maxPlaceInput bounds the text compared, so a pasted essay costs nothing.
const maxPlaceInput = 100

// MatchKecamatan finds the kecamatan of Kabupaten Tangerang that s names. It
// compares lower-cased names without spaces or punctuation ("pasarkemis",
// "Teluk Naga", "kelapadua", "Sepatan Tim.", "kec. cikupa", "Kecamatan
// Curug", "Cikupa, Kab. Tangerang"), accepts the code ("360301",
// "36.03.01"), and forgives one typo (a letter missing, added, changed, or
// two swapped) in names of six letters or more when only one name is that
// close. A kecamatan of Kota Tangerang or Kota Tangerang Selatan fails with
// CodeKecamatanOutside and Data Name, Region and Office (that region's
// dinas); anything else with CodeKecamatanUnknown.
func MatchKecamatan(s string) (Kecamatan, error) {
	if len(s) > maxPlaceInput {
		return Kecamatan{}, fail(CodeKecamatanUnknown)
	}
	keys := placeKeys(placeTokens(s))
	found := func(p place) (Kecamatan, error) {
		if p.kec >= 0 {
			return kecamatans[p.kec], nil
		}
		return Kecamatan{}, fail(CodeKecamatanOutside, "Name", p.name, "Region", p.other.Name, "Office", p.other.Office)
	}
	for _, key := range keys {
		for _, p := range places {
			if p.key == key && key != "" {
				return found(p)
			}
		}
	}
	key := []rune(keys[len(keys)-1])
	var close []place
	for _, p := range places {
		if len(p.key) >= 6 && !allDigits(p.key) && withinOne(key, []rune(p.key)) {
			close = append(close, p)
		}
	}
	if len(close) == 1 {
		return found(close[0])
	}
	return Kecamatan{}, fail(CodeKecamatanUnknown)
}

// MatchDesa finds the desa or kelurahan of kecamatan kecCode that s names,
// with the same loose comparison as MatchKecamatan; it also accepts the
// full code ("3603011001", "36.03.01.1001") and the 4-digit local code
// ("1001"), and ignores the kecamatan's name after the desa's ("Bitung Jaya,
// Cikupa"). A name found only in other kecamatan fails with
// CodeDesaElsewhere (Data Name, Kecamatan: their names joined by ", ");
// anything else with CodeDesaUnknown (Data Kecamatan).
func MatchDesa(kecCode, s string) (Desa, error) {
	kec, ok := KecamatanByCode(kecCode)
	if !ok {
		return Desa{}, fail(CodeDesaUnknown, "Kecamatan", "")
	}
	unknown := fail(CodeDesaUnknown, "Kecamatan", kec.Name)
	if len(s) > maxPlaceInput {
		return Desa{}, unknown
	}
	words := placeTokens(s)
	keys := placeKeys(words)
	kecWords := placeTokens(kec.Name)
	if n := len(words) - len(kecWords); n > 0 && slices.Equal(words[n:], kecWords) {
		rest := words[:n]
		for len(rest) > 1 && placePrefixes[rest[len(rest)-1]] { // "Bitung Jaya kec. Cikupa"
			rest = rest[:len(rest)-1]
		}
		keys = append(keys, placeKeys(rest)...)
	}
	list := desas[kec.Code]
	for _, key := range keys {
		if key == "" {
			continue
		}
		for _, d := range list {
			if key == d.Code || key == d.Code[6:] || key == placeKey(d.Name) {
				return d, nil
			}
		}
	}
	last := []rune(keys[len(keys)-1])
	var close []Desa
	for _, d := range list {
		if k := placeKey(d.Name); len(k) >= 6 && withinOne(last, []rune(k)) {
			close = append(close, d)
		}
	}
	if len(close) == 1 {
		return close[0], nil
	}
	var name string
	var elsewhere []string
	for _, k := range kecamatans {
		if k.Code == kec.Code {
			continue
		}
		for _, d := range desas[k.Code] {
			if slices.Contains(keys, placeKey(d.Name)) || slices.Contains(keys, d.Code) {
				name = d.Name
				elsewhere = append(elsewhere, k.Name)
				break
			}
		}
	}
	if len(elsewhere) > 0 {
		return Desa{}, fail(CodeDesaElsewhere, "Name", name, "Kecamatan", strings.Join(elsewhere, ", "))
	}
	return Desa{}, unknown
}

// withinOne reports whether a and b differ by at most one edit: a rune
// inserted, deleted or replaced, or two adjacent runes swapped.
func withinOne(a, b []rune) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if i == len(a) {
		return true
	}
	if len(a) < len(b) {
		return slices.Equal(a[i:], b[i+1:])
	}
	if slices.Equal(a[i+1:], b[i+1:]) {
		return true
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && slices.Equal(a[i+2:], b[i+2:])
}
