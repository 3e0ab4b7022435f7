package registration

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Lengths of the free-text fields, in characters.
const (
	minBiz, maxBiz           = 2, 100
	minProducts, maxProducts = 3, 500
	minAddress, maxAddress   = 5, 200
)

// text collapses runs of white space and checks the length of a free-text
// answer; short and long name the messages for each failure.
func text(s string, lo, hi int, short, long string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	switch n := utf8.RuneCountInString(s); {
	case n < lo:
		return "", flows.Invalid(short, "Min", lo)
	case n > hi:
		return "", flows.Invalid(long, "Max", hi, "Count", n)
	}
	return s, nil
}

// typedStep is a step that reads one line of text with parse and stores
// the result under key.
func (b *builder) typedStep(prompt, help, example string, parse func(c *flows.Ctx, s string) (string, error), key string) *flows.Step {
	return &flows.Step{
		Prompt:  func(c *flows.Ctx) flows.Reply { return flows.Say(prompt) },
		Help:    flows.T(help),
		Example: flows.T(example),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			v, err := parse(c, in.Text)
			if err != nil {
				return flows.Stay, err
			}
			c.Set(key, v)
			return b.next(c)
		},
	}
}

func (b *builder) bizStep() *flows.Step {
	return &flows.Step{
		Prompt:  func(c *flows.Ctx) flows.Reply { return flows.Say("reg_biz") },
		Help:    flows.T("reg_help_biz"),
		Example: flows.T("reg_ex_biz"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			name, err := text(in.Text, minBiz, maxBiz, "reg_biz_short", "reg_biz_long")
			if err != nil {
				return flows.Stay, err
			}
			found, err := b.regs.FindRegistration(c, c.Get(kNIK), name)
			switch {
			case errors.Is(err, store.ErrNotFound):
			case err != nil:
				return "", err
			case found.Number != c.Get(kNumber):
				if b.edit {
					return flows.Stay, flows.Invalid("reg_biz_taken", "Number", found.Number)
				}
				c.Say("reg_duplicate", "Number", found.Number, "Business", found.BusinessName)
				return b.done(c)
			}
			c.Set(kBiz, name)
			return b.next(c)
		},
	}
}

func (b *builder) sectorStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			r := flows.Say("reg_sector")
			r.Buttons = SectorKeyboard()
			return r
		},
		Help:    flows.T("reg_help_sector"),
		Example: flows.T("reg_ex_sector"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			key, err := sector(in)
			if err != nil {
				return flows.Stay, err
			}
			c.Set(kSector, key)
			return b.next(c)
		},
	}
}

// sector reads a sector from a button's key or typed text.
func sector(in flows.Input) (string, error) {
	if in.Choice != "" {
		for _, s := range field.Sectors() {
			if s.Key == in.Choice {
				return s.Key, nil
			}
		}
		return "", flows.Invalid("err_choose_button")
	}
	s, err := field.MatchSector(in.Text)
	if err != nil {
		return "", FieldError(err)
	}
	return s.Key, nil
}

func (b *builder) productsStep() *flows.Step {
	return b.typedStep("reg_products", "reg_help_products", "reg_ex_products",
		func(_ *flows.Ctx, s string) (string, error) {
			return text(s, minProducts, maxProducts, "reg_products_short", "reg_products_long")
		}, kProducts)
}

func (b *builder) kecStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			page, _ := strconv.Atoi(c.Get(kPage))
			rows, page, pages := KecamatanKeyboard(page)
			r := flows.Say("reg_kec", "Page", page+1, "Pages", pages)
			r.Buttons = rows
			return r
		},
		Help:    flows.T("reg_help_kec"),
		Example: flows.T("reg_ex_kec"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			if p, ok := PageChoice(in.Choice); ok {
				c.Set(kPage, strconv.Itoa(p))
				c.Prompt()
				return flows.Stay, nil
			}
			k, err := kecamatan(in)
			if err != nil {
				return flows.Stay, err
			}
			if k.Code != c.Get(kKec) {
				c.Del(kDesa)
				if c.Get(kEditing) == "1" && c.Get(kAddress) != "" {
					c.Set(kKecMoved, "1")
				}
			}
			c.Set(kKec, k.Code)
			c.Del(kPage)
			return evNext, nil
		},
	}
}

