// Package menu holds the flows every user meets first: the greeting and
// main menu (/start, /menu) and the language choice (/bahasa). It is a leaf
// of flows; cmd wires it.
package menu

import (
	"strings"

	"github.com/looplab/fsm"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Flow names.
const (
	Name     = "menu"
	LangName = "lang"
)

// Options says which features are live. A feature whose flow is "" answers
// "segera hadir".
type Options struct {
	// Registration, Training and Loan name the flows behind the menu
	// entries.
	Registration, Training, Loan string
	// Ask names the flow behind the "Tanya Petugas" entry; it also takes
	// over text the menu does not understand (it offers to pass it to a
	// person). "" leaves the entry out.
	Ask string
	// DeepLinks maps a /start payload prefix to the command it opens:
	// {"pelatihan_": "/pelatihan"} makes t.me/<bot>?start=pelatihan_12 run
	// "/pelatihan 12".
	DeepLinks map[string]string
}

// New returns the main menu flow.
func New(opt Options) *flows.Flow {
	entries := []struct{ choice, flow, feature string }{
		{"daftar", opt.Registration, "menu_daftar"},
		{"pelatihan", opt.Training, "feature_pelatihan"},
		{"pinjaman", opt.Loan, "feature_pinjaman"},
	}
	return &flows.Flow{
		Name:     Name,
		Version:  1,
		Title:    flows.T("menu_prompt"),
		Start:    "main",
		Commands: []string{"start"},
		Events:   fsm.Events{},
		Enter: func(c *flows.Ctx) (string, error) {
			if c.Update.Command == "start" && c.Update.Args != "" {
				for prefix, cmd := range opt.DeepLinks {
					if rest, ok := strings.CutPrefix(c.Update.Args, prefix); ok && rest != "" {
						c.Run(cmd + " " + rest)
						return flows.End, nil
					}
				}
			}
			if c.Update.Command == "start" {
				c.Say("menu_greeting", "Name", c.Update.FirstName)
			}
			return "", nil
		},
		Steps: map[string]*flows.Step{
			"main": {
				Prompt: func(c *flows.Ctx) flows.Reply {
					r := flows.Say("menu_prompt").
						WithRow(flows.Btn("menu_daftar", "daftar"), flows.Btn("menu_pelatihan", "pelatihan")).
						WithRow(flows.Btn("menu_pinjaman", "pinjaman"), flows.Btn("menu_bantuan", "bantuan"))
					if opt.Ask != "" {
						return r.WithRow(flows.Btn("menu_tanya", "tanya"), flows.Btn("menu_bahasa", "bahasa"))
					}
					return r.WithRow(flows.Btn("menu_bahasa", "bahasa"))
				},
				Help: flows.T("help_menu"),
				Text: true,
				Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
					choice := in.Choice
					if choice == "" {
						choice = typedChoice(in.Text)
					}
					switch choice {
					case "bantuan":
						c.SayHelp()
						c.Prompt()
						return flows.Stay, nil
					case "bahasa":
						c.Switch(LangName, "")
						return flows.End, nil
					case "tanya":
						if opt.Ask != "" {
							c.Run("/tanya")
							return flows.End, nil
						}
					}
					for _, en := range entries {
						if en.choice != choice {
							continue
						}
						if en.flow == "" {
							c.Say("coming_soon", "Feature", flows.T(en.feature))
							c.Prompt()
							return flows.Stay, nil
						}
						c.Switch(en.flow, "")
						return flows.End, nil
					}
					if opt.Ask != "" && in.Text != "" {
						// Not a menu entry: perhaps a question for a person.
						c.Switch(opt.Ask, "")
						return flows.End, nil
					}
					return flows.Stay, flows.Invalid("err_not_understood")
				},
			},
		},
	}
}

// typedChoice reads a menu entry typed loosely ("daftar", "pinjaman saya").
func typedChoice(text string) string {
	switch Shortcut(text) {
	case "/daftar":
		return "daftar"
	case "/pelatihan", "/pelatihansaya":
		return "pelatihan"
	case "/pinjaman":
		return "pinjaman"
	case "/bahasa":
		return "bahasa"
	case "/tanya":
		return "tanya"
	}
	return ""
}

