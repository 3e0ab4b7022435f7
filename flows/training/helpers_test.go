package training_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"text/template"
	"text/template/parse"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/flows/menu"
	"github.com/diskum-tangerang/umkmbot/flows/registration"
	"github.com/diskum-tangerang/umkmbot/flows/training"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Users of the transcripts.
const (
	staff = 9001
	siti  = 1001
	budi  = 1002
	ani   = 1003
	dewi  = 1004
)

var wib = time.FixedZone("WIB", 7*60*60)

// wibTime is a WIB wall-clock time.
func wibTime(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, wib).UTC()
}

// jan14 is the start of the trainings the transcripts book: Kamis, 14
// Januari 2027 pukul 09.00 WIB.
var jan14 = wibTime(2027, 1, 14, 9, 0)

var regOpt = registration.Options{ConsentVersion: "2026-11"}

// newHarness builds a harness with the registration and training flows on
// its memory store, with staff as staff and the training deep links on.
func newHarness(t *testing.T) *ft.Harness {
	t.Helper()
	h := ft.New(t, ft.Options{
		Menu: menu.Options{Registration: registration.Name, Training: training.Name,
			DeepLinks: map[string]string{training.DeepLinkPrefix: "/pelatihan"}},
		Flows: func(h *ft.Harness) []*flows.Flow {
			return append([]*flows.Flow{registration.New(h.Store, regOpt)},
				training.New(h.Store, h.Store, training.Options{BotUsername: "umkm_tangerang_bot"})...)
		},
	})
	h.Staff[staff] = true
	return h
}

// seed stores a training; zero fields get a place, three hours, 20 seats
// and the default deadline (a negative capacity stands for 0 seats).
func seed(t *testing.T, h *ft.Harness, tr store.Training) store.Training {
	t.Helper()
	if tr.Topic == "" {
		tr.Topic = store.TopicFinance
	}
	if tr.Title == "" {
		tr.Title = "Pencatatan Keuangan Sederhana"
	}
	if tr.StartAt.IsZero() {
		tr.StartAt = jan14
	}
	if tr.EndAt.IsZero() {
		tr.EndAt = tr.StartAt.Add(3 * time.Hour)
	}
	if tr.Place == "" && tr.Link == "" {
		tr.Place = "Aula Kecamatan Tigaraksa"
	}
	if tr.Capacity == 0 {
		tr.Capacity = 20
	}
	if tr.Capacity < 0 {
		tr.Capacity = 0
	}
	if tr.Deadline.IsZero() {
		s := tr.StartAt.In(wib)
		tr.Deadline = time.Date(s.Year(), s.Month(), s.Day()-1, 23, 59, 0, 0, wib).UTC()
	}
	saved, err := h.Store.CreateTraining(context.Background(), staff, tr)
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

// register gives user a registered business straight in the store.
func register(t *testing.T, h *ft.Harness, user int64, name, business string) {
	t.Helper()
	_, _, err := h.Store.CreateRegistration(context.Background(), fmt.Sprint("key-", user), store.Registration{
		UserID: user, OwnerName: name, NIK: fmt.Sprintf("36031245079%05d", user), Phone: "+6281234567890",
		BusinessName: business, Sector: "kuliner", Kecamatan: "360312", Class: "mikro",
	})
	if err != nil {
		t.Fatal(err)
	}
}

// bookings returns user's active places.
func bookings(t *testing.T, h *ft.Harness, user int64) []store.Booking {
	t.Helper()
	list, err := h.Store.BookingsOf(context.Background(), user, h.Now())
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// outbox returns the outbox row of key, failing when there is none.
func outbox(t *testing.T, h *ft.Harness, key string) store.OutboxItem {
	t.Helper()
	it, err := h.Store.Outbox().OutboxItem(context.Background(), key)
	if err != nil {
		t.Fatalf("outbox %s: %v", key, err)
	}
	return it
}

// hasOutbox reports whether the outbox has a row with key.
func hasOutbox(h *ft.Harness, key string) bool {
	_, err := h.Store.Outbox().OutboxItem(context.Background(), key)
	return err == nil
}

// decode returns the reply an outbox row carries.
func decode(t *testing.T, it store.OutboxItem) flows.Reply {
	t.Helper()
	r, err := flows.DecodeReply(it.Payload)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// say sends text, checks the replies' IDs and renders them.
func say(t *testing.T, h *ft.Harness, user int64, text string, want ...string) []flows.Reply {
	t.Helper()
	rs := h.Send(user, text)
	ft.Want(t, rs, want...)
	checkRendered(t, h, rs)
	return rs
}

// tap taps the button labelled label, checks the replies' IDs and renders
// them.
func tap(t *testing.T, h *ft.Harness, user int64, label string, want ...string) []flows.Reply {
	t.Helper()
	rs := h.TapLabel(user, label)
	ft.Want(t, rs, want...)
	checkRendered(t, h, rs)
	return rs
}

// labels lists the labels of the latest buttons in user's chat.
func labels(h *ft.Harness, user int64) []string {
	var out []string
	for _, b := range h.Buttons(user) {
		out = append(out, h.Catalog.Label("id", b.Label))
	}
	return out
}

// plain renders replies in Indonesian as one text.
func plain(h *ft.Harness, rs []flows.Reply) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(h.Catalog.Plain("id", r.Text))
		b.WriteString("\n")
	}
	return b.String()
}

// contains fails unless text holds every string of want.
func contains(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q:\n%s", w, text)
		}
	}
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

// leakedID is a message ID that reached the user's screen.
var leakedID = regexp.MustCompile(`\b(train|reg|field|sector|data|btn|err|menu|cmd)_[a-z0-9_]+\b`)

// checkRendered renders replies in Indonesian and English, labels
// included, and fails on a message ID missing from the catalog, a
// template field missing from the data, "<no value>", printf noise, a raw
// message ID, or callback data too long for Telegram.
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

// checkData fails unless every field the template of txt (and of the
// Texts nested in its data) refers to is in its data.
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
