package memory_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store/memory"
	"github.com/diskum-tangerang/umkmbot/store/storetest"
)

func newOutboxStores(*testing.T) storetest.OutboxStores {
	s := memory.New()
	return storetest.OutboxStores{Outbox: s.Outbox(), Campaigns: s.Outbox(), Registrations: s, Trainings: s}
}

func TestOutboxStore(t *testing.T) { storetest.RunOutboxStore(t, newOutboxStores) }

func TestCampaignStore(t *testing.T) { storetest.RunCampaignStore(t, newOutboxStores) }

// TestLimiter checks the in-process limiter's spacing, per-chat gap and
// pause with lower bounds only, so that a slow machine cannot fail it.
func TestLimiter(t *testing.T) {
	tests := []struct {
		name      string
		perSecond int
		pause     time.Duration
		chats     []int64
		least     time.Duration
	}{
		// The first second runs at half rate: 2×(1 s+35 ms)/100 apart.
		{"global", 100, 0, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 9 * 20 * time.Millisecond},
		{"per chat", 0, 0, []int64{7, 7, 7}, 2 * 50 * time.Millisecond},
		{"pause", 0, 100 * time.Millisecond, []int64{1}, 95 * time.Millisecond},
		{"unlimited", 0, 0, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := memory.NewLimiter(tt.perSecond)
			l.ChatGap = 50 * time.Millisecond
			start := time.Now()
			if tt.pause > 0 {
				if err := l.Pause(t.Context(), tt.pause); err != nil {
					t.Fatal(err)
				}
			}
			for _, c := range tt.chats {
				if err := l.Wait(t.Context(), c); err != nil {
					t.Fatal(err)
				}
			}
			if took := time.Since(start); took < tt.least {
				t.Errorf("%d grants took %s, want at least %s", len(tt.chats), took, tt.least)
			}
		})
	}
}

func TestLimiterCancel(t *testing.T) {
	l := memory.NewLimiter(10)
	if err := l.Pause(t.Context(), time.Minute); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if err := l.Wait(ctx, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Wait during a pause = %v, want the context's deadline", err)
	}
}
