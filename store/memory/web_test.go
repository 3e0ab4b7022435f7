package memory_test

import (
	"sync"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store/memory"
	"github.com/diskum-tangerang/umkmbot/store/storetest"
)

func TestWebAuthStore(t *testing.T) {
	storetest.RunWebAuthStore(t, func(*testing.T) storetest.WebAuth {
		var mu sync.Mutex
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		pass := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); now = now.Add(d) }
		return storetest.WebAuth{Store: memory.NewWebAuth(clock), Pass: pass}
	})
}
