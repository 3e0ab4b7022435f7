package flows_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/looplab/fsm"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/flows/menu"
	"github.com/diskum-tangerang/umkmbot/store"
)

// testFlow asks a name, then an age (a number), then a confirmation.
func testFlow(version int, saves *atomic.Int64) *flows.Flow {
	return &flows.Flow{
		Name: "tf", Version: version, Title: flows.Raw("Formulir uji"), Start: "name",
		Commands: []string{"uji"}, KeepDraft: true,
		Events: fsm.Events{
			{Name: "named", Src: []string{"name"}, Dst: "age"},
			{Name: "aged", Src: []string{"age"}, Dst: "confirm"},
		},
		Steps: map[string]*flows.Step{
			"name": {
				Prompt: func(c *flows.Ctx) flows.Reply { return flows.Reply{Text: flows.Raw("q:name")} },
				Help:   flows.Raw("help:name"),
				Text:   true,
				Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
					c.Set("name", in.Text)
					return "named", nil
				},
			},
			"age": {
				Prompt:  func(c *flows.Ctx) flows.Reply { return flows.Reply{Text: flows.Raw("q:age")} },
				Example: flows.Raw("42"),
				Text:    true,
				Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
					switch in.Text {
					case "boom":
						return "", errors.New("database on fire")
					case "panic":
						panic("step panicked")
					}
					if _, err := strconv.Atoi(in.Text); err != nil {
						return flows.Stay, &flows.UserError{Msg: flows.Raw("bad:age")}
					}
					c.Set("age", in.Text)
					return "aged", nil
				},
			},
			"confirm": {
				Prompt: func(c *flows.Ctx) flows.Reply {
					return flows.Reply{Text: flows.Raw("q:confirm " + c.Get("name"))}.WithRow(
						flows.Button{Label: flows.Raw("Simpan"), Data: "save"},
						flows.Button{Label: flows.Raw("Ubah"), Data: "edit"})
				},
				Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
					if in.Choice == "save" {
						saves.Add(1)
						c.Reply(flows.Reply{Text: flows.Raw("saved")})
						c.Switch("menu", "")
						return flows.End, nil
					}
					return flows.Stay, nil
				},
			},
		},
	}
}

const owner = 1001

func newHarness(t *testing.T) (*ft.Harness, *atomic.Int64) {
	saves := &atomic.Int64{}
	return ft.New(t, ft.Options{}, testFlow(1, saves)), saves
}

func TestStartShowsGreetingAndMenu(t *testing.T) {
	h, _ := newHarness(t)
	rs := h.Send(owner, "/start")
	ft.Want(t, rs, "menu_greeting", "menu_prompt")
	if got := len(h.Buttons(owner)); got != 5 {
		t.Fatalf("menu has %d buttons, want 5", got)
	}
	if rs[0].Lang != "id" {
		t.Fatalf("lang %q", rs[0].Lang)
	}
}

func TestLanguageChoiceIsKeptAcrossSessions(t *testing.T) {
	h, _ := newHarness(t)
	h.Send(owner, "/start")
	ft.Want(t, h.TapLabel(owner, "Bahasa"), "lang_prompt")
	rs := h.TapLabel(owner, "English")
	ft.Want(t, rs, "lang_set", "menu_prompt")
	for _, r := range rs {
		if r.Lang != "en" {
			t.Fatalf("reply %s in %q, want en", r.ID, r.Lang)
		}
	}
	// The session expires; the language comes back from the user store.
	if err := h.Store.Delete(context.Background(), owner); err != nil {
		t.Fatal(err)
	}
	rs = h.Send(owner, "/start")
	if rs[0].Lang != "en" {
		t.Fatalf("after a new session: lang %q, want en", rs[0].Lang)
	}
	// Typing the label of a button counts as the tap, in either language.
	h.Send(owner, "/bahasa")
	ft.Want(t, h.Send(owner, "bahasa indonesia"), "lang_set", "menu_prompt")
	if got := h.Session(owner).Lang; got != "id" {
		t.Fatalf("session lang %q", got)
	}
}

func TestGlobalWordsInAFlow(t *testing.T) {
	h, _ := newHarness(t)
	ft.Want(t, h.Send(owner, "/uji"), "raw:q:name")
	ft.Want(t, h.Send(owner, "Siti"), "raw:q:age")
	ft.Want(t, h.Send(owner, "Kembali"), "raw:q:name")
	ft.Want(t, h.Send(owner, "kembali"), "back_first_step", "raw:q:name")
	ft.Want(t, h.Send(owner, "Siti"), "raw:q:age")
	ft.Want(t, h.Send(owner, "bantuan"), "help_general", "raw:q:age")
	h.Send(owner, "kembali")
	ft.Want(t, h.Send(owner, "/bantuan"), "raw:help:name", "raw:q:name")
	h.Send(owner, "Siti")
	ft.Want(t, h.Send(owner, "menu"), "menu_prompt")
	if s := h.Session(owner); s.Drafts["tf"].State != "age" || s.Drafts["tf"].Data["name"] != "Siti" {
		t.Fatalf("draft not kept: %+v", s.Drafts)
	}
}

