package flows

import (
	"context"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Ctx is what a step sees of one update: the update, the session's data and
// a place to put replies.
type Ctx struct {
	context.Context
	Update Update
	// Now is the engine's clock at the start of the update.
	Now      time.Time
	e        *Engine
	s        *store.Session
	replies  []Reply
	switchTo string
	switchSt string
	// switchCmd is a command to run once the step is done.
	switchCmd string
	staff     *bool
}

// IsStaff reports whether the user is staff of the Dinas. The answer is
// looked up once per update, and only when asked.
func (c *Ctx) IsStaff() bool {
	if c.staff == nil {
		ok := c.e.isStaff(c, c.Update.UserID)
		c.staff = &ok
	}
	return *c.staff
}

// Lang is the user's language ("id" or "en").
func (c *Ctx) Lang() string { return c.s.Lang }

// SetLang changes the user's language for this and later replies.
func (c *Ctx) SetLang(lang string) { c.s.Lang = lang }

// UserID is the user who sent the update.
func (c *Ctx) UserID() int64 { return c.Update.UserID }

// ChatID is the chat the update came from.
func (c *Ctx) ChatID() int64 { return c.Update.ChatID }

// State is the current state of the flow.
func (c *Ctx) State() string { return c.s.State }

// Flow is the name of the current flow.
func (c *Ctx) Flow() string { return c.s.Flow }

// Get returns a value of the flow's data.
func (c *Ctx) Get(key string) string { return c.s.Data[key] }

// Set stores a value in the flow's data.
func (c *Ctx) Set(key, value string) {
	if c.s.Data == nil {
		c.s.Data = map[string]string{}
	}
	c.s.Data[key] = value
}

// Del removes a value from the flow's data.
func (c *Ctx) Del(key string) { delete(c.s.Data, key) }

// Reply queues a reply; Lang defaults to the user's language.
func (c *Ctx) Reply(r Reply) {
	if r.Lang == "" {
		r.Lang = c.s.Lang
	}
	c.replies = append(c.replies, r)
}

// Say queues a reply from a message ID and key/value pairs.
func (c *Ctx) Say(id string, kv ...any) { c.Reply(Say(id, kv...)) }

// Switch starts another flow once the current step is done. state may be
// "" for the flow's own start.
func (c *Ctx) Switch(flow, state string) {
	c.switchTo, c.switchSt = flow, state
}

// Prompt queues the current step's question again, with its buttons: for a
// step that answered something and stays.
func (c *Ctx) Prompt() { c.e.prompt(c) }

// ClearDrafts drops every half-filled form the session keeps, for a user
// who asked for their data to be deleted. The current flow's own data goes
// when it ends. The session also forgets which client language the user
// store keeps (the deletion removes it), so that the next update stores it
// again.
func (c *Ctx) ClearDrafts() { c.s.Drafts, c.s.ClientLang = nil, "" }

// Then remembers a command ("/pelatihan 12") to run when the next flow
// completes with Next: a booking that first needs a registration. batal and
// menu forget it.
func (c *Ctx) Then(cmd string) { c.s.Then = cmd }

// Next ends a flow that completed: it runs the command kept by Then, if any,
// or else starts flow (usually the menu).
func (c *Ctx) Next(flow string) {
	if cmd := c.s.Then; cmd != "" {
		c.s.Then = ""
		c.switchCmd = cmd
		return
	}
	c.Switch(flow, "")
}

// Run runs a command ("/pelatihan 12") once the step is done, as if the
// user had sent it.
func (c *Ctx) Run(cmd string) { c.switchCmd = cmd }

// SayHelp queues the general help: every command an owner has, and for
// staff the staff commands too.
func (c *Ctx) SayHelp() {
	c.Say("help_general")
	if c.IsStaff() {
		c.Say("help_staff")
	}
}
