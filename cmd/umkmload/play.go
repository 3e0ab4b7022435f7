package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/diskum-tangerang/umkmbot/bot/telegramtest"
)

// Result is how one owner's registration went, as the owner saw it.
type Result struct {
	Owner *Owner
	// Done is true when the bot said the registration was saved.
	Done   bool
	Number string
	// Stuck names the question last answered when the owner waited longer
	// than the timeout for the next one ("" when not stuck).
	Stuck string
	// Told is true when the bot said the business was already registered.
	Told bool
	// DupPrompts are the questions asked again after they were answered
	// (not answered again).
	DupPrompts []string
	// Unexpected are messages the owner did not understand, or questions it
	// has no answer for.
	Unexpected []string
	// Failed explains a conversation the owner could not go on with (a
	// button to tap was missing).
	Failed   string
	Answered int
	// LastUpdate is the update id of the owner's last message or tap.
	LastUpdate int64
	// Latencies are, per answer, the time from pushing it to the bot's
	// first message after it.
	Latencies []time.Duration
	// Steps holds the same latencies by the question the answer was to
	// ("/daftar" for the first).
	Steps map[string][]time.Duration
}

// OK reports whether the owner finished without trouble.
func (r *Result) OK() bool {
	return r.Done && r.Stuck == "" && !r.Told && len(r.DupPrompts) == 0 && r.Failed == ""
}

// Player plays owners against the bot through the fake Bot API.
type Player struct {
	Fake  *telegramtest.Server
	Inbox *telegramtest.Inbox
	// Timeout is how long an owner waits for the bot's next message.
	Timeout time.Duration
	// OnAnswer, if set, is called after each answer is pushed.
	OnAnswer func()
	// Think is how long an owner reads and types before each answer (0:
	// at once, a closed loop as fast as the bot goes).
	Think time.Duration
	// Verbose logs every step.
	Verbose bool
	Logf    func(format string, args ...any)

	taps atomic.Int64
	// waiting maps an owner waiting for the bot to the update id of its
	// last message or tap.
	waiting sync.Map
}

// Waiting counts the owners waiting for an answer to an update the bot has
// confirmed (taken in), and to one it has not fetched yet.
func (p *Player) Waiting() (confirmed, unconfirmed int) {
	p.waiting.Range(func(_, v any) bool {
		if p.Fake.Confirmed(v.(int64)) {
			confirmed++
		} else {
			unconfirmed++
		}
		return true
	})
	return confirmed, unconfirmed
}

// Conv is an owner's side of one registration: it reads each message the
// bot sends and decides what, if anything, to answer.
type Conv struct {
	Res      *Result
	answered map[string]bool
	// Last is the question answered last ("/daftar" before any).
	Last string
}

// NewConv starts o's conversation; the owner has sent /daftar.
func NewConv(o *Owner) *Conv {
	return &Conv{Res: &Result{Owner: o}, answered: map[string]bool{}, Last: "/daftar"}
}

// Action is an update for the owner to push: a text, a shared contact, or
// a tap on the button with callback data Data.
type Action struct {
	Question string
	Answer   Answer
	Text     string
	Contact  string
	Data     string
}

// See takes the next message; it returns the action to push (nil: keep
// waiting) and whether the conversation is over.
func (c *Conv) See(s Seen) (*Action, bool) {
	res, o := c.Res, c.Res.Owner
	switch s.Kind {
	case KindSaved:
		res.Done, res.Number = true, s.Number
		return nil, true
	case KindDuplicate:
		res.Told, res.Number = true, s.Number
		return nil, true
	case KindInfo:
		return nil, false
	case KindOther:
		res.Unexpected = append(res.Unexpected, excerpt(s.Text))
		return nil, false
	}
	if c.answered[s.Question] {
		res.DupPrompts = append(res.DupPrompts, s.Question)
		return nil, false
	}
	a, ok := o.Answers[s.State]
	if !ok {
		res.Unexpected = append(res.Unexpected, "question "+s.Question)
		return nil, false
	}
	act := &Action{Question: s.Question, Answer: a, Text: a.Text, Contact: a.Contact}
	if a.Tap != "" {
		b, ok := s.button(a.Tap)
		if !ok && s.State == qKec {
			b, ok = s.forward() // the kecamatan is on a later page
		}
		if !ok {
			res.Failed = fmt.Sprintf("no button %q under question %s", a.Tap, s.Question)
			return nil, true
		}
		act.Data = b.Data
	}
	c.answered[s.Question] = true
	res.Answered++
	c.Last = s.Question
	return act, false
}