// kecamatan reads a kecamatan from a button's code or typed text.
func kecamatan(in flows.Input) (field.Kecamatan, error) {
	if in.Choice != "" {
		if k, ok := field.KecamatanByCode(in.Choice); ok {
			return k, nil
		}
		return field.Kecamatan{}, flows.Invalid("err_choose_button")
	}
	k, err := field.MatchKecamatan(in.Text)
	if err != nil {
		return field.Kecamatan{}, FieldError(err)
	}
	return k, nil
}

func (b *builder) desaStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			r := flows.Say("reg_desa", "Kecamatan", KecamatanName(c.Get(kKec)))
			var row []flows.Button
			for _, d := range field.Desas(c.Get(kKec)) {
				row = append(row, flows.Button{Label: flows.Raw(d.Name), Data: d.Code[6:]})
				if len(row) == 3 {
					r, row = r.WithRow(row...), nil
				}
			}
			if len(row) > 0 {
				r = r.WithRow(row...)
			}
			return r.WithRow(flows.Btn("btn_skip", "skip"))
		},
		Help:    flows.T("reg_help_desa"),
		Example: flows.T("reg_ex_desa"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			kec := c.Get(kKec)
			switch {
			case in.Choice == "skip" || (in.Choice == "" && field.IsSkip(in.Text)):
				c.Set(kDesa, "")
			case in.Choice != "":
				d, ok := field.DesaByCode(kec + in.Choice)
				if !ok {
					return flows.Stay, flows.Invalid("err_choose_button")
				}
				c.Set(kDesa, d.Code)
			default:
				d, err := field.MatchDesa(kec, in.Text)
				if err != nil {
					return flows.Stay, FieldError(err)
				}
				c.Set(kDesa, d.Code)
			}
			if c.Get(kKecMoved) == "1" {
				c.Del(kKecMoved)
				return evCheckAddr, nil
			}
			return b.next(c)
		},
	}
}

// addressCheckStep follows a change of kecamatan from the summary: it shows
// the address kept and asks whether it is still right. A new address typed
// here replaces it.
func (b *builder) addressCheckStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			return flows.Say("reg_address_check", "Address", c.Get(kAddress), "Kecamatan", KecamatanName(c.Get(kKec))).
				WithRow(flows.Btn("btn_address_keep", "keep"), flows.Btn("btn_address_change", "change"))
		},
		Help:    flows.T("reg_help_address_check"),
		Example: flows.T("reg_ex_address"),
		Text:    true,
		NoBack:  true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			switch {
			case in.Choice == "keep" || (in.Choice == "" && field.IsYes(in.Text)):
				return b.next(c)
			case in.Choice == "change" || (in.Choice == "" && (field.IsChange(in.Text) || field.IsNo(in.Text))):
				return evFixAddr, nil
			case in.Choice != "":
				return flows.Stay, flows.Invalid("err_choose_button")
			}
			addr, err := text(in.Text, minAddress, maxAddress, "reg_address_short", "reg_address_long")
			if err != nil {
				return flows.Stay, err
			}
			c.Set(kAddress, addr)
			return b.next(c)
		},
	}
}

func (b *builder) addressStep() *flows.Step {
	return b.typedStep("reg_address", "reg_help_address", "reg_ex_address",
		func(_ *flows.Ctx, s string) (string, error) {
			return text(s, minAddress, maxAddress, "reg_address_short", "reg_address_long")
		}, kAddress)
}

func (b *builder) yearStep() *flows.Step {
	return b.typedStep("reg_year", "reg_help_year", "reg_ex_year",
		func(c *flows.Ctx, s string) (string, error) {
			y, err := field.ParseYear(s, today(c))
			if err != nil {
				return "", FieldError(err)
			}
			return strconv.Itoa(y), nil
		}, kYear)
}

func (b *builder) workersStep() *flows.Step {
	return b.typedStep("reg_workers", "reg_help_workers", "reg_ex_workers",
		func(_ *flows.Ctx, s string) (string, error) {
			n, err := field.ParseCount(s)
			if err != nil {
				return "", FieldError(err)
			}
			return strconv.Itoa(n), nil
		}, kWorkers)
}