func TestBatalKeepsDraftAndOffersResume(t *testing.T) {
	h, _ := newHarness(t)
	h.Send(owner, "/uji")
	h.Send(owner, "Siti")
	ft.Want(t, h.Send(owner, "batal"), "cancel_kept", "menu_prompt")
	h.Advance(72 * 3600e9)
	ft.Want(t, h.Send(owner, "/uji"), "resume_offer")
	ft.Want(t, h.TapLabel(owner, "Lanjutkan"), "raw:q:age")
	ft.Want(t, h.Send(owner, "33"), "raw:q:confirm Siti")
	// Mulai ulang drops the draft.
	h.Send(owner, "/batal")
	ft.Want(t, h.Send(owner, "/uji"), "resume_offer")
	ft.Want(t, h.Send(owner, "mulai ulang"), "raw:q:name")
	if s := h.Session(owner); len(s.Drafts) != 0 || len(s.Data) != 0 {
		t.Fatalf("restart kept data: %+v", s)
	}
	// batal at the first step with nothing filled keeps nothing.
	ft.Want(t, h.Send(owner, "/batal"), "cancel_done", "menu_prompt")
	ft.Want(t, h.Send(owner, "batal"), "cancel_nothing", "menu_prompt")
}

func TestThreeStrikesShowsExample(t *testing.T) {
	h, _ := newHarness(t)
	h.Send(owner, "/uji")
	h.Send(owner, "Siti")
	ft.Want(t, h.Send(owner, "tiga puluh"), "raw:bad:age")
	ft.Want(t, h.Send(owner, "tigapuluh"), "raw:bad:age")
	rs := h.Send(owner, "30an")
	ft.Want(t, rs, "raw:bad:age", "err_three_strikes")
	if ex := rs[1].Data["Example"].(flows.Text); ex.Raw != "42" {
		t.Fatalf("example %+v", ex)
	}
	ft.Want(t, h.Send(owner, "30"), "raw:q:confirm Siti")
	if h.Session(owner).Tries != 0 {
		t.Fatal("tries not reset after a good answer")
	}
	if h.Session(owner).Data["name"] != "Siti" {
		t.Fatal("bad answers lost data")
	}
}

func TestButtonsTypedStaleAndForged(t *testing.T) {
	h, saves := newHarness(t)
	h.Send(owner, "/uji")
	h.Send(owner, "Siti")
	h.Send(owner, "30")
	old := h.Buttons(owner)
	ft.Want(t, h.Send(owner, "sesuatu"), "err_choose_button", "raw:q:confirm Siti")
	ft.Want(t, h.Send(owner, "SIMPAN"), "raw:saved", "menu_prompt")
	rs := h.TapData(owner, old[0].Data)
	ft.Want(t, rs, "err_stale_button")
	if !rs[0].Toast {
		t.Fatal("stale button answer is not a toast")
	}
	for _, forged := range []string{"", "x", "tf.confirm", "menu.main", "tf.confirm:save:extra", "\x00\xff"} {
		ft.Want(t, h.TapData(owner, forged), "err_stale_button")
	}
	if saves.Load() != 1 {
		t.Fatalf("saved %d times", saves.Load())
	}
}

func TestDoubleTapOneEffect(t *testing.T) {
	h, saves := newHarness(t)
	h.Send(owner, "/uji")
	h.Send(owner, "Siti")
	h.Send(owner, "30")
	data := h.Buttons(owner)[0].Data
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { h.TapData(owner, data) })
	}
	wg.Wait()
	if saves.Load() != 1 {
		t.Fatalf("8 taps saved %d times", saves.Load())
	}
}

func TestDuplicateUpdateHandledOnce(t *testing.T) {
	h, _ := newHarness(t)
	u := flows.NewText(owner, owner, "/start")
	u.ID = 77
	ft.Want(t, h.Do(u), "menu_greeting", "menu_prompt")
	if rs := h.Do(u); len(rs) != 0 {
		t.Fatalf("duplicate answered: %q", ft.IDs(rs))
	}
}

