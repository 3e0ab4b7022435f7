package registration

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/store"
)

// choice is one registration offered for correction.
type choice struct {
	Number   string `json:"n"`
	Business string `json:"b"`
}

// enterEdit loads the owner's only registration, or offers the list when
// there are several.
func (b *builder) enterEdit(c *flows.Ctx) (string, error) {
	list, err := b.regs.RegistrationsOf(c, c.UserID())
	if err != nil {
		return "", err
	}
	switch len(list) {
	case 0:
		c.Say("reg_edit_none")
		return b.end(c)
	case 1:
		load(c, list[0])
		return stSummary, nil
	}
	choices := make([]choice, len(list))
	for i, r := range list {
		choices[i] = choice{Number: r.Number, Business: r.BusinessName}
	}
	raw, err := json.Marshal(choices)
	if err != nil {
		return "", err
	}
	c.Set(kChoices, string(raw))
	return "", nil
}

// choices returns the registrations offered for correction.
func choices(c *flows.Ctx) []choice {
	var list []choice
	_ = json.Unmarshal([]byte(c.Get(kChoices)), &list) // written by enterEdit; empty when absent
	return list
}

func (b *builder) pickStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			r := flows.Say("reg_edit_pick")
			for i, ch := range choices(c) {
				r = r.WithButtons(flows.Button{Label: flows.Raw(ch.Business + " · " + ch.Number), Data: strconv.Itoa(i + 1)})
			}
			return r
		},
		Help:    flows.T("reg_help_pick"),
		Example: flows.T("reg_ex_pick"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			list := choices(c)
			i := pickIndex(list, in)
			if i < 0 {
				return flows.Stay, flows.Invalid("reg_edit_pick_choose")
			}
			r, err := b.regs.Registration(c, list[i].Number)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return "", err
			}
			if err != nil || r.UserID != c.UserID() || r.NIK == "" {
				c.Say("reg_edit_gone", "Number", list[i].Number)
				return b.end(c)
			}
			c.Del(kChoices)
			load(c, r)
			return evNext, nil
		},
	}
}

// pickIndex finds the chosen registration: a button, its position typed,
// its number or its business name; -1 when none.
func pickIndex(list []choice, in flows.Input) int {
	typed := in.Choice
	if typed == "" {
		typed = in.Text
	}
	if n, err := strconv.Atoi(strings.TrimSpace(typed)); err == nil && n >= 1 && n <= len(list) {
		return n - 1
	}
	t := field.Normalize(typed)
	for i, ch := range list {
		if strings.EqualFold(strings.TrimSpace(typed), ch.Number) || t == field.Normalize(ch.Business) {
			return i
		}
	}
	return -1
}
