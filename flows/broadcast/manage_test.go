package broadcast_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/broadcast"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/store"
)

// sent creates a campaign to all three owners through the flow and marks
// one row sent.
func (f *fixture) sent(t *testing.T) {
	t.Helper()
	f.toConfirm(t)
	ft.Want(t, f.h.TapLabel(staff, "Kirim"), "bc_created")
	ctx := context.Background()
	items, err := f.out.Claim(ctx, "w1", 1, time.Minute, f.h.Now())
	if err != nil || len(items) != 1 {
		t.Fatalf("claim: %v %v", items, err)
	}
	if err := f.out.MarkSent(ctx, items[0].ID, 77, f.h.Now()); err != nil {
		t.Fatal(err)
	}
}

func buttonData(r flows.Reply) []string {
	var out []string
	for _, row := range r.Buttons {
		for _, b := range row {
			out = append(out, b.Data)
		}
	}
	return out
}

func TestPauseResumeCancel(t *testing.T) {
	f := newFixture(t, broadcast.Options{})
	f.sent(t)
	h := f.h

	rs := h.Send(staff, "/siaranjeda 1")
	ft.Want(t, rs, "bc_paused", "bc_progress")
	if !rs[0].Toast || rs[1].Edit != 0 || rs[1].To != 0 {
		t.Fatalf("typed pause: %+v", rs)
	}
	contains(t, f.plain(rs), "Siaran #1 — dijeda\nTerkirim 1/3 · diblokir 0 · gagal 0 · sisa ± 1 menit")
	if got := buttonData(rs[1]); len(got) != 2 || got[0] != "/siaranlanjut 1" || got[1] != "/siaranbatal 1" {
		t.Fatalf("paused buttons %q", got)
	}
	ft.Want(t, h.Send(staff, "/siaranjeda #1"), "bc_already_paused")
	if c, _ := f.out.Campaign(context.Background(), 1); c.Status != store.CampaignPaused {
		t.Fatalf("status %s", c.Status)
	}

	// A tap on the progress message edits it in place; a double tap only
	// says it is done already.
	if err := f.out.SetProgressMessage(context.Background(), 1, staff, 555); err != nil {
		t.Fatal(err)
	}
	rs = h.TapData(staff, "/siaranlanjut 1")
	ft.Want(t, rs, "bc_resumed", "bc_progress")
	if rs[1].Edit != 555 || rs[1].To != staff {
		t.Fatalf("tap did not edit the progress message: %+v", rs[1])
	}
	contains(t, f.plain(rs), "Siaran #1 — sedang dikirim")
	if got := buttonData(rs[1]); got[0] != "/siaranjeda 1" {
		t.Fatalf("running buttons %q", got)
	}
	ft.Want(t, h.TapData(staff, "/siaranlanjut 1"), "bc_already_running")

	rs = h.TapData(staff, "/siaranbatal 1")
	ft.Want(t, rs, "bc_cancelled", "bc_report_cancelled")
	contains(t, f.plain(rs), "Siaran #1 dibatalkan\nTerkirim 1/3 · diblokir 0 · gagal 0 · tidak dikirim 2")
	if len(rs[1].Buttons) != 0 {
		t.Fatal("the report of a cancelled campaign has buttons")
	}
	ft.Want(t, h.TapData(staff, "/siaranbatal 1"), "bc_already_cancelled")
	rs = h.Send(staff, "/siaranlanjut 1")
	ft.Want(t, rs, "bc_already_ended")
	contains(t, f.plain(rs), "sudah dibatalkan")
	if st, _ := f.out.CampaignStats(context.Background(), 1); st.Pending != 0 || st.Cancelled != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestStatusCommandsWithBadIDs(t *testing.T) {
	f := newFixture(t, broadcast.Options{})
	tests := []struct{ cmd, want string }{
		{"/siaranjeda", "bc_bad_id"},
		{"/siaranjeda abc", "bc_bad_id"},
		{"/siaranlanjut 0", "bc_bad_id"},
		{"/siaranbatal -4", "bc_bad_id"},
		{"/siaranjeda 1.5", "bc_bad_id"},
		{"/siaranjeda 99999999999999999999", "bc_bad_id"},
		{"/siaranjeda 99", "bc_not_found"},
		{"/siaranbatal #42", "bc_not_found"},
		{"/siaranlanjut 1", "bc_not_found"},
	}
	for _, tc := range tests {
		rs := f.h.Send(staff, tc.cmd)
		ft.Want(t, rs, tc.want)
		if tc.want == "bc_bad_id" {
			contains(t, f.plain(rs), tc.cmd[:len("/siaran")])
		}
	}
}

func TestListCampaigns(t *testing.T) {
	f := newFixture(t, broadcast.Options{})
	ft.Want(t, f.h.Send(staff, "/siaranlist"), "bc_list_empty")
	f.sent(t)
	f.h.Advance(time.Hour)
	f.toConfirm(t)
	f.h.TapLabel(staff, "Kirim")
	f.h.Send(staff, "/siaranbatal 2")
	rs := f.h.Send(staff, "/siaranlist")
	ft.Want(t, rs, "bc_list")
	got := f.plain(rs)
	contains(t, got, "#2 · Jumat, 27 November 2026 pukul 10.00 WIB · dibatalkan\nPenerima: semua pemilik usaha\nTerkirim 0/3")
	contains(t, got, "#1 · Jumat, 27 November 2026 pukul 09.00 WIB · berjalan\nPenerima: semua pemilik usaha\nTerkirim 1/3 · diblokir 0 · gagal 0")
	if strings.Index(got, "#2") > strings.Index(got, "#1") {
		t.Fatalf("not newest first: %q", got)
	}
}

func TestBerhentiAndLangganan(t *testing.T) {
	f := newFixture(t, broadcast.Options{})
	ctx := context.Background()
	size := func() int {
		n, err := f.out.AudienceSize(ctx, store.Audience{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for range 2 {
		rs := f.h.Send(owner1, "/berhenti")
		ft.Want(t, rs, "bc_unsubscribed")
		contains(t, f.plain(rs), "/langganan")
		if on, _ := f.out.Subscribed(ctx, owner1); on || size() != 2 {
			t.Fatalf("after /berhenti: subscribed %v, audience %d", on, size())
		}
	}
	for range 2 {
		ft.Want(t, f.h.Send(owner1, "/langganan"), "bc_subscribed")
		if on, _ := f.out.Subscribed(ctx, owner1); !on || size() != 3 {
			t.Fatalf("after /langganan: subscribed %v, audience %d", on, size())
		}
	}
	// The button under every announcement works in the middle of another
	// conversation.
	f.h.Send(owner2, "/bahasa")
	ft.Want(t, f.h.TapData(owner2, "/berhenti"), "bc_unsubscribed")
	if size() != 2 {
		t.Fatalf("audience %d after the button", size())
	}
}

func TestListShowsCampaignWaitingForQuietHours(t *testing.T) {
	f := newFixture(t, broadcast.Options{})
	f.h.Advance(13 * time.Hour) // Friday 22.00 WIB
	f.toConfirm(t)
	ft.Want(t, f.h.TapLabel(staff, "Kirim"), "bc_created")
	rs := f.h.Send(staff, "/siaranlist")
	contains(t, f.plain(rs), "#1 · Jumat, 27 November 2026 pukul 22.00 WIB · menunggu jam tenang, mulai Sabtu, 28 November 2026 pukul 06.00 WIB")
	en := f.h.Catalog.Plain("en", rs[0].Text)
	contains(t, en, "waiting for the quiet hours to end, starts Saturday, 28 November 2026")
	// Once the quiet hours are over it is running.
	f.h.Advance(9 * time.Hour)
	contains(t, f.plain(f.h.Send(staff, "/siaranlist")), "#1 · Jumat, 27 November 2026 pukul 22.00 WIB · berjalan")
}
