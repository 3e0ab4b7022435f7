package registration

import (
	"strings"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
)

// Halal certificate statuses as stored; "Tidak perlu" is stored as "".
const (
	halalSudah  = "sudah"
	halalProses = "proses"
	halalBelum  = "belum"
	halalTidak  = "tidak" // the button's choice only
)

func (b *builder) nibStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			r := b.record(c)
			return flows.Say("reg_nib", "Turnover", turnoverNoted(r), "Class", b.classReason(r)).
				WithRow(flows.Btn("btn_nib_none", "none"))
		},
		Help:    flows.T("reg_help_nib"),
		Example: flows.T("reg_ex_nib"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			if in.Choice == "none" || (in.Choice == "" && (field.IsSkip(in.Text) || field.IsNo(in.Text))) {
				c.Set(kNIB, "")
				c.Say("reg_nib_training")
				return b.next(c)
			}
			if in.Choice == "" && field.IsHave(in.Text) {
				c.Say("reg_nib_number")
				return flows.Stay, nil
			}
			nib, err := field.ParseNIB(in.Text)
			if err != nil {
				return flows.Stay, FieldError(err)
			}
			c.Set(kNIB, nib)
			return b.next(c)
		},
	}
}

func (b *builder) halalStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			return flows.Say("reg_halal").
				WithRow(flows.Btn("btn_halal_sudah", halalSudah), flows.Btn("btn_halal_proses", halalProses)).
				WithRow(flows.Btn("btn_halal_belum", halalBelum), flows.Btn("btn_halal_tidak", halalTidak))
		},
		Help:    flows.T("reg_help_halal"),
		Example: flows.T("reg_ex_halal"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			v := in.Choice
			if v == "" {
				v = typedHalal(in.Text)
			}
			switch v {
			case halalSudah, halalProses, halalBelum:
				c.Set(kHalal, v)
			case halalTidak:
				c.Set(kHalal, "")
			default:
				return flows.Stay, flows.Invalid("reg_halal_choose")
			}
			c.Set(kEditing, "1")
			return b.next(c)
		},
	}
}

// typedHalal reads a typed halal status: "sedang proses", "belum ada",
// "sudah", "tidak perlu".
func typedHalal(s string) string {
	t := field.Normalize(s)
	switch {
	case strings.Contains(t, "perlu"):
		return halalTidak
	case strings.Contains(t, "proses"):
		return halalProses
	case field.IsNo(s):
		return halalBelum
	case field.IsYes(s), strings.Contains(t, "punya"):
		return halalSudah
	case field.IsSkip(s):
		return halalTidak
	}
	return ""
}

// halalText names a stored halal status.
func halalText(v string) flows.Text {
	switch v {
	case halalSudah:
		return flows.T("btn_halal_sudah")
	case halalProses:
		return flows.T("btn_halal_proses")
	case halalBelum:
		return flows.T("btn_halal_belum")
	}
	return flows.T("btn_halal_tidak")
}
