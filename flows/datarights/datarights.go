// Package datarights holds the flows through which owners use their rights
// under UU PDP 27/2022 over what umkmbot keeps about them: /datasaya shows
// everything held (Pasal 7), /hapusdata deletes it (Pasal 8), with
// correction in flows/registration (/ubahdata, Pasal 6). It also holds the
// staff's /ekspor of registrations as CSV, whose every use the store
// audits. It is a leaf of flows: it imports flows, flows/field,
// flows/registration and store; cmd wires it.
package datarights

import (
	"context"
	"strings"

	"github.com/looplab/fsm"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/registration"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Flow names.
const (
	DataName   = "data"
	DeleteName = "hapus"
	ExportName = "ekspor"
)

// Options configures the flows.
type Options struct {
	// Menu is the flow shown when a flow ends; default "menu".
	Menu string
	// Loans lists, one line each, the loans linked to the user (nil when
	// loans are not served).
	Loans func(ctx context.Context, userID int64) ([]flows.Text, error)
	// Tickets lists, one entry each, the user's questions to the Dinas
	// with their messages (nil when they are not served).
	Tickets func(ctx context.Context, userID int64) ([]flows.Text, error)
}

func (o Options) menu() string {
	if o.Menu == "" {
		return "menu"
	}
	return o.Menu
}

// MaskNIK hides all but the last four digits of a NIK: "************0003".
func MaskNIK(nik string) string {
	if len(nik) <= 4 {
		return strings.Repeat("*", len(nik))
	}
	return strings.Repeat("*", len(nik)-4) + nik[len(nik)-4:]
}

// NewData returns the /datasaya flow: it shows, in a few messages,
// everything held about the owner (registrations with the NIK masked,
// consent answers, the language) and how to correct or delete it. Each
// request is audited, as Pasal 14 asks.
func NewData(regs store.RegistrationStore, opt Options) *flows.Flow {
	return &flows.Flow{
		Name:     DataName,
		Version:  1,
		Title:    flows.T("data_title"),
		Start:    "show",
		Commands: []string{"datasaya"},
		Events:   fsm.Events{},
		Steps: map[string]*flows.Step{
			// show is never prompted: Enter answers and ends the flow.
			"show": {
				Prompt: func(c *flows.Ctx) flows.Reply { return flows.Say("data_title") },
				Handle: func(c *flows.Ctx, in flows.Input) (string, error) { return flows.End, nil },
			},
		},
		Enter: func(c *flows.Ctx) (string, error) {
			if err := showData(c, regs, opt); err != nil {
				return "", err
			}
			c.Switch(opt.menu(), "")
			return flows.End, nil
		},
	}
}

func showData(c *flows.Ctx, regs store.RegistrationStore, opt Options) error {
	list, err := regs.RegistrationsOf(c, c.UserID())
	if err != nil {
		return err
	}
	consents, err := regs.ConsentsOf(c, c.UserID())
	if err != nil {
		return err
	}
	if err := regs.Audit(c, store.AuditEntry{Actor: c.UserID(), Action: "access",
		Object: "user:" + itoa(c.UserID())}); err != nil {
		return err
	}
	c.Say("data_intro", "Count", len(list), "One", len(list) == 1)
	for _, r := range list {
		c.Say("data_registration", "Number", r.Number, "Date", flows.Date(r.CreatedAt),
			"Details", registration.Details(r, MaskNIK(r.NIK)))
	}
	if opt.Loans != nil {
		loans, err := opt.Loans(c, c.UserID())
		if err != nil {
			return err
		}
		if len(loans) > 0 {
			c.Say("data_loans", "Loans", loans)
		}
	}
	if opt.Tickets != nil {
		tickets, err := opt.Tickets(c, c.UserID())
		if err != nil {
			return err
		}
		if len(tickets) > 0 {
			c.Say("data_tickets", "Tickets", tickets)
		}
	}
	lines := make([]flows.Text, 0, len(consents))
	for _, cn := range consents {
		lines = append(lines, flows.T("data_consent", "At", flows.DateTime(cn.At), "Version", cn.NoticeVersion,
			"Granted", cn.Granted, "Purpose", purposeText(cn.Purpose)))
	}
	c.Say("data_rest", "Consents", lines, "HasConsents", len(lines) > 0, "Lang", flows.T("lang_"+c.Lang()))
	return nil
}

// purposeText names a consent purpose.
func purposeText(p string) flows.Text {
	if p == registration.Purpose {
		return flows.T("data_purpose_registration")
	}
	return flows.Raw(p)
}
