package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Ingest is the intake's durable record on Redis (store.IngestStore): a
// stream "ingest" with the consumer group "bot" (an update is handed to
// the consumer in the script that records it, so the consumer's pending
// list is exactly the work not finished), the getUpdates
// offset in "ingest:offset" (recorded in the same script as the updates)
// and the dead letters in the list "deadletters" (newest first, at most
// store.MaxDeadLetters). An acknowledged update is deleted from the stream,
// so the stream holds only the work not done yet.
type Ingest struct {
	rdb      goredis.UniversalClient
	prefix   string
	consumer string
}

var _ store.IngestStore = (*Ingest)(nil)

const ingestGroup = "bot"

// NewIngest returns the ingest under prefix. consumer names this process
// in the consumer group; a restarted process uses the same name to find
// the work it left.
func NewIngest(rdb goredis.UniversalClient, prefix, consumer string) *Ingest {
	return &Ingest{rdb: rdb, prefix: prefix, consumer: consumer}
}

func (g *Ingest) streamKey() string { return g.prefix + "{ingest}" }
func (g *Ingest) offsetKey() string { return g.prefix + "{ingest}:offset" }
func (g *Ingest) deadKey() string   { return g.prefix + "{ingest}:deadletters" }

// recordScript appends the updates not below the stored offset, hands
// them to the consumer at once (they enter its pending list, where a
// restart finds them), and stores the new offset. It returns, per update, its stream id or "" when
// it was recorded before. KEYS: stream, offset. ARGV: group, consumer,
// next offset, then (update id, chat id, raw) for each update.
var recordScript = goredis.NewScript(`
local off = tonumber(redis.call("GET", KEYS[2]) or "0")
local ids, n = {}, 0
for i = 4, #ARGV, 3 do
  if tonumber(ARGV[i]) >= off then
    ids[#ids+1] = redis.call("XADD", KEYS[1], "*", "u", ARGV[i], "c", ARGV[i+1], "r", ARGV[i+2])
    n = n + 1
  else
    ids[#ids+1] = ""
  end
end
if n > 0 then
  redis.call("XREADGROUP", "GROUP", ARGV[1], ARGV[2], "COUNT", n, "STREAMS", KEYS[1], ">")
end
if tonumber(ARGV[3]) > off then
  redis.call("SET", KEYS[2], ARGV[3])
end
return ids
`)

// Init creates the stream and its consumer group when missing.
func (g *Ingest) Init(ctx context.Context) error {
	err := g.rdb.XGroupCreateMkStream(ctx, g.streamKey(), ingestGroup, "0").Err()
	if err != nil && !strings.Contains(err.Error(), "BUSYGROUP") {
		return fmt.Errorf("ingest: create group: %w", err)
	}
	return nil
}

// Offset implements store.IngestStore.
func (g *Ingest) Offset(ctx context.Context) (int64, error) {
	v, err := g.rdb.Get(ctx, g.offsetKey()).Int64()
	if errors.Is(err, goredis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("ingest offset: %w", err)
	}
	return v, nil
}

// Record implements store.IngestStore in one round trip.
func (g *Ingest) Record(ctx context.Context, ups []store.Inbound, next int64) ([]store.Inbound, error) {
	args := make([]any, 0, 3+3*len(ups))
	args = append(args, ingestGroup, g.consumer, next)
	for _, u := range ups {
		args = append(args, u.UpdateID, u.ChatID, u.Raw)
	}
	ids, err := recordScript.Run(ctx, g.rdb, []string{g.streamKey(), g.offsetKey()}, args...).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("ingest record: %w", err)
	}
	out := make([]store.Inbound, 0, len(ups))
	for i, id := range ids {
		if id == "" || i >= len(ups) {
			continue
		}
		u := ups[i]
		u.Seq, u.Received = id, seqTime(id)
		out = append(out, u)
	}
	return out, nil
}

// Pending implements store.IngestStore.
func (g *Ingest) Pending(ctx context.Context) ([]store.Inbound, error) {
	var out []store.Inbound
	for start := "0"; ; {
		res, err := g.rdb.XReadGroup(ctx, &goredis.XReadGroupArgs{Group: ingestGroup, Consumer: g.consumer,
			Streams: []string{g.streamKey(), start}, Count: 500}).Result()
		if err != nil && !errors.Is(err, goredis.Nil) {
			return nil, fmt.Errorf("ingest pending: %w", err)
		}
		batch := inbound(res)
		if len(batch) == 0 {
			return out, nil
		}
		out = append(out, batch...)
		start = batch[len(batch)-1].Seq
	}
}

// Ack implements store.IngestStore: XACK and XDEL in one round trip.
func (g *Ingest) Ack(ctx context.Context, seqs ...string) error {
	if len(seqs) == 0 {
		return nil
	}
	_, err := g.rdb.Pipelined(ctx, func(p goredis.Pipeliner) error {
		p.XAck(ctx, g.streamKey(), ingestGroup, seqs...)
		p.XDel(ctx, g.streamKey(), seqs...)
		return nil
	})
	if err != nil {
		return fmt.Errorf("ingest ack: %w", err)
	}
	return nil
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
		if len(seqs) > 0 {
			p.XAck(ctx, g.streamKey(), ingestGroup, seqs...)
			p.XDel(ctx, g.streamKey(), seqs...)
		}
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

func inbound(res []goredis.XStream) []store.Inbound {
	var out []store.Inbound
	for _, st := range res {
		for _, m := range st.Messages {
			in := store.Inbound{Seq: m.ID}
			in.UpdateID, _ = strconv.ParseInt(str(m.Values["u"]), 10, 64)
			in.ChatID, _ = strconv.ParseInt(str(m.Values["c"]), 10, 64)
			in.Raw = []byte(str(m.Values["r"]))
			in.Received = seqTime(m.ID)
			out = append(out, in)
		}
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
