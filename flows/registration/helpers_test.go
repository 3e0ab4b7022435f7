package registration_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template"
	"text/template/parse"

	"github.com/BurntSushi/toml"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/flows/menu"
	"github.com/diskum-tangerang/umkmbot/flows/registration"
	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/memory"
)

const (
	owner   = 1001
	version = "2026-11"
	// nikSiti is a woman born on 5 July 1990, registered in Pasar Kemis.
	nikSiti = "3603124507900003"
)

var opt = registration.Options{ConsentVersion: version}

// newHarness builds a harness with the registration flows on its memory
// store, or on mem when given (a restart).
func newHarness(t *testing.T, mem *memory.Store, sessions store.SessionStore) *ft.Harness {
	t.Helper()
	return ft.New(t, ft.Options{
		Store:    mem,
		Sessions: sessions,
		Menu:     menu.Options{Registration: registration.Name},
		Flows: func(h *ft.Harness) []*flows.Flow {
			return []*flows.Flow{registration.New(h.Store, opt), registration.NewEdit(h.Store, opt)}
		},
	})
}

// step is one answer of a transcript and the replies it must get.
type step struct {
	state string // the state the answer is given in
	in    string
	want  []string
}

// happy is the whole registration typed in informal Indonesian, without a
// single button tap or button number.
var happy = []step{
	{"", "/daftar", []string{"reg_consent"}},
	{"consent", "iya", []string{"reg_name"}},
	{"name", "Siti Aminah", []string{"reg_nik"}},
	{"nik", "3603 1245 0790 0003", []string{"reg_nik_confirm"}},
	{"nikok", "iya bener", []string{"reg_phone"}},
	{"phone", "0812-3456-7890", []string{"reg_phone_ok", "reg_biz"}},
	{"biz", "Kue Basah Bu Siti", []string{"reg_sector"}},
	{"sector", "jualan kue", []string{"reg_products"}},
	{"products", "kue basah, nasi uduk, sama gorengan", []string{"reg_kec"}},
	{"kec", "pasarkemis", []string{"reg_desa"}},
	{"desa", "suka asih", []string{"reg_address"}},
	{"address", "Jl. Raya Pasar Kemis No. 12, RT 03/RW 05", []string{"reg_year"}},
	{"year", "sejak 2019", []string{"reg_workers"}},
	{"workers", "3 orang", []string{"reg_capital"}},
	{"capital", "50jt", []string{"reg_turnover"}},
	{"turnover", "1,5 juta per bulan", []string{"reg_nib"}},
	{"nib", "belum punya", []string{"reg_nib_training", "reg_halal"}},
	{"halal", "belum", []string{"reg_summary"}},
	{"summary", "simpan", []string{"reg_saved", "menu_prompt"}},
}

// prompts maps each state to the message that asks its question.
var prompts = map[string]string{
	"consent": "reg_consent", "name": "reg_name", "nik": "reg_nik", "nikok": "reg_nik_confirm",
	"phone": "reg_phone", "biz": "reg_biz", "sector": "reg_sector", "products": "reg_products",
	"kec": "reg_kec", "desa": "reg_desa", "address": "reg_address", "year": "reg_year",
	"workers": "reg_workers", "capital": "reg_capital", "turnover": "reg_turnover", "nib": "reg_nib",
	"halal": "reg_halal", "summary": "reg_summary",
}

// reach starts /daftar when the owner is not in the registration, and
// answers the happy transcript until the session is in state ("" for the
// end of the registration).
func reach(t *testing.T, h *ft.Harness, user int64, state string) {
	t.Helper()
	if h.Session(user) == nil || h.Session(user).Flow != registration.Name {
		h.Send(user, "/daftar")
	}
	for range len(happy) + 1 {
		s := h.Session(user)
		if s.Flow != registration.Name || s.State == state {
			break
		}
		if s.State == "_resume" {
			h.Send(user, "mulai ulang")
			continue
		}
		i := slices.IndexFunc(happy, func(st step) bool { return st.state == s.State })
		if i < 0 {
			t.Fatalf("no answer for state %s", s.State)
		}
		ft.Want(t, h.Send(user, happy[i].in), happy[i].want...)
	}
	if s := h.Session(user); (state == "" && s.Flow == registration.Name) || (state != "" && s.State != state) {
		t.Fatalf("state %s not reached: %+v", state, s)
	}
}

