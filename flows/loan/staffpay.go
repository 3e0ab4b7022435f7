package loan

import (
	"crypto/rand"
	"strconv"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/flows/registration"
	"github.com/diskum-tangerang/umkmbot/store"
)

// randomRef makes a payment typed by staff idempotent: a redelivered
// "Ya, catat" records it once.
func randomRef() string { return rand.Text() }

func (s *staff) amountStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			return flows.Say("loan_staff_ask_amount", "Number", c.Get(kShown)).WithButtons(flows.Btn("btn_back", "back"))
		},
		Help:    flows.T("loan_staff_help_amount"),
		Example: flows.T("loan_staff_ex_amount"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			if in.Choice == "back" {
				return evBack, nil
			}
			n, _, err := field.ParseMoneyIn(c.Lang(), in.Text)
			if err != nil {
				return flows.Stay, registration.FieldError(err)
			}
			if n <= 0 {
				return flows.Stay, flows.Invalid("loan_staff_amount_zero")
			}
			c.Set(kAmount, itoa(n))
			return evDate, nil
		},
	}
}

func (s *staff) dateStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			return flows.Say("loan_staff_ask_date", "Amount", flows.Rupiah(atoi(c.Get(kAmount)))).
				WithRow(flows.Btn("loan_btn_today", "today"), flows.Btn("loan_btn_yesterday", "yesterday"))
		},
		Help:    flows.T("loan_staff_help_date"),
		Example: flows.T("loan_staff_ex_date"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			now := today(c)
			text := in.Text
			switch in.Choice {
			case "today":
				text = "hari ini"
			case "yesterday":
				text = "kemarin"
			}
			d, ok := ParseDate(text, now)
			if !ok {
				return flows.Stay, flows.Invalid("loan_staff_date_format")
			}
			if d.After(now) {
				return flows.Stay, flows.Invalid("loan_staff_date_future", "Date", flows.Date(d))
			}
			if disb, err := time.ParseInLocation("2006-01-02", c.Get(kDisb), wib); err == nil && d.Before(disb) {
				return flows.Stay, flows.Invalid("loan_staff_date_early", "Date", flows.Date(d),
					"Disbursed", flows.Date(disb))
			}
			c.Set(kDate, d.Format("2006-01-02"))
			return evPayOK, nil
		},
	}
}

// payDate is the day of the payment being recorded, midnight WIB.
func payDate(c *flows.Ctx) time.Time {
	d, _ := time.ParseInLocation("2006-01-02", c.Get(kDate), wib)
	return d
}

func (s *staff) payStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			return flows.Say("loan_staff_pay_confirm", "Number", c.Get(kShown),
				"Amount", flows.Rupiah(atoi(c.Get(kAmount))), "Date", flows.Date(payDate(c))).
				WithRow(flows.Btn("loan_btn_pay_yes", "yes"), flows.Btn("btn_no", "no"))
		},
		Help:   flows.T("loan_staff_help_confirm"),
		Text:   true,
		NoBack: true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			switch yesNo(in) {
			case "yes":
				return s.pay(c)
			case "no":
				c.Say("loan_staff_pay_aborted")
				return evBack, nil
			}
			return flows.Stay, flows.Invalid("err_choose_button")
		},
	}
}

// pay records the payment and tells the linked owners.
func (s *staff) pay(c *flows.Ctx) (string, error) {
	id := atoi(c.Get(kLoan))
	l, err := s.loans.LoanByID(c, id)
	if err != nil {
		return "", err
	}
	if !running(l.Stage) {
		c.Say("loan_staff_pay_stage")
		return evBack, s.selectLoan(c, l)
	}
	notify, owners, err := s.notifier(c, id)
	if err != nil {
		return "", err
	}
	amount := atoi(c.Get(kAmount))
	created, err := s.loans.RecordPayment(c, store.Payment{LoanID: id, Amount: amount, PaidAt: payDate(c),
		Actor: c.UserID(), Ref: c.Get(kRef)}, notify)
	if err != nil {
		return "", err
	}
	if created {
		c.Say("loan_staff_paid", "Number", l.Number, "Amount", flows.Rupiah(amount),
			"Date", flows.Date(payDate(c)), "Owners", owners)
	} else {
		c.Say("loan_staff_paid_before", "Number", l.Number)
	}
	c.Del(kRef)
	_, err = s.reload(c)
	return evBack, err
}

func (s *staff) attemptsStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			return flows.Say("loan_staff_ask_user").WithButtons(flows.Btn("btn_back", "back"))
		},
		Help:    flows.T("loan_staff_help_user"),
		Example: flows.T("loan_staff_ex_user"),
		Text:    true,
		NoBack:  true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			if in.Choice == "back" {
				return s.leaveAttempts(c)
			}
			id, err := strconv.ParseInt(strings.Join(strings.Fields(in.Text), ""), 10, 64)
			if err != nil || id <= 0 {
				return flows.Stay, flows.Invalid("loan_staff_user_format")
			}
			times, err := s.tries.Attempts(c, id)
			if err != nil {
				return "", err
			}
			locked, until, err := s.tries.Locked(c, id)
			if err != nil {
				return "", err
			}
			if err := s.audit.Audit(c, store.AuditEntry{Actor: c.UserID(), Action: "view",
				Object: "user:" + itoa(id), Detail: "loan link attempts", At: c.Now}); err != nil {
				return "", err
			}
			lines := make([]flows.Text, len(times))
			for i, t := range times {
				lines[i] = flows.T("loan_staff_attempt_line", "At", flows.DateTime(t))
			}
			state := flows.T("loan_staff_not_locked")
			if locked {
				state = flows.T("loan_staff_locked_until", "Until", flows.DateTime(until))
			}
			c.Say("loan_staff_attempts", "User", itoa(id), "Count", len(times), "Lines", lines, "State", state)
			return s.leaveAttempts(c)
		},
	}
}

// leaveAttempts goes back to the loan shown, or to the search when none
// is.
func (s *staff) leaveAttempts(c *flows.Ctx) (string, error) {
	if c.Get(kLoan) != "" {
		return evBack, nil
	}
	return evSearch, nil
}
