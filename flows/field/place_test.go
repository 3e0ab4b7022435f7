package field

import (
	"strings"
	"testing"
)

// TestWilayah checks the embedded list against domain.md §3: 29 kecamatan,
// 28 kelurahan and 246 desa, with the per-kecamatan counts of its table.
func TestWilayah(t *testing.T) {
	counts := map[string][2]int{ // code: kelurahan, desa
		"360301": {1, 8}, "360302": {0, 8}, "360303": {2, 12}, "360304": {0, 10}, "360305": {0, 10},
		"360306": {0, 9}, "360307": {0, 10}, "360308": {1, 11}, "360309": {0, 7}, "360310": {0, 8},
		"360311": {1, 12}, "360312": {4, 5}, "360313": {0, 13}, "360314": {3, 7}, "360315": {1, 13},
		"360316": {1, 7}, "360317": {3, 4}, "360318": {2, 12}, "360319": {1, 7}, "360320": {1, 10},
		"360322": {1, 10}, "360323": {1, 5}, "360327": {0, 8}, "360328": {5, 1}, "360329": {0, 7},
		"360330": {0, 8}, "360331": {0, 7}, "360332": {0, 9}, "360333": {0, 8},
	}
	ks := Kecamatans()
	if len(ks) != 29 {
		t.Fatalf("%d kecamatan, want 29", len(ks))
	}
	if ks[0] != (Kecamatan{Code: "360301", Name: "Balaraja"}) || ks[28] != (Kecamatan{Code: "360333", Name: "Mekar Baru"}) {
		t.Errorf("first/last = %v / %v", ks[0], ks[28])
	}
	if ks[0].Dotted() != "36.03.01" {
		t.Errorf("Dotted = %q", ks[0].Dotted())
	}
	total := 0
	for i, k := range ks {
		if i > 0 && ks[i-1].Code >= k.Code {
			t.Errorf("kecamatan out of order at %s", k.Code)
		}
		want, ok := counts[k.Code]
		if !ok {
			t.Errorf("unexpected kecamatan %v", k)
		}
		var kel, desa int
		keys := map[string]bool{}
		for _, d := range Desas(k.Code) {
			if d.KecamatanCode() != k.Code || len(d.Code) != 10 {
				t.Errorf("desa %v filed under %s", d, k.Code)
			}
			if d.Kelurahan != (d.Code[6] == '1') {
				t.Errorf("desa %v: Kelurahan flag disagrees with its code", d)
			}
			if d.Kelurahan {
				kel++
			} else {
				desa++
			}
			if key := placeKey(d.Name); keys[key] {
				t.Errorf("two desa in %s compare equal: %q", k.Name, key)
			} else {
				keys[key] = true
			}
		}
		if [2]int{kel, desa} != want {
			t.Errorf("%s %s: %d kelurahan and %d desa, want %v", k.Code, k.Name, kel, desa, want)
		}
		total += kel + desa
	}
	if total != 274 {
		t.Errorf("%d desa/kelurahan, want 274", total)
	}
	ks[0].Name = "changed"
	if Kecamatans()[0].Name != "Balaraja" {
		t.Error("Kecamatans returns shared memory")
	}
	seen := map[string]bool{}
	for _, p := range places {
		if seen[p.key] {
			t.Errorf("two places compare equal: %q", p.key)
		}
		seen[p.key] = true
	}
}

func TestLoadWilayahRejectsBadData(t *testing.T) {
	header := "kode_kecamatan,kecamatan,kode_desa,desa_kelurahan,jenis\n"
	for _, data := range []string{
		"",
		"a,b\n",
		header,
		header + "36.03.01,Balaraja,36.03.02.1001,Balaraja,kelurahan\n",
		header + "36.03.01,Balaraja,36.03.01.1001,Balaraja,kota\n",
		header + "36.03.0x,Balaraja,36.03.0x.1001,Balaraja,desa\n",
		header + "\"unterminated\n",
	} {
		if err := loadWilayah(data); err == nil {
			t.Errorf("loadWilayah(%q) accepted bad data", data)
		}
	}
}

