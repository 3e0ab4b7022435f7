package bot

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// budgetSpy is a store.SendBudget that records what the bot told it.
type budgetSpy struct {
	mu     sync.Mutex
	spent  []int64
	pauses []time.Duration
}

func (s *budgetSpy) Wait(context.Context, int64) error { return nil }

func (s *budgetSpy) Pause(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pauses = append(s.pauses, d)
	return nil
}

func (s *budgetSpy) Spent(_ context.Context, chats []int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.spent = append(s.spent, chats...)
	return nil
}

func (s *budgetSpy) snapshot() ([]int64, []time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.spent), slices.Clone(s.pauses)
}

// TestRepliesCountInTheSendBudget: every reply delivered takes its share
// of the budget the proactive messages wait for, and a 429 answered to a
// reply pauses them too.
func TestRepliesCountInTheSendBudget(t *testing.T) {
	spy := &budgetSpy{}
	b, fake, logs := newBot(t, echo, Config{Budget: spy})
	b.retryWait = func(time.Duration) {}
	h := runBot(t, b, fake, logs)
	h.fake.Fail("sendMessage", apiError(429, 1))
	for _, chat := range []int64{7, 8, 9} {
		h.fake.PushText(chat, "x", "id")
	}
	h.fake.Await(10*time.Second, func() bool {
		spent, _ := spy.snapshot()
		return len(spent) == 3
	})
	_ = h.stop(t)
	spent, pauses := spy.snapshot()
	slices.Sort(spent)
	if !slices.Equal(spent, []int64{7, 8, 9}) {
		t.Errorf("replies counted for chats %v, want 7, 8 and 9 once each", spent)
	}
	if len(pauses) != 1 || pauses[0] != time.Second {
		t.Errorf("pauses %v, want one of retry_after (1 s)", pauses)
	}
}
