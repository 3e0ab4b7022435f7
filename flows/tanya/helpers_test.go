package tanya_test

import (
	"context"
	"strings"
	"testing"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/datarights"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/flows/menu"
	"github.com/diskum-tangerang/umkmbot/flows/tanya"
	"github.com/diskum-tangerang/umkmbot/store"
)

const (
	owner = 1001
	staff = 9001
)

// newHarness wires the tanya flows as cmd does: the menu entry, the
// engine's not-understood hook, and /datasaya and /hapusdata showing the
// tickets.
func newHarness(t *testing.T) *ft.Harness {
	t.Helper()
	h := ft.New(t, ft.Options{
		Menu:          menu.Options{Ask: tanya.Name},
		NotUnderstood: tanya.Name,
		Flows: func(h *ft.Harness) []*flows.Flow {
			dr := datarights.Options{Tickets: func(ctx context.Context, user int64) ([]flows.Text, error) {
				return tanya.DataLines(ctx, h.Store, user)
			}}
			return append(tanya.New(tanya.Options{Tickets: h.Store, Labels: h.Catalog}),
				datarights.NewData(h.Store, dr), datarights.NewDelete(h.Store, dr))
		},
	})
	h.Staff[staff] = true
	return h
}

// notice returns the outbox item with key, decoded, and its text rendered
// in the reply's language.
func notice(t *testing.T, h *ft.Harness, key string) (store.OutboxItem, flows.Reply, string) {
	t.Helper()
	it, err := h.Store.Outbox().OutboxItem(context.Background(), key)
	if err != nil {
		t.Fatalf("outbox item %s: %v", key, err)
	}
	r, err := flows.DecodeReply(it.Payload)
	if err != nil {
		t.Fatal(err)
	}
	h.CheckRendered(t, []flows.Reply{r})
	return it, r, h.Catalog.Plain(r.Lang, r.Text)
}

// contains fails the test unless text holds every one of want.
func contains(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q:\n%s", w, text)
		}
	}
}

// openTicket returns the owner's open ticket or fails.
func openTicket(t *testing.T, h *ft.Harness, user int64) store.Ticket {
	t.Helper()
	tk, err := h.Store.OpenTicket(context.Background(), user)
	if err != nil {
		t.Fatalf("open ticket of %d: %v", user, err)
	}
	return tk
}
