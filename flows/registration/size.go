package registration

import (
	"strconv"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/store"
)

func (b *builder) capitalStep() *flows.Step {
	return &flows.Step{
		Prompt:  func(c *flows.Ctx) flows.Reply { return flows.Say("reg_capital") },
		Help:    flows.T("reg_help_capital"),
		Example: flows.T("reg_ex_capital"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			amount, perMonth, err := field.ParseMoneyIn(c.Lang(), in.Text)
			if field.CodeOf(err) == field.CodeMoneyPeriod || (err == nil && perMonth) {
				return flows.Stay, flows.Invalid("reg_capital_period")
			}
			if err != nil {
				return flows.Stay, FieldError(err)
			}
			c.Set(kCapital, strconv.FormatInt(amount, 10))
			if c.Get(kEditing) == "1" {
				return b.sizeNext(c)
			}
			return evNext, nil
		},
	}
}

func (b *builder) turnoverStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			return flows.Say("reg_turnover", "Capital", flows.Rupiah(atoi64(c.Get(kCapital)))).
				WithRow(flows.Btn("btn_unknown", "unknown"))
		},
		Help:    flows.T("reg_help_turnover"),
		Example: flows.T("reg_ex_turnover"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			if in.Choice == "unknown" || (in.Choice == "" && field.IsSkip(in.Text)) {
				c.Set(kOmzet, "0")
				c.Set(kOmzetKnown, "0")
				c.Set(kOmzetMonth, "")
				return b.sizeNext(c)
			}
			amount, perMonth, err := field.ParseMoneyIn(c.Lang(), in.Text)
			if err != nil {
				return flows.Stay, FieldError(err)
			}
			c.Set(kOmzetMonth, "")
			if perMonth {
				c.Set(kOmzetMonth, strconv.FormatInt(amount, 10))
				amount *= 12
			}
			c.Set(kOmzet, strconv.FormatInt(amount, 10))
			c.Set(kOmzetKnown, "1")
			if amount < plausibleTurnover {
				return evCheckOmz, nil
			}
			return b.sizeNext(c)
		},
	}
}

// plausibleTurnover is the smallest yearly turnover taken without a
// question: a figure below Rp1.000.000 a year ("500") is more likely a
// slip ("500 ribu", "500 juta") than the truth.
const plausibleTurnover = 1_000_000

// turnoverCheckStep asks whether an implausibly small turnover is right:
// "Rp500 per tahun, benar?" [Ya] [Ubah]. A new amount typed here is taken
// as the turnover.
func (b *builder) turnoverCheckStep() *flows.Step {
	turnover := b.turnoverStep()
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			return flows.Say("reg_turnover_check", "Amount", flows.Rupiah(atoi64(c.Get(kOmzet))),
				"Monthly", c.Get(kOmzetMonth) != "").
				WithRow(flows.Btn("btn_yes", "ok"), flows.Btn("btn_change", "change"))
		},
		Help:    flows.T("reg_help_turnover_check"),
		Example: flows.T("reg_ex_turnover"),
		Text:    true,
		NoBack:  true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			switch {
			case in.Choice == "ok" || (in.Choice == "" && field.IsYes(in.Text)):
				return b.sizeNext(c)
			case in.Choice == "change" || (in.Choice == "" && (field.IsChange(in.Text) || field.IsNo(in.Text))):
				return evFixOmz, nil
			case in.Choice != "":
				return flows.Stay, flows.Invalid("err_choose_button")
			}
			ev, err := turnover.Handle(c, in)
			if err != nil {
				return flows.Stay, flows.Invalid("reg_turnover_check_choose")
			}
			if ev == evCheckOmz {
				c.Prompt()
				return flows.Stay, nil
			}
			return ev, nil
		},
	}
}

// sizeNext follows a change of capital or turnover: a business above
// menengah is told so; any other goes on.
func (b *builder) sizeNext(c *flows.Ctx) (string, error) {
	if class, _ := b.classify(c); class == field.ClassBesar {
		return evBesar, nil
	}
	return b.next(c)
}

