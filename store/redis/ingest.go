package redis

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Ingest is the intake's durable record on Redis (store.Partitioned). Its
// keys, under the prefix, all carry the hash tag {ingest} so that every
// script runs in one slot of a Cluster:
//
//   - "{ingest}:p:<n>": partition n's stream, holding the updates of its
//     chats recorded and not acknowledged (an acknowledged update is
//     deleted), in order;
//   - "{ingest}:offset": the getUpdates offset, stored in the script that
//     records the updates it confirms;
//   - "{ingest}:poll": the polling lease (the replica that records);
//   - "{ingest}:lease:<n>": partition n's lease (the replica handling it);
//   - "{ingest}:alive": the live replicas, scored by when they lapse.
//
// The dead letters are in the list "deadletters" (newest first, at most
// store.MaxDeadLetters).
type Ingest struct {
	rdb     goredis.UniversalClient
	prefix  string
	replica string
	parts   int
	// nonce tells this process from another using the same replica name.
	nonce string
}

var _ store.Partitioned = (*Ingest)(nil)

// IngestPartitions is how many partitions the ingest has. Every replica
// must agree on it; 16 lets up to 16 replicas share the work.
const IngestPartitions = 16

// NewIngest returns the ingest under prefix. replica names this process
// among the replicas; Record refuses to record unless replica holds the
// polling lease (or takes it, when free).
func NewIngest(rdb goredis.UniversalClient, prefix, replica string) *Ingest {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &Ingest{rdb: rdb, prefix: prefix, replica: replica, parts: IngestPartitions, nonce: hex.EncodeToString(b[:])}
}

func (g *Ingest) key(s string) string    { return g.prefix + "{ingest}:" + s }
func (g *Ingest) streamKey(p int) string { return g.key("p:" + strconv.Itoa(p)) }
func (g *Ingest) leaseKey(p int) string  { return g.key("lease:" + strconv.Itoa(p)) }
func (g *Ingest) deadKey() string        { return g.prefix + "deadletters" }

// Partitions implements store.Partitioned.
func (g *Ingest) Partitions() int { return g.parts }

// PartitionOf implements store.Partitioned.
func (g *Ingest) PartitionOf(chat int64) int {
	x := uint64(chat)
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	return int(x % uint64(g.parts))
}

// recordScript refuses a replica that does not hold the polling lease
// (taking it when free), appends the updates not below the stored offset
// to their partitions' streams, and stores the new offset. It returns,
// per update, its stream id or "" when it was recorded before. KEYS:
// offset, poll lease, then the partitions' streams. ARGV: replica, lease
// ms, next offset, then (stream's KEYS index, update id, chat id, raw) for
// each update.
var recordScript = goredis.NewScript(`
if ARGV[1] ~= "" then
  local holder = redis.call("GET", KEYS[2])
  if holder and holder ~= ARGV[1] then return redis.error_reply("NOTPOLLING") end
  redis.call("SET", KEYS[2], ARGV[1], "PX", ARGV[2])
end
local off = tonumber(redis.call("GET", KEYS[1]) or "0")
local ids = {}
for i = 4, #ARGV, 4 do
  if tonumber(ARGV[i+1]) >= off then
    ids[#ids+1] = redis.call("XADD", KEYS[tonumber(ARGV[i])], "*", "u", ARGV[i+1], "c", ARGV[i+2], "r", ARGV[i+3])
  else
    ids[#ids+1] = ""
  end
end
if tonumber(ARGV[3]) > off then
  redis.call("SET", KEYS[1], ARGV[3])
end
return ids
`)

