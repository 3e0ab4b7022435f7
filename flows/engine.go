package flows

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Labeler renders a button label in a language; the engine uses it to
// accept a typed label as the tap of its button. locales.Catalog satisfies
// it.
type Labeler interface {
	Label(lang string, t Text) string
}

// Config holds what the engine needs from the outside.
type Config struct {
	Sessions store.SessionStore
	Users    store.UserStore
	Labels   Labeler
	// Staff reports whether a user is staff; nil means nobody is.
	Staff func(ctx context.Context, userID int64) (bool, error)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	Log *slog.Logger
	// Menu names the flow shown by /start, /menu and after a flow ends.
	Menu string
	// Languages are the languages the bot speaks, the first the default.
	Languages []string
	// BusyWait is how long an update waits for another worker to release
	// its chat; default 3 s.
	BusyWait time.Duration
	// Volatile says the session store may lose what it holds on a restart
	// (Redis without persistence): the outage apology then does not promise
	// that typed answers are kept.
	Volatile bool
	// Shortcut, when set, names the command ("/pelatihan") that free text
	// typed outside a form asks for ("daftar pelatihan", "cek pinjaman"),
	// or returns "". It is also asked for text typed at a step that only
	// reads buttons, and for a command no flow claims, as "/name" (it may
	// name the command meant: "/cekpinjaman"). A command it returns that
	// no flow claims is ignored.
	Shortcut func(text string) string
	// StopFlow, when set, names the flow started when someone outside a
	// form types "berhenti" or "stop": they may mean the announcements.
	StopFlow string
	// NotUnderstood, when set, names the flow started when free text typed
	// outside any flow is not understood (it offers to pass the message to
	// a person); the flow sees the text in its Enter (c.Update). Without
	// it such text gets "err_not_understood" and the menu.
	NotUnderstood string
	// Room, when set, handles every update from the staff group
	// (Update.Group) instead of the flows: no menu, no help, no apology
	// for what it does not read. Without it such updates are ignored.
	Room func(c *Ctx) error
	// Observe, when set, is called after each update Process handled with
	// the flow it went to and how long Process took: the chat's flow when
	// the update came, unless that was none or the menu, then the flow the
	// update left it in ("" when none). It must return quickly.
	Observe func(flow string, d time.Duration)
}

// Engine runs conversations. It is safe for concurrent use: updates of
// different chats run in parallel, and the session store's per-chat lock
// keeps one chat's updates apart.
type Engine struct {
	cfg      Config
	flows    map[string]*Flow
	commands map[string]*Flow
	phrases  map[string]phrase
}

// phrase is a typed answer that starts a flow (Flow.Phrases).
type phrase struct {
	flow *Flow
	args string
}

