package memory_test

import (
	"sync"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/memory"
	"github.com/diskum-tangerang/umkmbot/store/storetest"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestAttemptLimiter(t *testing.T) {
	storetest.RunAttemptLimiter(t, func(*testing.T) storetest.AttemptLimiters {
		clock := &fakeClock{now: time.Date(2026, 3, 16, 9, 0, 0, 0, time.UTC)}
		return storetest.AttemptLimiters{
			New: func(max int, window time.Duration) store.AttemptLimiter {
				return memory.NewAttempts(max, window, clock.Now)
			},
			Now: clock.Now, Advance: clock.Advance, Window: 24 * time.Hour,
		}
	})
}