// Init moves what an older version left (one stream "ingest" with its
// offset "ingest:offset") into the partitions. It is safe to run again:
// an update moved twice is found handled by its session.
func (g *Ingest) Init(ctx context.Context) error {
	old, oldOff := g.prefix+"ingest", g.prefix+"ingest:offset"
	if v, err := g.rdb.Get(ctx, oldOff).Result(); err == nil {
		if err := g.rdb.SetNX(ctx, g.key("offset"), v, 0).Err(); err != nil {
			return fmt.Errorf("ingest: move offset: %w", err)
		}
	} else if !errors.Is(err, goredis.Nil) {
		return fmt.Errorf("ingest: %w", err)
	}
	msgs, err := g.rdb.XRange(ctx, old, "-", "+").Result()
	if err != nil && !strings.Contains(err.Error(), "WRONGTYPE") {
		return fmt.Errorf("ingest: read the old stream: %w", err)
	}
	for _, m := range msgs {
		chat, _ := strconv.ParseInt(str(m.Values["c"]), 10, 64)
		if err := g.rdb.XAdd(ctx, &goredis.XAddArgs{Stream: g.streamKey(g.PartitionOf(chat)), Values: m.Values}).Err(); err != nil {
			return fmt.Errorf("ingest: move the old stream: %w", err)
		}
	}
	for _, k := range []string{old, oldOff} { // one at a time: they are in different slots of a Cluster
		if err := g.rdb.Del(ctx, k).Err(); err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
	}
	return nil
}

// Offset implements store.IngestStore.
func (g *Ingest) Offset(ctx context.Context) (int64, error) {
	v, err := g.rdb.Get(ctx, g.key("offset")).Int64()
	if errors.Is(err, goredis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("ingest offset: %w", err)
	}
	return v, nil
}

// PollLease is how long the polling lease lasts unless renewed; Record
// renews it.
const PollLease = 5 * time.Second

// Record implements store.IngestStore in one round trip. It fails with
// store.ErrNotPolling when another replica holds the polling lease.
func (g *Ingest) Record(ctx context.Context, ups []store.Inbound, next int64) ([]store.Inbound, error) {
	keys := []string{g.key("offset"), g.key("poll")}
	index := map[int]int{}
	args := make([]any, 0, 3+4*len(ups))
	args = append(args, g.replica, PollLease.Milliseconds(), next)
	parts := make([]int, len(ups))
	for i, u := range ups {
		p := g.PartitionOf(u.ChatID)
		parts[i] = p
		k, ok := index[p]
		if !ok {
			keys = append(keys, g.streamKey(p))
			k = len(keys)
			index[p] = k
		}
		args = append(args, k, u.UpdateID, u.ChatID, u.Raw)
	}
	ids, err := recordScript.Run(ctx, g.rdb, keys, args...).StringSlice()
	if err != nil {
		if strings.Contains(err.Error(), "NOTPOLLING") {
			return nil, store.ErrNotPolling
		}
		return nil, fmt.Errorf("ingest record: %w", err)
	}
	out := make([]store.Inbound, 0, len(ups))
	for i, id := range ids {
		if id == "" || i >= len(ups) {
			continue
		}
		u := ups[i]
		u.Seq, u.Received = seqOf(parts[i], id), seqTime(id)
		out = append(out, u)
	}
	return out, nil
}

// seqOf is an update's Seq: its partition and stream id, "3/1764650000000-0".
func seqOf(p int, id string) string { return strconv.Itoa(p) + "/" + id }

// splitSeq undoes seqOf.
func splitSeq(seq string) (int, string, bool) {
	ps, id, ok := strings.Cut(seq, "/")
	p, err := strconv.Atoi(ps)
	return p, id, ok && err == nil
}

// Pending implements store.IngestStore: every partition's updates, in the
// order of their update ids (Telegram's order, so each chat's order).
func (g *Ingest) Pending(ctx context.Context) ([]store.Inbound, error) {
	after := make(map[int]string, g.parts)
	for p := range g.parts {
		after[p] = ""
	}
	out, err := g.Read(ctx, after, 0)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b store.Inbound) int { return cmp.Compare(a.UpdateID, b.UpdateID) })
	return out, nil
}

