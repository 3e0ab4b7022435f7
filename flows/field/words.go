package field

import (
	"strings"
	"sync"
)

// The words owners type for yes, no and the global commands (domain.md §7.6,
// voice.md "Words owners type"). Entries are compared after normalisation:
// lower case, punctuation and emoji removed, repeated letters collapsed
// ("iyaaa" = "iya", "nggak" = "ngak"), polite words at the ends dropped
// ("batal ya pak" = "batal"; see FillerWords). Entries without letters
// ("-", "?", "👍") are compared with the trimmed input itself.
var (
	YesWords = []string{"ya", "iya", "iy", "y", "yes", "yup", "yap", "yoi", "ok", "oke", "okay", "okey",
		"okeh", "sip", "siap", "baik", "benar", "bener", "betul", "setuju", "boleh", "lanjut", "lanjutkan",
		"mau", "bisa", "gas", "tentu", "sudah", "udah", "sdh", "muhun", "👍", "👌", "✅"}
	NoWords = []string{"tidak", "tdk", "tak", "gak", "ga", "g", "gk", "nggak", "ngga", "enggak", "engga",
		"ndak", "nda", "kagak", "kaga", "no", "nope", "bukan", "jangan", "belum", "blm", "salah", "keliru",
		"nanti", "henteu", "not", "👎", "❌"}
	// CancelWords are whole messages; a NoWords word followed by "jadi"
	// ("tidak jadi", "ga jd") cancels too.
	CancelWords = []string{"batal", "batalkan", "cancel", "stop", "berhenti", "keluar", "udahan",
		"gajadi", "gak jadi"}
	BackWords = []string{"kembali", "balik", "back", "mundur", "sebelumnya", "kembali ke sebelumnya"}
	MenuWords = []string{"menu", "home", "awal", "menu utama", "menu awal", "main menu", "beranda",
		"ke menu", "kembali ke menu", "ke menu utama", "kembali ke menu utama"}
	HelpWords = []string{"bantuan", "bantu", "tolong", "help", "?", "bingung", "panduan", "minta bantuan",
		"butuh bantuan", "tolong bantu", "bantu saya"}
	// SkipWords are whole messages; a NoWords word followed by "ada",
	// "punya", "tahu" or "tau" ("gak punya", "blm ada") skips too.
	SkipWords = []string{"lewati", "lewat", "lewatkan", "skip", "-", "—", "–", "kosong", "belum ada",
		"tidak ada", "belum punya", "tidak punya", "tidak tahu", "not yet", "none", "dont have", "i dont have",
		"i dont have one", "dont have one", "dont know", "i dont know", "not sure", "no nib"}
	// FillerWords are dropped at the end of a message of two or more words.
	FillerWords = []string{"pak", "bu", "bapak", "ibu", "kak", "mas", "mbak", "bang", "min", "admin",
		"dong", "deh", "aja", "saja", "sih", "ya", "yah", "kok", "nih", "lah", "dulu", "kakak"}
	// AddressWords are dropped at the start of a message of two or more words
	// ("pak, batal").
	AddressWords = []string{"pak", "bu", "bapak", "ibu", "kak", "mas", "mbak", "bang", "min", "admin", "kakak"}
)

// IsYes reports whether s agrees: the whole message or its first word is in
// YesWords ("ya, tapi alamatnya salah" counts; the flow reads the rest).
// A yes followed by a negation ("setuju ga ya", "ya tidak") is not sure
// of itself and does not count.
func IsYes(s string) bool {
	w := wordsOf(s)
	if inList(YesWords, w.raw, w.joined()) {
		return true
	}
	return len(w.words) > 0 && inList(YesWords, "", w.words[0]) && !negatedLater(w.words)
}

// negations are the words that turn a yes into a question or a no when
// they follow it; "gak apa-apa" and "tidak masalah" are not among them.
var negations = []string{"tidak", "tdk", "tak", "gak", "ga", "g", "gk", "nggak", "ngga", "enggak", "engga",
	"ndak", "nda", "kagak", "kaga", "no", "not", "bukan", "jangan", "belum", "blm", "apa", "kah", "atau"}

// negatedLater reports whether a word after the first is a negation that
// is not part of "gak apa-apa" or "tidak masalah".
func negatedLater(ws []string) bool {
	for i := 1; i < len(ws); i++ {
		if !inList(negations, "", ws[i]) {
			continue
		}
		if i+1 < len(ws) && (ws[i+1] == "apa" || ws[i+1] == "masalah" || ws[i+1] == "papa") {
			for i+1 < len(ws) && (ws[i+1] == "apa" || ws[i+1] == "masalah" || ws[i+1] == "papa") {
				i++
			}
			continue
		}
		return true
	}
	return false
}

// IsNo reports whether s declines: the whole message or its first word is in
// NoWords, unless the message cancels ("tidak jadi"). "tidak ada" is both
// no and skip; the step decides which it asks for.
func IsNo(s string) bool {
	if IsCancel(s) {
		return false
	}
	w := wordsOf(s)
	return inList(NoWords, w.raw, w.joined()) || (len(w.words) > 0 && inList(NoWords, "", w.words[0]))
}

