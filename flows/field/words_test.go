package field

import (
	"strings"
	"testing"
)

func TestWords(t *testing.T) {
	preds := []struct {
		name string
		f    func(string) bool
	}{
		{"yes", IsYes}, {"no", IsNo}, {"cancel", IsCancel}, {"back", IsBack},
		{"menu", IsMenu}, {"help", IsHelp}, {"skip", IsSkip},
	}
	tests := []struct{ in, want string }{ // want: the predicates that hold, space-separated
		{"ya", "yes"}, {"Iya", "yes"}, {"iyaaa", "yes"}, {"iyaa!!", "yes"}, {"y", "yes"}, {"yes", "yes"},
		{"ok", "yes"}, {"Oke", "yes"}, {"okee", "yes"}, {"okay", "yes"}, {"betul", "yes"}, {"benar", "yes"},
		{"sip", "yes"}, {"setuju", "yes"}, {"boleh", "yes"}, {"siap", "yes"}, {"siaaap 🙏", "yes"},
		{"ya, tapi alamatnya salah", "yes"}, {"iya pak", "yes"}, {"sudah benar", "yes"}, {"👍", "yes"},
		{"👍🏽", "yes"}, {"Ya benar.", "yes"},
		{"tidak", "no"}, {"tdk", "no"}, {"gak", "no"}, {"ga", "no"}, {"nggak", "no"}, {"ngga", "no"},
		{"nggaaak", "no"}, {"enggak", "no"}, {"no", "no"}, {"bukan", "no"}, {"belum", "no"},
		{"jangan", "no"}, {"kagak", "no"}, {"bukan, yang benar 50 juta", "no"}, {"nanti dulu", "no"},
		{"TIDAK.", "no"},
		{"batal", "cancel"}, {"/batal", "cancel"}, {"Batal!", "cancel"}, {"batalkan", "cancel"},
		{"cancel", "cancel"}, {"stop", "cancel"}, {"berhenti", "cancel"}, {"keluar", "cancel"},
		{"tidak jadi", "cancel"}, {"gak jadi deh", "cancel"}, {"ga jd", "cancel"}, {"batal saja pak", "cancel"},
		{"pak, batal", "cancel"}, {"gajadi", "cancel"},
		{"kembali", "back"}, {"/kembali", "back"}, {"balik", "back"}, {"back", "back"},
		{"menu", "menu"}, {"/menu", "menu"}, {"home", "menu"}, {"awal", "menu"}, {"kembali ke menu", "menu"},
		{"bantuan", "help"}, {"/bantuan", "help"}, {"bantu", "help"}, {"tolong", "help"}, {"help", "help"},
		{"?", "help"}, {"???", "help"}, {"bingung", "help"},
		{"lewati", "skip"}, {"skip", "skip"}, {"-", "skip"}, {" -- ", "skip"}, {"lewati saja", "skip"},
		{"belum ada", "no skip"}, {"tidak ada", "no skip"}, {"belum punya", "no skip"},
		{"gak punya", "no skip"}, {"blm ada", "no skip"}, {"ga tau", "no skip"},
		{"", ""}, {"   ", ""}, {"50 juta", ""}, {"Cikupa", ""}, {"stop kontak", ""}, {"keluar masuk barang", ""},
		{"menu makanan", ""}, {"kembali modal", ""}, {"0", ""}, {"batal tapi", ""}, {"yayasan", ""},
		{"setuju ga ya", ""}, {"setuju gak?", ""}, {"ya atau tidak", ""}, {"iya tidak", ""},
		{"ya gak apa apa", "yes"}, {"setuju, tidak masalah", "yes"},
		{"tidakk jadiii", "cancel"}, {"okelah", ""}, {strings.Repeat("ya ", 100), ""},
	}
	for _, tt := range tests {
		want := map[string]bool{}
		for _, w := range strings.Fields(tt.want) {
			want[w] = true
		}
		for _, p := range preds {
			if got := p.f(tt.in); got != want[p.name] {
				t.Errorf("Is%s(%q) = %v, want %v", p.name, tt.in, got, want[p.name])
			}
		}
	}
}