func TestBadInputKeepsSession(t *testing.T) {
	h, _ := newHarness(t)
	h.Send(owner, "/uji")
	h.Send(owner, "Siti")
	before := *h.Session(owner)
	long := make([]byte, 4000)
	for i := range long {
		long[i] = 'a'
	}
	cases := []struct {
		name string
		u    flows.Update
		want string
	}{
		{"sticker", flows.Update{UserID: owner, ChatID: owner, Kind: flows.KindUnsupported}, "err_unsupported"},
		{"4000 chars", flows.NewText(owner, owner, string(long)), "err_too_long"},
		{"unknown command", flows.NewText(owner, owner, "/hack"), "err_unknown_command"},
		{"internal error", flows.NewText(owner, owner, "boom"), "err_internal"},
		{"panic", flows.NewText(owner, owner, "panic"), "err_internal"},
		{"contact not asked", flows.Update{UserID: owner, ChatID: owner, Kind: flows.KindContact,
			Contact: &flows.Contact{Phone: "+6281234567890", UserID: owner}}, "err_contact_unexpected"},
	}
	for _, tc := range cases {
		rs := h.Do(tc.u)
		if len(rs) == 0 || rs[0].ID != tc.want {
			t.Fatalf("%s: replies %q, want first %s", tc.name, ft.IDs(rs), tc.want)
		}
		s := h.Session(owner)
		if s.State != "age" || s.Data["name"] != "Siti" || s.Flow != "tf" {
			t.Fatalf("%s changed the session: %+v (before %+v)", tc.name, s, before)
		}
	}
	ft.Want(t, h.Send(owner, "40"), "raw:q:confirm Siti")
}

func TestOlderFlowVersionIsReset(t *testing.T) {
	saves := &atomic.Int64{}
	h := ft.New(t, ft.Options{}, testFlow(1, saves))
	h.Send(owner, "/uji")
	h.Send(owner, "Siti")
	h2 := ft.New(t, ft.Options{Sessions: h.Store}, testFlow(2, saves))
	ft.Want(t, h2.Send(owner, "30"), "session_reset", "menu_prompt")
	if s, _ := h.Store.Load(context.Background(), owner); s.Flow != "menu" {
		t.Fatalf("session after reset: %+v", s)
	}
}

// failing is a session store that is down.
type failing struct{ store.SessionStore }

func (failing) Claim(context.Context, int64, int64) (*store.Claim, error) {
	return nil, errors.New("dial tcp 127.0.0.1:6379: connection refused")
}

func TestStoreDownSaysUnavailableInUserLanguage(t *testing.T) {
	h := ft.New(t, ft.Options{Sessions: failing{}})
	u := flows.NewText(owner, owner, "/start")
	u.LanguageCode = "en-GB"
	rs := h.Do(u)
	ft.Want(t, rs, "err_unavailable")
	if rs[0].Lang != "en" {
		t.Fatalf("lang %q", rs[0].Lang)
	}
}

func TestMenuComingSoonAndTypedEntries(t *testing.T) {
	h, _ := newHarness(t)
	h.Send(owner, "/start")
	ft.Want(t, h.TapLabel(owner, "Pelatihan"), "coming_soon", "menu_prompt")
	ft.Want(t, h.Send(owner, "cek pinjaman"), "coming_soon", "menu_prompt")
	ft.Want(t, h.Send(owner, "apa kabar"), "err_not_understood")
}

func TestCommandButtonsWorkInAnyStep(t *testing.T) {
	h, _ := newHarness(t)
	h.Send(owner, "/uji")
	ft.Want(t, h.TapData(owner, "/bahasa"), "lang_prompt")
	ft.Want(t, h.TapData(owner, "/nope"), "err_unknown_command")
	h.Send(owner, "/uji")
	h.Send(owner, "Siti")
	ft.Want(t, h.TapData(owner, "/start"), "menu_greeting", "menu_prompt")
	ft.Want(t, h.Send(owner, "/uji"), "resume_offer")
}

func TestThenRunsAfterTheNextFlowCompletes(t *testing.T) {
	saves := &atomic.Int64{}
	done := &flows.Flow{
		Name: "need", Version: 1, Title: flows.Raw("Butuh daftar"), Start: "ask", Commands: []string{"butuh"},
		Steps: map[string]*flows.Step{"ask": {
			Prompt: func(c *flows.Ctx) flows.Reply { return flows.Reply{Text: flows.Raw("q:need " + c.Update.Args)} },
			Text:   true,
			Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
				c.Then("/butuh lagi")
				c.Switch("tf2", "")
				return flows.End, nil
			},
		}},
	}
	tf := testFlow(1, saves)
	tf.Name, tf.Commands = "tf2", []string{"uji2"}
	confirm := tf.Steps["confirm"]
	confirm.Handle = func(c *flows.Ctx, in flows.Input) (string, error) {
		c.Reply(flows.Reply{Text: flows.Raw("saved")})
		c.Next("menu")
		return flows.End, nil
	}
	h := ft.New(t, ft.Options{Menu: menu.Options{DeepLinks: map[string]string{"need_": "/butuh"}}}, done, tf)
	ft.Want(t, h.Send(owner, "/start need_7"), "raw:q:need 7")
	ft.Want(t, h.Send(owner, "ok"), "raw:q:name")
	h.Send(owner, "Siti")
	h.Send(owner, "30")
	ft.Want(t, h.Send(owner, "Simpan"), "raw:saved", "raw:q:need lagi")
	// batal forgets what was waiting.
	h.Send(owner, "ok")
	h.Send(owner, "batal")
	h.Send(owner, "/uji2")
	h.Send(owner, "mulai ulang")
	h.Send(owner, "Siti")
	h.Send(owner, "30")
	ft.Want(t, h.Send(owner, "Simpan"), "raw:saved", "menu_prompt")
}

