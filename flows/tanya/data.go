package tanya

import (
	"context"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// DataLines lists the owner's tickets with their messages, for /datasaya
// (datarights.Options.Tickets). Staff messages are signed "Petugas Dinas",
// as the owner received them.
func DataLines(ctx context.Context, tickets store.TicketStore, userID int64) ([]flows.Text, error) {
	list, err := tickets.TicketsOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := make([]flows.Text, 0, len(list))
	for _, t := range list {
		msgs := make([]flows.Text, 0, len(t.Messages))
		for _, m := range t.Messages {
			id := "tanya_data_owner"
			if m.StaffID != 0 {
				id = "tanya_data_staff"
			}
			msgs = append(msgs, flows.T(id, "At", flows.DateTime(m.At), "Text", messageText(m)))
		}
		out = append(out, flows.T("tanya_data_ticket", "Number", t.Number, "Status", statusText(t.Status),
			"Messages", msgs))
	}
	return out, nil
}
