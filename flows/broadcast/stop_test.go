package broadcast_test

import (
	"context"
	"testing"

	"github.com/diskum-tangerang/umkmbot/flows/broadcast"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
)

func TestStopOutsideAFormAsksAboutAnnouncements(t *testing.T) {
	f := newFixture(t, broadcast.Options{})
	ctx := context.Background()
	subscribed := func(user int64) bool {
		on, err := f.out.Subscribed(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		return on
	}
	// "berhenti" in a new chat, then "Tidak": nothing changes.
	rs := f.h.Send(owner1, "berhenti")
	ft.Want(t, rs, "bc_stop_ask")
	f.h.CheckRendered(t, rs)
	ft.Want(t, f.h.TapLabel(owner1, "Tidak"), "bc_stop_kept", "menu_prompt")
	if !subscribed(owner1) {
		t.Fatal("unsubscribed after Tidak")
	}
	// "stop" under the menu, then "Ya, berhenti".
	f.h.Send(owner1, "/menu")
	ft.Want(t, f.h.Send(owner1, "Stop"), "bc_stop_ask")
	ft.Want(t, f.h.TapLabel(owner1, "Ya, berhenti"), "bc_unsubscribed", "menu_prompt")
	if subscribed(owner1) {
		t.Fatal("still subscribed after Ya, berhenti")
	}
	// Typed answers, in English.
	rs = f.h.SendLang(owner2, "en", "stop")
	ft.Want(t, rs, "bc_stop_ask")
	if rs[0].Lang != "en" {
		t.Fatalf("question in %q", rs[0].Lang)
	}
	ft.Want(t, f.h.SendLang(owner2, "en", "yes"), "bc_unsubscribed", "menu_prompt")
	if subscribed(owner2) {
		t.Fatal("owner2 still subscribed")
	}
	// Inside a form, "berhenti" stops filling in, as before.
	f.h.Send(staff, "/siaran")
	ft.Want(t, f.h.Send(staff, "berhenti"), "cancel_done", "menu_prompt")
}

func TestLanggananUnregistered(t *testing.T) {
	f := newFixture(t, broadcast.Options{})
	const stranger = 5005
	rs := f.h.Send(stranger, "/langganan")
	ft.Want(t, rs, "bc_subscribe_unregistered")
	contains(t, f.plain(rs), "/daftar")
	ft.Want(t, f.h.Send(owner3, "/langganan"), "bc_subscribed")
}