// shortcuts are the phrases owners type for a command, most specific
// first: "daftar pelatihan" is about trainings, not registering a business.
// A phrase matches when the message contains its words in order.
var shortcuts = []struct{ phrase, cmd string }{
	{"tanya petugas", "/tanya"}, {"ask staff", "/tanya"},
	{"pelatihan saya", "/pelatihansaya"}, {"jadwal saya", "/pelatihansaya"}, {"my training", "/pelatihansaya"},
	{"ubah data", "/ubahdata"}, {"perbaiki data", "/ubahdata"}, {"ganti data", "/ubahdata"},
	{"hapus data", "/hapusdata"}, {"delete my data", "/hapusdata"},
	{"data saya", "/datasaya"}, {"my data", "/datasaya"}, {"lihat data", "/datasaya"},
	{"pelatihan", "/pelatihan"}, {"training", "/pelatihan"}, {"latihan", "/pelatihan"},
	{"kursus", "/pelatihan"}, {"workshop", "/pelatihan"}, {"webinar", "/pelatihan"},
	{"pinjam", "/pinjaman"}, {"dana bergulir", "/pinjaman"}, {"loan", "/pinjaman"}, {"kredit", "/pinjaman"},
	{"bahasa", "/bahasa"}, {"language", "/bahasa"},
	{"langganan", "/langganan"}, {"subscribe", "/langganan"},
	{"daftar", "/daftar"}, {"register", "/daftar"}, {"registrasi", "/daftar"}, {"pendaftaran", "/daftar"},
}

// Shortcut returns the command a message typed outside a form asks for
// ("daftar pelatihan" → "/pelatihan", "cek pinjaman saya" → "/pinjaman",
// "data saya" → "/datasaya"), or "". The engine calls it
// (flows.Config.Shortcut).
//
// A command no flow claims comes here too, as typed ("/cekpinjaman",
// "/daftarusaha", "/jadwal_pelatihan"): it names the command whose phrase
// it contains, spaces left out.
func Shortcut(text string) string {
	if name, _, ok := flows.ParseCommand(text); ok {
		return guessCommand(name)
	}
	words := strings.Fields(field.Normalize(text))
	if len(words) == 0 || len(words) > 12 {
		return ""
	}
	for _, sc := range shortcuts {
		if containsPhrase(words, strings.Fields(sc.phrase)) {
			return sc.cmd
		}
	}
	return ""
}

// guessCommand finds the shortcut whose phrase, without its spaces, is in
// a command name that no flow claims ("cekpinjaman" holds "pinjam"), or
// "" when none is.
func guessCommand(name string) string {
	name = strings.ReplaceAll(field.Normalize(name), " ", "") // "jadwal_pelatihan"
	for _, sc := range shortcuts {
		if strings.Contains(name, strings.ReplaceAll(sc.phrase, " ", "")) {
			return sc.cmd
		}
	}
	return ""
}

// containsPhrase reports whether words holds phrase's words in a row; the
// last word of the phrase may begin a longer word ("pinjam" in
// "pinjaman").
func containsPhrase(words, phrase []string) bool {
	for i := 0; i+len(phrase) <= len(words); i++ {
		ok := true
		for j, p := range phrase {
			w := words[i+j]
			if w != p && (j != len(phrase)-1 || !strings.HasPrefix(w, p)) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// NewLang returns the language flow; the choice is stored in users, so it
// survives the session.
func NewLang(users store.UserStore, langs []string) *flows.Flow {
	return &flows.Flow{
		Name:     LangName,
		Version:  1,
		Title:    flows.T("menu_bahasa"),
		Start:    "pick",
		Commands: []string{"bahasa", "language"},
		Events:   fsm.Events{},
		Steps: map[string]*flows.Step{
			"pick": {
				Prompt: func(c *flows.Ctx) flows.Reply {
					r := flows.Say("lang_prompt")
					row := []flows.Button{}
					for _, l := range langs {
						row = append(row, flows.Btn("lang_"+l, l))
					}
					return r.WithRow(row...)
				},
				Help: flows.T("help_lang"),
				Text: true,
				Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
					lang := in.Choice
					if lang == "" {
						lang = typedLang(in.Text)
					}
					ok := false
					for _, l := range langs {
						ok = ok || l == lang
					}
					if !ok {
						return flows.Stay, flows.Invalid("err_choose_button")
					}
					if err := users.SetLanguage(c, c.UserID(), lang); err != nil {
						return flows.Stay, err
					}
					c.SetLang(lang)
					c.Say("lang_set")
					c.Switch(Name, "")
					return flows.End, nil
				},
			},
		},
	}
}

func typedLang(text string) string {
	t := strings.ToLower(text)
	switch {
	case strings.Contains(t, "indo"), t == "id", t == "bi":
		return "id"
	case strings.Contains(t, "eng"), strings.Contains(t, "inggris"), t == "en":
		return "en"
	}
	return ""
}
