package storetest

import (
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// AttemptLimiters is what the attempt limiter suite runs against: limiters
// over one fresh, shared state and the clock they read.
type AttemptLimiters struct {
	// New returns a limiter of max failures per window (max ≤ 0 and
	// window ≤ 0 asking for the defaults: 5 in 24 hours).
	New func(max int, window time.Duration) store.AttemptLimiter
	// Durable says that limiters from New share their state, as processes
	// sharing a Redis do: a second one models a restart.
	Durable bool
	// Now reads the limiters' clock and Advance moves it on: a fake clock,
	// or time.Now and time.Sleep for a store on a real one.
	Now     func() time.Time
	Advance func(d time.Duration)
	// Window is the window the expiry test waits out: a day on a fake
	// clock, about two seconds on a real one.
	Window time.Duration
	// Slack is how far a real clock's readings may differ from Now's
	// (zero for a fake clock).
	Slack time.Duration
}

// RunAttemptLimiter runs the store.AttemptLimiter contract against the
// limiters newLimiters returns (fresh ones per subtest).
//
// Beyond the interface's comments it pins down: the max-th failure within
// the window locks until the oldest counted failure is a window old; a
// failure counts while younger than the window; failures while locked are
// not counted and do not stretch the lock; users do not share counts.
func RunAttemptLimiter(t *testing.T, newLimiters func(t *testing.T) AttemptLimiters) {
	tests := []struct {
		name string
		run  func(t *testing.T, h AttemptLimiters)
	}{
		{"FifthLocks", testFifthLocks},
		{"Defaults", testAttemptDefaults},
		{"Restart", testAttemptsRestart},
		{"WindowExpiry", testAttemptWindow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newLimiters(t))
		})
	}
}

// failN records n failures of user, advancing the clock by gap after
// each, and returns the clock's readings just before and just after the
// first.
func failN(t *testing.T, h AttemptLimiters, l store.AttemptLimiter, user int64, n int, gap time.Duration) (lo, hi time.Time) {
	t.Helper()
	for i := range n {
		before := h.Now()
		count, until, err := l.Fail(bg(t), user)
		if err != nil {
			t.Fatalf("Fail(%d) #%d: %v", user, i+1, err)
		}
		if i == 0 {
			lo, hi = before, h.Now()
		}
		if count != i+1 || !until.IsZero() && i+1 < 5 {
			t.Fatalf("Fail(%d) #%d = %d, until %s; want %d, not locked before the fifth", user, i+1, count, until, i+1)
		}
		if gap > 0 {
			h.Advance(gap)
		}
	}
	return lo, hi
}

// wantBetween fails unless got lies within [lo, hi] widened by the slack.
func wantBetween(t *testing.T, h AttemptLimiters, what string, got, lo, hi time.Time) {
	t.Helper()
	if got.Before(lo.Add(-h.Slack)) || got.After(hi.Add(h.Slack)) {
		t.Errorf("%s = %s, want between %s and %s", what, got.Format(time.StampMicro), lo.Format(time.StampMicro),
			hi.Format(time.StampMicro))
	}
}

func wantLocked(t *testing.T, l store.AttemptLimiter, user int64, want bool) time.Time {
	t.Helper()
	locked, until, err := l.Locked(bg(t), user)
	if err != nil {
		t.Fatalf("Locked(%d): %v", user, err)
	}
	if locked != want || locked == until.IsZero() {
		t.Fatalf("Locked(%d) = %t until %s, want %t", user, locked, until, want)
	}
	return until
}

