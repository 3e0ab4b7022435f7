// Package flowstest drives flows in tests as transcripts: send text, tap a
// button by number or label, share a contact, and check the message IDs the
// engine answers with. It runs the real engine on memory stores and the real
// locales catalog (for typed button labels), with a clock the test moves.
//
// Only tests import it.
package flowstest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/menu"
	"github.com/diskum-tangerang/umkmbot/locales"
	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/memory"
)

// Harness is one engine with its stores and clock.
type Harness struct {
	T       testing.TB
	Engine  *flows.Engine
	Store   *memory.Store
	Catalog *locales.Catalog
	Staff   map[int64]bool

	mu   sync.Mutex
	now  time.Time
	last map[int64][]flows.Reply // latest replies with buttons, per chat
	all  map[int64][]flows.Reply
}

// updateIDs numbers updates across harnesses that share a store.
var updateIDs atomic.Int64

// Start is the harness clock's first reading: Friday 27 November 2026,
// 09.00 WIB.
var Start = time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)

// Options changes how a harness is built.
type Options struct {
	// Sessions replaces the memory session store (a store under test).
	Sessions store.SessionStore
	// Menu is passed to menu.New.
	Menu menu.Options
	// Store, when set, is the memory store the harness uses instead of a
	// new one: a second harness on it is the bot after a restart.
	Store *memory.Store
	// Flows, when set, builds more flows once the harness and its store
	// exist (flows that need the store, or the harness's clock).
	Flows func(h *Harness) []*flows.Flow
	// StopFlow is passed to the engine (flows.Config.StopFlow).
	StopFlow string
	// NotUnderstood is passed to the engine (flows.Config.NotUnderstood).
	NotUnderstood string
	// Room, when set, builds the staff group's handler (flows.Config.Room)
	// once the harness and its store exist.
	Room func(h *Harness) func(c *flows.Ctx) error
}

