package outbox_test

import (
	"fmt"
	"maps"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"

	"github.com/diskum-tangerang/umkmbot/bot/outbox"
	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/memory"
)

// TestObserveOutcomes: Observe hears of each row's outcome: sent, blocked
// (403), retry then failed (transient, out of attempts), failed (an
// undecodable payload).
func TestObserveOutcomes(t *testing.T) {
	ob := memory.New().Outbox()
	for _, it := range []store.OutboxItem{
		{Key: "ok", ChatID: 1, Payload: payload(t, "halo")},
		{Key: "blocked", ChatID: 2, Payload: payload(t, "halo")},
		{Key: "flaky", ChatID: 3, Payload: payload(t, "halo")},
		{Key: "garbage", ChatID: 4, Payload: []byte("{not json")},
	} {
		it.Kind = "reminder"
		if _, err := ob.Enqueue(t.Context(), it); err != nil {
			t.Fatal(err)
		}
	}
	tr := &recorder{fn: func(chat int64, _ flows.Reply) (int, error) {
		switch chat {
		case 2:
			return 0, fmt.Errorf("sendMessage: %w, bot was blocked by the user", tg.ErrorForbidden)
		case 3:
			return 0, fmt.Errorf("sendMessage: error response from telegram for method sendMessage, 502 Bad Gateway")
		}
		return 10, nil
	}}
	var mu sync.Mutex
	seen := map[string]int{}
	run(t, &outbox.Sender{Store: ob, Limiter: memory.NewLimiter(100), Transport: tr, Worker: "w",
		MaxAttempts: 2, Backoff: 10 * time.Millisecond, Poll: 10 * time.Millisecond, Log: testLog(t),
		Observe: func(o string) { mu.Lock(); seen[o]++; mu.Unlock() }})
	waitFor(t, 10*time.Second, "every row to finish", func() bool {
		return item(t, ob, "ok").Status == store.OutboxSent && item(t, ob, "blocked").Status == store.OutboxBlocked &&
			item(t, ob, "flaky").Status == store.OutboxFailed && item(t, ob, "garbage").Status == store.OutboxFailed
	})
	mu.Lock()
	defer mu.Unlock()
	if want := map[string]int{"sent": 1, "blocked": 1, "retry": 1, "failed": 2}; !maps.Equal(seen, want) {
		t.Errorf("Observe heard %v, want %v", seen, want)
	}
}
