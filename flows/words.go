package flows

import (
	"fmt"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/store"
)

// globalWords maps the commands of the four global words to them.
var globalWords = map[string]string{
	"batal": "batal", "cancel": "batal",
	"kembali": "kembali", "back": "kembali",
	"menu":    "menu",
	"bantuan": "bantuan", "help": "bantuan",
}

// globalWord returns the global word a whole message means ("batal saja",
// "Kembali", "tolong"), or "".
func globalWord(text string) string {
	switch {
	case field.IsCancel(text):
		return "batal"
	case field.IsBack(text):
		return "kembali"
	case field.IsMenu(text):
		return "menu"
	case field.IsHelp(text):
		return "bantuan"
	}
	return ""
}

// normalize prepares typed text and labels for comparison.
func normalize(s string) string { return field.Normalize(s) }

// global handles batal, kembali, menu and bantuan.
func (e *Engine) global(c *Ctx, w string) error {
	s := c.s
	inFlow := s.Flow != "" && s.Flow != e.cfg.Menu
	if w == "batal" || w == "menu" {
		s.Then = ""
	}
	switch w {
	case "batal":
		if !inFlow {
			c.Say("cancel_nothing")
			return e.startFlow(c, e.cfg.Menu, "")
		}
		title := e.flows[s.Flow].Title
		if e.leave(c) {
			c.Say("cancel_kept", "Flow", title)
		} else {
			c.Say("cancel_done")
		}
		return e.startFlow(c, e.cfg.Menu, "")
	case "kembali":
		if !inFlow || s.State == resumeState {
			return e.startFlow(c, e.cfg.Menu, "")
		}
		if n := len(s.History); n > 0 {
			s.State, s.History, s.Tries = s.History[n-1], s.History[:n-1], 0
		} else {
			c.Say("back_first_step")
		}
		e.prompt(c)
		return nil
	case "menu":
		return e.startFlow(c, e.cfg.Menu, "")
	case "bantuan":
		if !inFlow || s.State == resumeState {
			c.SayHelp()
			return e.startFlow(c, e.cfg.Menu, "")
		}
		if h := e.flows[s.Flow].Steps[s.State].Help; !h.IsZero() {
			c.Reply(Reply{Text: h})
		} else {
			c.Say("help_general")
		}
		e.prompt(c)
		return nil
	}
	return fmt.Errorf("unknown global word %q", w)
}

// outsideForm reports whether the user is not filling anything in: no
// flow, or the menu.
func (e *Engine) outsideForm(s *store.Session) bool {
	return s.Flow == "" || s.Flow == e.cfg.Menu
}

// shortcutCommand is the command text asks for (Config.Shortcut), when a
// flow claims it and the user may run it; "" otherwise.
func (e *Engine) shortcutCommand(c *Ctx, text string) string {
	if e.cfg.Shortcut == nil {
		return ""
	}
	cmd := e.cfg.Shortcut(text)
	name, _, ok := ParseCommand(cmd)
	if !ok {
		return ""
	}
	if f := e.commands[name]; f == nil || (f.StaffOnly && !c.IsStaff()) {
		if globalWords[name] == "" {
			return ""
		}
	}
	return cmd
}

// shortcutElsewhere reports whether text names a command of another flow
// than the current one: inside the loan flow "pinjaman 2026" is a
// mistyped answer, not a request to start again.
func (e *Engine) shortcutElsewhere(c *Ctx, text string) bool {
	name, _, ok := ParseCommand(e.shortcutCommand(c, text))
	return ok && (e.commands[name] == nil || e.commands[name] != e.flows[c.s.Flow])
}

// shortcut runs the command text asks for (shortcutCommand), if any.
func (e *Engine) shortcut(c *Ctx, text string) (bool, error) {
	name, args, ok := ParseCommand(e.shortcutCommand(c, text))
	if !ok {
		return false, nil
	}
	c.s.Then = ""
	c.Update.Command, c.Update.Args = name, args
	return true, e.command(c, name)
}

// greet answers a greeting or thanks: with the menu outside a form, with
// the current question again inside one.
func (e *Engine) greet(c *Ctx, kind string) error {
	switch kind {
	case field.GreetSalam:
		c.Say("greet_salam")
	case field.GreetThanks:
		c.Say("greet_thanks", "InForm", !e.outsideForm(c.s))
	default:
		c.Say("greet_hello", "Part", dayPart(c.Now))
	}
	if e.outsideForm(c.s) {
		return e.startFlow(c, e.cfg.Menu, "")
	}
	if c.s.State == resumeState {
		e.offerResume(c)
		return nil
	}
	e.prompt(c)
	return nil
}

// dayPart names the part of the day in WIB for a greeting: pagi until
// 10.59, siang until 14.59, sore until 17.59, malam after.
func dayPart(now time.Time) Text {
	switch h := now.In(wib).Hour(); {
	case h >= 4 && h < 11:
		return T("greet_part_pagi")
	case h >= 11 && h < 15:
		return T("greet_part_siang")
	case h >= 15 && h < 18:
		return T("greet_part_sore")
	}
	return T("greet_part_malam")
}

var wib = time.FixedZone("WIB", 7*60*60)
