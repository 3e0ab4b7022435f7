package bot

import (
	"context"
	"github.com/diskum-tangerang/umkmbot/bot/telegramtest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
	redisstore "github.com/diskum-tangerang/umkmbot/store/redis"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
)

func TestFloodToldOnceExcessDropped(t *testing.T) {
	h := start(t, echo, Config{FloodBurst: 3, FloodRate: 0.01})
	for i := range 10 {
		h.fake.PushText(7, strings.Repeat("x", i+1), "id")
	}
	h.fake.PushText(8, "other", "id")
	h.waitSent(t, 5)
	// Once seven are counted dropped, only three of chat 7's updates are
	// left to answer: no later message can come.
	h.fake.Await(10*time.Second, func() bool { return h.bot.Stats().FloodDropped.Load() >= 7 })
	_ = h.stop(t)
	got := h.fake.Texts(7)
	want := []string{"x", "xx", "xxx", "id:err_flood"}
	if !slices.Equal(got, want) {
		t.Errorf("chat 7 got %q, want %q", got, want)
	}
	if o := h.fake.Texts(8); !slices.Equal(o, []string{"other"}) {
		t.Errorf("another chat got %q", o)
	}
	if n := h.bot.Stats().FloodDropped.Load(); n != 7 {
		t.Errorf("%d dropped, want 7", n)
	}
}

func TestSlowChatHoldsNoOtherChat(t *testing.T) {
	release, stuck := make(chan struct{}), make(chan struct{}, 1)
	var once sync.Once
	h := start(t, handlerFunc(func(_ context.Context, u flows.Update) []flows.Reply {
		if u.ChatID == 7 {
			stuck <- struct{}{}
			<-release // a chat waiting on a frozen database
		}
		return []flows.Reply{{Text: flows.Raw(u.Text)}}
	}), Config{Workers: 2})
	defer once.Do(func() { close(release) })
	h.fake.PushText(7, "slow", "id")
	h.fake.PushText(7, "slow too", "id")
	<-stuck
	for _, text := range []string{"a", "b", "c", "d", "e"} {
		h.fake.PushText(8, text, "id")
		h.fake.PushText(9, text, "id")
	}
	h.waitSent(t, 10)
	if got := h.fake.Texts(8); !slices.Equal(got, []string{"a", "b", "c", "d", "e"}) {
		t.Errorf("chat 8 got %q while chat 7 was stuck", got)
	}
	once.Do(func() { close(release) })
	<-stuck // the second update of chat 7
	h.waitSent(t, 12)
	if got := h.fake.Texts(7); !slices.Equal(got, []string{"slow", "slow too"}) {
		t.Errorf("chat 7 got %q", got)
	}
}

func TestWaitsForTelegramAtStart(t *testing.T) {
	b, fake, logs := newBot(t, echo, Config{})
	fake.Fail("deleteWebhook", apiError(502, 3))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	if got := fake.WaitCalls("getUpdates", 1, 15*time.Second); len(got) == 0 {
		t.Fatalf("never polled after Telegram came back; log:\n%s", logs.String())
	}
	fake.PushText(7, "hi", "id")
	fake.WaitCalls("sendMessage", 1, 5*time.Second)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	if n := len(fake.Calls("deleteWebhook")); n != 4 {
		t.Errorf("deleteWebhook called %d times, want 4", n)
	}
	if !strings.Contains(logs.String(), "waiting for Telegram") {
		t.Errorf("the wait is not logged:\n%s", logs.String())
	}
}

