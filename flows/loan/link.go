package loan

import (
	"errors"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/flows/registration"
	"github.com/diskum-tangerang/umkmbot/store"
)

func (o *owner) numberStep() *flows.Step {
	return &flows.Step{
		Prompt:  func(c *flows.Ctx) flows.Reply { return flows.Say("loan_ask_number") },
		Help:    flows.T("loan_help_number"),
		Example: flows.T("loan_ex_number"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			n, ok := ParseNumber(in.Text)
			if !ok {
				return flows.Stay, flows.Invalid("loan_number_format")
			}
			c.Set(kNumber, n)
			return evNIK, nil
		},
	}
}

func (o *owner) nikStep() *flows.Step {
	return &flows.Step{
		Prompt:  func(c *flows.Ctx) flows.Reply { return flows.Say("loan_ask_nik", "Number", c.Get(kNumber)) },
		Help:    flows.T("loan_help_nik"),
		Example: flows.T("loan_ex_nik"),
		Text:    true,
		Handle:  o.link,
		// A wrong pair asks for the number again; kembali there must not
		// return to a NIK question without a number.
		NoBack: true,
	}
}

// link looks the pair up, unless the owner is locked out. A wrong pair
// gets one neutral answer, whichever part was wrong, and counts as a failed
// attempt; the last allowed failure locks lookups.
func (o *owner) link(c *flows.Ctx, in flows.Input) (string, error) {
	nik, err := field.ParseNIK(in.Text, c.Now)
	if err != nil {
		return flows.Stay, registration.FieldError(err)
	}
	if locked, err := o.sayIfLocked(c); err != nil || locked {
		return flows.End, err
	}
	l, err := o.loans.Link(c, c.UserID(), c.Get(kNumber), nik.Digits)
	if errors.Is(err, store.ErrNotFound) {
		count, until, err := o.tries.Fail(c, c.UserID())
		if err != nil {
			return "", err
		}
		c.Del(kNumber)
		if !until.IsZero() {
			o.sayLocked(c, until)
			return flows.End, nil
		}
		c.Say("loan_link_wrong", "Left", max(o.opt.maxTries()-count, 0))
		return evRetry, nil
	}
	if err != nil {
		return "", err
	}
	c.Del(kNumber)
	c.Say("loan_linked", "Number", l.Number)
	list, err := o.loans.LinkedLoans(c, c.UserID())
	if err != nil {
		return "", err
	}
	return evView, o.show(c, l, list)
}

// sayLocked tells the owner that lookups are locked until when, and ends
// with the menu.
func (o *owner) sayLocked(c *flows.Ctx, until time.Time) {
	c.Say("loan_locked", "Until", flows.DateTime(until))
	c.Switch(o.opt.menu(), "")
}
