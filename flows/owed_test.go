package flows_test

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/memory"
)

// owedHarness drives the engine as the Telegram adapter does: Process,
// then Delivered, with the transport's outcome chosen by the test.
type owedHarness struct {
	t     *testing.T
	h     *ft.Harness
	saves *atomic.Int64
	id    int64
}

func newOwedHarness(t *testing.T) *owedHarness {
	saves := &atomic.Int64{}
	return &owedHarness{t: t, h: ft.New(t, ft.Options{}, testFlow(1, saves)), saves: saves, id: 5000}
}

// do processes text (or a tap when data is set) received at at, and
// settles the replies: delivered at the harness clock, or lost.
func (o *owedHarness) do(text, data string, at time.Time, lost bool) []string {
	o.t.Helper()
	o.id++
	u := flows.NewText(owner, owner, text)
	if data != "" {
		u = flows.Update{UserID: owner, ChatID: owner, Kind: flows.KindButton, Button: data}
	}
	u.ID, u.Received = o.id, at
	out := o.h.Engine.Process(context.Background(), u)
	if out.Retry {
		o.t.Fatalf("%q: retry", text)
	}
	if err := o.h.Engine.Delivered(context.Background(), out, lost); err != nil {
		o.t.Fatal(err)
	}
	var got []string
	for _, r := range out.Replies {
		got = append(got, strings.TrimSpace(o.h.Plain([]flows.Reply{r})))
	}
	return got
}

func TestLostReplyThenTheSameAnswerAgain(t *testing.T) {
	o := newOwedHarness(t)
	now := o.h.Now()
	o.do("/uji", "", now, false)
	o.do("Budi", "", now, false)
	// The reply to "41" (the confirmation) is lost: the owner never sees it.
	if got := o.do("41", "", now, true); !slices.Equal(got, []string{"q:confirm Budi"}) {
		t.Fatalf("reply to 41: %q", got)
	}
	// Typed again: the same answer changes nothing, the lost question is
	// asked again.
	if got := o.do("41", "", now, false); !slices.Equal(got, []string{"q:confirm Budi"}) {
		t.Fatalf("41 again: %q, want the lost question again", got)
	}
	s := o.h.Session(owner)
	if s.State != "confirm" || s.Data["age"] != "41" || s.Data["name"] != "Budi" {
		t.Fatalf("session %+v", s)
	}
}

func TestLostReplyThenAnotherAnswer(t *testing.T) {
	o := newOwedHarness(t)
	now := o.h.Now()
	o.do("/uji", "", now, false)
	o.do("Budi", "", now, false)
	o.do("41", "", now, true)
	// The owner never saw the confirmation: "42" answers the age question,
	// which they did see.
	if got := o.do("42", "", now, false); !slices.Equal(got, []string{"q:confirm Budi"}) {
		t.Fatalf("42: %q", got)
	}
	if s := o.h.Session(owner); s.State != "confirm" || s.Data["age"] != "42" {
		t.Fatalf("session %+v, want age 42 at confirm", s)
	}
}

func TestLostConfirmationOfSaveShownAgain(t *testing.T) {
	o := newOwedHarness(t)
	now := o.h.Now()
	o.do("/uji", "", now, false)
	o.do("Budi", "", now, false)
	o.do("41", "", now, false)
	first := o.do("", "tf.confirm:save", now, true)
	if !slices.Contains(first, "saved") {
		t.Fatalf("save: %q", first)
	}
	again := o.do("", "tf.confirm:save", now, false)
	if !slices.Equal(again, first) {
		t.Fatalf("second tap on Simpan: %q, want the lost confirmation %q", again, first)
	}
	if n := o.saves.Load(); n != 1 {
		t.Fatalf("saved %d times", n)
	}
}

