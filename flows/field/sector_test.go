package field

import "testing"

func TestSectors(t *testing.T) {
	want := []string{"kuliner", "fesyen", "kriya", "agribisnis", "perdagangan", "jasa", "digital_kreatif", "industri", "lainnya"}
	got := Sectors()
	if len(got) != len(want) {
		t.Fatalf("%d sectors, want %d", len(got), len(want))
	}
	for i, s := range got {
		if s.Key != want[i] {
			t.Errorf("sector %d = %q, want %q", i, s.Key, want[i])
		}
	}
	got[0].Key = "changed"
	if Sectors()[0].Key != "kuliner" {
		t.Error("Sectors returns shared memory")
	}
	keys := map[string]bool{}
	for _, k := range want {
		keys[k] = true
	}
	for w, k := range SectorWords {
		if !keys[k] {
			t.Errorf("SectorWords[%q] = %q, not a sector", w, k)
		}
		if _, dup := WeakSectorWords[w]; dup {
			t.Errorf("%q is both a strong and a weak word", w)
		}
	}
	for w, k := range WeakSectorWords {
		if !keys[k] {
			t.Errorf("WeakSectorWords[%q] = %q, not a sector", w, k)
		}
	}
}

func TestMatchSector(t *testing.T) {
	tests := []struct{ in, want string }{
		{"kuliner", "kuliner"},
		{"Kuliner", "kuliner"},
		{"digital_kreatif", "digital_kreatif"},
		{"Digital & Kreatif", "digital_kreatif"},
		{"1", "kuliner"},
		{"9", "lainnya"},
		{"2.", "fesyen"},
		{"makanan", "kuliner"},
		{"jual makanan ringan", "kuliner"},
		{"warung makan", "kuliner"},
		{"toko kue", "kuliner"},
		{"baju", "fesyen"},
		{"Konveksi", "fesyen"},
		{"jualan baju online", "fesyen"},
		{"toko sembako", "perdagangan"},
		{"warung sembako", "perdagangan"},
		{"warung", "perdagangan"},
		{"toko kelontong", "perdagangan"},
		{"laundry", "jasa"},
		{"salon kecantikan", "jasa"},
		{"bengkel motor", "jasa"},
		{"jasa", "jasa"},
		{"jasa foto", "digital_kreatif"},
		{"kerajinan bambu", "kriya"},
		{"ternak kambing", "agribisnis"},
		{"pabrik sabun", "industri"},
		{"industri makanan", "kuliner"},
		{"makanan dan lain-lain", "kuliner"},
		{"lain-lain", "lainnya"},
	}
	for _, tt := range tests {
		s, err := MatchSector(tt.in)
		if err != nil || s.Key != tt.want {
			t.Errorf("MatchSector(%q) = %v, %v; want %s", tt.in, s, err, tt.want)
		}
	}
	for _, in := range []string{"", "0", "10", "entahlah", "jahit baju", "toko jasa", "kopi dan laundry", "usaha"} {
		s, err := MatchSector(in)
		if err == nil {
			t.Errorf("MatchSector(%q) = %v, want unknown", in, s)
			continue
		}
		t.Run(in, func(t *testing.T) { checkErr(t, err, CodeSectorUnknown, nil) })
	}
}
