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

// group is the staff group of newGroupHarness.
const group = -1001234567890

// newGroupHarness is newHarness with the staff group configured: owners'
// messages go into their ticket's topic, and the Room answers the group.
func newGroupHarness(t *testing.T) (*ft.Harness, *tanya.Room) {
	t.Helper()
	var room *tanya.Room
	opt := func(h *ft.Harness) tanya.Options {
		return tanya.Options{Tickets: h.Store, Labels: h.Catalog, Group: group,
			Business: func(context.Context, int64) (string, error) { return "Warung Bu Siti", nil }}
	}
	h := ft.New(t, ft.Options{
		Menu:          menu.Options{Ask: tanya.Name},
		NotUnderstood: tanya.Name,
		Flows:         func(h *ft.Harness) []*flows.Flow { return tanya.New(opt(h)) },
		Room: func(h *ft.Harness) func(*flows.Ctx) error {
			room = tanya.NewRoom(opt(h))
			return room.Handle
		},
	})
	h.Staff[staff] = true
	return h, room
}

// inGroup sends text (or a photo, when fileID is set) from user into the
// staff group's topic thread.
func inGroup(h *ft.Harness, user, thread int64, text, fileID string) []flows.Reply {
	u := flows.NewText(user, group, text)
	if fileID != "" {
		u.Kind, u.Media = flows.KindMedia, &flows.Media{Kind: flows.MediaPhoto, FileID: fileID}
	}
	u.Group, u.Thread = true, thread
	return h.Do(u)
}

// photo sends a photo with caption from user in their private chat.
func photo(h *ft.Harness, user int64, fileID, caption string) []flows.Reply {
	u := flows.NewText(user, user, caption)
	u.Kind, u.Media = flows.KindMedia, &flows.Media{Kind: flows.MediaPhoto, FileID: fileID}
	return h.Do(u)
}