// New builds a harness with the menu and language flows plus extra.
func New(t testing.TB, opt Options, extra ...*flows.Flow) *Harness {
	t.Helper()
	cat, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	h := &Harness{T: t, Catalog: cat, Staff: map[int64]bool{}, now: Start,
		last: map[int64][]flows.Reply{}, all: map[int64][]flows.Reply{}}
	h.Store = opt.Store
	if h.Store == nil {
		h.Store = memory.New(memory.WithClock(h.Now))
	}
	var sessions store.SessionStore = h.Store
	if opt.Sessions != nil {
		sessions = opt.Sessions
	}
	fl := append([]*flows.Flow{menu.New(opt.Menu), menu.NewLang(h.Store, locales.Languages)}, extra...)
	if opt.Flows != nil {
		fl = append(fl, opt.Flows(h)...)
	}
	var room func(c *flows.Ctx) error
	if opt.Room != nil {
		room = opt.Room(h)
	}
	h.Engine, err = flows.New(flows.Config{
		Sessions: sessions, Users: h.Store, Labels: cat, Now: h.Now, Menu: menu.Name,
		Languages: locales.Languages, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Shortcut: menu.Shortcut, StopFlow: opt.StopFlow, NotUnderstood: opt.NotUnderstood, Room: room,
		Staff: func(_ context.Context, id int64) (bool, error) {
			h.mu.Lock()
			defer h.mu.Unlock()
			return h.Staff[id], nil
		},
	}, fl...)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// Now is the harness clock.
func (h *Harness) Now() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

// Advance moves the clock.
func (h *Harness) Advance(d time.Duration) {
	h.mu.Lock()
	h.now = h.now.Add(d)
	h.mu.Unlock()
}

// Do runs one update through the engine, giving it the next update id
// when it has none, and records the replies.
func (h *Harness) Do(u flows.Update) []flows.Reply {
	if u.ID == 0 {
		u.ID = updateIDs.Add(1)
	}
	if u.ChatID == 0 {
		u.ChatID = u.UserID
	}
	rs := h.Engine.Handle(context.Background(), u)
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range rs {
		to := r.To
		if to == 0 {
			to = u.ChatID
		}
		h.all[to] = append(h.all[to], r)
		if len(r.Buttons) > 0 && !r.Toast {
			h.last[to] = append(h.last[to][:0], r)
		}
	}
	return rs
}

// Send sends text (a command too) as user.
func (h *Harness) Send(user int64, text string) []flows.Reply {
	u := flows.NewText(user, user, text)
	u.FirstName, u.LanguageCode = "Siti", "id"
	return h.Do(u)
}

// SendLang sends text as user from a Telegram client in language lang
// ("en", "pt-br", "" for a client that reports none).
func (h *Harness) SendLang(user int64, lang, text string) []flows.Reply {
	u := flows.NewText(user, user, text)
	u.FirstName, u.LanguageCode = "Siti", lang
	return h.Do(u)
}

// Contact shares phone as user (of user's own account).
func (h *Harness) Contact(user int64, phone string) []flows.Reply {
	return h.Do(flows.Update{UserID: user, ChatID: user, Kind: flows.KindContact,
		Contact: &flows.Contact{Phone: phone, UserID: user}})
}

// Buttons returns the buttons of the latest message with buttons in
// user's chat, in reading order.
func (h *Harness) Buttons(user int64) []flows.Button {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []flows.Button
	for _, r := range h.last[user] {
		for _, row := range r.Buttons {
			out = append(out, row...)
		}
	}
	return out
}

// Tap taps button n (from 1) of the latest message with buttons.
func (h *Harness) Tap(user int64, n int) []flows.Reply {
	h.T.Helper()
	bs := h.Buttons(user)
	if n < 1 || n > len(bs) {
		h.T.Fatalf("tap %d: the latest message has %d buttons", n, len(bs))
	}
	return h.TapData(user, bs[n-1].Data)
}

// TapLabel taps the button whose label renders (in Indonesian) as label.
func (h *Harness) TapLabel(user int64, label string) []flows.Reply {
	h.T.Helper()
	var labels []string
	for _, b := range h.Buttons(user) {
		l := h.Catalog.Label("id", b.Label)
		if strings.EqualFold(l, label) {
			return h.TapData(user, b.Data)
		}
		labels = append(labels, l)
	}
	h.T.Fatalf("no button %q; buttons: %q", label, labels)
	return nil
}

// TapData sends a tap with raw callback data (forged or stale data too).
func (h *Harness) TapData(user int64, data string) []flows.Reply {
	return h.Do(flows.Update{UserID: user, ChatID: user, Kind: flows.KindButton, Button: data})
}

// IDs lists the message IDs of replies.
func IDs(rs []flows.Reply) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		id := r.ID
		if id == "" {
			id = "raw:" + r.Raw
		}
		out = append(out, id)
	}
	return out
}

// Want fails the test unless the replies have exactly the message IDs want.
func Want(t testing.TB, rs []flows.Reply, want ...string) {
	t.Helper()
	if got := IDs(rs); !slices.Equal(got, want) {
		t.Fatalf("replies %q, want %q", got, want)
	}
}

// Has fails the test unless one of the replies has message ID id.
func Has(t testing.TB, rs []flows.Reply, id string) flows.Reply {
	t.Helper()
	for _, r := range rs {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("replies %q lack %q", IDs(rs), id)
	return flows.Reply{}
}

// Plain renders replies as the terminal shows them, in their language.
func (h *Harness) Plain(rs []flows.Reply) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintln(&b, h.Catalog.Plain(r.Lang, r.Text))
	}
	return b.String()
}

// Session returns the stored session of chat (nil when none).
func (h *Harness) Session(chat int64) *store.Session {
	s, err := h.Store.Load(context.Background(), chat)
	if err != nil {
		return nil
	}
	return s
}
