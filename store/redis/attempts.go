package redis

import (
	"context"
	"fmt"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Defaults of NewAttempts: five failed loan lookups in 24 hours lock the
// lookup.
const (
	DefaultMaxAttempts   = 5
	DefaultAttemptWindow = 24 * time.Hour
)

// Attempts is a store.AttemptLimiter shared by every process using the
// same Redis and prefix, so that a lock holds across restarts and
// replicas. Each user has a sorted set "attempts:<user>" under the prefix
// of their failure times (microseconds of Redis's clock, as score and
// member), expiring a window after the last failure. A failure counts
// while it is younger than the window; max of them lock the user until
// the oldest counted one is a window old: "for the rest of the 24 hours".
// A failure while locked is not counted, so hammering does not stretch the
// lock. Every call is one script run on Redis's clock.
type Attempts struct {
	rdb    goredis.UniversalClient
	prefix string
	max    int
	window time.Duration
}

var _ store.AttemptLimiter = (*Attempts)(nil)

// NewAttempts returns a limiter of max failures per window, keeping its
// keys under prefix; max ≤ 0 means DefaultMaxAttempts and window ≤ 0
// DefaultAttemptWindow.
func NewAttempts(rdb goredis.UniversalClient, prefix string, max int, window time.Duration) *Attempts {
	if max <= 0 {
		max = DefaultMaxAttempts
	}
	if window <= 0 {
		window = DefaultAttemptWindow
	}
	return &Attempts{rdb: rdb, prefix: prefix, max: max, window: window}
}

// attemptsScript drops the failures of KEYS[1] older than the window,
// records one now when ARGV[3] is "1" and the user is not locked, and
// returns {count, locked until (µs, 0 when not locked), failure times
// (µs) oldest first}. ARGV: window (µs), max.
var attemptsScript = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local window = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - window))
local count = redis.call('ZCARD', KEYS[1])
if ARGV[3] == '1' and count < max then
	local member = string.format('%.0f', now)
	local n = 0
	while redis.call('ZSCORE', KEYS[1], member) do
		n = n + 1
		member = string.format('%.0f-%d', now, n)
	end
	redis.call('ZADD', KEYS[1], string.format('%.0f', now), member)
	redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
	count = count + 1
end
local out = {count, 0}
local scores = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
for i = 2, #scores, 2 do
	out[#out + 1] = tonumber(scores[i])
end
if count >= max then
	out[2] = out[3 + count - max] + window
end
return out
`)

// run runs the script for userID, recording a failure when fail is set.
func (a *Attempts) run(ctx context.Context, userID int64, fail bool) (
	count int, lockedUntil time.Time, times []time.Time, err error) {
	key := a.prefix + "attempts:" + strconv.FormatInt(userID, 10)
	flag := "0"
	if fail {
		flag = "1"
	}
	res, err := attemptsScript.Run(ctx, a.rdb, []string{key}, a.window.Microseconds(), a.max, flag).Int64Slice()
	if err != nil {
		return 0, time.Time{}, nil, fmt.Errorf("attempts of user %d: %w", userID, err)
	}
	if len(res) < 2 {
		return 0, time.Time{}, nil, fmt.Errorf("attempts of user %d: unexpected reply %v", userID, res)
	}
	if res[1] > 0 {
		lockedUntil = time.UnixMicro(res[1])
	}
	for _, us := range res[2:] {
		times = append(times, time.UnixMicro(us))
	}
	return int(res[0]), lockedUntil, times, nil
}

// Fail implements store.AttemptLimiter.
func (a *Attempts) Fail(ctx context.Context, userID int64) (int, time.Time, error) {
	count, until, _, err := a.run(ctx, userID, true)
	return count, until, err
}

// Locked implements store.AttemptLimiter.
func (a *Attempts) Locked(ctx context.Context, userID int64) (bool, time.Time, error) {
	_, until, _, err := a.run(ctx, userID, false)
	return !until.IsZero(), until, err
}

// Attempts implements store.AttemptLimiter: the counted failures, oldest
// first.
func (a *Attempts) Attempts(ctx context.Context, userID int64) ([]time.Time, error) {
	_, _, times, err := a.run(ctx, userID, false)
	return times, err
}
