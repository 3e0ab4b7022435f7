package flows_test

import (
	"strings"
	"testing"

	"github.com/looplab/fsm"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
)

// commandFlow is a flow that only says which command started it.
func commandFlow(name string, staff bool) *flows.Flow {
	return &flows.Flow{
		Name: name[:min(len(name), 12)], Version: 1, Title: flows.Raw(name), Start: "done", Commands: []string{name},
		StaffOnly: staff, Events: fsm.Events{},
		Steps: map[string]*flows.Step{"done": {
			Prompt: func(*flows.Ctx) flows.Reply { return flows.Reply{Text: flows.Raw("done")} },
			Handle: func(*flows.Ctx, flows.Input) (string, error) { return flows.End, nil },
		}},
		Enter: func(c *flows.Ctx) (string, error) {
			c.Reply(flows.Reply{Text: flows.Raw("at:" + name)})
			return flows.End, nil
		},
	}
}

func newShortcutHarness(t *testing.T) *ft.Harness {
	return ft.New(t, ft.Options{}, testFlow(1, nil), commandFlow("pelatihan", false), commandFlow("pinjaman", false),
		commandFlow("datasaya", false), commandFlow("pelatihansaya", false), commandFlow("daftar", false))
}

func TestMenuWordsWorkOutsideTheMenu(t *testing.T) {
	tests := []struct{ text, want string }{
		{"pelatihan", "raw:at:pelatihan"},
		{"daftar pelatihan", "raw:at:pelatihan"},
		{"Saya mau daftar pelatihan menjahit", "raw:at:pelatihan"},
		{"pinjaman", "raw:at:pinjaman"},
		{"cek pinjaman", "raw:at:pinjaman"},
		{"Data saya", "raw:at:datasaya"},
		{"pelatihan saya", "raw:at:pelatihansaya"},
		{"daftar usaha", "raw:at:daftar"},
		{"check my loan", "raw:at:pinjaman"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			h := newShortcutHarness(t)
			// A new chat, with no flow at all.
			ft.Want(t, h.Send(owner, tt.text), tt.want)
			// Under the menu.
			h.Send(owner, "/menu")
			ft.Want(t, h.Send(owner, tt.text), tt.want)
		})
	}
}

func TestMenuWordsInsideAForm(t *testing.T) {
	h := newShortcutHarness(t)
	h.Send(owner, "/uji")
	// A step that reads text takes the words as its answer.
	ft.Want(t, h.Send(owner, "pelatihan"), "raw:q:age")
	ft.Want(t, h.Send(owner, "40"), "raw:q:confirm pelatihan")
	// A step that reads only buttons lets them open what they name.
	ft.Want(t, h.Send(owner, "cek pinjaman"), "raw:at:pinjaman")
	// So does a step that reads text but cannot take them as its answer;
	// the form is kept as a draft.
	h.Send(owner, "/uji")
	h.Send(owner, "mulai ulang")
	h.Send(owner, "Siti")
	ft.Want(t, h.Send(owner, "data saya"), "raw:at:datasaya")
	if d := h.Session(owner).Drafts["tf"]; d.State != "age" || d.Data["name"] != "Siti" {
		t.Fatalf("draft %+v", d)
	}
}

func TestGreetingsAndThanks(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Assalamualaikum", []string{"greet_salam", "menu_prompt"}},
		{"assalamu'alaikum wr wb pak", []string{"greet_salam", "menu_prompt"}},
		{"halo", []string{"greet_hello", "menu_prompt"}},
		{"Selamat pagi", []string{"greet_hello", "menu_prompt"}},
		{"makasih", []string{"greet_thanks", "menu_prompt"}},
		{"Terima kasih, Bu", []string{"greet_thanks", "menu_prompt"}},
		{"thank you", []string{"greet_thanks", "menu_prompt"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			h, _ := newHarness(t)
			rs := h.Send(owner, tt.text)
			ft.Want(t, rs, tt.want...)
			h.CheckRendered(t, rs)
		})
	}
	h, _ := newHarness(t)
	rs := h.Send(owner, "assalamualaikum")
	if got := h.Plain(rs[:1]); !strings.HasPrefix(got, "Waalaikumsalam") {
		t.Fatalf("answer %q", got)
	}
	// 09.00 WIB is morning.
	rs = h.SendLang(owner, "en", "hello")
	if got := h.Plain(rs[:1]); !strings.HasPrefix(got, "Hello, good morning!") || rs[0].Lang != "en" {
		t.Fatalf("answer %q in %s", got, rs[0].Lang)
	}
	// Inside a form: the answer, then the same question again.
	h.Send(owner, "/uji")
	ft.Want(t, h.Send(owner, "terima kasih"), "greet_thanks", "raw:q:name")
	ft.Want(t, h.Send(owner, "Siti"), "raw:q:age")
}

func TestBantuanListsEveryCommand(t *testing.T) {
	h, _ := newHarness(t)
	const staff = 9001
	h.Staff[staff] = true
	rs := h.Send(owner, "/bantuan")
	ft.Want(t, rs, "help_general", "menu_prompt")
	for _, lang := range []string{"id", "en"} {
		text := h.Catalog.Plain(lang, rs[0].Text)
		for _, cmd := range []string{"/daftar", "/pelatihan", "/pelatihansaya", "/pinjaman", "/bahasa", "/berhenti",
			"/langganan", "/datasaya", "/ubahdata", "/hapusdata", "/batal", "/bantuan"} {
			if !strings.Contains(text, cmd+" ") {
				t.Errorf("%s help lacks %s", lang, cmd)
			}
		}
	}
	rs = h.Send(staff, "bantuan")
	ft.Want(t, rs, "help_general", "help_staff", "menu_prompt")
	for _, lang := range []string{"id", "en"} {
		text := h.Catalog.Plain(lang, rs[1].Text)
		for _, cmd := range []string{"/siaran", "/siaranlist", "/siaranjeda", "/siaranlanjut", "/siaranbatal",
			"/pelatihanbaru", "/pelatihanedit", "/pelatihanbatal", "/peserta", "/pinjamanstaf", "/ekspor"} {
			if !strings.Contains(text, cmd+" ") {
				t.Errorf("%s staff help lacks %s", lang, cmd)
			}
		}
	}
	// The menu's Bantuan button says the same.
	h.Send(staff, "/menu")
	ft.Want(t, h.TapLabel(staff, "Bantuan"), "help_general", "help_staff", "menu_prompt")
}

func TestLoneHelloInsideAFormIsAnAnswer(t *testing.T) {
	h, _ := newHarness(t)
	h.Send(owner, "/uji")
	// "Halo" may be a name; "selamat pagi" is not.
	ft.Want(t, h.Send(owner, "selamat pagi"), "greet_hello", "raw:q:name")
	ft.Want(t, h.Send(owner, "Halo"), "raw:q:age")
	if got := h.Session(owner).Data["name"]; got != "Halo" {
		t.Fatalf("name %q", got)
	}
}