func TestUndecodableUpdateSkipped(t *testing.T) {
	b, fake, logs := newBot(t, echo, Config{})
	fake.PushRaw(`{"message":{"message_id":1,"date":1767225600,"chat":{"id":5,"type":"private"},
		"from":{"id":5,"is_bot":false,"first_name":"A"},"text":"rahasia 3603124507900003",
		"forward_origin":{"type":"a_new_kind","date":1}}}`)
	fake.PushRaw(`{"callback_query":{"id":"q","from":{"id":6,"is_bot":false,"first_name":"B"},"chat_instance":"c","data":1}}`)
	for i := range int64(10) {
		fake.PushText(100+i, "halo", "id")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	fake.WaitCalls("sendMessage", 11, 10*time.Second)
	cancel()
	<-done
	for i := range int64(10) {
		if got := fake.Texts(100 + i); !slices.Equal(got, []string{"halo"}) {
			t.Errorf("chat %d got %q", 100+i, got)
		}
	}
	if got := fake.Texts(5); !slices.Equal(got, []string{"?"}) {
		t.Errorf("the sender of the undecodable message got %q, want the handler's answer to an unreadable message", got)
	}
	if n := b.Stats().Undecodable.Load(); n != 2 {
		t.Errorf("%d undecodable, want 2", n)
	}
	dead, err := b.cfg.Ingest.DeadLetters(context.Background(), 10)
	if err != nil || len(dead) != 2 || dead[0].Type != "callback_query" || dead[1].Type != "message" {
		t.Errorf("dead letters %+v, %v", dead, err)
	}
	if strings.Contains(logs.String(), "3603124507900003") || strings.Contains(logs.String(), "rahasia") {
		t.Errorf("the log holds the text:\n%s", logs.String())
	}
}

// TestStaffGroupHasNoFloodBudget: several staff members write in the staff
// group at once; it is one chat, but nothing of theirs is dropped.
func TestStaffGroupHasNoFloodBudget(t *testing.T) {
	const group = -1001234
	h := start(t, echo, Config{FloodBurst: 3, FloodRate: 0.01, StaffGroup: group})
	for i := range 10 {
		h.fake.PushGroup(telegramtest.GroupMessage{ChatID: group, Thread: 5, UserID: int64(100 + i%3), Text: strings.Repeat("x", i+1)})
	}
	if !h.fake.Await(10*time.Second, func() bool { return len(h.fake.Texts(group)) == 10 }) {
		t.Fatalf("the group got %q, want all ten answered", h.fake.Texts(group))
	}
	if n := h.bot.Stats().FloodDropped.Load(); n != 0 {
		t.Errorf("%d of the staff group's messages dropped", n)
	}
}

// TestFloodedTapsAnswered: taps dropped in a flood are still answered, so
// that no button keeps spinning.
func TestFloodedTapsAnswered(t *testing.T) {
	h := start(t, echo, Config{FloodBurst: 3, FloodRate: 0.01})
	for range 10 {
		h.fake.PushCallback(7, "tap", 1)
	}
	if !h.fake.Await(10*time.Second, func() bool { return h.fake.Count("answerCallbackQuery") == 10 }) {
		t.Fatalf("%d of 10 taps answered", h.fake.Count("answerCallbackQuery"))
	}
	if n := h.bot.Stats().FloodDropped.Load(); n != 7 {
		t.Errorf("%d dropped, want 7", n)
	}
}

// recordedTwice is a Redis ingest whose first Record runs twice and
// answers with the second run, as a go-redis retry after a timeout does:
// the batch is in, and the answer says it was recorded before.
type recordedTwice struct {
	*redisstore.Ingest
	once sync.Once
}

func (g *recordedTwice) Record(ctx context.Context, ups []store.Inbound, next int64) ([]store.Inbound, error) {
	again := false
	g.once.Do(func() { again = true })
	rec, err := g.Ingest.Record(ctx, ups, next)
	if again && err == nil {
		return g.Ingest.Record(ctx, ups, next)
	}
	return rec, err
}

// TestBatchRecordedByAnUnansweredAttempt: a batch recorded by an attempt
// whose answer was lost (the retry finds it recorded before) is still
// handed out, not left until the next start.
func TestBatchRecordedByAnUnansweredAttempt(t *testing.T) {
	rdb, prefix := redistest.New(t)
	ingest := &recordedTwice{Ingest: redisstore.NewIngest(rdb, prefix, "r1")}
	if err := ingest.Init(t.Context()); err != nil {
		t.Fatal(err)
	}
	b, fake, logs := newBot(t, echo, Config{Ingest: ingest, Replica: "r1"})
	fake.PushText(7, "halo", "id")
	h := runBot(t, b, fake, logs)
	if !h.fake.Await(15*time.Second, func() bool { return len(h.fake.Texts(7)) == 1 }) {
		t.Fatalf("the update recorded by the unanswered attempt was never handled; chat 7 got %q", h.fake.Texts(7))
	}
}