func TestKecamatanByCodeAndDesas(t *testing.T) {
	for _, code := range []string{"360318", "36.03.18", " 360318 "} {
		if k, ok := KecamatanByCode(code); !ok || k.Name != "Cikupa" {
			t.Errorf("KecamatanByCode(%q) = %v, %v", code, k, ok)
		}
	}
	for _, code := range []string{"", "360321", "3603", "367401", "x"} {
		if k, ok := KecamatanByCode(code); ok {
			t.Errorf("KecamatanByCode(%q) = %v", code, k)
		}
	}
	if n := len(Desas("36.03.01")); n != 9 {
		t.Errorf("Desas(Balaraja) has %d, want 9", n)
	}
	if Desas("999999") != nil {
		t.Error("Desas of an unknown code is not nil")
	}
	d, ok := DesaByCode("36.03.18.2009")
	if !ok || d.Name != "Bitung Jaya" || d.Dotted() != "36.03.18.2009" || d.Kelurahan {
		t.Errorf("DesaByCode = %v, %v", d, ok)
	}
	for _, code := range []string{"", "3603182099", "360318200", "x"} {
		if d, ok := DesaByCode(code); ok {
			t.Errorf("DesaByCode(%q) = %v", code, d)
		}
	}
}

func TestMatchKecamatan(t *testing.T) {
	tests := []struct{ in, code string }{
		{"Balaraja", "360301"},
		{"BALARAJA", "360301"},
		{"pasarkemis", "360312"},
		{"Pasar Kemis", "360312"},
		{"psr kemis", "360312"},
		{"pasar kamis", "360312"}, // one typo
		{"Teluk Naga", "360313"},
		{"teluknaga", "360313"},
		{"kelapadua", "360328"},
		{"Kelapa 2", "360328"},
		{"Kec. Kelapa Dua", "360328"},
		{"Sindangjaya", "360329"},
		{"Sepatan Tim.", "360330"},
		{"Sepatan Timur", "360330"},
		{"Sepatan", "360316"},
		{"Sepatam", "360316"}, // one typo
		{"kec. cikupa", "360318"},
		{"kec.cikupa", "360318"},
		{"Kecamatan Curug", "360317"},
		{"Cikupa, Kab. Tangerang", "360318"},
		{"Cikupa Kabupaten Tangerang Banten", "360318"},
		{"Kab. Tangerang, Kec. Cikupa", "360318"},
		{"Cikpua", "360318"},      // swapped letters
		{"Balaraj", "360301"},     // a letter missing
		{"Pagedangann", "360322"}, // a letter added
		{"Tiga Raksa", "360303"},
		{"Gunungkaler", "360332"},
		{"gn. kaler", "360332"},
		{"Mekarbaru", "360333"},
		{"360301", "360301"},
		{"36.03.01", "360301"},
		{"36 03 33", "360333"},
		{"  solear!! ", "360331"},
		{"Sukamulya", "360327"},
	}
	for _, tt := range tests {
		k, err := MatchKecamatan(tt.in)
		if err != nil || k.Code != tt.code {
			t.Errorf("MatchKecamatan(%q) = %v, %v; want %s", tt.in, k, err, tt.code)
		}
	}
}

