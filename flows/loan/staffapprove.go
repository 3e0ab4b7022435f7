package loan

import (
	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/flows/registration"
)

// approvedStep asks the amount approved, for a move to DISETUJUI: more
// than 0 and at most the amount requested (when one is recorded), typed as
// staff type money ("25 juta", "20.000.000").
func (s *staff) approvedStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			return flows.Say("loan_staff_ask_approved", "Number", c.Get(kShown),
				"Requested", flows.Rupiah(atoi(c.Get(kReq)))).WithButtons(flows.Btn("btn_back", "back"))
		},
		Help:    flows.T("loan_staff_help_approved"),
		Example: flows.T("loan_staff_ex_approved"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			if in.Choice == "back" {
				return evBack, nil
			}
			n, perMonth, err := field.ParseMoney(in.Text)
			switch {
			case err != nil:
				return flows.Stay, registration.FieldError(err)
			case perMonth:
				return flows.Stay, flows.Invalid("loan_staff_approved_per_month")
			case n <= 0:
				return flows.Stay, flows.Invalid("loan_staff_approved_zero")
			}
			if req := atoi(c.Get(kReq)); req > 0 && n > req {
				return flows.Stay, flows.Invalid("loan_staff_approved_over", "Amount", flows.Rupiah(n),
					"Requested", flows.Rupiah(req))
			}
			c.Set(kApproved, itoa(n))
			return evNote, nil
		},
	}
}

// approvedData is the approved amount of the move being made, for a
// template: the amount, or "" when the move carries none.
func approvedData(c *flows.Ctx) any {
	if n := atoi(c.Get(kApproved)); n > 0 {
		return flows.Rupiah(n)
	}
	return ""
}
