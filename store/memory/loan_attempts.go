package memory

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Defaults of NewAttempts: five failed loan lookups in 24 hours lock the
// lookup.
const (
	DefaultMaxAttempts   = 5
	DefaultAttemptWindow = 24 * time.Hour
)

// Attempts is a store.AttemptLimiter for one process (the terminal chat,
// fast tests), with the rules of the Redis one: a failure counts while it
// is younger than the window; max of them lock the user until the oldest
// counted one is a window old; a failure while locked is not counted.
type Attempts struct {
	max    int
	window time.Duration
	now    func() time.Time

	mu    sync.Mutex
	fails map[int64][]time.Time // oldest first
}

var _ store.AttemptLimiter = (*Attempts)(nil)

// NewAttempts returns a limiter of max failures per window on the clock
// now (time.Now when nil); max ≤ 0 means DefaultMaxAttempts and window ≤ 0
// DefaultAttemptWindow.
func NewAttempts(max int, window time.Duration, now func() time.Time) *Attempts {
	if max <= 0 {
		max = DefaultMaxAttempts
	}
	if window <= 0 {
		window = DefaultAttemptWindow
	}
	if now == nil {
		now = time.Now
	}
	return &Attempts{max: max, window: window, now: now, fails: map[int64][]time.Time{}}
}

// counted drops userID's failures that left the window and returns the
// rest, and until when they lock the user (zero when not). a.mu must be
// held.
func (a *Attempts) counted(userID int64, now time.Time) ([]time.Time, time.Time) {
	list := a.fails[userID]
	i := 0
	for i < len(list) && !list[i].Add(a.window).After(now) {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(a.fails, userID)
	} else {
		a.fails[userID] = list
	}
	if len(list) < a.max {
		return list, time.Time{}
	}
	return list, list[len(list)-a.max].Add(a.window)
}

// Fail implements store.AttemptLimiter.
func (a *Attempts) Fail(ctx context.Context, userID int64) (int, time.Time, error) {
	if err := ctx.Err(); err != nil {
		return 0, time.Time{}, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now().Round(0)
	list, until := a.counted(userID, now)
	if until.IsZero() {
		list = append(list, now)
		a.fails[userID] = list
		_, until = a.counted(userID, now)
	}
	return len(list), until, nil
}

// Locked implements store.AttemptLimiter.
func (a *Attempts) Locked(ctx context.Context, userID int64) (bool, time.Time, error) {
	if err := ctx.Err(); err != nil {
		return false, time.Time{}, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	_, until := a.counted(userID, a.now())
	return !until.IsZero(), until, nil
}

// Attempts implements store.AttemptLimiter: the counted failures, oldest
// first.
func (a *Attempts) Attempts(ctx context.Context, userID int64) ([]time.Time, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	list, _ := a.counted(userID, a.now())
	return slices.Clone(list), nil
}