func TestMatchKecamatanOutside(t *testing.T) {
	const (
		tangsel      = "Kota Tangerang Selatan"
		tangselDinas = "Dinas Koperasi dan UKM Kota Tangerang Selatan"
		kota         = "Kota Tangerang"
		kotaDinas    = "Dinas Perindustrian, Perdagangan, Koperasi dan UKM Kota Tangerang"
	)
	tests := []struct{ in, name, region, office string }{
		{"Serpong", "Serpong", tangsel, tangselDinas},
		{"serpong utara", "Serpong Utara", tangsel, tangselDinas},
		{"Serpong Utr.", "Serpong Utara", tangsel, tangselDinas},
		{"Pondok Aren", "Pondok Aren", tangsel, tangselDinas},
		{"Pd. Aren", "Pondok Aren", tangsel, tangselDinas},
		{"Ciputat", "Ciputat", tangsel, tangselDinas},
		{"Ciputat Tim.", "Ciputat Timur", tangsel, tangselDinas},
		{"pamulang", "Pamulang", tangsel, tangselDinas},
		{"Setu", "Setu", tangsel, tangselDinas},
		{"Serpong, Tangsel", "Serpong", tangsel, tangselDinas},
		{"Tangerang", "Tangerang", kota, kotaDinas},
		{"Jatiuwung", "Jatiuwung", kota, kotaDinas},
		{"Jati Uwung", "Jatiuwung", kota, kotaDinas},
		{"Batu Ceper", "Batuceper", kota, kotaDinas},
		{"Benda", "Benda", kota, kotaDinas},
		{"kec. Cipondoh", "Cipondoh", kota, kotaDinas},
		{"Ciledug", "Ciledug", kota, kotaDinas},
		{"Cileduk", "Ciledug", kota, kotaDinas}, // one typo
		{"Karawaci", "Karawaci", kota, kotaDinas},
		{"Periuk", "Periuk", kota, kotaDinas},
		{"Cibodas", "Cibodas", kota, kotaDinas},
		{"Neglasari", "Neglasari", kota, kotaDinas},
		{"Pinang", "Pinang", kota, kotaDinas},
		{"Karang Tengah", "Karang Tengah", kota, kotaDinas},
		{"Larangan", "Larangan", kota, kotaDinas},
	}
	for _, tt := range tests {
		k, err := MatchKecamatan(tt.in)
		if err == nil {
			t.Errorf("MatchKecamatan(%q) = %v, want outside", tt.in, k)
			continue
		}
		t.Run(tt.in, func(t *testing.T) {
			checkErr(t, err, CodeKecamatanOutside, map[string]any{"Name": tt.name, "Region": tt.region, "Office": tt.office})
		})
	}
}

func TestMatchKecamatanUnknown(t *testing.T) {
	for _, in := range []string{
		"", "   ", "?", "xyz", "Bandung", "Jakarta", "Curg", "Crug", "1", "01", "3603", "360321", "360399",
		"367401", "Tangsel", "Kota Tangerang", "Kabupaten Tangerang", "kec", "kecamatan", "Bitung Jaya",
		"Balarajaaa", "Cikupa Balaraja", strings.Repeat("Cikupa ", 30),
	} {
		k, err := MatchKecamatan(in)
		if err == nil {
			t.Errorf("MatchKecamatan(%q) = %v, want unknown", in, k)
			continue
		}
		t.Run(in, func(t *testing.T) { checkErr(t, err, CodeKecamatanUnknown, nil) })
	}
}

func TestMatchDesa(t *testing.T) {
	tests := []struct{ kec, in, code string }{
		{"360318", "Bitung Jaya", "3603182009"},
		{"36.03.18", "bitungjaya", "3603182009"},
		{"360318", "Desa Bitung Jaya", "3603182009"},
		{"360318", "Bitung Jaya, Cikupa", "3603182009"},
		{"360318", "Bitung Jaya Kec. Cikupa", "3603182009"},
		{"360318", "Bitung Jaya, Kab. Tangerang", "3603182009"},
		{"360318", "Bitung Jya", "3603182009"}, // one typo
		{"360318", "2009", "3603182009"},
		{"360318", "3603182009", "3603182009"},
		{"360318", "36.03.18.2009", "3603182009"},
		{"360318", "Kel. Sukamulya", "3603181001"},
		{"360318", "Talaga", "3603182004"},
		{"360318", "Cikupa", "3603182007"}, // the desa named like its kecamatan
		{"360318", "Talagasari", "3603182005"},
		{"360313", "Kampung Melayu Timur", "3603132006"},
		{"360313", "Kp. Melayu Brt", "3603132007"},
		{"360313", "kmp melayu tim", "3603132006"},
		{"360312", "Pasar Kemis", "3603122001"},
		{"360301", "Balaraja", "3603011001"},
		{"360308", "Mauk Timur", "3603081002"},
		{"360328", "Kelapa 2", "3603281001"},
	}
	for _, tt := range tests {
		d, err := MatchDesa(tt.kec, tt.in)
		if err != nil || d.Code != tt.code {
			t.Errorf("MatchDesa(%s, %q) = %v, %v; want %s", tt.kec, tt.in, d, err, tt.code)
		}
	}
}