// Read implements store.Partitioned.
func (g *Ingest) Read(ctx context.Context, after map[int]string, block time.Duration) ([]store.Inbound, error) {
	if len(after) == 0 {
		return nil, nil
	}
	parts := slices.Sorted(maps.Keys(after))
	var out []store.Inbound
	// Everything after each position, without waiting, 500 at a time.
	pos := make(map[int]string, len(parts))
	for _, p := range parts {
		pos[p] = "0"
		if _, id, ok := splitSeq(after[p]); ok {
			pos[p] = id
		}
	}
	for len(parts) > 0 {
		res, err := g.rdb.XRead(ctx, &goredis.XReadArgs{Streams: g.streams(parts, pos), Count: 500, Block: -1}).Result()
		if err != nil && !errors.Is(err, goredis.Nil) {
			return nil, fmt.Errorf("ingest read: %w", err)
		}
		var more []int
		for _, st := range res {
			p := g.partOfKey(st.Stream)
			out = append(out, inbound(p, st.Messages)...)
			if len(st.Messages) == 500 {
				pos[p] = st.Messages[len(st.Messages)-1].ID
				more = append(more, p)
			}
		}
		parts = more
	}
	if len(out) > 0 || block <= 0 {
		return out, nil
	}
	res, err := g.rdb.XRead(ctx, &goredis.XReadArgs{Streams: g.streams(slices.Sorted(maps.Keys(pos)), pos),
		Count: 500, Block: block}).Result()
	if err != nil && !errors.Is(err, goredis.Nil) {
		return nil, fmt.Errorf("ingest read: %w", err)
	}
	for _, st := range res {
		out = append(out, inbound(g.partOfKey(st.Stream), st.Messages)...)
	}
	return out, nil
}

// streams is XREAD's STREAMS argument: the partitions' keys, then where
// each is read from.
func (g *Ingest) streams(parts []int, pos map[int]string) []string {
	out := make([]string, 0, 2*len(parts))
	for _, p := range parts {
		out = append(out, g.streamKey(p))
	}
	for _, p := range parts {
		out = append(out, pos[p])
	}
	return out
}

func (g *Ingest) partOfKey(key string) int {
	n, _ := strconv.Atoi(key[strings.LastIndexByte(key, ':')+1:])
	return n
}

// balanceScript renews a replica's heartbeat, its leases and the polling
// lease, and takes free partitions up to its share. KEYS: alive, poll,
// each partition's lease, then the replicas' nonces. ARGV: replica, lease
// ms, "1" to poll, this process's nonce, and how recently another process
// under the same name must have renewed for this one to be refused. It
// returns {live replicas, polling (0/1), owned partitions...}, or the
// error REPLICAINUSE.
var balanceScript = goredis.NewScript(`
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
local nonces = KEYS[#KEYS]
local seen = redis.call("HGET", nonces, ARGV[1])
if seen then
  local n, last = string.match(seen, "(%S+) (%d+)")
  if n and n ~= ARGV[4] and now - tonumber(last) < tonumber(ARGV[5]) then
    return redis.error_reply("REPLICAINUSE")
  end
end
redis.call("HSET", nonces, ARGV[1], ARGV[4] .. " " .. now)
redis.call("PEXPIRE", nonces, ttl * 4)
redis.call("ZADD", KEYS[1], now + ttl, ARGV[1])
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", now)
redis.call("PEXPIRE", KEYS[1], ttl * 4)
local live = redis.call("ZCARD", KEYS[1])
local parts = #KEYS - 3
local share = math.ceil(parts / live)
local owned = {}
for i = 1, parts do
  if redis.call("GET", KEYS[i+2]) == ARGV[1] then
    redis.call("PEXPIRE", KEYS[i+2], ttl)
    owned[#owned+1] = i - 1
  end
end
for i = 1, parts do
  if #owned >= share then break end
  if redis.call("SET", KEYS[i+2], ARGV[1], "NX", "PX", ttl) then
    owned[#owned+1] = i - 1
  end
end
local polling = 0
local holder = redis.call("GET", KEYS[2])
if holder == ARGV[1] then
  redis.call("PEXPIRE", KEYS[2], ttl)
  polling = 1
elseif not holder and ARGV[3] == "1" then
  redis.call("SET", KEYS[2], ARGV[1], "PX", ttl)
  polling = 1
end
local res = {live, polling}
for _, p in ipairs(owned) do res[#res+1] = p end
return res
`)