// IsCancel reports whether the whole message asks to stop the current flow
// ("batal", "/batal", "tidak jadi", "batal saja pak"). Only whole messages
// count, so a product called "stop kontak" does not cancel. "0" does not
// cancel here; a step whose menu says "0 = batal" checks it itself.
func IsCancel(s string) bool {
	w := wordsOf(s)
	if inList(CancelWords, w.raw, w.joined()) {
		return true
	}
	return len(w.words) == 2 && inList(NoWords, "", w.words[0]) && (w.words[1] == "jadi" || w.words[1] == "jd")
}

// IsBack reports whether the whole message asks to go one step back.
func IsBack(s string) bool { w := wordsOf(s); return inList(BackWords, w.raw, w.joined()) }

// IsMenu reports whether the whole message asks for the main menu.
func IsMenu(s string) bool { w := wordsOf(s); return inList(MenuWords, w.raw, w.joined()) }

// IsHelp reports whether the whole message asks for help ("bantuan", "?").
func IsHelp(s string) bool { w := wordsOf(s); return inList(HelpWords, w.raw, w.joined()) }

// IsSkip reports whether the whole message skips an optional field ("lewati",
// "-", "belum ada", "gak punya").
func IsSkip(s string) bool {
	w := wordsOf(s)
	if inList(SkipWords, w.raw, w.joined()) {
		return true
	}
	if len(w.words) != 2 || !inList(NoWords, "", w.words[0]) {
		return false
	}
	switch w.words[1] {
	case "ada", "punya", "tahu", "tau":
		return true
	}
	return false
}

// words is a message prepared for word matching.
type words struct {
	raw   string   // trimmed, emoji modifiers removed, repeats collapsed
	words []string // normalised words, repeats collapsed, fillers dropped
}

func (w words) joined() string { return strings.Join(w.words, " ") }

func wordsOf(s string) words {
	if len(s) > 200 { // no command word is that long
		return words{}
	}
	ws := strings.Fields(Normalize(s))
	for i := range ws {
		ws[i] = collapseRepeats(ws[i])
	}
	for len(ws) > 1 && inList(FillerWords, "", ws[len(ws)-1]) {
		ws = ws[:len(ws)-1]
	}
	for len(ws) > 1 && inList(AddressWords, "", ws[0]) {
		ws = ws[1:]
	}
	return words{raw: rawForm(s), words: ws}
}

// rawForm is s trimmed, without emoji variation selectors and skin tones,
// with repeats collapsed ("???" = "?", "👍🏽" = "👍").
func rawForm(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\ufe0f' || (r >= 0x1f3fb && r <= 0x1f3ff) {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	return collapseRepeats(s)
}

// inList reports whether phrase (already normalised and collapsed) or raw
// matches an entry of list. Entries with letters match phrase; entries
// without letters match raw.
func inList(list []string, raw, phrase string) bool {
	for _, e := range prepare(list) {
		if e.symbol {
			if raw != "" && e.form == raw {
				return true
			}
			continue
		}
		if phrase != "" && e.form == phrase {
			return true
		}
	}
	return false
}

// listEntry is a word list's entry in the form inList compares: a phrase
// normalized with repeats collapsed, or for an entry of symbols only ("?",
// "👍") its raw form.
type listEntry struct {
	form   string
	symbol bool
}

// prepared caches the compared forms of each word list, by its first
// element's address: the lists are package variables that never change.
var prepared sync.Map

func prepare(list []string) []listEntry {
	if len(list) == 0 {
		return nil
	}
	if v, ok := prepared.Load(&list[0]); ok {
		return v.([]listEntry)
	}
	es := make([]listEntry, 0, len(list))
	for _, entry := range list {
		if norm := Normalize(entry); norm != "" {
			es = append(es, listEntry{form: collapseWords(norm)})
		} else {
			es = append(es, listEntry{form: collapseRepeats(entry), symbol: true})
		}
	}
	prepared.Store(&list[0], es)
	return es
}

func collapseWords(s string) string {
	ws := strings.Fields(s)
	for i := range ws {
		ws[i] = collapseRepeats(ws[i])
	}
	return strings.Join(ws, " ")
}

// Kinds of greeting Greeting reports.
const (
	GreetSalam  = "salam"  // "assalamualaikum": answered "Waalaikumsalam"
	GreetHello  = "hello"  // "halo", "selamat pagi"
	GreetThanks = "thanks" // "terima kasih", "makasih"
)

