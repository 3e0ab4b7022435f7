package redis_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/diskum-tangerang/umkmbot/store"
	redisstore "github.com/diskum-tangerang/umkmbot/store/redis"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
)

// TestKeySlot checks the CRC16 key slot against the values the Redis
// Cluster spec and CLUSTER KEYSLOT's documentation give.
func TestKeySlot(t *testing.T) {
	tests := []struct {
		key  string
		slot int
	}{
		{"123456789", 0x31C3}, // the spec's CRC16 check value
		{"somekey", 11058},
		{"foo{hash_tag}", 2515},
		{"bar{hash_tag}", 2515},
		{"{user1000}.following", redistest.KeySlot("user1000")},
		{"foo{}{bar}", redistest.KeySlot("foo{}{bar}")}, // an empty tag: the whole key
		{"foo{{bar}}", redistest.KeySlot("{bar")},
	}
	for _, tt := range tests {
		if got := redistest.KeySlot(tt.key); got != tt.slot {
			t.Errorf("KeySlot(%q) = %d, want %d", tt.key, got, tt.slot)
		}
	}
	if redistest.KeySlot("foo{}{bar}") == redistest.KeySlot("bar") {
		t.Error("an empty tag is taken as a tag")
	}
}

// TestScriptsAreListed: every Lua script of the package is in Scripts, so
// TestScriptsKeepOneSlot sees each one run.
func TestScriptsAreListed(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n += strings.Count(string(b), "goredis.NewScript(")
	}
	if n != len(redisstore.Scripts) {
		t.Errorf("%d scripts in the package, %d in Scripts (export_test.go)", n, len(redisstore.Scripts))
	}
}

// TestScriptsKeepOneSlot runs every store of the package and checks that
// each script run (and each MULTI/EXEC) names keys of one hash slot only,
// so that a Redis Cluster accepts it, and that every script ran.
func TestScriptsKeepOneSlot(t *testing.T) {
	rdb, prefix := redistest.New(t)
	check := &redistest.SlotCheck{}
	rdb.AddHook(check)
	exercise(t, rdb, prefix)
	for _, v := range check.Violations() {
		t.Error(v)
	}
	for name, s := range redisstore.Scripts {
		if !check.Ran(s.Hash()) {
			t.Errorf("script %s never ran: exercise does not cover it", name)
		}
	}
}

