package redis_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/diskum-tangerang/umkmbot/store"
	redisstore "github.com/diskum-tangerang/umkmbot/store/redis"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
	"github.com/diskum-tangerang/umkmbot/store/storetest"
)

func newStore(t *testing.T) store.SessionStore {
	rdb, prefix := redistest.New(t)
	return redisstore.New(rdb, prefix)
}

func TestSessionStore(t *testing.T) {
	storetest.RunSessionStore(t, newStore)
}

// TestKeysAndTTLs checks the key layout and the expiries the scripts set:
// other tools (and people with redis-cli) rely on them.
func TestKeysAndTTLs(t *testing.T) {
	rdb, prefix := redistest.New(t)
	s := redisstore.New(rdb, prefix)
	ctx := t.Context()

	c, err := s.Claim(ctx, 42, 9001)
	if err != nil {
		t.Fatal(err)
	}
	ttl := func(key string) time.Duration {
		t.Helper()
		d, err := rdb.PTTL(ctx, prefix+key).Result()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	get := func(key string) string {
		t.Helper()
		v, _ := rdb.Get(ctx, prefix+key).Result()
		return v
	}
	checks := []struct {
		key      string
		value    string // "" means any
		min, max time.Duration
	}{
		{"lock:{42}", c.Token, store.LockTTL - time.Second, store.LockTTL},
	}
	for _, ck := range checks {
		if v := get(ck.key); v != ck.value {
			t.Errorf("%s = %q, want %q", ck.key, v, ck.value)
		}
		if d := ttl(ck.key); d < ck.min || d > ck.max {
			t.Errorf("TTL of %s = %v, want in [%v, %v]", ck.key, d, ck.min, ck.max)
		}
	}
	if err := s.Commit(ctx, c, &store.Session{ChatID: 42, Lang: "id"}, &store.Owed{Version: 1}, store.OwedKeep); err != nil {
		t.Fatal(err)
	}
	after := []struct {
		key      string
		value    string
		min, max time.Duration
	}{
		{"sess:{42}", "", store.SessionTTL - time.Minute, store.SessionTTL},
		{"owed:{42}", "", store.OwedKeep - time.Minute, store.OwedKeep},
		{"lock:{42}", "", -2, -2}, // gone
	}
	for _, ck := range after {
		if v := get(ck.key); ck.value != "" && ck.key != "owed:{42}" && v != ck.value {
			t.Errorf("%s = %q, want %q", ck.key, v, ck.value)
		}
		if d := ttl(ck.key); d < ck.min || d > ck.max {
			t.Errorf("TTL of %s = %v, want in [%v, %v]", ck.key, d, ck.min, ck.max)
		}
	}
	if v := get("sess:{42}"); !strings.HasPrefix(v, "S1:1:") {
		t.Errorf("sess:42 = %q, want the compact form of version 1", v)
	} else if sess, err := store.DecodeSession([]byte(v)); err != nil || sess.Version != 1 || sess.LastUpdate != 9001 {
		t.Errorf("sess:42 decodes to %+v (%v), want version 1 and last update 9001", sess, err)
	}
	if v, _ := rdb.HGet(ctx, prefix+"owed:{42}", "v").Result(); v != "1" {
		t.Errorf("owed:42 v = %q, want 1", v)
	}
	if err := s.SetOwed(ctx, 42, &store.Owed{Version: 1, Status: store.OwedDelivered}, 7*time.Second); err != nil {
		t.Fatal(err)
	}
	if d := ttl("owed:{42}"); d <= 6*time.Second || d > 7*time.Second {
		t.Errorf("TTL of owed:42 after SetOwed = %v, want 7 s", d)
	}
	again, err := s.Claim(ctx, 42, 9002)
	if err != nil {
		t.Fatal(err)
	}
	if err := rdb.PExpire(ctx, prefix+"lock:{42}", 100*time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	if err := s.Renew(ctx, again); err != nil {
		t.Fatal(err)
	}
	if d := ttl("lock:{42}"); d <= store.LockTTL-time.Second || d > store.LockTTL {
		t.Errorf("TTL of a renewed lock = %v, want the whole lease %v", d, store.LockTTL)
	}
	if n, _ := rdb.Keys(ctx, prefix+"upd:*").Result(); len(n) != 0 {
		t.Errorf("per-update keys %v: the session is the dedup record", n)
	}
}

// TestCorruptSession checks that a session Redis holds but cannot decode
// makes Claim fail without keeping the chat locked.
func TestCorruptSession(t *testing.T) {
	rdb, prefix := redistest.New(t)
	s := redisstore.New(rdb, prefix)
	ctx := t.Context()
	if err := rdb.Set(ctx, prefix+"sess:{5}", "{not json", 0).Err(); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"decode session", "decode session"} {
		_, err := s.Claim(ctx, 5, int64(100+i))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Claim %d: %v, want an error containing %q", i, err, want)
		}
	}
	if _, err := s.Load(ctx, 5); err == nil {
		t.Error("Load of a corrupt session: no error")
	}
	if err := s.Delete(ctx, 5); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Claim(ctx, 5, 100); err != nil {
		t.Errorf("Claim after deleting the corrupt session: %v", err)
	}
}

