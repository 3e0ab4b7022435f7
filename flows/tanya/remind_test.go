package tanya_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/flows/tanya"
	"github.com/diskum-tangerang/umkmbot/store"
)

// TestRemindersAfterFourWorkingHours: a question asked on Friday at 15.00
// WIB has waited one working hour by the evening and four on Monday at
// 11.00; each staff member is reminded once per wait.
func TestRemindersAfterFourWorkingHours(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	ob := h.Store.Outbox()
	staffIDs := []int64{staff, 9002}
	h.Advance(6 * time.Hour) // Friday 15.00 WIB
	h.Send(owner, "/tanya apakah ada bazar bulan depan?")
	remind := func(at time.Time) int {
		t.Helper()
		n, err := tanya.QueueReminders(ctx, h.Store, ob, staffIDs, 0, tanya.Hours{}, at)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	friday := h.Now()
	monday := friday.Add(3*24*time.Hour - 4*time.Hour) // Monday 11.00 WIB
	for _, tt := range []struct {
		at   time.Time
		want int
	}{
		{friday.Add(8 * time.Hour), 0}, // Friday 23.00: one working hour
		{monday.Add(-time.Minute), 0},  // Monday 10.59
		{monday, 2},                    // Monday 11.00: both staff
		{monday.Add(time.Hour), 0},     // already reminded
	} {
		if got := remind(tt.at); got != tt.want {
			t.Errorf("at %s: %d reminders, want %d", tt.at.Format(time.RFC3339), got, tt.want)
		}
	}
	it, err := ob.OutboxItem(ctx, "tanya:remind:1:"+strconv.FormatInt(friday.Unix(), 10)+":9002")
	if err != nil {
		t.Fatal(err)
	}
	r, err := flows.DecodeReply(it.Payload)
	if err != nil {
		t.Fatal(err)
	}
	contains(t, h.Catalog.Plain("id", r.Text), "TNY-2026-000001", "/jawab 1")

	// An answered question reminds nobody; the owner's next message starts
	// a new wait.
	h.Advance(monday.Add(time.Hour).Sub(h.Now()))
	h.Send(staff, "/jawab 1 Ada, Bu, tanggal 12 Desember.")
	if got := remind(monday.Add(48 * time.Hour)); got != 0 {
		t.Errorf("an answered question: %d reminders", got)
	}
	tk, _ := h.Store.OpenTicket(ctx, owner)
	if tk.Status != store.TicketAnswered {
		t.Fatalf("status %s", tk.Status)
	}
	h.Send(owner, "/tanya kalau tanggal 13 bagaimana?")
	if got := remind(h.Now().Add(24 * time.Hour)); got != 2 {
		t.Errorf("a new wait: %d reminders, want 2", got)
	}
	onlyStaff(t, ob, staffIDs...)
}

// onlyStaff fails the test when a reminder is queued for anyone but to. It
// claims what is due, so it comes last.
func onlyStaff(t *testing.T, ob store.OutboxStore, to ...int64) {
	t.Helper()
	due, err := ob.Claim(context.Background(), "test", 1000, time.Minute, ft.Start.Add(365*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range due {
		if it.Kind == tanya.RemindKind && !slices.Contains(to, it.ChatID) {
			t.Errorf("reminder %s queued for %d, want only %v", it.Key, it.ChatID, to)
		}
	}
}

// TestRemindersIntoTheGroupTopic: with a staff group, the reminder goes
// once into the ticket's topic there, and to nobody's private chat.
func TestRemindersIntoTheGroupTopic(t *testing.T) {
	h, _ := newGroupHarness(t)
	ctx := context.Background()
	ob := h.Store.Outbox()
	h.Send(owner, "/tanya apakah ada bazar bulan depan?")
	tk := openTicket(t, h, owner)
	if _, err := h.Store.SetTicketTopic(ctx, tk.ID, 77); err != nil {
		t.Fatal(err)
	}
	at := h.Now().Add(5 * time.Hour) // Friday 14.00 WIB: five working hours
	n, err := tanya.QueueReminders(ctx, h.Store, ob, []int64{staff, 9002}, group, tanya.Hours{}, at)
	if err != nil || n != 1 {
		t.Fatalf("QueueReminders = %d, %v; want 1", n, err)
	}
	it, err := ob.OutboxItem(ctx, "tanya:remind:1:"+strconv.FormatInt(tk.UpdatedAt.Unix(), 10)+":group")
	if err != nil {
		t.Fatal(err)
	}
	r, err := flows.DecodeReply(it.Payload)
	if err != nil {
		t.Fatal(err)
	}
	if it.ChatID != group || r.Topic == nil || r.Topic.Thread != 77 || r.Topic.Key != tk.ID {
		t.Errorf("reminder to %d in topic %+v; want the group, thread 77", it.ChatID, r.Topic)
	}
	h.CheckRendered(t, []flows.Reply{r})
	onlyStaff(t, ob, group)
}
