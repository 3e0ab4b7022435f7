package redis_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
	redisstore "github.com/diskum-tangerang/umkmbot/store/redis"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
)

// grants runs workers goroutines per limiter, each calling Wait in a loop
// on the chat chatOf gives, until ctx ends; it returns the instants Wait
// returned at, sorted.
func grants(ctx context.Context, t *testing.T, limiters []*redisstore.Limiter, workers int, chatOf func() int64) []time.Time {
	t.Helper()
	var mu sync.Mutex
	var at []time.Time
	var wg sync.WaitGroup
	for _, l := range limiters {
		for range workers {
			wg.Go(func() {
				for {
					err := l.Wait(ctx, chatOf())
					if err != nil {
						if ctx.Err() == nil {
							t.Errorf("Wait: %v", err)
						}
						return
					}
					mu.Lock()
					at = append(at, time.Now())
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	slices.SortFunc(at, time.Time.Compare)
	return at
}

// maxInWindow is the most instants of sorted ts within any window of
// length w.
func maxInWindow(ts []time.Time, w time.Duration) int {
	best, j := 0, 0
	for i := range ts {
		for ts[i].Sub(ts[j]) >= w {
			j++
		}
		best = max(best, i-j+1)
	}
	return best
}

// TestLimiterSharedBudget runs two limiters (two processes) on one prefix
// at 50/s for 3 s: together they stay within the budget.
func TestLimiterSharedBudget(t *testing.T) {
	rdb, prefix := redistest.New(t)
	const perSecond, run = 50, 3 * time.Second
	ls := []*redisstore.Limiter{redisstore.NewLimiter(rdb, prefix, perSecond), redisstore.NewLimiter(rdb, prefix, perSecond)}
	var chat atomic.Int64
	ctx, cancel := context.WithTimeout(t.Context(), run)
	defer cancel()
	at := grants(ctx, t, ls, 4, func() int64 { return chat.Add(1) })

	total, peak := len(at), maxInWindow(at, time.Second)
	t.Logf("%d grants in %s, at most %d in one second", total, run, peak)
	if limit := perSecond*int(run/time.Second) + 1; total > limit {
		t.Errorf("%d grants in %s, want at most %d", total, run, limit)
	}
	first := 0
	for _, g := range at {
		if g.Sub(at[0]) < redisstore.LimiterRamp {
			first++
		}
	}
	if first > perSecond/2+1 {
		t.Errorf("%d grants in the first second, want at most %d (half rate)", first, perSecond/2+1)
	}
	if peak > perSecond+1 {
		t.Errorf("%d grants in one second, want at most %d", peak, perSecond+1)
	}
	// How much of the budget is used is a rate on the wall clock, which a
	// busy machine lowers: umkmload broadcast measures it (BENCHMARKS.md),
	// this test only that the limits hold.
}

// TestLimiterPerChat hammers one chat from two limiters: it gets at most
// one message a second.
func TestLimiterPerChat(t *testing.T) {
	rdb, prefix := redistest.New(t)
	ls := []*redisstore.Limiter{redisstore.NewLimiter(rdb, prefix, 100), redisstore.NewLimiter(rdb, prefix, 100)}
	ctx, cancel := context.WithTimeout(t.Context(), 2500*time.Millisecond)
	defer cancel()
	at := grants(ctx, t, ls, 3, func() int64 { return 42 })
	t.Logf("%d grants to one chat in 2.5 s", len(at))
	if len(at) < 2 || len(at) > 3 {
		t.Errorf("%d grants to one chat in 2.5 s, want 2 or 3", len(at))
	}
	for i := 1; i < len(at); i++ {
		if gap := at[i].Sub(at[i-1]); gap < time.Second {
			t.Errorf("grants %d and %d to one chat %s apart, want at least 1 s", i-1, i, gap)
		}
	}
}

// TestLimiterPause pauses through one limiter: the other stops too, once
// its reservations (at most MaxAhead) are used, until the pause ends.
func TestLimiterPause(t *testing.T) {
	rdb, prefix := redistest.New(t)
	a, b := redisstore.NewLimiter(rdb, prefix, 100), redisstore.NewLimiter(rdb, prefix, 100)
	var chat atomic.Int64
	const pause = 600 * time.Millisecond
	pausedAt := make(chan time.Time, 1)
	ctx, cancel := context.WithTimeout(t.Context(), 1500*time.Millisecond)
	defer cancel()
	go func() {
		time.Sleep(300 * time.Millisecond)
		pausedAt <- time.Now()
		if err := a.Pause(ctx, pause); err != nil {
			t.Errorf("Pause: %v", err)
		}
		// A shorter pause does not shorten it.
		if err := b.Pause(ctx, 10*time.Millisecond); err != nil {
			t.Errorf("Pause: %v", err)
		}
	}()
	at := grants(ctx, t, []*redisstore.Limiter{b}, 4, func() int64 { return chat.Add(1) })

	paused := <-pausedAt
	var during, after int
	quietFrom, quietTo := paused.Add(b.MaxAhead+150*time.Millisecond), paused.Add(pause-20*time.Millisecond)
	for _, g := range at {
		switch {
		case g.After(quietFrom) && g.Before(quietTo):
			during++
		case g.After(paused.Add(pause)):
			after++
		}
	}
	t.Logf("%d grants, %d while paused, %d after", len(at), during, after)
	if during != 0 {
		t.Errorf("%d grants between %s and %s of the pause, want none", during,
			quietFrom.Sub(paused), quietTo.Sub(paused))
	}
	if after == 0 {
		t.Error("no grant after the pause ended")
	}
}

// TestLimiterCancel checks that a Wait held up by a pause returns when its
// context ends.
func TestLimiterCancel(t *testing.T) {
	rdb, prefix := redistest.New(t)
	l := redisstore.NewLimiter(rdb, prefix, 10)
	if err := l.Pause(t.Context(), time.Minute); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := l.Wait(ctx, 1)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("Wait during a pause = %v after %s; want the context's deadline at once", err, time.Since(start))
	}
}

// TestLimiterSpent: replies counted after the fact move the next free
// slot back by their share and start their chats' gaps, on Redis's clock.
func TestLimiterSpent(t *testing.T) {
	rdb, prefix := redistest.New(t)
	ctx := t.Context()
	l := redisstore.NewLimiter(rdb, prefix, 10)
	before, err := rdb.Time(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Spent(ctx, []int64{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	v, err := rdb.Get(ctx, prefix+"{rl}:tat").Result()
	if err != nil {
		t.Fatal(err)
	}
	var tat, since int64
	if _, err := fmt.Sscanf(v, "%d %d", &tat, &since); err != nil {
		t.Fatalf("tat %q: %v", v, err)
	}
	interval := store.SpentInterval(redisstore.LimiterSlack)
	if want := before.UnixMicro() + 3*interval.Microseconds(); tat < want {
		t.Errorf("next slot %d µs after the three replies, want at least %d", tat-before.UnixMicro(), want-before.UnixMicro())
	}
	for _, chat := range []string{"1", "2", "3"} {
		if ttl, _ := rdb.PTTL(ctx, prefix+"{rl}:chat:"+chat).Result(); ttl <= 0 {
			t.Errorf("chat %s has no gap after its reply", chat)
		}
	}
}