func TestNewClient(t *testing.T) {
	tests := []struct {
		name    string
		url     string
		wantErr bool
	}{
		{"server", redistest.URL(), false},
		{"bad scheme", "http://127.0.0.1:6379/0", true},
		{"unknown option", "redis://127.0.0.1:6379/0?bogus=1", true},
		{"no server", "redis://:hunter2pw@127.0.0.1:1/0?dial_timeout=200ms&max_retries=-1", true},
		{"unparsable", "redis://:hunter2pw@127.0.0.1:port/0", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			rdb, err := redisstore.NewClient(ctx, tt.url)
			if !tt.wantErr {
				if err != nil {
					redistest.Unavailable(t, err)
				}
				defer rdb.Close()
				opt := rdb.(*goredis.Client).Options()
				if p := opt.Protocol; p != 2 {
					t.Errorf("Protocol = %d, want 2", p)
				}
				if !opt.ContextTimeoutEnabled {
					t.Error("ContextTimeoutEnabled is false")
				}
				return
			}
			if err == nil {
				rdb.Close()
				t.Fatal("no error")
			}
			t.Logf("error: %v", err)
			if strings.Contains(err.Error(), "hunter2pw") {
				t.Errorf("error reveals the password: %v", err)
			}
		})
	}
}

func TestIngestStore(t *testing.T) {
	storetest.RunIngestStore(t, func(t *testing.T) (store.IngestStore, func() store.IngestStore) {
		rdb, prefix := redistest.New(t)
		open := func() store.IngestStore {
			g := redisstore.NewIngest(rdb, prefix, "bot")
			if err := g.Init(t.Context()); err != nil {
				t.Fatal(err)
			}
			return g
		}
		return open(), open
	})
}

func TestPartitioned(t *testing.T) {
	storetest.RunPartitioned(t, func(t *testing.T) (func(string) store.Partitioned, func(string)) {
		rdb, prefix := redistest.New(t)
		open := func(replica string) store.Partitioned {
			g := redisstore.NewIngest(rdb, prefix, replica)
			if err := g.Init(t.Context()); err != nil {
				t.Fatal(err)
			}
			return g
		}
		lapse := func(replica string) { redisstore.Lapse(t, redisstore.NewIngest(rdb, prefix, ""), replica) }
		return open, lapse
	})
}

// TestIngestMovesTheOldStream: an ingest left by the version with one
// stream is moved into the partitions at Init, offset and all.
func TestIngestMovesTheOldStream(t *testing.T) {
	rdb, prefix := redistest.New(t)
	ctx := t.Context()
	rdb.Set(ctx, prefix+"ingest:offset", 42, 0)
	for _, u := range []struct{ id, chat string }{{"40", "7"}, {"41", "8"}} {
		rdb.XAdd(ctx, &goredis.XAddArgs{Stream: prefix + "ingest", Values: []any{"u", u.id, "c", u.chat, "r", `{"update_id":` + u.id + `}`}})
	}
	g := redisstore.NewIngest(rdb, prefix, "bot")
	if err := g.Init(ctx); err != nil {
		t.Fatal(err)
	}
	if off, _ := g.Offset(ctx); off != 42 {
		t.Errorf("offset %d after the move, want 42", off)
	}
	got, err := g.Pending(ctx)
	if err != nil || len(got) != 2 || got[0].UpdateID != 40 || got[1].ChatID != 8 {
		t.Fatalf("Pending after the move = %+v, %v", got, err)
	}
	if n, _ := rdb.Exists(ctx, prefix+"ingest", prefix+"ingest:offset").Result(); n != 0 {
		t.Errorf("the old keys are still there")
	}
}