func testFifthLocks(t *testing.T, h AttemptLimiters) {
	window := h.Window
	l := h.New(5, window)
	lo, hi := failN(t, h, l, 7001, 4, window/100)
	wantLocked(t, l, 7001, false)
	count, until, err := l.Fail(bg(t), 7001)
	if err != nil || count != 5 {
		t.Fatalf("fifth Fail = %d, %v; want 5", count, err)
	}
	wantBetween(t, h, "locked until", until, lo.Add(window), hi.Add(window))
	if got := wantLocked(t, l, 7001, true); !got.Equal(until) {
		t.Errorf("Locked until %s, Fail said %s", got, until)
	}
	// Failing on while locked neither counts nor stretches the lock.
	h.Advance(window / 10)
	for range 3 {
		count, again, err := l.Fail(bg(t), 7001)
		if err != nil || count != 5 || !again.Equal(until) {
			t.Errorf("Fail while locked = %d until %s, %v; want 5 until %s", count, again, err, until)
		}
	}
	times, err := l.Attempts(bg(t), 7001)
	if err != nil || len(times) != 5 {
		t.Fatalf("Attempts = %v, %v; want 5 failures", times, err)
	}
	for i := 1; i < len(times); i++ {
		if !times[i].After(times[i-1]) {
			t.Errorf("Attempts not oldest first: %v", times)
		}
	}
	wantBetween(t, h, "first attempt", times[0], lo, hi)
	// Another user is not touched.
	wantLocked(t, l, 7002, false)
	if times, err := l.Attempts(bg(t), 7002); err != nil || len(times) != 0 {
		t.Errorf("Attempts(7002) = %v, %v; want none", times, err)
	}
	failN(t, h, l, 7002, 1, 0)
}

func testAttemptDefaults(t *testing.T, h AttemptLimiters) {
	l := h.New(0, 0)
	lo, hi := failN(t, h, l, 7001, 4, 0)
	wantLocked(t, l, 7001, false)
	count, until, err := l.Fail(bg(t), 7001)
	if err != nil || count != 5 {
		t.Fatalf("fifth Fail = %d, %v; want 5", count, err)
	}
	wantBetween(t, h, "locked until", until, lo.Add(24*time.Hour), hi.Add(24*time.Hour))
}

func testAttemptsRestart(t *testing.T, h AttemptLimiters) {
	if !h.Durable {
		t.Skip("the limiter's state lives in the process")
	}
	lo, hi := failN(t, h, h.New(5, 24*time.Hour), 7001, 4, 0)
	if _, _, err := h.New(5, 24*time.Hour).Fail(bg(t), 7001); err != nil {
		t.Fatal(err)
	}
	restarted := h.New(5, 24*time.Hour)
	until := wantLocked(t, restarted, 7001, true)
	wantBetween(t, h, "locked until after a restart", until, lo.Add(24*time.Hour), hi.Add(24*time.Hour))
	if times, err := restarted.Attempts(bg(t), 7001); err != nil || len(times) != 5 {
		t.Errorf("Attempts after a restart = %v, %v; want 5", times, err)
	}
}

// testAttemptWindow fails at 0, s, 2s, 3s, 4s (s a tenth of the window):
// locked until the window ends after the first failure, which then stops
// counting; one more failure locks again, until the second is a window
// old.
func testAttemptWindow(t *testing.T, h AttemptLimiters) {
	w := h.Window
	s := w / 10
	l := h.New(5, w)
	lo, hi := failN(t, h, l, 7001, 4, s)
	_, until, err := l.Fail(bg(t), 7001) // at 4s
	if err != nil || until.IsZero() {
		t.Fatalf("fifth Fail: until %s, %v; want locked", until, err)
	}
	wantBetween(t, h, "locked until", until, lo.Add(w), hi.Add(w))
	h.Advance(w - 4*s - s/2) // half a step before the end
	wantLocked(t, l, 7001, true)
	h.Advance(s) // half a step after
	wantLocked(t, l, 7001, false)
	if times, err := l.Attempts(bg(t), 7001); err != nil || len(times) != 4 {
		t.Fatalf("Attempts after the window = %v, %v; want the last 4", times, err)
	}
	count, again, err := l.Fail(bg(t), 7001)
	if err != nil || count != 5 {
		t.Fatalf("Fail after the window = %d, %v; want 5", count, err)
	}
	// The second failure came s after the first, give or take the time
	// the calls took.
	wantBetween(t, h, "locked again until", again, lo.Add(w+s), hi.Add(w+2*s))
	if !again.After(until) {
		t.Errorf("second lock until %s, not after the first's %s", again, until)
	}
}
