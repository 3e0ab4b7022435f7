package redis

import (
	"context"
	"fmt"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/diskum-tangerang/umkmbot/store"
)

// LimiterSlack widens the spacing of grants at Telegram's own limit:
// (1 s + LimiterSlack)/30 instead of 1 s/30 (store.GrantInterval); below
// it, perSecond leaves room enough. Messages reach Telegram a little after their
// grant, each with its own delay. Within one process the bot's send window
// (bot.Config.SendLimit) already keeps any second to 30 arrivals, however
// late each is; the slack is for replicas whose messages cross on their
// way. It costs 1 % of the rate (it was 35 ms, 3.4 %, before the window
// counted from each send's answer).
const LimiterSlack = 10 * time.Millisecond

// LimiterRamp is how long a busy period runs at half rate. A busy period
// starts when the limiter has been idle for a quarter of a second (a
// sender starting, a pause ending): its first messages tend to be slow to
// arrive (new connections) and, at full rate, one of them arriving late
// would crowd a one-second window with the punctual ones after it. The
// send window covers that within a process; the short ramp is for
// replicas starting together. (It was a whole second: 2.5 % of a
// 20-second campaign.)
const LimiterRamp = 200 * time.Millisecond

// LimiterLate is how late Wait may wake up for its slot and still use it.
const LimiterLate = 10 * time.Millisecond

// limiterIdle is how long without grants ends a busy period.
const limiterIdle = 250 * time.Millisecond

// Limiter is a store.RateLimiter shared by every process using the same
// Redis and prefix. Its keys, under the prefix:
//
//   - "{rl}:tat": the next free global slot, in microseconds of Redis's
//     clock (a GCRA's theoretical arrival time with no burst), and the
//     start of the current busy period (see LimiterRamp);
//   - "{rl}:chat:<id>": present while the chat may not get another message;
//   - "{rl}:pause": present while every sender is paused (a 429).
//
// The one hash tag "{rl}" keeps every key of the limiter in one hash slot,
// so its script, which touches the global keys and a chat's, runs on a
// Redis Cluster too (on the one node owning that slot: the budget is one
// global counter anyway).
//
// Each Wait attempt is one script run, on Redis's clock, so the processes'
// clocks do not matter. It either reserves the next slot, at most MaxAhead
// in the future (the caller sleeps until it and goes), or says how long the
// pause, the chat's gap or the queue of reservations lasts (the caller
// sleeps and asks again). A pause therefore stops every sender except the
// grants already made, at most MaxAhead's worth.
type Limiter struct {
	rdb      goredis.UniversalClient
	tatKey   string
	pauseKey string
	prefix   string
	interval time.Duration

	// ChatGap is the least time between two messages to one chat (1.1 s:
	// Telegram allows about one a second).
	ChatGap time.Duration
	// MaxAhead bounds how far ahead a slot is reserved (100 ms, or four
	// intervals when longer).
	MaxAhead time.Duration
}

var _ store.SendBudget = (*Limiter)(nil)

// NewLimiter returns a limiter of perSecond messages a second in total (no
// global limit when perSecond ≤ 0) and one per chat per ChatGap, keeping
// its keys under prefix.
func NewLimiter(rdb goredis.UniversalClient, prefix string, perSecond int) *Limiter {
	l := &Limiter{rdb: rdb, prefix: prefix, tatKey: prefix + "{rl}:tat", pauseKey: prefix + "{rl}:pause",
		ChatGap: 1100 * time.Millisecond, MaxAhead: 100 * time.Millisecond}
	if perSecond > 0 {
		l.interval = store.GrantInterval(perSecond, LimiterSlack)
		l.MaxAhead = max(l.MaxAhead, 4*l.interval)
	}
	return l
}

