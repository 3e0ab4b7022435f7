package redis_test

import (
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
	redisstore "github.com/diskum-tangerang/umkmbot/store/redis"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
	"github.com/diskum-tangerang/umkmbot/store/storetest"
)

// TestAttemptLimiter runs the contract on Redis's clock: the expiry test
// waits a two-second window out. Limiters of one subtest share a prefix,
// so a new one is a process restarted.
func TestAttemptLimiter(t *testing.T) {
	storetest.RunAttemptLimiter(t, func(t *testing.T) storetest.AttemptLimiters {
		rdb, prefix := redistest.New(t)
		return storetest.AttemptLimiters{
			New: func(max int, window time.Duration) store.AttemptLimiter {
				return redisstore.NewAttempts(rdb, prefix, max, window)
			},
			Durable: true,
			Now:     time.Now, Advance: time.Sleep,
			Window: 2 * time.Second, Slack: 5 * time.Millisecond,
		}
	})
}