func TestStepMaxLen(t *testing.T) {
	saves := &atomic.Int64{}
	tf := testFlow(1, saves)
	tf.Steps["name"].MaxLen = flows.MaxMessageLen
	h := ft.New(t, ft.Options{}, tf)
	h.Send(owner, "/uji")
	long := strings.Repeat("a", 3000)
	ft.Want(t, h.Send(owner, long), "raw:q:age")
	ft.Want(t, h.Send(owner, long), "err_too_long")
	ft.Want(t, h.Send(owner, strings.Repeat("b", flows.MaxMessageLen+1)), "err_too_long")
}

// downUsers is a user store whose database does not answer.
type downUsers struct{ store.UserStore }

func (downUsers) SetLanguage(context.Context, int64, string) error {
	return fmt.Errorf("set language: %w", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED})
}

func TestDatabaseDownSaysUnavailable(t *testing.T) {
	lang := menu.NewLang(downUsers{}, []string{"id", "en"})
	lang.Name, lang.Commands = "lang2", []string{"bahasa2"}
	h3 := ft.New(t, ft.Options{}, lang)
	h3.Send(owner, "/bahasa2")
	ft.Want(t, h3.Send(owner, "English"), "err_unavailable")
	if s := h3.Session(owner); s.Flow != "lang2" || s.Lang != "id" {
		t.Fatalf("session changed by a failed update: %+v", s)
	}
	ft.Want(t, h3.Send(owner, "boom"), "err_choose_button")
}

func TestClientLanguageIsKeptUntilAChoice(t *testing.T) {
	h, _ := newHarness(t)
	ctx := context.Background()
	langs := func(rs []flows.Reply) (out []string) {
		for _, r := range rs {
			out = append(out, r.Lang)
		}
		return out
	}
	rs := h.SendLang(owner, "en-US", "/start")
	if got := langs(rs); got[0] != "en" || got[len(got)-1] != "en" {
		t.Fatalf("replies in %q, want en", got)
	}
	u, err := h.Store.User(ctx, owner)
	if err != nil || u.Lang != "" || u.ClientLang != "en" || u.Language() != "en" {
		t.Fatalf("user %+v, %v; want client language en, no choice", u, err)
	}
	// The owner switches Telegram to Indonesian: the bot follows.
	rs = h.SendLang(owner, "id", "menu")
	if got := langs(rs); got[0] != "id" {
		t.Fatalf("after the switch: replies in %q, want id", got)
	}
	if u, _ := h.Store.User(ctx, owner); u.ClientLang != "id" {
		t.Fatalf("client language %q, want id", u.ClientLang)
	}
	// A client that reports nothing changes nothing.
	h.SendLang(owner, "", "menu")
	if u, _ := h.Store.User(ctx, owner); u.ClientLang != "id" {
		t.Fatalf("client language %q after an update without one, want id", u.ClientLang)
	}
	// A new session from a client that reports nothing speaks the kept one.
	if err := h.Store.SetClientLanguage(ctx, owner, "en"); err != nil {
		t.Fatal(err)
	}
	if err := h.Store.Delete(ctx, owner); err != nil {
		t.Fatal(err)
	}
	if rs := h.SendLang(owner, "", "menu"); rs[0].Lang != "en" {
		t.Fatalf("new session without a client language: %q, want en", rs[0].Lang)
	}
	h.SendLang(owner, "id", "menu")
	// Once chosen with /bahasa, the choice wins over the client.
	h.SendLang(owner, "id", "/bahasa")
	ft.Want(t, h.SendLang(owner, "id", "English"), "lang_set", "menu_prompt")
	rs = h.SendLang(owner, "pt-br", "menu")
	if got := langs(rs); got[0] != "en" {
		t.Fatalf("after a choice: replies in %q, want en", got)
	}
	if u, _ := h.Store.User(ctx, owner); u.Lang != "en" || u.ClientLang != "id" || u.Language() != "en" {
		t.Fatalf("user %+v; want chosen en, client id (pt-br is not spoken)", u)
	}
}
