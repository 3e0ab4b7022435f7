package flows

import (
	"errors"
	"fmt"
	"sync"

	"github.com/looplab/fsm"
)

// Flow is one conversation: its steps and the transitions allowed between
// them.
type Flow struct {
	// Name is short: it is part of every button's callback data.
	Name string
	// Version changes when stored sessions of an older flow can no longer be
	// continued; such sessions are reset with a friendly message.
	Version int
	// Title names the flow to the user (in the resume offer).
	Title Text
	// Start is the first state.
	Start string
	// Events is the transition table; only these moves are allowed.
	Events fsm.Events
	// Steps holds the behaviour of each state.
	Steps map[string]*Step
	// Commands start the flow ("daftar" for /daftar).
	Commands []string
	// Phrases are typed answers that start the flow when the user is in no
	// other flow (none, or the menu): each phrase, compared as typed words
	// are, maps to the arguments the flow's first command gets ("ambil
	// kursi" → "ambil" runs "/pelatihansaya ambil"). A flow with phrases
	// needs a command.
	Phrases map[string]string
	// StaffOnly flows answer non-staff as an unknown command would.
	StaffOnly bool
	// KeepDraft keeps the flow's data when the user leaves it half-way
	// (batal, menu, another command, days of silence), and offers to resume
	// it the next time the flow starts.
	KeepDraft bool
	// Enter, when set, runs as the flow starts, before the first prompt. It
	// may fill data (from c.Update.Args, a deep link payload) and may return
	// a different first state, or "" for Start. Returning End ends the flow
	// at once (after its own replies).
	Enter func(c *Ctx) (string, error)

	// machines keeps state machines built from Events for reuse: fire sets
	// one's state instead of building the transition table for every
	// update (which was 4–5 % of serve's CPU under load).
	machines sync.Pool
}

// Step is one state of a flow.
type Step struct {
	// Prompt is what the bot says on entering the step, and again when the
	// answer did not fit. Its buttons belong to this step.
	Prompt func(c *Ctx) Reply
	// Help explains the step (bantuan).
	Help Text
	// Example is shown after three failed answers.
	Example Text
	// Text: the step reads typed text beyond its buttons' labels.
	Text bool
	// Contact: the step reads a shared contact.
	Contact bool
	// Media: the step reads a photo or document (Input.Media, with its
	// caption as Input.Text).
	Media bool
	// MaxLen is the longest text the step reads, in characters; 0 means
	// MaxTextLen. At most MaxMessageLen.
	MaxLen int
	// Handle reads the answer and returns the event to fire, Stay to keep
	// the step (after replying itself), or End to finish the flow. A
	// *UserError is shown to the user and counts as a failed try.
	Handle func(c *Ctx, in Input) (string, error)
	// NoBack marks a step that "kembali" must not return to (a step that
	// only confirms something already done).
	NoBack bool
}

// Input is the answer the step handles.
type Input struct {
	// Text is the typed text (empty for a tap).
	Text string
	// Choice is the data of the tapped button, or of the button whose
	// label was typed.
	Choice  string
	Contact *Contact
	Media   *Media
}

// Outcomes a step may return instead of an event name.
const (
	// Stay keeps the current step; the handler has replied.
	Stay = ""
	// End finishes the flow; the handler has replied (and may have switched
	// to another flow with c.Switch).
	End = "\x00end"
)

// UserError is a mistake in the user's answer: Msg is shown, nothing is
// lost.
type UserError struct {
	Msg Text
	Err error
}

func (e *UserError) Error() string {
	if e.Err != nil {
		return "user error " + e.Msg.ID + ": " + e.Err.Error()
	}
	return "user error " + e.Msg.ID
}

func (e *UserError) Unwrap() error { return e.Err }

// Invalid builds a UserError from a message ID and key/value pairs.
func Invalid(id string, kv ...any) error { return &UserError{Msg: T(id, kv...)} }

func (f *Flow) validate() error {
	if f.Name == "" || len(f.Name) > 12 {
		return fmt.Errorf("flow %q: name must be 1-12 bytes", f.Name)
	}
	if f.Steps[f.Start] == nil {
		return fmt.Errorf("flow %s: start state %q has no step", f.Name, f.Start)
	}
	if len(f.Phrases) > 0 && len(f.Commands) == 0 {
		return fmt.Errorf("flow %s: phrases need a command", f.Name)
	}
	for name, st := range f.Steps {
		if st.Prompt == nil || st.Handle == nil {
			return fmt.Errorf("flow %s: step %s needs Prompt and Handle", f.Name, name)
		}
		if len(f.Name)+len(name)+2 > 40 {
			return fmt.Errorf("flow %s: state %s: name too long for callback data", f.Name, name)
		}
	}
	for _, ev := range f.Events {
		if f.Steps[ev.Dst] == nil {
			return fmt.Errorf("flow %s: event %s goes to %q, which has no step", f.Name, ev.Name, ev.Dst)
		}
		for _, src := range ev.Src {
			if f.Steps[src] == nil {
				return fmt.Errorf("flow %s: event %s leaves %q, which has no step", f.Name, ev.Name, src)
			}
		}
	}
	return nil
}

// fire validates the move from state by event with a machine of its own
// (one no other update uses meanwhile), and returns the new state.
func (f *Flow) fire(c *Ctx, state, event string) (string, error) {
	m, _ := f.machines.Get().(*fsm.FSM)
	if m == nil {
		m = fsm.NewFSM(state, f.Events, nil)
	} else {
		m.SetState(state)
	}
	defer f.machines.Put(m)
	if err := m.Event(c, event); err != nil {
		var nte fsm.NoTransitionError
		if !errors.As(err, &nte) || nte.Err != nil {
			return "", fmt.Errorf("flow %s: event %s in %s: %w", f.Name, event, state, err)
		}
	}
	return m.Current(), nil
}
