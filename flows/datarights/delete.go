package datarights

import (
	"slices"
	"strconv"

	"github.com/looplab/fsm"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Data keys of the deletion flow: what the preview counted.
const (
	kRegs     = "regs"
	kConsents = "consents"
	kSeats    = "seats"
	kWaiting  = "waiting"
	kLinks    = "links"
	kTickets  = "tickets"
	kSubs     = "subs"
)

// NewDelete returns the /hapusdata flow: it lists everything that will be
// deleted (registrations' identities, consents, training seats and
// waitlist places, loan links, the announcements, the language and
// half-filled forms) and what the law makes the Dinas keep, and deletes
// only after the owner taps or types "Hapus data saya". The deletion is
// the store's DeleteUserData, plus the half-filled forms kept in the
// session.
func NewDelete(regs store.RegistrationStore, opt Options) *flows.Flow {
	return &flows.Flow{
		Name:     DeleteName,
		Version:  1,
		Title:    flows.T("data_delete_title"),
		Start:    "confirm",
		Commands: []string{"hapusdata"},
		Events:   fsm.Events{},
		Enter: func(c *flows.Ctx) (string, error) {
			r, err := regs.DeletionPreview(c, c.UserID())
			if err != nil {
				return "", err
			}
			keepReport(c, r)
			return "", nil
		},
		Steps: map[string]*flows.Step{
			"confirm": {
				Prompt: func(c *flows.Ctx) flows.Reply {
					return flows.Say("data_delete_confirm", "Lines", deletionLines(keptReport(c))).
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
					c.Say("data_deleted", "Lines", deletionLines(report), "Kept", keptLines(report.Kept))
					c.Switch(opt.menu(), "")
					return flows.End, nil
				},
			},
		},
	}
}

// keepReport keeps the preview's counts for the prompt.
func keepReport(c *flows.Ctx, r store.DeletionReport) {
	for k, n := range map[string]int{kRegs: r.Registrations, kConsents: r.Consents, kSeats: r.Bookings,
		kWaiting: r.Waitlist, kLinks: r.LoanLinks, kTickets: r.Tickets} {
		c.Set(k, strconv.Itoa(n))
	}
	c.Set(kSubs, strconv.FormatBool(r.Subscription))
}

// keptReport is the preview kept by keepReport.
func keptReport(c *flows.Ctx) store.DeletionReport {
	return store.DeletionReport{Registrations: atoi(c.Get(kRegs)), Consents: atoi(c.Get(kConsents)),
		Bookings: atoi(c.Get(kSeats)), Waitlist: atoi(c.Get(kWaiting)), LoanLinks: atoi(c.Get(kLinks)),
		Tickets: atoi(c.Get(kTickets)), Subscription: c.Get(kSubs) == "true"}
}

// deletionLines lists, one line each, what a deletion removes: only what
// the owner has, with its count, and always the language and unfinished
// forms.
func deletionLines(r store.DeletionReport) []flows.Text {
	var lines []flows.Text
	add := func(id string, n int) {
		if n > 0 {
			lines = append(lines, flows.T(id, "Count", n))
		}
	}
	add("data_del_registrations", r.Registrations)
	add("data_del_consents", r.Consents)
	add("data_del_seats", r.Bookings)
	add("data_del_waitlist", r.Waitlist)
	add("data_del_loan_links", r.LoanLinks)
	add("data_del_tickets", r.Tickets)
	if r.Subscription {
		lines = append(lines, flows.T("data_del_subscription"))
	}
	return append(lines, flows.T("data_del_rest"))
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