// inUseWindow: a process that finds its replica name renewed by another
// process within this long is refused (that one is alive: replicas renew
// every second); a name last renewed longer ago is taken over (its process
// died and this one is its restart).
const inUseWindow = 1500 * time.Millisecond

// Balance implements store.Partitioned.
func (g *Ingest) Balance(ctx context.Context, replica string, poll bool, ttl time.Duration) (store.Lease, error) {
	keys := make([]string, 0, 2+g.parts)
	keys = append(keys, g.key("alive"), g.key("poll"))
	for p := range g.parts {
		keys = append(keys, g.leaseKey(p))
	}
	keys = append(keys, g.key("nonce"))
	flag := "0"
	if poll {
		flag = "1"
	}
	res, err := balanceScript.Run(ctx, g.rdb, keys, replica, ttl.Milliseconds(), flag, g.nonce,
		inUseWindow.Milliseconds()).Int64Slice()
	if err != nil && strings.Contains(err.Error(), "REPLICAINUSE") {
		return store.Lease{}, store.ErrReplicaInUse
	}
	if err != nil || len(res) < 2 {
		return store.Lease{}, fmt.Errorf("ingest leases: %w", cmp.Or(err, errors.New("short answer")))
	}
	l := store.Lease{Live: int(res[0]), Polling: res[1] == 1}
	for _, p := range res[2:] {
		l.Owned = append(l.Owned, int(p))
	}
	return l, nil
}

// releaseScript deletes the leases a replica holds among KEYS (the first
// is the alive set and the last the nonces, where ARGV[2] == "1" removes
// the replica too, if this process, ARGV[3], is the one registered).
var releaseScript = goredis.NewScript(`
if ARGV[2] == "1" then
  local seen = redis.call("HGET", KEYS[#KEYS], ARGV[1])
  if seen and string.sub(seen, 1, #ARGV[3] + 1) == ARGV[3] .. " " then
    redis.call("ZREM", KEYS[1], ARGV[1])
    redis.call("HDEL", KEYS[#KEYS], ARGV[1])
  end
end
for i = 2, #KEYS - 1 do
  if redis.call("GET", KEYS[i]) == ARGV[1] then redis.call("DEL", KEYS[i]) end
end
return 0
`)

// Release implements store.Partitioned.
func (g *Ingest) Release(ctx context.Context, replica string, poll bool, parts ...int) error {
	return g.release(ctx, replica, false, poll, parts)
}

// Leave implements store.Partitioned.
func (g *Ingest) Leave(ctx context.Context, replica string) error {
	all := make([]int, g.parts)
	for p := range all {
		all[p] = p
	}
	return g.release(ctx, replica, true, true, all)
}

func (g *Ingest) release(ctx context.Context, replica string, leave, poll bool, parts []int) error {
	keys := []string{g.key("alive")}
	if poll {
		keys = append(keys, g.key("poll"))
	}
	for _, p := range parts {
		keys = append(keys, g.leaseKey(p))
	}
	keys = append(keys, g.key("nonce")) // last: not a lease
	flag := "0"
	if leave {
		flag = "1"
	}
	if err := releaseScript.Run(ctx, g.rdb, keys, replica, flag, g.nonce).Err(); err != nil {
		return fmt.Errorf("ingest release: %w", err)
	}
	return nil
}

