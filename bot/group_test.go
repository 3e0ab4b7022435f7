package bot

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/bot/telegramtest"
	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/menu"
	"github.com/diskum-tangerang/umkmbot/flows/tanya"
	"github.com/diskum-tangerang/umkmbot/locales"
	"github.com/diskum-tangerang/umkmbot/store/memory"
)

const (
	staffGroup = int64(-1001234567890)
	groupOwner = int64(4001)
	groupStaff = int64(9001)
	outsider   = int64(5555)
)

// ticketTopics backs Topics with the ticket store, as cmd/umkmbot does.
type ticketTopics struct{ s *memory.Store }

func (t ticketTopics) TopicOf(ctx context.Context, key int64) (int64, error) {
	tk, err := t.s.Ticket(ctx, key)
	return tk.TopicID, err
}

func (t ticketTopics) SetTopic(ctx context.Context, key, thread int64) (int64, error) {
	return t.s.SetTicketTopic(ctx, key, thread)
}

// groupHarness runs the real engine with the tanya flows and the staff
// group's Room on the fake, rendered by the real catalog.
type groupHarness struct {
	*harness
	mem   *memory.Store
	room  *tanya.Room
	inbox *telegramtest.Inbox
}

func startGroup(t *testing.T) *groupHarness {
	t.Helper()
	now := func() time.Time { return time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC) } // Friday 09.00 WIB
	mem := memory.New(memory.WithClock(now))
	cat, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	opt := tanya.Options{Tickets: mem, Labels: cat, Group: staffGroup,
		Business: func(context.Context, int64) (string, error) { return "Warung Bu Siti", nil }}
	room := tanya.NewRoom(opt)
	eng, err := flows.New(flows.Config{Sessions: mem, Users: mem, Labels: cat, Now: now, Menu: menu.Name,
		Languages: locales.Languages, NotUnderstood: tanya.Name, Room: room.Handle,
		Log:   slog.New(slog.DiscardHandler),
		Staff: func(_ context.Context, id int64) (bool, error) { return id == groupStaff, nil },
	}, append([]*flows.Flow{menu.New(menu.Options{Ask: tanya.Name})}, tanya.New(opt)...)...)
	if err != nil {
		t.Fatal(err)
	}
	b, fake, logs := newBot(t, eng, Config{StaffGroup: staffGroup, Topics: ticketTopics{mem}})
	b.r = cat
	gh := &groupHarness{harness: runBot(t, b, fake, logs), mem: mem, room: room, inbox: fake.Inbox()}
	t.Cleanup(gh.inbox.Close)
	return gh
}

// next waits for the next message to chat.
func (g *groupHarness) next(t *testing.T, chat int64) telegramtest.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m, err := g.inbox.Next(ctx, chat)
	if err != nil {
		t.Fatalf("no message to %d: %v", chat, err)
	}
	return m
}