func TestMatchDesaErrors(t *testing.T) {
	tests := []struct {
		kec, in, code string
		data          map[string]any
	}{
		{"360318", "Sentul", CodeDesaElsewhere, map[string]any{"Name": "Sentul", "Kecamatan": "Balaraja"}},
		{"360301", "Sukamanah", CodeDesaElsewhere, map[string]any{"Name": "Sukamanah", "Kecamatan": "Jambe, Rajeg"}},
		{"360301", "desa caringin", CodeDesaElsewhere, map[string]any{"Name": "Caringin", "Kecamatan": "Cisoka, Legok"}},
		{"360301", "3603182009", CodeDesaElsewhere, map[string]any{"Name": "Bitung Jaya", "Kecamatan": "Cikupa"}},
		{"360318", "Atlantis", CodeDesaUnknown, map[string]any{"Kecamatan": "Cikupa"}},
		{"360318", "", CodeDesaUnknown, map[string]any{"Kecamatan": "Cikupa"}},
		{"360318", "1001 2009", CodeDesaUnknown, map[string]any{"Kecamatan": "Cikupa"}},
		{"360311", "Sukasani", CodeDesaUnknown, map[string]any{"Kecamatan": "Rajeg"}}, // one typo from Sukatani and Sukasari
		{"360318", strings.Repeat("Bitung ", 20), CodeDesaUnknown, map[string]any{"Kecamatan": "Cikupa"}},
		{"999999", "Bitung Jaya", CodeDesaUnknown, map[string]any{"Kecamatan": ""}},
		{"", "", CodeDesaUnknown, map[string]any{"Kecamatan": ""}},
	}
	for _, tt := range tests {
		d, err := MatchDesa(tt.kec, tt.in)
		if err == nil {
			t.Errorf("MatchDesa(%s, %q) = %v, want %s", tt.kec, tt.in, d, tt.code)
			continue
		}
		t.Run(tt.in, func(t *testing.T) { checkErr(t, err, tt.code, tt.data) })
	}
}

func TestWithinOne(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"cikupa", "cikupa", true},
		{"cikupa", "cikpua", true},
		{"cikupa", "ciupa", true},
		{"cikupa", "cikupaa", true},
		{"cikupa", "cokupa", true},
		{"cikupa", "ckiupa", true},
		{"cikupa", "cpkuia", false},
		{"cikupa", "cikup", true},
		{"cikupa", "cikuppaa", false},
		{"cikupa", "kicupa", false},
		{"", "a", true},
		{"", "ab", false},
		{"ab", "ba", true},
		{"abc", "bca", false},
	}
	for _, tt := range tests {
		if got := withinOne([]rune(tt.a), []rune(tt.b)); got != tt.want {
			t.Errorf("withinOne(%q, %q) = %v", tt.a, tt.b, got)
		}
		if got := withinOne([]rune(tt.b), []rune(tt.a)); got != tt.want {
			t.Errorf("withinOne(%q, %q) = %v (reversed)", tt.b, tt.a, got)
		}
	}
}