// TestSettleAck: one pipeline settles the replies owed of the session store
// under the same prefix and acknowledges the updates.
func TestSettleAck(t *testing.T) {
	rdb, prefix := redistest.New(t)
	s := redisstore.New(rdb, prefix)
	g := redisstore.NewIngest(rdb, prefix, "bot")
	ctx := t.Context()
	if err := g.Init(ctx); err != nil {
		t.Fatal(err)
	}
	rec, err := g.Record(ctx, []store.Inbound{{UpdateID: 1, ChatID: 42, Raw: []byte(`{}`)}}, 2)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Claim(ctx, 42, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, c, &store.Session{ChatID: 42}, &store.Owed{Version: 1, Status: store.OwedPending}, time.Hour); err != nil {
		t.Fatal(err)
	}
	done := &store.Owed{Version: 1, Status: store.OwedDelivered}
	if err := g.SettleAck(ctx, []store.OwedItem{{ChatID: 42, Owed: done, TTL: time.Minute}}, []string{rec[0].Seq}); err != nil {
		t.Fatal(err)
	}
	if o, err := s.LoadOwed(ctx, 42); err != nil || o.Status != store.OwedDelivered {
		t.Errorf("owed after SettleAck: %+v, %v", o, err)
	}
	if p, _ := g.Pending(ctx); len(p) != 0 {
		t.Errorf("pending after SettleAck: %+v", p)
	}
	if n, _ := rdb.XLen(ctx, prefix+"{ingest}").Result(); n != 0 {
		t.Errorf("%d entries left in the stream", n)
	}
}

// TestMoveOldKeys: sessions and owed records under the keys of the version
// without hash tags are moved to their keys now, with their TTL.
func TestMoveOldKeys(t *testing.T) {
	rdb, prefix := redistest.New(t)
	ctx := t.Context()
	rdb.Set(ctx, prefix+"sess:42", `{"chat_id":42}`, time.Hour)
	rdb.HSet(ctx, prefix+"owed:42", "v", "3", "doc", `{}`)
	rdb.Set(ctx, prefix+"sess:{43}", `{"chat_id":43}`, time.Hour)
	s := redisstore.New(rdb, prefix)
	n, err := s.MoveOldKeys(ctx)
	if err != nil || n != 2 {
		t.Fatalf("MoveOldKeys = %d, %v; want 2", n, err)
	}
	if raw, err := rdb.Get(ctx, prefix+"sess:{42}").Result(); err != nil || raw != `{"chat_id":42}` {
		t.Fatalf("the moved session = %q, %v", raw, err)
	}
	if ttl, _ := rdb.PTTL(ctx, prefix+"sess:{42}").Result(); ttl <= 0 || ttl > time.Hour {
		t.Errorf("the moved session's TTL is %v", ttl)
	}
	if v, _ := rdb.HGet(ctx, redisstore.OwedKeyOf(s, 42), "v").Result(); v != "3" {
		t.Errorf("the moved owed record's version is %q", v)
	}
	if n, _ := rdb.Exists(ctx, prefix+"sess:42").Result(); n != 0 {
		t.Error("the old key is still there")
	}
	if n, _ := s.MoveOldKeys(ctx); n != 0 {
		t.Errorf("a second run moved %d keys", n)
	}
}

// TestSessionStoredAsJSON: a session and an owed record stored as JSON, as
// the store wrote them before its compact form, are claimed, and the
// commit checks the JSON session's version and writes the compact form.
func TestSessionStoredAsJSON(t *testing.T) {
	rdb, prefix := redistest.New(t)
	s := redisstore.New(rdb, prefix)
	ctx := t.Context()
	if err := rdb.Set(ctx, prefix+"sess:{43}",
		`{"chat":43,"user":7,"lang":"id","flow":"daftar","state":"ask_omzet","data":{"modal":"50000000"},"last":100,"v":5,"at":"2026-12-01T10:00:00Z"}`,
		time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	if err := rdb.HSet(ctx, redisstore.OwedKeyOf(s, 43), "v", "5",
		"doc", `{"v":5,"u":100,"s":"delivered","at":"2026-12-01T10:00:01Z"}`).Err(); err != nil {
		t.Fatal(err)
	}
	c, err := s.Claim(ctx, 43, 101)
	if err != nil {
		t.Fatal(err)
	}
	if c.Session == nil || c.Session.Version != 5 || c.Session.Data["modal"] != "50000000" ||
		c.Owed == nil || c.Owed.Status != store.OwedDelivered {
		t.Fatalf("claimed %+v, owed %+v: want the JSON session and record", c.Session, c.Owed)
	}
	next := *c.Session
	next.State = "ask_nib"
	if err := s.Commit(ctx, c, &next, nil, time.Hour); err != nil {
		t.Fatalf("commit over a JSON session: %v", err)
	}
	if v, _ := rdb.Get(ctx, prefix+"sess:{43}").Result(); !strings.HasPrefix(v, "S1:6:") {
		t.Errorf("stored after commit: %q, want the compact form of version 6", v)
	}
	// A commit claimed on a version the JSON session no longer has is
	// refused, as with the compact form.
	if err := rdb.Set(ctx, prefix+"sess:{44}", `{"chat":44,"v":2}`, time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	c, err = s.Claim(ctx, 44, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := rdb.Set(ctx, prefix+"sess:{44}", `{"chat":44,"v":3}`, time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, c, c.Session, nil, time.Hour); !errors.Is(err, store.ErrConflict) {
		t.Errorf("commit over a changed JSON session: %v, want ErrConflict", err)
	}
}
