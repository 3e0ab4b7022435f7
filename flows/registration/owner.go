package registration

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Name bounds (domain.md §4.2).
const (
	minName = 3
	maxName = 100
)

// adultAge is the age from which an owner registers alone (KTP age).
const adultAge = 17

// hon is how the bot addresses the owner: Ibu or Bapak once the NIK is
// confirmed, Bapak/Ibu before.
func hon(c *flows.Ctx) flows.Text {
	switch c.Get(kHon) {
	case "ibu":
		return flows.T("reg_hon_ibu")
	case "bapak":
		return flows.T("reg_hon_bapak")
	}
	return flows.T("reg_hon_unknown")
}

// yesNo reads an answer to a two-button question: the button's choice, or
// a typed yes or no.
func yesNo(in flows.Input, yes, no string) string {
	switch {
	case in.Choice != "":
		return in.Choice
	case field.IsYes(in.Text):
		return yes
	case field.IsNo(in.Text):
		return no
	}
	return ""
}

func (b *builder) consentStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			return flows.Say("reg_consent", "Version", b.opt.ConsentVersion).
				WithRow(flows.Btn("btn_agree", "yes"), flows.Btn("btn_disagree", "no"))
		},
		Help:    flows.T("reg_help_consent"),
		Example: flows.T("reg_ex_consent"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			answer := yesNo(in, "yes", "no")
			if answer != "yes" && answer != "no" {
				return flows.Stay, flows.Invalid("reg_consent_choose")
			}
			granted := answer == "yes"
			// When the answer came in (the same if this step runs again
			// after a crash, so that it is recorded once), else now.
			at := c.Update.Received
			if at.IsZero() {
				at = c.Now
			}
			err := b.regs.RecordConsent(c, store.Consent{UserID: c.UserID(), Purpose: Purpose,
				NoticeVersion: b.opt.ConsentVersion, Granted: granted, At: at})
			if err != nil {
				return "", err
			}
			if !granted {
				c.Say("reg_consent_refused")
				return b.end(c)
			}
			return b.next(c)
		},
	}
}

func (b *builder) nameStep() *flows.Step {
	return &flows.Step{
		Prompt:  func(c *flows.Ctx) flows.Reply { return flows.Say("reg_name") },
		Help:    flows.T("reg_help_name"),
		Example: flows.T("reg_ex_name"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			name, err := parseName(in.Text)
			if err != nil {
				return flows.Stay, err
			}
			c.Set(kName, name)
			return b.next(c)
		},
	}
}

// parseName checks an owner's name as on the KTP: 3–100 characters,
// letters, spaces and . , ' - only (titles such as "Hj. Siti Aminah,
// S.E." are kept as typed). Runs of spaces become one; a typographic
// apostrophe becomes a plain one.
func parseName(s string) (string, error) {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "’", "'")), " ")
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case r == ' ', r == '.', r == ',', r == '\'', r == '-':
		default:
			return "", flows.Invalid("reg_name_chars")
		}
	}
	switch n := utf8.RuneCountInString(s); {
	case n < minName || letters < 2:
		return "", flows.Invalid("reg_name_short", "Min", minName)
	case n > maxName:
		return "", flows.Invalid("reg_name_long", "Max", maxName, "Count", n)
	}
	return s, nil
}

func (b *builder) nikStep() *flows.Step {
	return &flows.Step{
		Prompt:  func(c *flows.Ctx) flows.Reply { return flows.Say("reg_nik") },
		Help:    flows.T("reg_help_nik"),
		Example: flows.T("reg_ex_nik"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			n, err := field.ParseNIK(in.Text, today(c))
			if err != nil {
				return flows.Stay, FieldError(err)
			}
			c.Set(kNIK, n.Digits)
			c.Set(kBirth, n.BirthDate.Format(time.DateOnly))
			c.Set(kFemale, boolStr(n.Female))
			return evNext, nil
		},
	}
}

// nik rebuilds the NIK from the data.
func nik(c *flows.Ctx) field.NIK {
	born, _ := time.Parse(time.DateOnly, c.Get(kBirth))
	return field.NIK{Digits: c.Get(kNIK), BirthDate: born, Female: c.Get(kFemale) == "1"}
}

func (b *builder) nikOKStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			n := nik(c)
			return flows.Say("reg_nik_confirm", "NIK", n.Masked(), "Birth", flows.Date(n.BirthDate),
				"Gender", genderText(n.Female)).
				WithRow(flows.Btn("btn_correct", "ok"), flows.Btn("btn_change", "change"))
		},
		Help:    flows.T("reg_help_nikok"),
		Example: flows.T("reg_ex_nikok"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			switch yesNo(in, "ok", "change") {
			case "change":
				return evRetry, nil
			case "ok":
			default:
				if looksLikeNIK(in.Text) {
					return b.correctNIK(c, in.Text)
				}
				return flows.Stay, flows.Invalid("reg_nik_choose")
			}
			n := nik(c)
			if age := n.Age(today(c)); age < adultAge {
				c.Say("reg_minor", "Age", age, "Min", adultAge)
				return b.end(c)
			}
			if n.Female {
				c.Set(kHon, "ibu")
			} else {
				c.Set(kHon, "bapak")
			}
			return b.next(c)
		},
	}
}

// looksLikeNIK reports whether a typed answer is a number of ten or more
// digits: a NIK typed again rather than a yes or no.
func looksLikeNIK(s string) bool {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n >= 10
}

// correctNIK takes a NIK typed at its confirmation as the correction, and
// asks to confirm the new one.
func (b *builder) correctNIK(c *flows.Ctx, typed string) (string, error) {
	n, err := field.ParseNIK(typed, today(c))
	if err != nil {
		return flows.Stay, FieldError(err)
	}
	c.Set(kNIK, n.Digits)
	c.Set(kBirth, n.BirthDate.Format(time.DateOnly))
	c.Set(kFemale, boolStr(n.Female))
	c.Prompt()
	return flows.Stay, nil
}

func (b *builder) phoneStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			r := flows.Say("reg_phone", "Hon", hon(c))
			r.AskContact = true
			return r
		},
		Help:    flows.T("reg_help_phone"),
		Example: flows.T("reg_ex_phone"),
		Text:    true,
		Contact: true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			typed := in.Text
			if in.Contact != nil {
				if in.Contact.UserID != c.UserID() {
					return flows.Stay, flows.Invalid("err_contact_other")
				}
				typed = in.Contact.Phone
			}
			phone, err := field.ParsePhone(typed)
			if err != nil {
				return flows.Stay, FieldError(err)
			}
			c.Set(kPhone, phone)
			c.Reply(flows.Reply{Text: flows.T("reg_phone_ok", "Phone", field.FormatPhone(phone)), RemoveKeyboard: true})
			return b.next(c)
		},
	}
}

func boolStr(v bool) string {
	if v {
		return "1"
	}
	return "0"
}

// genderText names the gender the NIK encodes.
func genderText(female bool) flows.Text {
	if female {
		return flows.T("reg_gender_f")
	}
	return flows.T("reg_gender_m")
}