// registrations returns the owner's registrations.
func registrations(t *testing.T, h *ft.Harness, user int64) []store.Registration {
	t.Helper()
	list, err := h.Store.RegistrationsOf(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// templates are the locale templates by language and message ID.
var templates = func() map[string]map[string]*template.Template {
	out := map[string]map[string]*template.Template{}
	for _, lang := range []string{"id", "en"} {
		var msgs map[string]struct{ Other string }
		if _, err := toml.DecodeFile("../../locales/active."+lang+".toml", &msgs); err != nil {
			panic(err)
		}
		out[lang] = map[string]*template.Template{}
		for id, m := range msgs {
			out[lang][id] = template.Must(template.New(id).Parse(m.Other))
		}
	}
	return out
}()

var (
	leakedID = regexp.MustCompile(`\b(reg|field|sector|data|btn|err|menu|cmd)_[a-z0-9_]+\b`)
	// rupiahRE is money written the Indonesian way.
	rupiahRE = regexp.MustCompile(`Rp\d{1,3}(\.\d{3})*`)
)

// checkRendered renders replies in Indonesian and English, labels
// included, and fails on a message ID missing from the catalog, a
// template field missing from the data (which the catalog would render as
// nothing), printf noise, or callback data too long for Telegram.
func checkRendered(t *testing.T, h *ft.Harness, rs []flows.Reply) {
	t.Helper()
	for _, r := range rs {
		texts := []flows.Text{r.Text}
		for _, row := range r.Buttons {
			for _, b := range row {
				texts = append(texts, b.Label)
				if len(b.Data) > 64 {
					t.Errorf("%s: callback data %q is %d bytes", r.ID, b.Data, len(b.Data))
				}
			}
		}
		for _, lang := range []string{"id", "en"} {
			for _, txt := range texts {
				checkData(t, lang, txt)
				out := h.Catalog.Plain(lang, txt)
				if strings.TrimSpace(out) == "" || strings.Contains(out, "<no value>") || strings.Contains(out, "%!") ||
					leakedID.MatchString(out) {
					t.Errorf("%s %s renders badly: %q", lang, txt.ID, out)
				}
			}
		}
	}
}

// checkData fails unless every field the template of t (and of the Texts
// nested in its data) refers to is in its data.
func checkData(t *testing.T, lang string, txt flows.Text) {
	t.Helper()
	if txt.ID == "" {
		return
	}
	tmpl := templates[lang][txt.ID]
	if tmpl == nil {
		t.Errorf("%s: message %s does not exist", lang, txt.ID)
		return
	}
	for _, name := range fieldNames(tmpl.Tree.Root) {
		if _, ok := txt.Data[name]; !ok {
			t.Errorf("%s: message %s uses .%s, which its data lacks (%v)", lang, txt.ID, name, txt.Data)
		}
	}
	for _, v := range txt.Data {
		switch x := v.(type) {
		case flows.Text:
			checkData(t, lang, x)
		case []flows.Text:
			for _, y := range x {
				checkData(t, lang, y)
			}
		}
	}
}

// fieldNames lists the top-level fields (.Name) a template refers to.
func fieldNames(n parse.Node) []string {
	var out []string
	var walk func(parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c)
				}
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.PipeNode:
			if n != nil {
				for _, c := range n.Cmds {
					walk(c)
				}
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.FieldNode:
			out = append(out, n.Ident[0])
		}
	}
	walk(n)
	return out
}