// TestWordListsDisjoint: after normalisation no entry belongs to two lists,
// except that "no" words may start a skip phrase.
func TestWordListsDisjoint(t *testing.T) {
	lists := map[string][]string{
		"yes": YesWords, "no": NoWords, "cancel": CancelWords, "back": BackWords,
		"menu": MenuWords, "help": HelpWords, "skip": SkipWords,
	}
	owner := map[string]string{}
	for name, list := range lists {
		for _, w := range list {
			key := collapseWords(Normalize(w))
			if key == "" {
				key = "raw:" + collapseRepeats(w)
			}
			if other, dup := owner[key]; dup {
				t.Errorf("%q is in both %s and %s", w, other, name)
			}
			owner[key] = name
		}
	}
}

func TestGreetingAndStop(t *testing.T) {
	tests := []struct {
		in    string
		greet string
		stop  bool
	}{
		{"Assalamualaikum", GreetSalam, false}, {"assalamu'alaikum wr. wb.", GreetSalam, false},
		{"Assalamu alaikum pak", GreetSalam, false}, {"asalamualaikum", GreetSalam, false},
		{"halo", GreetHello, false}, {"Hallo kak", GreetHello, false}, {"selamat pagi", GreetHello, false},
		{"Selamat siang bu", GreetHello, false}, {"good morning", GreetHello, false},
		{"makasih", GreetThanks, false}, {"terima kasih", GreetThanks, false}, {"Terima kasih, Bu!", GreetThanks, false},
		{"makasih ya", GreetThanks, false}, {"terimakasih banyak", GreetThanks, false}, {"thank you", GreetThanks, false},
		{"ok terima kasih", GreetThanks, false},
		{"stop", "", true}, {"berhenti", "", true}, {"Stop pengumuman", "", true}, {"berhenti langganan pak", "", true},
		{"", "", false}, {"halo saya mau daftar", "", false}, {"terima kasih atas pelatihan kemarin, kapan lagi?", "", false},
		{"pagi tadi", "", false}, {"stop kontak", "", false}, {"batal", "", false}, {"salam kenal saya Siti", "", false},
	}
	for _, tt := range tests {
		if got := Greeting(tt.in); got != tt.greet {
			t.Errorf("Greeting(%q) = %q, want %q", tt.in, got, tt.greet)
		}
		if got := IsStop(tt.in); got != tt.stop {
			t.Errorf("IsStop(%q) = %v, want %v", tt.in, got, tt.stop)
		}
	}
}

func TestIsDone(t *testing.T) {
	for _, in := range []string{"simpan", "Simpan aja", "simpen", "simpan dong pak", "selesai", "udah", "sudahh",
		"sudah itu saja", "gak ada", "ringkasan", "kembali ke ringkasan", "done"} {
		if !IsDone(in) {
			t.Errorf("IsDone(%q) = false, want true", in)
		}
	}
	for _, in := range []string{"", "alamat", "ubah alamat", "simpan alamat baru", "belum", "nama usaha"} {
		if IsDone(in) || IsSave(in) {
			t.Errorf("IsDone or IsSave(%q) = true, want false", in)
		}
	}
	for _, in := range []string{"simpan aja", "Simpen dong", "SIMPAN", "save"} {
		if !IsSave(in) {
			t.Errorf("IsSave(%q) = false, want true", in)
		}
	}
	for _, in := range []string{"selesai", "gak ada", "ringkasan", "ya"} {
		if IsSave(in) {
			t.Errorf("IsSave(%q) = true, want false", in)
		}
	}
}

func TestHaveAndChange(t *testing.T) {
	tests := []struct {
		in           string
		have, change bool
	}{
		{"sudah", true, false}, {"ada", true, false}, {"punya", true, false}, {"Sudah punya NIB", true, false},
		{"udah ada pak", true, false}, {"ya", true, false}, {"yes I have", true, false},
		{"belum", false, false}, {"tidak punya", false, false}, {"1234567890123", false, false},
		{"ubah", false, true}, {"Ubah angka", false, true}, {"ganti dong", false, true}, {"salah ketik", false, true},
		{"change", false, true}, {"ubah alamat rumah saya di jalan raya", false, false}, {"", false, false},
	}
	for _, tt := range tests {
		if got := IsHave(tt.in); got != tt.have {
			t.Errorf("IsHave(%q) = %v, want %v", tt.in, got, tt.have)
		}
		if got := IsChange(tt.in); got != tt.change {
			t.Errorf("IsChange(%q) = %v, want %v", tt.in, got, tt.change)
		}
	}
}