// New checks the flows and builds an engine.
func New(cfg Config, flows ...*Flow) (*Engine, error) {
	if cfg.Sessions == nil || cfg.Users == nil || cfg.Labels == nil {
		return nil, errors.New("flows: Sessions, Users and Labels are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if len(cfg.Languages) == 0 {
		cfg.Languages = []string{"id", "en"}
	}
	if cfg.BusyWait == 0 {
		cfg.BusyWait = 3 * time.Second
	}
	e := &Engine{cfg: cfg, flows: map[string]*Flow{}, commands: map[string]*Flow{}, phrases: map[string]phrase{}}
	for _, f := range flows {
		if err := f.validate(); err != nil {
			return nil, err
		}
		if e.flows[f.Name] != nil {
			return nil, fmt.Errorf("flows: two flows named %s", f.Name)
		}
		e.flows[f.Name] = f
		for _, cmd := range f.Commands {
			if e.commands[cmd] != nil || globalWords[cmd] != "" {
				return nil, fmt.Errorf("flows: command /%s claimed twice", cmd)
			}
			e.commands[cmd] = f
		}
		for text, args := range f.Phrases {
			key := normalize(text)
			if _, taken := e.phrases[key]; taken || key == "" || globalWord(text) != "" {
				return nil, fmt.Errorf("flows: phrase %q of flow %s is empty or claimed twice", text, f.Name)
			}
			e.phrases[key] = phrase{flow: f, args: args}
		}
	}
	if e.flows[cfg.Menu] == nil {
		return nil, fmt.Errorf("flows: menu flow %q is not registered", cfg.Menu)
	}
	return e, nil
}

func (e *Engine) isStaff(ctx context.Context, id int64) bool {
	if e.cfg.Staff == nil {
		return false
	}
	ok, err := e.cfg.Staff(ctx, id)
	if err != nil {
		e.cfg.Log.Warn("staff lookup", "user_id", id, "err", err)
		return false
	}
	return ok
}

// safeStep runs step and turns a panic into an error.
func (e *Engine) safeStep(c *Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return e.step(c)
}

func (e *Engine) step(c *Ctx) error {
	u, s := c.Update, c.s
	if u.Group {
		if e.cfg.Room == nil {
			return nil
		}
		return e.cfg.Room(c)
	}
	if s.Flow != "" && !e.sessionValid(s) {
		e.cfg.Log.Info("stale session reset", "chat_id", s.ChatID, "flow", s.Flow, "fv", s.FlowVersion)
		clearFlow(s)
		c.Say("session_reset")
		return e.startFlow(c, e.cfg.Menu, "")
	}
	switch u.Kind {
	case KindUnsupported:
		c.Say("err_unsupported")
		return nil
	case KindMedia:
		return e.media(c)
	case KindButton:
		return e.tap(c, u.Button)
	case KindContact:
		if u.Contact == nil {
			c.Say("err_unsupported")
			return nil
		}
		return e.input(c, Input{Contact: u.Contact})
	}
	if n := len([]rune(u.Text)); n > MaxMessageLen {
		c.Say("err_too_long", "Max", MaxTextLen)
		return nil
	}
	if u.Text == "" {
		c.Say("err_not_understood")
		return nil
	}
	if u.Command != "" {
		return e.command(c, u.Command)
	}
	if e.outsideForm(s) && field.IsStop(u.Text) && e.flows[e.cfg.StopFlow] != nil {
		return e.startFlow(c, e.cfg.StopFlow, "")
	}
	if w := globalWord(u.Text); w != "" {
		return e.global(c, w)
	}
	if p, ok := e.phrases[normalize(u.Text)]; ok && (s.Flow == "" || s.Flow == e.cfg.Menu) &&
		(!p.flow.StaffOnly || c.IsStaff()) {
		c.Update.Command, c.Update.Args = p.flow.Commands[0], p.args
		return e.startFlow(c, p.flow.Name, "")
	}
	if g := field.Greeting(u.Text); g != "" && (e.outsideForm(s) || g != field.GreetHello || field.IsFullGreeting(u.Text)) {
		return e.greet(c, g)
	}
	if e.outsideForm(s) {
		if ok, err := e.shortcut(c, u.Text); ok || err != nil {
			return err
		}
	}
	if s.Flow == "" {
		if e.flows[e.cfg.NotUnderstood] != nil {
			return e.startFlow(c, e.cfg.NotUnderstood, "")
		}
		c.Say("err_not_understood")
		return e.startFlow(c, e.cfg.Menu, "")
	}
	return e.input(c, Input{Text: u.Text})
}

// media gives a photo or document to the step in progress when it reads
// media, or outside a form to the flow that passes messages on to staff;
// anywhere else it is not understood.
func (e *Engine) media(c *Ctx) error {
	u, s := c.Update, c.s
	if u.Media == nil || u.Media.FileID == "" {
		c.Say("err_unsupported")
		return nil
	}
	if f := e.flows[s.Flow]; f != nil && s.State != resumeState {
		if st := f.Steps[s.State]; st != nil && st.Media {
			if n := len([]rune(u.Text)); n > cmp.Or(st.MaxLen, MaxTextLen) {
				c.Say("err_too_long", "Max", cmp.Or(st.MaxLen, MaxTextLen))
				return nil
			}
			mark, data := len(c.replies), cloneMap(s.Data)
			ev, err := st.Handle(c, Input{Text: u.Text, Media: u.Media})
			var ue *UserError
			if errors.As(err, &ue) {
				c.replies, s.Data = c.replies[:mark], data
				c.Reply(Reply{Text: ue.Msg})
				return nil
			}
			if err != nil {
				return err
			}
			return e.after(c, f, ev)
		}
	}
	if e.outsideForm(s) && e.flows[e.cfg.NotUnderstood] != nil {
		return e.startFlow(c, e.cfg.NotUnderstood, "")
	}
	c.Say("err_unsupported")
	return nil
}

func (e *Engine) sessionValid(s *store.Session) bool {
	f := e.flows[s.Flow]
	if f == nil || f.Version != s.FlowVersion {
		return false
	}
	return s.State == resumeState || f.Steps[s.State] != nil
}

func (e *Engine) command(c *Ctx, cmd string) error {
	if w := globalWords[cmd]; w != "" {
		return e.global(c, w)
	}
	f := e.commands[cmd]
	if f == nil {
		// A command guessed from its name ("/cekpinjaman" for /pinjaman).
		if guess, _, ok := ParseCommand(e.shortcutCommand(c, "/"+cmd)); ok && guess != cmd {
			c.Update.Command = guess
			return e.command(c, guess)
		}
	}
	if f == nil || (f.StaffOnly && !c.IsStaff()) {
		c.Say("err_unknown_command")
		return nil
	}
	return e.startFlow(c, f.Name, "")
}

// tap handles a button's callback data: "flow.state:choice" for a step's
// own buttons, or "/command args" for a button that runs a command whatever
// the step (the "Berhenti" button under every broadcast, deep links).
func (e *Engine) tap(c *Ctx, data string) error {
	s := c.s
	if cmd, args, ok := ParseCommand(data); ok {
		c.Update.Command, c.Update.Args = cmd, args
		return e.command(c, cmd)
	}
	key, choice, ok := strings.Cut(data, ":")
	if !ok || s.Flow == "" || key != s.Flow+"."+s.State {
		c.Reply(Reply{Text: T("err_stale_button"), Toast: true})
		return nil
	}
	return e.input(c, Input{Choice: choice})
}

// input gives an answer to the current step.
func (e *Engine) input(c *Ctx, in Input) error {
	s := c.s
	if s.Flow == "" {
		if in.Contact != nil {
			c.Say("err_contact_unexpected")
		}
		return e.startFlow(c, e.cfg.Menu, "")
	}
	if s.State == resumeState {
		return e.resume(c, in)
	}
	f := e.flows[s.Flow]
	st := f.Steps[s.State]
	if in.Contact != nil && !st.Contact {
		c.Say("err_contact_unexpected")
		e.prompt(c)
		return nil
	}
	if limit := cmp.Or(st.MaxLen, MaxTextLen); len([]rune(in.Text)) > limit {
		c.Say("err_too_long", "Max", limit)
		return nil
	}
	if in.Text != "" {
		if choice, ok := e.matchLabel(c, st.Prompt(c)); ok {
			in.Choice = choice
		} else if !st.Text {
			if ok, err := e.shortcut(c, in.Text); ok || err != nil {
				return err
			}
			c.Say("err_choose_button")
			e.prompt(c)
			return nil
		}
	}
	mark, data := len(c.replies), cloneMap(s.Data)
	ev, err := st.Handle(c, in)
	var ue *UserError
	if errors.As(err, &ue) {
		if in.Text != "" && e.shortcutElsewhere(c, in.Text) {
			// Not an answer to the question, but the name of something
			// else to do ("cek pinjaman" at the NIK): that is done.
			c.replies, s.Data = c.replies[:mark], data
			c.switchTo, c.switchSt, c.switchCmd = "", "", ""
			_, err := e.shortcut(c, in.Text)
			return err
		}
		s.Tries++
		c.Reply(Reply{Text: ue.Msg})
		if s.Tries >= 3 && !st.Example.IsZero() {
			c.Say("err_three_strikes", "Example", st.Example)
		}
		return nil
	}
	if err != nil {
		return err
	}
	return e.after(c, f, ev)
}

// after applies what a step returned.
func (e *Engine) after(c *Ctx, f *Flow, ev string) error {
	s := c.s
	switch ev {
	case Stay:
	case End:
		clearFlow(s)
	default:
		next, err := f.fire(c, s.State, ev)
		if err != nil {
			return err
		}
		if next != s.State && !f.Steps[s.State].NoBack {
			s.History = append(s.History, s.State)
		}
		s.State, s.Tries = next, 0
		e.prompt(c)
	}
	return e.followSwitch(c)
}

// prompt asks the current step's question, with its buttons bound to the
// step.
func (e *Engine) prompt(c *Ctx) {
	s := c.s
	f := e.flows[s.Flow]
	r := f.Steps[s.State].Prompt(c)
	c.Reply(bindButtons(r, s.Flow+"."+s.State))
}

func bindButtons(r Reply, key string) Reply {
	rows := make([][]Button, len(r.Buttons))
	for i, row := range r.Buttons {
		rows[i] = make([]Button, len(row))
		for j, b := range row {
			if b.URL == "" && b.Data != "" && !strings.HasPrefix(b.Data, "/") {
				b.Data = key + ":" + b.Data
			}
			rows[i][j] = b
		}
	}
	r.Buttons = rows
	return r
}

// matchLabel finds the button whose label, in any language, is the typed
// text.
func (e *Engine) matchLabel(c *Ctx, r Reply) (string, bool) {
	typed := normalize(c.Update.Text)
	if typed == "" {
		return "", false
	}
	langs := append([]string{c.s.Lang}, e.cfg.Languages...)
	for _, row := range r.Buttons {
		for _, b := range row {
			if b.URL != "" || b.Data == "" {
				continue
			}
			for _, l := range langs {
				if normalize(e.cfg.Labels.Label(l, b.Label)) == typed {
					return b.Data, true
				}
			}
		}
	}
	return "", false
}

// startFlow leaves the current flow (keeping its draft when it wants one)
// and starts flow name at state, or at its start.
func (e *Engine) startFlow(c *Ctx, name, state string) error {
	f := e.flows[name]
	if f == nil {
		return fmt.Errorf("start unknown flow %q", name)
	}
	s := c.s
	e.leave(c)
	s.Flow, s.FlowVersion, s.State = f.Name, f.Version, f.Start
	if d, ok := s.Drafts[f.Name]; ok && state == "" {
		if d.FlowVersion == f.Version && f.Steps[d.State] != nil {
			s.State = resumeState
			e.offerResume(c)
			return nil
		}
		delete(s.Drafts, f.Name)
	}
	if state != "" {
		if f.Steps[state] == nil {
			return fmt.Errorf("flow %s has no state %q", name, state)
		}
		s.State = state
	}
	if f.Enter != nil {
		st, err := f.Enter(c)
		if err != nil {
			return err
		}
		if st == End {
			clearFlow(s)
			return e.followSwitch(c)
		}
		if st != "" {
			if f.Steps[st] == nil {
				return fmt.Errorf("flow %s: Enter returned unknown state %q", name, st)
			}
			s.State = st
		}
	}
	e.prompt(c)
	return nil
}

func (e *Engine) followSwitch(c *Ctx) error {
	if cmd := c.switchCmd; cmd != "" {
		c.switchCmd = ""
		name, args, ok := ParseCommand(cmd)
		if !ok {
			return fmt.Errorf("run %q: not a command", cmd)
		}
		c.Update.Command, c.Update.Args = name, args
		return e.command(c, name)
	}
	if c.switchTo == "" {
		return nil
	}
	to, st := c.switchTo, c.switchSt
	c.switchTo, c.switchSt = "", ""
	return e.startFlow(c, to, st)
}

// resume answers the "Lanjutkan / Mulai ulang" offer.
func (e *Engine) resume(c *Ctx, in Input) error {
	s := c.s
	if in.Choice == "" {
		in.Choice, _ = e.matchLabel(c, Reply{Buttons: [][]Button{{Btn("btn_resume", "resume"), Btn("btn_restart", "restart")}}})
	}
	d := s.Drafts[s.Flow]
	switch in.Choice {
	case "resume":
		delete(s.Drafts, s.Flow)
		s.State, s.Data, s.History, s.Tries = d.State, d.Data, d.History, 0
		e.prompt(c)
		return nil
	case "restart":
		delete(s.Drafts, s.Flow)
		name := s.Flow
		clearFlow(s)
		return e.startFlow(c, name, "")
	}
	c.Say("err_choose_button")
	e.offerResume(c)
	return nil
}

// offerResume asks whether to go on with the current flow's draft
// ("Lanjutkan / Mulai ulang").
func (e *Engine) offerResume(c *Ctx) {
	s := c.s
	c.Reply(bindButtons(Say("resume_offer", "Flow", e.flows[s.Flow].Title, "Since", Date(s.Drafts[s.Flow].SavedAt)).
		WithRow(Btn("btn_resume", "resume"), Btn("btn_restart", "restart")), s.Flow+"."+resumeState))
}

// leave ends the current flow, keeping a draft when the flow wants one and
// the user had started filling it in. It reports whether a draft was kept.
func (e *Engine) leave(c *Ctx) bool {
	s := c.s
	f := e.flows[s.Flow]
	kept := false
	if f != nil && f.KeepDraft && s.State != resumeState && (len(s.Data) > 0 || len(s.History) > 0) {
		if s.Drafts == nil {
			s.Drafts = map[string]store.Draft{}
		}
		s.Drafts[f.Name] = store.Draft{FlowVersion: f.Version, State: s.State, Data: s.Data,
			History: s.History, SavedAt: c.Now}
		kept = true
	}
	clearFlow(s)
	return kept
}

const resumeState = "_resume"

func clearFlow(s *store.Session) {
	s.Flow, s.FlowVersion, s.State = "", 0, ""
	s.Data, s.History, s.Tries = nil, nil, 0
}

func cloneSession(s *store.Session) *store.Session {
	c := *s
	c.Data = cloneMap(s.Data)
	c.History = append([]string(nil), s.History...)
	if s.Drafts != nil {
		c.Drafts = make(map[string]store.Draft, len(s.Drafts))
		for k, d := range s.Drafts {
			d.Data = cloneMap(d.Data)
			d.History = append([]string(nil), d.History...)
			c.Drafts[k] = d
		}
	}
	return &c
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