// Ack implements store.IngestStore: XDEL of each partition's updates, in
// one round trip.
func (g *Ingest) Ack(ctx context.Context, seqs ...string) error {
	if len(seqs) == 0 {
		return nil
	}
	_, err := g.rdb.Pipelined(ctx, func(p goredis.Pipeliner) error {
		g.queueAck(ctx, p, seqs)
		return nil
	})
	if err != nil {
		return fmt.Errorf("ingest ack: %w", err)
	}
	return nil
}

func (g *Ingest) queueAck(ctx context.Context, p goredis.Pipeliner, seqs []string) {
	by := map[int][]string{}
	for _, s := range seqs {
		if part, id, ok := splitSeq(s); ok {
			by[part] = append(by[part], id)
		}
	}
	for part, ids := range by {
		p.XDel(ctx, g.streamKey(part), ids...)
	}
}

var _ store.SettleAcker = (*Ingest)(nil)

// SettleAck implements store.SettleAcker: the owed records of the session
// store under the same prefix are settled and the updates acknowledged in
// one pipeline.
func (g *Ingest) SettleAck(ctx context.Context, items []store.OwedItem, seqs []string) error {
	err := setOwedPipeline(ctx, g.rdb, func(p goredis.Pipeliner) error {
		if err := queueSetOwed(ctx, p, g.prefix, items); err != nil {
			return err
		}
		g.queueAck(ctx, p, seqs)
		return nil
	})
	if err != nil {
		return fmt.Errorf("settle: %w", err)
	}
	return nil
}

// AddDeadLetter implements store.IngestStore.
func (g *Ingest) AddDeadLetter(ctx context.Context, d store.DeadLetter) error {
	raw, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("dead letter: %w", err)
	}
	_, err = g.rdb.Pipelined(ctx, func(p goredis.Pipeliner) error {
		p.LPush(ctx, g.deadKey(), raw)
		p.LTrim(ctx, g.deadKey(), 0, store.MaxDeadLetters-1)
		return nil
	})
	if err != nil {
		return fmt.Errorf("dead letter: %w", err)
	}
	return nil
}

// DeadLetters implements store.IngestStore.
func (g *Ingest) DeadLetters(ctx context.Context, n int) ([]store.DeadLetter, error) {
	raws, err := g.rdb.LRange(ctx, g.deadKey(), 0, int64(max(n, 1))-1).Result()
	if err != nil {
		return nil, fmt.Errorf("dead letters: %w", err)
	}
	out := make([]store.DeadLetter, 0, len(raws))
	for _, r := range raws {
		var d store.DeadLetter
		if err := json.Unmarshal([]byte(r), &d); err == nil {
			out = append(out, d)
		}
	}
	return out, nil
}

func inbound(p int, msgs []goredis.XMessage) []store.Inbound {
	out := make([]store.Inbound, 0, len(msgs))
	for _, m := range msgs {
		in := store.Inbound{Seq: seqOf(p, m.ID)}
		in.UpdateID, _ = strconv.ParseInt(str(m.Values["u"]), 10, 64)
		in.ChatID, _ = strconv.ParseInt(str(m.Values["c"]), 10, 64)
		in.Raw = []byte(str(m.Values["r"]))
		in.Received = seqTime(m.ID)
		out = append(out, in)
	}
	return out
}

// seqTime is when a stream entry was added: its id's milliseconds.
func seqTime(id string) time.Time {
	ms, _, _ := strings.Cut(id, "-")
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		return time.Time{}
	}
	return time.UnixMilli(n).UTC()
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// DeadLetterCount is how many dead letters are kept (at most
// store.MaxDeadLetters).
func (g *Ingest) DeadLetterCount(ctx context.Context) (int64, error) {
	n, err := g.rdb.LLen(ctx, g.deadKey()).Result()
	if err != nil {
		return 0, fmt.Errorf("dead letters: %w", err)
	}
	return n, nil
}
