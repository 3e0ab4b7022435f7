package datarights

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/looplab/fsm"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/flows/registration"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Data keys of the export flow.
const (
	kKec  = "kec" // a kecamatan code, or "*" for all
	kPage = "page"
)

// wib is the zone of the date in the export's file name.
var wib = time.FixedZone("WIB", 7*60*60)

// NewExport returns the staff's /ekspor flow: pick a kecamatan (or all) and
// a sector (or all), and get the matching registrations as a CSV file for
// Excel. The store audits every export. Non-staff get the unknown-command
// answer from the engine.
func NewExport(regs store.RegistrationStore, opt Options) *flows.Flow {
	return &flows.Flow{
		Name:      ExportName,
		Version:   1,
		Title:     flows.T("data_export_title"),
		Start:     "kec",
		Commands:  []string{"ekspor"},
		StaffOnly: true,
		Events:    fsm.Events{{Name: "next", Src: []string{"kec"}, Dst: "sector"}},
		Steps: map[string]*flows.Step{
			"kec": {
				Prompt: func(c *flows.Ctx) flows.Reply {
					page, _ := strconv.Atoi(c.Get(kPage))
					rows, page, pages := registration.KecamatanKeyboard(page)
					r := flows.Say("data_export_kec", "Page", page+1, "Pages", pages).
						WithRow(flows.Btn("btn_all_kecamatan", "all"))
					r.Buttons = append(r.Buttons, rows...)
					return r
				},
				Help:    flows.T("data_help_export_kec"),
				Example: flows.T("data_ex_export_kec"),
				Text:    true,
				Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
					if p, ok := registration.PageChoice(in.Choice); ok {
						c.Set(kPage, strconv.Itoa(p))
						c.Prompt()
						return flows.Stay, nil
					}
					if in.Choice == "all" || (in.Choice == "" && isAll(in.Text)) {
						c.Set(kKec, "*")
						return "next", nil
					}
					if in.Choice != "" {
						k, ok := field.KecamatanByCode(in.Choice)
						if !ok {
							return flows.Stay, flows.Invalid("err_choose_button")
						}
						c.Set(kKec, k.Code)
						return "next", nil
					}
					k, err := field.MatchKecamatan(in.Text)
					if err != nil {
						return flows.Stay, registration.FieldError(err)
					}
					c.Set(kKec, k.Code)
					return "next", nil
				},
			},
			"sector": {
				Prompt: func(c *flows.Ctx) flows.Reply {
					r := flows.Say("data_export_sector").WithRow(flows.Btn("btn_all_sectors", "all"))
					r.Buttons = append(r.Buttons, registration.SectorKeyboard()...)
					return r
				},
				Help:    flows.T("data_help_export_sector"),
				Example: flows.T("data_ex_export_sector"),
				Text:    true,
				Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
					sector := in.Choice
					switch {
					case sector == "all" || (sector == "" && isAll(in.Text)):
						sector = ""
					case sector == "":
						s, err := field.MatchSector(in.Text)
						if err != nil {
							return flows.Stay, registration.FieldError(err)
						}
						sector = s.Key
					}
					if err := export(c, regs, sector); err != nil {
						return "", err
					}
					c.Switch(opt.menu(), "")
					return flows.End, nil
				},
			},
		},
	}
}

// isAll reports whether typed text asks for everything ("semua", "all").
func isAll(s string) bool {
	t := field.Normalize(s)
	return t == "all" || t == "semua" || strings.HasPrefix(t, "semua ")
}

// export sends the registrations matching the chosen filter as a CSV
// document, with their count.
func export(c *flows.Ctx, regs store.RegistrationStore, sector string) error {
	f := store.RegistrationFilter{Kecamatan: strings.TrimPrefix(c.Get(kKec), "*"), Sector: sector}
	list, err := regs.ExportRegistrations(c, c.UserID(), f)
	if err != nil {
		return err
	}
	kec, sec := flows.T("btn_all_kecamatan"), flows.T("btn_all_sectors")
	if f.Kecamatan != "" {
		kec = flows.Raw(registration.KecamatanName(f.Kecamatan))
	}
	if f.Sector != "" {
		sec = registration.SectorText(f.Sector)
	}
	if len(list) == 0 {
		c.Say("data_export_empty", "Kecamatan", kec, "Sector", sec)
		return nil
	}
	var buf bytes.Buffer
	if err := registration.WriteCSV(&buf, list); err != nil {
		return err
	}
	name := "registrasi-umkm-" + c.Now.In(wib).Format("20060102") + ".csv"
	c.Reply(flows.Reply{
		Text:     flows.T("data_export_done", "Count", len(list), "One", len(list) == 1, "Kecamatan", kec, "Sector", sec),
		Document: &flows.Document{Name: name, Content: buf.Bytes()},
	})
	return nil
}
