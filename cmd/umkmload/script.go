package main

import (
	"context"
	"strings"
	"time"
)

// A scripted conversation is a list of rules: each recognises one kind of
// message from the bot (by the callback data of its buttons, which name
// the flow and the step, or by a fragment of its text) and says how the
// user answers it. The user reads every message the bot sends, answers by
// the first rule that matches, and the conversation is over at a rule
// marked Done. This is how the staff member of the broadcast mode and the
// owners of the training and loan scripts talk; the registration keeps its
// own reader (Conv), which checks much more.

// Msg is a message from the bot as a scripted user reads it.
type Msg struct {
	ID      int
	Text    string // HTML removed
	Buttons []Button
}

// Button returns the first button whose callback data starts with prefix.
func (m Msg) Button(prefix string) (Button, bool) {
	for _, b := range m.Buttons {
		if strings.HasPrefix(b.Data, prefix) {
			return b, true
		}
	}
	return Button{}, false
}

// HasButton reports whether m has a button whose data starts with prefix.
func (m Msg) HasButton(prefix string) bool {
	_, ok := m.Button(prefix)
	return ok
}

// Rule is how a scripted user answers one kind of message.
type Rule struct {
	Name string
	When func(Msg) bool
	// Answer is the action to push (nil: the message asks nothing, e.g. a
	// confirmation before the next question).
	Answer func(Msg) *Action
	// Done ends the conversation once this message is seen (after
	// Answer's action, if any, is pushed).
	Done bool
}

// tapButton answers with a tap on the first button whose data starts with
// prefix.
func tapButton(prefix string) func(Msg) *Action {
	return func(m Msg) *Action {
		b, _ := m.Button(prefix)
		return &Action{Question: prefix, Data: b.Data, Answer: Answer{Tap: b.Data}}
	}
}

// typeText answers with a typed text.
func typeText(text string) func(Msg) *Action {
	return func(Msg) *Action { return &Action{Text: text, Answer: Answer{Text: text}} }
}

// buttonRule answers a message that carries a button starting with prefix
// by tapping it.
func buttonRule(name, prefix string) Rule {
	return Rule{Name: name, When: func(m Msg) bool { return m.HasButton(prefix) }, Answer: tapButton(prefix)}
}

// textIs matches a message containing fragment.
func textIs(fragment string) func(Msg) bool {
	return func(m Msg) bool { return strings.Contains(m.Text, fragment) }
}

// PlayScript plays one scripted conversation of user: it sends start,
// then answers each message of the bot by rules until a Done rule matches,
// or until the user has waited Timeout in vain (Stuck names the last rule
// answered). Messages no rule knows are kept in Unexpected and not
// answered. The Result's Owner is o (it may be nil for a staff member).
func (p *Player) PlayScript(ctx context.Context, user int64, o *Owner, start string, rules []Rule) *Result {
	res := &Result{Owner: o}
	last := start
	pushed := time.Now()
	res.LastUpdate = p.Fake.PushText(user, start, "id")
	p.waiting.Store(user, res.LastUpdate)
	defer p.waiting.Delete(user)
	for {
		wctx, cancel := context.WithTimeout(ctx, p.Timeout)
		m, err := p.Inbox.Next(wctx, user)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				res.Failed = "run cancelled"
			} else {
				res.Stuck = last
			}
			return res
		}
		if !pushed.IsZero() {
			res.Latencies = append(res.Latencies, time.Since(pushed))
			pushed = time.Time{}
		}
		msg := Msg{ID: m.ID, Text: plainText(m.Text), Buttons: inlineButtons(m.ReplyMarkup)}
		var rule *Rule
		for i := range rules {
			if rules[i].When(msg) {
				rule = &rules[i]
				break
			}
		}
		if rule == nil {
			res.Unexpected = append(res.Unexpected, excerpt(msg.Text))
			p.logf("user %d: not understood: %s", user, excerpt(msg.Text))
			continue
		}
		if rule.Answer != nil {
			if act := rule.Answer(msg); act != nil {
				if !p.think(ctx) {
					res.Failed = "run cancelled"
					return res
				}
				if act.Data != "" {
					res.LastUpdate = p.tap(user, act.Data, msg.ID)
				} else {
					res.LastUpdate = p.Fake.PushText(user, act.Text, "id")
				}
				res.Answered++
				last = rule.Name
				pushed = time.Now()
				p.waiting.Store(user, res.LastUpdate)
				p.logf("user %d: %s ← %s", user, rule.Name, act.Answer)
				if p.OnAnswer != nil {
					p.OnAnswer()
				}
			}
		}
		if rule.Done {
			res.Done = true
			return res
		}
	}
}