// drain sends what the outbox holds (staff answers to owners), as the
// outbox sender would, and returns how many went.
func (g *groupHarness) drain(t *testing.T) int {
	t.Helper()
	ctx := context.Background()
	ob := g.mem.Outbox()
	items, err := ob.Claim(ctx, "test", 100, time.Minute, time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		r, err := flows.DecodeReply(it.Payload)
		if err != nil {
			t.Fatal(err)
		}
		if r.Lang == "" {
			r.Lang = "id"
		}
		id, err := g.bot.Send(ctx, it.ChatID, r)
		if err != nil {
			t.Fatalf("send outbox item %s: %v", it.Key, err)
		}
		if err := ob.MarkSent(ctx, it.ID, id, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	return len(items)
}

// TestStaffGroupThroughTelegram is the group way on the fake Bot API: the
// topic is created once per ticket and named after it; the owner's text
// and photo appear in it; a staff member's text and photo there reach the
// owner signed "Petugas Dinas"; a non-staff member's message does not;
// /selesai there closes the question and tells the owner.
func TestStaffGroupThroughTelegram(t *testing.T) {
	g := startGroup(t)
	fake := g.fake
	fake.PushText(groupOwner, "/tanya apakah ada bazar bulan depan?", "id")
	if m := g.next(t, groupOwner); !strings.Contains(m.Text, "TNY-2026-000001") {
		t.Fatalf("owner got %q", m.Text)
	}
	m := g.next(t, staffGroup)
	topics := fake.Topics(staffGroup)
	if len(topics) != 1 || topics[0].Name != "TNY-2026-000001 · Warung Bu Siti" {
		t.Fatalf("topics %+v", topics)
	}
	thread := topics[0].Thread
	if m.Thread != thread || !strings.Contains(m.Text, "apakah ada bazar bulan depan?") {
		t.Fatalf("in the group: %+v", m)
	}

	fake.PushPhoto(groupOwner, "AgACowner", "ini brosurnya")
	g.next(t, groupOwner) // joined
	m = g.next(t, staffGroup)
	if m.Method != "sendPhoto" || m.Photo != "AgACowner" || m.Thread != thread || !strings.Contains(m.Text, "ini brosurnya") {
		t.Fatalf("the owner's photo in the group: %+v", m)
	}

	// A staff member answers in the topic; "/antrean" after it shows when
	// the group's updates before it are handled (one chat, in order).
	sync := func() {
		t.Helper()
		fake.PushGroup(telegramtest.GroupMessage{ChatID: staffGroup, Thread: thread, UserID: groupStaff, Text: "/antrean"})
		if m := g.next(t, staffGroup); m.Thread != thread || !strings.Contains(m.Text, "/selesai") {
			t.Fatalf("help in the topic: %+v", m)
		}
	}
	fake.PushGroup(telegramtest.GroupMessage{ChatID: staffGroup, Thread: thread, UserID: groupStaff,
		Text: "Ada, Bu, tanggal 12 Desember."})
	fake.PushGroup(telegramtest.GroupMessage{ChatID: staffGroup, Thread: thread, UserID: groupStaff,
		PhotoID: "AgACstaff", Text: "denahnya"})
	sync()
	if n := g.drain(t); n != 2 {
		t.Fatalf("outbox sent %d, want the text and the photo", n)
	}
	m = g.next(t, groupOwner)
	if !strings.Contains(m.Text, "Ada, Bu, tanggal 12 Desember.") || !strings.Contains(m.Text, "— Petugas Dinas") ||
		strings.Contains(m.Text, "User9001") || strings.Contains(m.Text, "9001") {
		t.Errorf("the owner got %q", m.Text)
	}
	if m = g.next(t, groupOwner); m.Method != "sendPhoto" || m.Photo != "AgACstaff" || !strings.Contains(m.Text, "Petugas Dinas") {
		t.Errorf("the owner got %+v", m)
	}

	// Someone who is not staff writes in the topic: nothing reaches the owner.
	fake.PushGroup(telegramtest.GroupMessage{ChatID: staffGroup, Thread: thread, UserID: outsider, Text: "saya juga mau tanya"})
	sync()
	if n := g.drain(t); n != 0 || g.room.Ignored() != 1 {
		t.Errorf("after a non-staff message: %d sent, %d ignored", n, g.room.Ignored())
	}
	if strings.Contains(g.logs.String(), "saya juga mau tanya") {
		t.Error("the log holds the ignored message's text")
	}

	fake.PushGroup(telegramtest.GroupMessage{ChatID: staffGroup, Thread: thread, UserID: groupStaff, Text: "/selesai"})
	if m = g.next(t, staffGroup); m.Thread != thread || !strings.Contains(m.Text, "sudah ditutup") {
		t.Errorf("close in the topic: %+v", m)
	}
	if m = g.next(t, groupOwner); !strings.Contains(m.Text, "sudah kami tutup") || !strings.Contains(m.Text, "/tanya") {
		t.Errorf("the owner got %q", m.Text)
	}
	if n := len(fake.Topics(staffGroup)); n != 1 {
		t.Errorf("%d topics, want one per ticket", n)
	}
	if fake.Count("leaveChat") != 0 {
		t.Error("the bot left the staff group")
	}
}

// TestLeavesOtherGroups: added to another group, or written to there, the
// bot leaves it and answers nothing.
func TestLeavesOtherGroups(t *testing.T) {
	g := startGroup(t)
	other, added := int64(-1009999), int64(-1008888)
	g.fake.PushGroup(telegramtest.GroupMessage{ChatID: other, UserID: groupOwner, Text: "/start"})
	g.fake.PushAddedToGroup(added, groupOwner)
	g.fake.PushText(groupOwner, "/start", "id") // the private chat is still answered
	g.fake.WaitCount("leaveChat", 2, 10*time.Second)
	left := g.fake.Left()
	slices.Sort(left)
	if !slices.Equal(left, []int64{other, added}) {
		t.Fatalf("left %v, want %v and %v", left, other, added)
	}
	g.next(t, groupOwner)
	if n := len(g.fake.Sent(other)) + len(g.fake.Sent(added)); n != 0 {
		t.Errorf("%d messages sent to the other groups", n)
	}
}