// greetings maps whole messages to their kind of greeting.
var greetings = map[string][]string{
	GreetSalam: {"assalamualaikum", "asalamualaikum", "assalamu alaikum", "asalamu alaikum",
		"assalamualaikum wr wb", "assalamualaikum warahmatullahi wabarakatuh", "assalamualaikum wrwb",
		"assalamu alaikum wr wb", "aslm", "aslmkm", "ass wr wb", "assalamualaikum salam", "salam"},
	GreetHello: {"halo", "hallo", "helo", "hello", "hai", "hi", "hey", "hei", "permisi", "pagi", "siang",
		"sore", "malam", "selamat pagi", "selamat siang", "selamat sore", "selamat malam", "met pagi",
		"good morning", "good afternoon", "good evening", "halo selamat pagi", "halo selamat siang",
		"halo selamat sore", "halo selamat malam", "permisi selamat pagi", "permisi selamat siang"},
	GreetThanks: {"terima kasih", "terimakasih", "makasih", "makasi", "mksh", "trims", "trimakasih",
		"terima kasih banyak", "terimakasih banyak", "makasih banyak", "tq", "thanks", "thank you", "thx", "tks", "thanks a lot",
		"thank you very much", "oke terima kasih", "ok terima kasih", "oke makasih", "ok makasih",
		"baik terima kasih", "siap terima kasih", "terima kasih atas bantuannya", "makasih infonya",
		"terima kasih infonya"},
}

// Greeting reports the kind of greeting the whole message is
// ("Assalamualaikum pak", "selamat pagi", "makasih ya bu"), or "".
func Greeting(s string) string {
	w := wordsOf(s)
	for _, kind := range []string{GreetSalam, GreetHello, GreetThanks} {
		if inList(greetings[kind], "", w.joined()) {
			return kind
		}
	}
	return ""
}

// IsFullGreeting reports whether s greets with "selamat pagi", "good
// morning" and the like: unlike a lone "halo" or "pagi", never an answer
// to a question.
func IsFullGreeting(s string) bool {
	w := wordsOf(s)
	return Greeting(s) == GreetHello && len(w.words) > 1
}

// stopWords are the cancel words that, typed outside a form, may mean
// "stop sending me announcements".
var stopWords = []string{"stop", "berhenti", "stop pengumuman", "berhenti pengumuman",
	"berhenti langganan", "stop langganan", "unsubscribe", "berhenti berlangganan"}

// IsStop reports whether the whole message is "berhenti" or "stop" (with
// "pengumuman" or "langganan"): outside a form the owner may mean the
// announcements.
func IsStop(s string) bool { w := wordsOf(s); return inList(stopWords, w.raw, w.joined()) }

// haveWords answer "do you have it?" without giving it ("sudah punya").
var haveWords = []string{"ada", "punya", "sudah ada", "sudah punya", "udah ada", "udah punya", "sdh ada",
	"sdh punya", "ada nib", "punya nib", "sudah ada nib", "sudah punya nib", "sudah punya nib nya",
	"ada dong", "have", "i have", "i have one", "yes i have", "i have it", "i do"}

// IsHave reports whether the whole message says "I have it" without giving
// it: a yes, "sudah", "ada", "punya", "sudah punya NIB".
func IsHave(s string) bool {
	w := wordsOf(s)
	return inList(haveWords, w.raw, w.joined()) || IsYes(s)
}

// changeWords ask to change what was shown, as the first word of the
// message ("ubah", "ganti angkanya", "salah").
var changeWords = []string{"ubah", "ganti", "koreksi", "perbaiki", "betulkan", "revisi", "edit", "change", "fix",
	"salah", "keliru"}

// IsChange reports whether s asks to change what was shown: its first word
// is in changeWords ("ubah", "Ubah angka", "ganti dong", "salah ketik").
func IsChange(s string) bool {
	w := wordsOf(s)
	return len(w.words) > 0 && len(w.words) <= 4 && inList(changeWords, "", w.words[0])
}

// saveWords ask to save what was shown ("simpan aja", "simpen dong").
var saveWords = []string{"simpan", "simpen", "smpn", "simpan sekarang", "simpan data", "simpan datanya",
	"langsung simpan", "save", "save it"}

// IsSave reports whether the whole message asks to save (saveWords; a
// trailing "aja" or "dong" is dropped first).
func IsSave(s string) bool { w := wordsOf(s); return inList(saveWords, w.raw, w.joined()) }

// doneWords say the owner is done with a list of things to change, because
// nothing is left ("sudah", "gak ada") or to see the whole again
// ("ringkasan"); asking to save (IsSave) says it too.
var doneWords = []string{"selesai", "sudah", "udah", "sdh", "sudah benar",
	"sudah betul", "sudah semua", "sudah itu", "itu", "cukup", "tidak ada", "gak ada",
	"ga ada", "nggak ada", "ringkasan", "lihat ringkasan", "kembali ke ringkasan", "done", "finished",
	"nothing", "nothing else", "summary", "back to summary"}

// IsDone reports whether the whole message says the owner is done
// changing things (doneWords; a trailing "aja", "dong" or "pak" is
// dropped first, so "itu aja" is "itu").
func IsDone(s string) bool {
	w := wordsOf(s)
	return inList(doneWords, w.raw, w.joined()) || inList(saveWords, w.raw, w.joined())
}
