package tanya_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/store"
)

// toGroup returns the replies of rs addressed to the staff group.
func toGroup(rs []flows.Reply) []flows.Reply {
	var out []flows.Reply
	for _, r := range rs {
		if r.To == group {
			out = append(out, r)
		}
	}
	return out
}

// TestStaffGroupTopic is the group way: the owner's question and photo go
// into the ticket's topic (named after the ticket and the business); a
// staff member's text and photo there reach the owner signed "Petugas
// Dinas"; a non-staff member's message does not; /selesai in the topic
// closes the ticket and tells the owner how to ask again.
func TestStaffGroupTopic(t *testing.T) {
	h, room := newGroupHarness(t)
	ctx := context.Background()
	rs := h.Send(owner, "/tanya apakah ada bazar bulan depan?")
	ft.Has(t, rs, "tanya_sent")
	g := toGroup(rs)
	if len(g) != 1 || g[0].ID != "tanya_group_new" || g[0].Lang != "id" || g[0].Topic == nil ||
		g[0].Topic.Key != 1 || g[0].Topic.Thread != 0 || g[0].Topic.Name != "TNY-2026-000001 · Warung Bu Siti" {
		t.Fatalf("to the group: %+v", g)
	}
	h.CheckRendered(t, g)
	contains(t, h.Catalog.Plain("id", g[0].Text), "TNY-2026-000001", "apakah ada bazar bulan depan?")

	// The transport created the topic and recorded it.
	if _, err := h.Store.SetTicketTopic(ctx, 1, 77); err != nil {
		t.Fatal(err)
	}
	rs = photo(h, owner, "AgACowner", "ini brosurnya")
	ft.Has(t, rs, "tanya_joined")
	g = toGroup(rs)
	if len(g) != 1 || g[0].ID != "tanya_group_owner" || g[0].Topic == nil || g[0].Topic.Thread != 77 ||
		g[0].Media == nil || g[0].Media.FileID != "AgACowner" {
		t.Fatalf("the owner's photo to the group: %+v", g)
	}
	tk := openTicket(t, h, owner)
	if m := tk.Messages[1]; m.File.ID != "AgACowner" || m.File.Kind != store.FilePhoto || m.Text != "ini brosurnya" {
		t.Errorf("the photo's message %+v", m)
	}

	// A staff member answers in the topic: no echo in the group, the
	// owner's notice is queued, signed.
	if rs := inGroup(h, staff, 77, "Ada, Bu, tanggal 12 Desember.", ""); len(rs) != 0 {
		t.Errorf("staff answer in the topic replied %v", ft.IDs(rs))
	}
	it, r, text := notice(t, h, fmt.Sprintf("ticket:%d:3", tk.ID))
	if it.ChatID != owner {
		t.Errorf("the answer goes to %d", it.ChatID)
	}
	contains(t, text, "Ada, Bu, tanggal 12 Desember.", "— Petugas Dinas")
	if strings.Contains(text, fmt.Sprint(staff)) || r.Media != nil {
		t.Errorf("notice %q, media %+v", text, r.Media)
	}
	tk = openTicket(t, h, owner)
	if tk.Status != store.TicketAnswered || tk.FirstResponseAt.IsZero() || tk.Messages[2].StaffID != staff {
		t.Errorf("after the answer: %+v", tk)
	}
	inGroup(h, staff, 77, "", "AgACstaff")
	if _, r, _ := notice(t, h, fmt.Sprintf("ticket:%d:4", tk.ID)); r.Media == nil || r.Media.FileID != "AgACstaff" {
		t.Errorf("the staff's photo: media %+v", r.Media)
	}

	// Someone who is not staff: ignored, counted, nothing stored or sent.
	if rs := inGroup(h, 5555, 77, "saya juga mau tanya", ""); len(rs) != 0 {
		t.Errorf("a non-staff message replied %v", ft.IDs(rs))
	}
	if n := len(openTicket(t, h, owner).Messages); n != 4 || room.Ignored() != 1 {
		t.Errorf("after a non-staff message: %d messages, %d ignored", n, room.Ignored())
	}
	// Outside a ticket's topic, or in a topic of no ticket: nothing.
	for _, thread := range []int64{0, 99} {
		if rs := inGroup(h, staff, thread, "rapat jam 2", ""); len(rs) != 0 {
			t.Errorf("thread %d: replied %v", thread, ft.IDs(rs))
		}
	}
	ft.Want(t, inGroup(h, staff, 77, "/antrean", ""), "tanya_group_help")

	rs = inGroup(h, staff, 77, "/selesai", "")
	ft.Want(t, rs, "tanya_closed_staff", "tanya_closed_by_staff")
	h.CheckRendered(t, rs)
	if rs[0].To != 0 || rs[0].Topic == nil || rs[0].Topic.Thread != 77 || rs[1].To != owner || rs[1].Lang != "id" {
		t.Errorf("close replies %+v", rs)
	}
	contains(t, h.Catalog.Plain("id", rs[1].Text), "TNY-2026-000001", "sudah kami tutup", "/tanya")
	ft.Want(t, inGroup(h, staff, 77, "satu lagi, Bu", ""), "tanya_group_closed")
}

// TestOwnerClosesToldInTopic: "sudah, terima kasih" closes the question and
// the ticket's topic is told.
func TestOwnerClosesToldInTopic(t *testing.T) {
	h, _ := newGroupHarness(t)
	h.Send(owner, "/tanya apakah ada bazar bulan depan?")
	if _, err := h.Store.SetTicketTopic(context.Background(), 1, 77); err != nil {
		t.Fatal(err)
	}
	rs := h.Send(owner, "sudah, terima kasih")
	ft.Has(t, rs, "tanya_closed_owner")
	g := toGroup(rs)
	if len(g) != 1 || g[0].ID != "tanya_group_closed_owner" || g[0].Topic.Thread != 77 {
		t.Fatalf("to the group: %+v", g)
	}
}

// TestPrivateAnswerMirroredInTopic: with a group, /jawab and /selesai in a
// private chat show in the ticket's topic, and the owner hears of the close.
func TestPrivateAnswerMirroredInTopic(t *testing.T) {
	h, _ := newGroupHarness(t)
	h.Send(owner, "/tanya apakah ada bazar bulan depan?")
	if _, err := h.Store.SetTicketTopic(context.Background(), 1, 77); err != nil {
		t.Fatal(err)
	}
	rs := h.Send(staff, "/jawab 1 Ada, Bu.")
	if g := toGroup(rs); len(g) != 1 || g[0].ID != "tanya_group_answered" || g[0].Topic.Thread != 77 {
		t.Errorf("answer to the group: %+v", g)
	}
	rs = h.Send(staff, "/selesai 1")
	ft.Want(t, rs, "tanya_closed_staff", "tanya_closed_by_staff", "tanya_group_closed_private")
	h.CheckRendered(t, rs)
}