func TestRepeatWhileTheReplyWasOnItsWay(t *testing.T) {
	o := newOwedHarness(t)
	now := o.h.Now()
	o.do("/uji", "", now, false)
	o.do("Budi", "", now, false)
	typed := o.h.Now()
	o.h.Advance(30 * time.Second) // the reply to 41 waits out a flood limit
	o.do("41", "", typed, false)
	// "41" typed again before the confirmation arrived: nothing changes,
	// nothing is sent.
	if got := o.do("41", "", typed.Add(time.Second), false); len(got) != 0 {
		t.Fatalf("41 repeated while the reply was on its way: %q", got)
	}
	// Another text typed then answers the question of the moment.
	if got := o.do("x", "", typed.Add(2*time.Second), false); len(got) == 0 {
		t.Fatal("a new answer got nothing")
	}
	// And the same answer typed after the reply arrived is an answer too.
	o2 := newOwedHarness(t)
	o2.do("/uji", "", now, false)
	o2.do("Budi", "", now, false)
	o2.h.Advance(time.Second)
	if got := o2.do("Budi", "", o2.h.Now().Add(time.Second), false); !slices.Equal(got, []string{"bad:age"}) {
		t.Fatalf("Budi typed after the age question arrived: %q, want it read as the age", got)
	}
}

func TestPendingRepliesGoOutFirst(t *testing.T) {
	o := newOwedHarness(t)
	now := o.h.Now()
	o.do("/uji", "", now, false)
	// The process dies after committing "Budi" and before sending q:age.
	o.id++
	u := flows.NewText(owner, owner, "Budi")
	u.ID, u.Received = o.id, now
	if out := o.h.Engine.Process(context.Background(), u); out.Retry {
		t.Fatal("retry")
	}
	chats, err := o.h.Engine.OwedChats(context.Background())
	if err != nil || !slices.Contains(chats, owner) {
		t.Fatalf("OwedChats = %v, %v", chats, err)
	}
	out, err := o.h.Engine.Flush(context.Background(), owner)
	if err != nil || len(out.Replies) != 1 || !out.Owes() {
		t.Fatalf("Flush = %+v, %v", out, err)
	}
	// Redelivered after the restart: the replies owed, not a second step.
	o.id--
	if got := o.do("Budi", "", now, false); !slices.Equal(got, []string{"q:age"}) {
		t.Fatalf("redelivery: %q", got)
	}
	if out, _ := o.h.Engine.Flush(context.Background(), owner); len(out.Replies) != 0 {
		t.Fatalf("still owed after delivery: %+v", out)
	}
	if s := o.h.Session(owner); s.State != "age" || s.Data["name"] != "Budi" {
		t.Fatalf("session %+v", s)
	}
	var st store.OwedStatus
	if o, err := o.h.Store.LoadOwed(context.Background(), owner); err == nil {
		st = o.Status
	}
	if st != store.OwedDelivered {
		t.Fatalf("owed status %q", st)
	}
}

// TestSlowStepKeepsItsChat: a step slower than the lock's lease (a
// database that answers late) keeps its chat, because the engine renews
// the lease while it works, and commits. It runs in a synctest bubble: the
// step's wait, the renewal timers and the store's clock are virtual.
func TestSlowStepKeepsItsChat(t *testing.T) {
	synctest.Test(t, testSlowStepKeepsItsChat)
}

func testSlowStepKeepsItsChat(t *testing.T) {
	slow := &flows.Flow{
		Name: "slow", Version: 1, Title: flows.Raw("Lambat"), Start: "wait", Commands: []string{"lambat"},
		Steps: map[string]*flows.Step{"wait": {
			Prompt: func(c *flows.Ctx) flows.Reply { return flows.Reply{Text: flows.Raw("q:wait")} },
			Text:   true,
			Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
				time.Sleep(store.LockTTL + store.LockTTL/2)
				c.Set("done", in.Text)
				return flows.Stay, nil
			},
		}},
	}
	sessions := memory.New() // the bubble's clock: the lease runs out unless renewed
	h := ft.New(t, ft.Options{Sessions: sessions}, slow)
	h.Send(owner, "/lambat")
	out := h.Engine.Process(context.Background(), flows.Update{ID: 9_000_001, UserID: owner, ChatID: owner,
		Kind: flows.KindText, Text: "ya"})
	if out.Retry {
		t.Fatal("the slow step lost its chat")
	}
	s, err := sessions.Load(context.Background(), owner)
	if err != nil || s.Data["done"] != "ya" {
		t.Fatalf("session %+v, %v", s, err)
	}
}
