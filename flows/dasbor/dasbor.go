// Package dasbor is the staff's /dasbor command: it answers with a one-time
// link that signs the staff member in to the Dasbor Dinas (the dashboard of
// bot/dashboard) in a browser. Non-staff get the unknown-command answer, as
// for every staff-only flow.
//
// It is a leaf of flows: it imports flows and store, and sees the dashboard
// only through the Links interface that cmd fills, so that it knows no
// transport.
package dasbor

import (
	"context"
	"errors"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Name is the flow's name and its command.
const Name = "dasbor"

// Links makes login links. A staff member who asked for too many is refused
// with an error wrapping store.ErrFull.
type Links interface {
	LoginLink(ctx context.Context, staff int64) (url string, expires time.Time, err error)
}

// New returns the flow. With links nil (umkmbot chat without a database)
// it says that the dashboard is not available here.
func New(links Links) *flows.Flow {
	return &flows.Flow{
		Name: Name, Version: 1, Title: flows.T("dash_title"), Start: "done",
		Commands: []string{Name}, StaffOnly: true,
		Steps: map[string]*flows.Step{"done": {
			Prompt: func(*flows.Ctx) flows.Reply { return flows.Say("dash_title") },
			Handle: func(*flows.Ctx, flows.Input) (string, error) { return flows.End, nil },
		}},
		Enter: func(c *flows.Ctx) (string, error) {
			if links == nil {
				c.Say("dash_off")
				return flows.End, nil
			}
			url, _, err := links.LoginLink(c, c.UserID())
			if errors.Is(err, store.ErrFull) {
				c.Say("dash_too_many")
				return flows.End, nil
			}
			if err != nil {
				return "", err
			}
			c.Reply(flows.Say("dash_link", "URL", url).WithButtons(
				flows.Button{Label: flows.T("dash_btn_open"), URL: url}))
			return flows.End, nil
		},
	}
}
