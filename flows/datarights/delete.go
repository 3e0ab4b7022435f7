package datarights

import (
	"slices"
	"strconv"

	"github.com/looplab/fsm"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Data keys of the deletion flow.
const (
	kRegs     = "regs"
	kConsents = "consents"
)

// NewDelete returns the /hapusdata flow: it explains what is deleted and
// what the law makes the Dinas keep, and deletes only after the owner taps
// or types "Hapus data saya". The deletion anonymises the owner's
// registrations, deletes their consents and language (the store), and the
// half-filled forms kept in their session.
func NewDelete(regs store.RegistrationStore, opt Options) *flows.Flow {
	return &flows.Flow{
		Name:     DeleteName,
		Version:  1,
		Title:    flows.T("data_delete_title"),
		Start:    "confirm",
		Commands: []string{"hapusdata"},
		Events:   fsm.Events{},
		Enter: func(c *flows.Ctx) (string, error) {
			list, err := regs.RegistrationsOf(c, c.UserID())
			if err != nil {
				return "", err
			}
			consents, err := regs.ConsentsOf(c, c.UserID())
			if err != nil {
				return "", err
			}
			c.Set(kRegs, strconv.Itoa(len(list)))
			c.Set(kConsents, strconv.Itoa(len(consents)))
			return "", nil
		},
		Steps: map[string]*flows.Step{
			"confirm": {
				Prompt: func(c *flows.Ctx) flows.Reply {
					return flows.Say("data_delete_confirm", "Registrations", atoi(c.Get(kRegs)),
						"Consents", atoi(c.Get(kConsents))).
						WithRow(flows.Btn("btn_delete_mine", "yes")).
						WithRow(flows.Btn("btn_cancel", "no"))
				},
				Help:    flows.T("data_help_delete"),
				Example: flows.T("data_ex_delete"),
				Text:    true,
				Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
					switch in.Choice {
					case "yes":
					case "no":
						c.Say("data_delete_kept")
						c.Switch(opt.menu(), "")
						return flows.End, nil
					default:
						return flows.Stay, flows.Invalid("data_delete_exact")
					}
					report, err := regs.DeleteUserData(c, c.UserID())
					if err != nil {
						return "", err
					}
					c.ClearDrafts()
					c.Say("data_deleted", "Registrations", report.Registrations, "Consents", report.Consents,
						"Kept", keptLines(report.Kept))
					c.Switch(opt.menu(), "")
					return flows.End, nil
				},
			},
		},
	}
}

// keptLines lists, by kind, the records a deletion kept by law.
func keptLines(kept map[string]int) []flows.Text {
	kinds := make([]string, 0, len(kept))
	for k, n := range kept {
		if n > 0 {
			kinds = append(kinds, k)
		}
	}
	slices.Sort(kinds)
	lines := make([]flows.Text, 0, len(kinds))
	for _, k := range kinds {
		if k == "loan" || k == "loans" {
			lines = append(lines, flows.T("data_kept_loans", "Count", kept[k]))
			continue
		}
		lines = append(lines, flows.T("data_kept_other", "Kind", k, "Count", kept[k]))
	}
	return lines
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