// Play runs one owner's registration: /daftar, then one answer to each
// question as it is asked, until the bot says it is saved, or the owner
// waits in vain for Timeout.
func (p *Player) Play(ctx context.Context, o *Owner) *Result {
	c := NewConv(o)
	pushed := time.Now()
	c.Res.LastUpdate = p.Fake.PushText(o.ID, "/daftar", "id")
	p.waiting.Store(o.ID, c.Res.LastUpdate)
	for {
		wctx, cancel := context.WithTimeout(ctx, p.Timeout)
		m, err := p.Inbox.Next(wctx, o.ID)
		cancel()
		if err != nil {
			p.waiting.Delete(o.ID)
			if ctx.Err() != nil {
				c.Res.Failed = "run cancelled"
			} else {
				c.Res.Stuck = c.Last
			}
			return c.Res
		}
		p.waiting.Delete(o.ID)
		if !pushed.IsZero() {
			d := time.Since(pushed)
			c.Res.Latencies = append(c.Res.Latencies, d)
			if c.Res.Steps == nil {
				c.Res.Steps = map[string][]time.Duration{}
			}
			step := cmp.Or(c.Last, "/daftar")
			c.Res.Steps[step] = append(c.Res.Steps[step], d)
			pushed = time.Time{}
		}
		dups := len(c.Res.DupPrompts)
		act, done := c.See(Recognise(m.Text, m.ReplyMarkup))
		if len(c.Res.DupPrompts) > dups {
			p.logf("owner %d: %s asked again (not answered)", o.ID, c.Res.DupPrompts[dups])
		}
		if done {
			return c.Res
		}
		if act == nil {
			continue
		}
		if !p.think(ctx) {
			c.Res.Failed = "run cancelled"
			return c.Res
		}
		switch {
		case act.Contact != "":
			c.Res.LastUpdate = p.Fake.PushContact(o.ID, act.Contact, o.ID)
		case act.Data != "":
			c.Res.LastUpdate = p.tap(o.ID, act.Data, m.ID)
		default:
			c.Res.LastUpdate = p.Fake.PushText(o.ID, act.Text, "id")
		}
		pushed = time.Now()
		p.waiting.Store(o.ID, c.Res.LastUpdate)
		p.logf("owner %d: %s ← %s", o.ID, act.Question, act.Answer)
		if p.OnAnswer != nil {
			p.OnAnswer()
		}
	}
}

// tap pushes a callback query on message msgID; its id names the owner,
// so that toasts can be counted per owner.
func (p *Player) tap(user int64, data string, msgID int) int64 {
	n := p.taps.Add(1)
	me := p.Fake.Me()
	from := models.User{ID: user, FirstName: "Owner" + strconv.FormatInt(user, 10), LanguageCode: "id"}
	return p.Fake.Push(models.Update{CallbackQuery: &models.CallbackQuery{
		ID: "u" + strconv.FormatInt(user, 10) + "-" + strconv.FormatInt(n, 10), From: from,
		ChatInstance: "ci" + strconv.FormatInt(user, 10), Data: data,
		Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage, Message: &models.Message{
			ID: msgID, Date: int(time.Now().Unix()), From: &me,
			Chat: models.Chat{ID: user, Type: models.ChatTypePrivate, FirstName: from.FirstName},
		}},
	}})
}

// Drain reads what the bot sent o after the owner stopped listening (the
// bot is stopped by then): questions asked again count as duplicate
// prompts, anything not understood as unexpected.
func (p *Player) Drain(res *Result) {
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		m, err := p.Inbox.Next(ctx, res.Owner.ID)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) || err != nil {
			return
		}
		switch s := Recognise(m.Text, m.ReplyMarkup); s.Kind {
		case KindQuestion:
			res.DupPrompts = append(res.DupPrompts, s.Question+" (late)")
		case KindSaved:
			if res.Done {
				res.DupPrompts = append(res.DupPrompts, "saved (told again)")
			} else {
				res.Unexpected = append(res.Unexpected, "saved after the owner gave up: "+s.Number)
			}
		case KindDuplicate:
			res.Told = true
		case KindOther:
			res.Unexpected = append(res.Unexpected, excerpt(s.Text))
		}
	}
}

// think waits Think before an answer; false when ctx ends first.
func (p *Player) think(ctx context.Context) bool {
	if p.Think <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(p.Think)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (p *Player) logf(format string, args ...any) {
	if p.Verbose && p.Logf != nil {
		p.Logf(format, args...)
	}
}

// excerpt shortens a message for the report.
func excerpt(s string) string {
	r := []rune(s)
	if len(r) > 90 {
		return string(r[:90]) + "…"
	}
	return s
}