// classify derives the size class from the data.
func (b *builder) classify(c *flows.Ctx) (field.Class, field.Basis) {
	return b.opt.Criteria.Classify(atoi64(c.Get(kCapital)), atoi64(c.Get(kOmzet)), c.Get(kOmzetKnown) == "1")
}

func (b *builder) besarStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			r := b.record(c)
			amount, bounds := b.basisFigures(r)
			return flows.Say("reg_besar", "Hon", hon(c), "Basis", basisText(r.ClassBasis),
				"Amount", flows.Rupiah(amount), "Limit", flows.Rupiah(bounds[2])).
				WithRow(flows.Btn("btn_fix_amount", "fix"), flows.Btn("btn_done", "done"))
		},
		Help:    flows.T("reg_help_besar"),
		Example: flows.T("reg_ex_besar"),
		Text:    true,
		// Once a figure is fixed, "kembali" should not show this notice again.
		NoBack: true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			if in.Choice == "" {
				in.Choice = typedBesar(in.Text)
			}
			switch in.Choice {
			case "fix":
				if _, basis := b.classify(c); basis == field.BasisModal {
					return evFixCap, nil
				}
				return evFixOmz, nil
			case "done":
				c.Say("reg_besar_bye")
				return b.end(c)
			}
			return flows.Stay, flows.Invalid("err_choose_button")
		},
	}
}

// basisFigures returns the figure that decided r's class and the bounds it
// was compared with.
func (b *builder) basisFigures(r store.Registration) (int64, [3]int64) {
	if r.ClassBasis == string(field.BasisModal) {
		return r.Capital, b.opt.Criteria.Modal
	}
	return r.Turnover, b.opt.Criteria.Omzet
}

// classReason explains r's class: the figure, the basis and the bounds of
// the class under PP 7/2021.
func (b *builder) classReason(r store.Registration) flows.Text {
	amount, bounds := b.basisFigures(r)
	i := map[string]int{"mikro": 0, "kecil": 1, "menengah": 2}[r.Class]
	var low int64
	if i > 0 {
		low = bounds[i-1]
	}
	return flows.T("reg_class_reason", "Class", classText(r.Class), "Basis", basisText(r.ClassBasis),
		"Amount", flows.Rupiah(amount), "HasLow", i > 0, "Low", flows.Rupiah(low), "High", flows.Rupiah(bounds[i]))
}

// turnoverNoted confirms the turnover understood, before the class.
func turnoverNoted(r store.Registration) flows.Text {
	switch {
	case r.ClassBasis == string(field.BasisModal):
		return flows.T("reg_turnover_noted_unknown")
	case r.TurnoverMonthly:
		return flows.T("reg_turnover_noted_month", "Month", flows.Rupiah(r.Turnover/12), "Year", flows.Rupiah(r.Turnover))
	}
	return flows.T("reg_turnover_noted_year", "Year", flows.Rupiah(r.Turnover))
}

// classText names a size class ("usaha mikro").
func classText(class string) flows.Text {
	switch field.Class(class) {
	case field.ClassKecil:
		return flows.T("reg_class_kecil")
	case field.ClassMenengah:
		return flows.T("reg_class_menengah")
	case field.ClassBesar:
		return flows.T("reg_class_besar")
	}
	return flows.T("reg_class_mikro")
}

// basisText names the figure a class was derived from.
func basisText(basis string) flows.Text {
	if basis == string(field.BasisModal) {
		return flows.T("reg_basis_modal")
	}
	return flows.T("reg_basis_omzet")
}

func atoi64(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// typedBesar reads a typed answer to the large-business notice: "ubah" for
// Ubah angka, "selesai" for Selesai.
func typedBesar(s string) string {
	switch t := field.Normalize(s); {
	case field.IsChange(s):
		return "fix"
	case t == "selesai" || t == "done" || t == "sudah selesai":
		return "done"
	}
	return ""
}
