package memory

import (
	"context"
	"github.com/diskum-tangerang/umkmbot/store"
	"testing"
	"time"
)

// TestLimiterSpent: replies sent outside the limiter push the next free
// slot back by their share and start their chats' gaps.
func TestLimiterSpent(t *testing.T) {
	l := NewLimiter(10)
	before := time.Now()
	if err := l.Spent(context.Background(), []int64{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	if want := before.Add(3 * store.SpentInterval(LimiterSlack)); l.next.Before(want) {
		t.Errorf("next slot %v after three replies, want at least %v", l.next.Sub(before), want.Sub(before))
	}
	if !l.chats[2].After(before.Add(l.ChatGap - time.Millisecond)) {
		t.Errorf("chat 2 may get a message %v after the reply, want its gap %v", l.chats[2].Sub(before), l.ChatGap)
	}
	if _, reserved := l.reserve(2, l.chats[2].Add(-time.Millisecond)); reserved {
		t.Error("a slot for chat 2 within its gap")
	}
}