// limiterWait is one Wait attempt. KEYS: tat, pause, chat. ARGV:
// interval, chat gap, max ahead, idle and ramp, in microseconds, and "1"
// when the caller holds the chat's gap from a slot it gave up. It returns
// {wait µs, reserved}. The tat key holds "<next slot> <start of the busy
// period>".
var limiterWait = goredis.NewScript(`
local p = redis.call('PTTL', KEYS[2])
if p > 0 then return {p * 1000, 0} end
local c = redis.call('PTTL', KEYS[3])
if c > 0 and ARGV[6] ~= '1' then return {c * 1000, 0} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tat, since = now, now
local v = redis.call('GET', KEYS[1])
if v then
	local a, b = string.match(v, '(%d+) (%d+)')
	a, b = tonumber(a), tonumber(b)
	if a and b and a >= now - tonumber(ARGV[4]) then
		tat, since = math.max(a, now), b
	end
end
local wait = tat - now
if wait > tonumber(ARGV[3]) then return {wait - tonumber(ARGV[3]), 0} end
if tat - since < tonumber(ARGV[5]) then interval = interval * 2 end
redis.call('SET', KEYS[1], string.format('%.0f %.0f', tat + interval, since),
	'PX', math.floor((wait + interval) / 1000) + 1000)
redis.call('SET', KEYS[3], '1', 'PX', math.floor((wait + tonumber(ARGV[2])) / 1000) + 1)
return {wait, 1}
`)

// limiterPause sets the pause key for ARGV[1] ms unless it already lasts
// longer.
var limiterPause = goredis.NewScript(`
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
	redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 0
`)

// Wait implements store.RateLimiter. A slot reserved before ctx ends is
// left unused. So is a slot Wait wakes up for more than LimiterLate after
// it (the process was starved of CPU, or the reply was slow): sending then
// could crowd the messages of the slots after it, so Wait takes a new slot.
// The lateness is measured from before the script ran, which overstates it
// by the request's way to Redis: the error is on the safe side.
func (l *Limiter) Wait(ctx context.Context, chat int64) error {
	keys := l.keys(chat)
	renew := "0"
	for {
		start := time.Now()
		res, err := limiterWait.Run(ctx, l.rdb, keys, l.interval.Microseconds(), l.ChatGap.Microseconds(),
			l.MaxAhead.Microseconds(), limiterIdle.Microseconds(), LimiterRamp.Microseconds(), renew).Int64Slice()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("rate limiter wait: %w", err)
		}
		if len(res) != 2 {
			return fmt.Errorf("rate limiter wait: unexpected reply %v", res)
		}
		wait := time.Duration(res[0]) * time.Microsecond
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
		if res[1] == 1 {
			if time.Since(start)-wait <= LimiterLate {
				return nil
			}
			renew = "1"
		}
	}
}

// limiterSpent moves the next free slot ARGV[1] µs later (from now when it
// is past) and starts the gap of each chat among KEYS[2..] for ARGV[2] ms,
// unless it lasts longer already. KEYS[1] is the tat key.
var limiterSpent = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat, since = now, now
local v = redis.call('GET', KEYS[1])
if v then
	local a, b = string.match(v, '(%d+) (%d+)')
	a, b = tonumber(a), tonumber(b)
	if a and b and a > now then tat, since = a, b end
end
tat = tat + tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%.0f %.0f', tat, since), 'PX', math.floor((tat - now) / 1000) + 1000)
for i = 2, #KEYS do
	if redis.call('PTTL', KEYS[i]) < tonumber(ARGV[2]) then
		redis.call('SET', KEYS[i], '1', 'PX', ARGV[2])
	end
end
return 0
`)

// Spent implements store.SendBudget in one round trip.
func (l *Limiter) Spent(ctx context.Context, chats []int64) error {
	if len(chats) == 0 {
		return nil
	}
	keys := make([]string, 0, 1+len(chats))
	keys = append(keys, l.tatKey)
	for _, c := range chats {
		keys = append(keys, l.prefix+"{rl}:chat:"+strconv.FormatInt(c, 10))
	}
	err := limiterSpent.Run(ctx, l.rdb, keys, (time.Duration(len(chats)) * store.SpentInterval(LimiterSlack)).Microseconds(),
		l.ChatGap.Milliseconds()).Err()
	if err != nil {
		return fmt.Errorf("rate limiter spent: %w", err)
	}
	return nil
}

// keys are the keys of a Wait attempt for chat: tat, pause, chat.
func (l *Limiter) keys(chat int64) []string {
	return []string{l.tatKey, l.pauseKey, l.prefix + "{rl}:chat:" + strconv.FormatInt(chat, 10)}
}

// Pause implements store.RateLimiter; a shorter pause than the current one
// changes nothing.
func (l *Limiter) Pause(ctx context.Context, d time.Duration) error {
	ms := max(d.Milliseconds(), 1)
	if err := limiterPause.Run(ctx, l.rdb, []string{l.pauseKey}, ms).Err(); err != nil {
		return fmt.Errorf("rate limiter pause: %w", err)
	}
	return nil
}
