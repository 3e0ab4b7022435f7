package loan

import (
	"errors"
	"strings"
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
		Prompt: func(c *flows.Ctx) flows.Reply {
			return flows.Say("loan_ask_nik", "Number", c.Get(kNumber)).
				WithButtons(flows.Btn("loan_btn_change_number", "number"))
		},
		Help:    flows.T("loan_help_nik"),
		Example: flows.T("loan_ex_nik"),
		Text:    true,
		Handle:  o.readNIK,
		// Once linked, kembali from the loan shown must not ask for a NIK
		// again.
		NoBack: true,
	}
}

// readNIK reads the NIK step's answer: "Ubah nomor" goes back to the
// application number, an application number typed here with its "UPDB"
// (digits alone could be a NIK cut short) replaces the one kept, and
// anything else is read as the NIK.
func (o *owner) readNIK(c *flows.Ctx, in flows.Input) (string, error) {
	if in.Choice == "number" {
		c.Del(kNumber)
		return evRetry, nil
	}
	if n, ok := ParseNumber(in.Text); ok && strings.Contains(strings.ToLower(in.Text), "updb") {
		c.Set(kNumber, n)
		c.Say("loan_number_changed", "Number", n)
		c.Prompt()
		return flows.Stay, nil
	}
	return o.link(c, in)
}

// link looks the pair up, unless the owner is locked out. A wrong pair
// gets one neutral answer, whichever part was wrong, and counts as a failed
// attempt; the last allowed failure locks lookups. After a wrong pair the
// owner stays at the NIK question with the number kept, and can change the
// number with its button.
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
		if !until.IsZero() {
			o.sayLocked(c, until)
			return flows.End, nil
		}
		c.Say("loan_link_wrong", "Left", max(o.opt.maxTries()-count, 0))
		c.Prompt()
		return flows.Stay, nil
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