// exercise calls every store of the package once through every path that
// runs a script or a multi-key command: sessions (claim, renew, commit,
// abort, owed records alone and pipelined, the owed chats, delete), the
// ingest (record, pending, ack, settle, dead letters), the limiter and the
// attempts.
func exercise(t *testing.T, rdb goredis.UniversalClient, prefix string) {
	t.Helper()
	ctx := t.Context()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	s := redisstore.New(rdb, prefix)
	c, err := s.Claim(ctx, 42, 1)
	must("Claim", err)
	must("Renew", s.Renew(ctx, c))
	must("Commit", s.Commit(ctx, c, &store.Session{ChatID: 42}, &store.Owed{Version: 1, Status: store.OwedPending}, time.Hour))
	c, err = s.Claim(ctx, 42, 2)
	must("Claim again", err)
	must("Abort", s.Abort(ctx, c))
	must("SetOwed", s.SetOwed(ctx, 42, &store.Owed{Version: 1, Status: store.OwedDelivered}, time.Hour))
	c, err = s.Claim(ctx, 43, 1)
	must("Claim 43", err)
	must("Commit 43", s.Commit(ctx, c, &store.Session{ChatID: 43}, &store.Owed{Version: 1, Status: store.OwedPending}, time.Hour))
	must("SetOwedMany", s.SetOwedMany(ctx, []store.OwedItem{
		{ChatID: 42, Owed: &store.Owed{Version: 1, Status: store.OwedDelivered}, TTL: time.Hour},
		{ChatID: 43, Owed: &store.Owed{Version: 1, Status: store.OwedDelivered}, TTL: time.Hour},
	}))
	chats, err := s.OwedChats(ctx)
	must("OwedChats", err)
	if len(chats) != 2 {
		t.Errorf("OwedChats = %v, want 42 and 43", chats)
	}
	must("Delete", s.Delete(ctx, 43))

	g := redisstore.NewIngest(rdb, prefix, "bot")
	must("Init", g.Init(ctx))
	rec, err := g.Record(ctx, []store.Inbound{{UpdateID: 5, ChatID: 42, Raw: []byte(`{}`)}, {UpdateID: 6, ChatID: 44, Raw: []byte(`{}`)}}, 7)
	must("Record", err)
	if p, err := g.Pending(ctx); err != nil || len(p) != 2 {
		t.Errorf("Pending = %d, %v; want 2", len(p), err)
	}
	must("Ack", g.Ack(ctx, rec[0].Seq))
	must("SettleAck", g.SettleAck(ctx, []store.OwedItem{{ChatID: 42, Owed: &store.Owed{Version: 1, Status: store.OwedDelivered}, TTL: time.Hour}}, []string{rec[1].Seq}))
	_, err = g.Balance(ctx, "bot", true, time.Minute)
	must("Balance", err)
	_, err = g.Read(ctx, map[int]string{0: "", 5: ""}, time.Millisecond)
	must("Read", err)
	must("Release", g.Release(ctx, "bot", true, 0, 1))
	must("Leave", g.Leave(ctx, "bot"))
	_, err = redisstore.Lead(ctx, rdb, prefix+"{schedule}:leader", "bot", time.Minute)
	must("Lead", err)
	must("AddDeadLetter", g.AddDeadLetter(ctx, store.DeadLetter{UpdateID: 8, Reason: "test"}))
	if n, err := g.DeadLetterCount(ctx); err != nil || n != 1 {
		t.Errorf("DeadLetterCount = %d, %v; want 1", n, err)
	}

	l := redisstore.NewLimiter(rdb, prefix, 30)
	must("Limiter.Wait", l.Wait(ctx, 42))
	must("Limiter.Pause", l.Pause(ctx, time.Millisecond))
	must("Limiter.Spent", l.Spent(ctx, []int64{42, 43}))

	a := redisstore.NewAttempts(rdb, prefix, 3, time.Hour)
	_, _, err = a.Fail(ctx, 42)
	must("Attempts.Fail", err)
	_, _, err = a.Locked(ctx, 42)
	must("Attempts.Locked", err)
}

// TestSlotCheckCatches: the hook notes a script and a transaction whose
// keys span slots, and passes those that keep to one.
func TestSlotCheckCatches(t *testing.T) {
	check := &redistest.SlotCheck{}
	run := check.ProcessHook(func(context.Context, goredis.Cmder) error { return nil })
	pipe := check.ProcessPipelineHook(func(context.Context, []goredis.Cmder) error { return nil })
	ctx := t.Context()
	_ = run(ctx, goredis.NewCmd(ctx, "evalsha", "abc", 2, "p:sess:{1}", "p:lock:{1}"))
	_ = run(ctx, goredis.NewCmd(ctx, "evalsha", "abc", 2, "p:sess:1", "p:lock:1"))
	_ = pipe(ctx, []goredis.Cmder{goredis.NewCmd(ctx, "multi"), goredis.NewCmd(ctx, "set", "a", 1),
		goredis.NewCmd(ctx, "set", "b", 1), goredis.NewCmd(ctx, "exec")})
	if v := check.Violations(); len(v) != 2 || !strings.Contains(v[0], "p:sess:1") || !strings.Contains(v[1], "MULTI") {
		t.Errorf("violations %q; want the untagged script and the transaction", v)
	}
	if check.Scripts() != 2 || !check.Ran("abc") {
		t.Errorf("scripts %d, ran abc %v", check.Scripts(), check.Ran("abc"))
	}
}
