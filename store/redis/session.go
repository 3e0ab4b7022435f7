package redis

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/diskum-tangerang/umkmbot/store"
)

// claimScript takes the chat's lock and reads the session and the owed
// record, in one round trip. It returns {1} for a busy chat and {0,
// session or false, owed or false} otherwise.
//
// KEYS: lock, sess, owed. ARGV: token, lease ms.
var claimScript = goredis.NewScript(`
if not redis.call("SET", KEYS[1], ARGV[1], "NX", "PX", ARGV[2]) then
  return {1}
end
return {0, redis.call("GET", KEYS[2]), redis.call("HGET", KEYS[3], "doc")}
`)

// commitScript saves or deletes the session and replaces the owed record
// if the lock is still ours and the stored version is the claimed one (""
// = no session was stored), and releases the lock. It returns 0 on
// success, 1 when the lock is lost (nothing touched) and 2 when the
// session changed (only the lock released).
//
// KEYS: lock, sess, owed. ARGV: token, claimed version, encoded session (""
// = delete), session TTL ms, owed version ("" = leave the owed record),
// encoded owed record, owed TTL ms.
var commitScript = goredis.NewScript(`
if redis.call("GET", KEYS[1]) ~= ARGV[1] then
  return 1
end
local cur = redis.call("GET", KEYS[2])
if ARGV[2] == "" then
  if cur then
    redis.call("DEL", KEYS[1])
    return 2
  end
else
  -- The compact form starts with "S1:<version>:"; a session stored as
  -- JSON (before it) has "v".
  local v = nil
  if cur then
    v = string.match(cur, "^S1:(%d+):")
    if not v then
      local ok, obj = pcall(cjson.decode, cur)
      if ok and type(obj) == "table" then
        v = obj["v"]
      end
    end
  end
  if tonumber(v) == nil or tonumber(v) ~= tonumber(ARGV[2]) then
    redis.call("DEL", KEYS[1])
    return 2
  end
end
if ARGV[3] == "" then
  redis.call("DEL", KEYS[2])
else
  redis.call("SET", KEYS[2], ARGV[3], "PX", ARGV[4])
end
if ARGV[5] ~= "" then
  redis.call("HSET", KEYS[3], "v", ARGV[5], "doc", ARGV[6])
  redis.call("PEXPIRE", KEYS[3], ARGV[7])
end
redis.call("DEL", KEYS[1])
return 0
`)

// renewScript extends the lock's lease if the token is still ours.
//
// KEYS: lock. ARGV: token, lease ms.
var renewScript = goredis.NewScript(`
if redis.call("GET", KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call("PEXPIRE", KEYS[1], ARGV[2])
return 1
`)

// abortScript releases the lock if the token matches.
//
// KEYS: lock. ARGV: token.
var abortScript = goredis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
  redis.call("DEL", KEYS[1])
end
return 0
`)

// setOwedScript replaces the owed record if its version is the expected
// one. It returns 0 on success and 1 otherwise.
//
// KEYS: owed. ARGV: version, encoded owed record, TTL ms.
var setOwedScript = goredis.NewScript(`
if redis.call("HGET", KEYS[1], "v") ~= ARGV[1] then
  return 1
end
redis.call("HSET", KEYS[1], "doc", ARGV[2])
redis.call("PEXPIRE", KEYS[1], ARGV[3])
return 0
`)

// Claim implements store.SessionStore in one round trip (two for a
// duplicate, whose lock is released at once).
func (s *Store) Claim(ctx context.Context, chatID, updateID int64) (*store.Claim, error) {
	token := rand.Text()
	res, err := claimScript.Run(ctx, s.hot,
		[]string{s.lockKey(chatID), s.sessKey(chatID), s.owedKey(chatID)},
		token, store.LockTTL.Milliseconds(),
	).Slice()
	if err != nil {
		return nil, fmt.Errorf("claim chat %d: %w", chatID, err)
	}
	if code, _ := res[0].(int64); code == 1 {
		return nil, fmt.Errorf("claim chat %d: %w", chatID, store.ErrBusy)
	}
	c := &store.Claim{ChatID: chatID, UpdateID: updateID, Token: token}
	if raw, ok := res[1].(string); ok {
		c.SessionRaw = []byte(raw)
		if c.Session, err = store.DecodeSession(c.SessionRaw); err != nil {
			// The lock is ours: give it back rather than block the chat.
			_ = s.Abort(context.WithoutCancel(ctx), c)
			return nil, fmt.Errorf("claim chat %d: %w", chatID, err)
		}
	}
	if raw, ok := res[2].(string); ok {
		if c.Owed, err = store.DecodeOwed([]byte(raw)); err != nil {
			_ = s.Abort(context.WithoutCancel(ctx), c)
			return nil, fmt.Errorf("claim chat %d: %w", chatID, err)
		}
	}
	if updateID != 0 && c.Session != nil && updateID <= c.Session.LastUpdate {
		_ = s.Abort(context.WithoutCancel(ctx), c)
		c.Token = ""
		return c, fmt.Errorf("claim update %d: %w", updateID, store.ErrDuplicate)
	}
	return c, nil
}

// Renew implements store.SessionStore.
func (s *Store) Renew(ctx context.Context, c *store.Claim) error {
	ok, err := renewScript.Run(ctx, s.hot, []string{s.lockKey(c.ChatID)}, c.Token, store.LockTTL.Milliseconds()).Int()
	if err != nil {
		return fmt.Errorf("renew chat %d: %w", c.ChatID, err)
	}
	if ok != 1 {
		return fmt.Errorf("renew chat %d: lock lost: %w", c.ChatID, store.ErrConflict)
	}
	return nil
}

// Commit implements store.SessionStore in one round trip. On success it
// sets sess.Version, sess.LastUpdate and sess.UpdatedAt; on ErrConflict
// sess is untouched.
func (s *Store) Commit(ctx context.Context, c *store.Claim, sess *store.Session, owed *store.Owed, ttl time.Duration) error {
	if c == nil {
		return errors.New("redis: commit without a claim")
	}
	claimed, old := "", int64(0)
	if c.Session != nil {
		old = c.Session.Version
		claimed = strconv.FormatInt(old, 10)
	}
	var upd store.Session
	var raw []byte
	if sess != nil {
		upd = *sess
		upd.Version = old + 1
		upd.LastUpdate = max(upd.LastUpdate, c.UpdateID)
		upd.UpdatedAt = time.Now().UTC().Round(0)
		raw = store.EncodeSession(&upd)
	}
	owedVersion, owedRaw := encodeOwed(owed)
	code, err := commitScript.Run(ctx, s.hot,
		[]string{s.lockKey(c.ChatID), s.sessKey(c.ChatID), s.owedKey(c.ChatID)},
		c.Token, claimed, raw, store.SessionTTL.Milliseconds(),
		owedVersion, owedRaw, max(ttl, time.Millisecond).Milliseconds(),
	).Int()
	if err != nil {
		return fmt.Errorf("commit chat %d: %w", c.ChatID, err)
	}
	switch code {
	case 1:
		return fmt.Errorf("commit chat %d: lock lost: %w", c.ChatID, store.ErrConflict)
	case 2:
		return fmt.Errorf("commit chat %d: session changed: %w", c.ChatID, store.ErrConflict)
	}
	if sess != nil {
		sess.Version, sess.LastUpdate, sess.UpdatedAt = upd.Version, upd.LastUpdate, upd.UpdatedAt
	}
	return nil
}

// Abort implements store.SessionStore. It is safe after a Commit, failed or
// not: it never touches another worker's lock.
func (s *Store) Abort(ctx context.Context, c *store.Claim) error {
	if c == nil || c.Token == "" {
		return nil
	}
	if err := abortScript.Run(ctx, s.hot, []string{s.lockKey(c.ChatID)}, c.Token).Err(); err != nil {
		return fmt.Errorf("abort chat %d: %w", c.ChatID, err)
	}
	return nil
}

// SetOwed implements store.SessionStore.
func (s *Store) SetOwed(ctx context.Context, chatID int64, o *store.Owed, ttl time.Duration) error {
	if o == nil {
		return fmt.Errorf("set owed chat %d: nil record", chatID)
	}
	version, raw := encodeOwed(o)
	code, err := setOwedScript.Run(ctx, s.rdb, []string{s.owedKey(chatID)}, version, raw,
		max(ttl, time.Millisecond).Milliseconds()).Int()
	if err != nil {
		return fmt.Errorf("set owed chat %d: %w", chatID, err)
	}
	if code != 0 {
		return fmt.Errorf("set owed chat %d: version %d replaced: %w", chatID, o.Version, store.ErrConflict)
	}
	return nil
}

// SetOwedMany implements store.SessionStore: one pipeline of SetOwed
// scripts.
func (s *Store) SetOwedMany(ctx context.Context, items []store.OwedItem) error {
	if len(items) == 0 {
		return nil
	}
	if err := setOwedPipeline(ctx, s.rdb, func(p goredis.Pipeliner) error {
		return queueSetOwed(ctx, p, s.prefix, items)
	}); err != nil {
		return fmt.Errorf("set owed: %w", err)
	}
	return nil
}

// setOwedPipeline runs a pipeline of SetOwed scripts (queued by fill),
// loading the script first when the server does not know it yet: a
// pipelined EVALSHA, unlike Script.Run, does not fall back to EVAL.
func setOwedPipeline(ctx context.Context, rdb goredis.UniversalClient, fill func(goredis.Pipeliner) error) error {
	_, err := rdb.Pipelined(ctx, fill)
	if err != nil && strings.Contains(err.Error(), "NOSCRIPT") {
		if lerr := setOwedScript.Load(ctx, rdb).Err(); lerr != nil {
			return lerr
		}
		_, err = rdb.Pipelined(ctx, fill)
	}
	return err
}

// queueSetOwed queues a SetOwed script per item on p.
func queueSetOwed(ctx context.Context, p goredis.Pipeliner, prefix string, items []store.OwedItem) error {
	for _, it := range items {
		if it.Owed == nil {
			return fmt.Errorf("set owed chat %d: nil record", it.ChatID)
		}
		version, raw := encodeOwed(it.Owed)
		setOwedScript.EvalSha(ctx, p, []string{owedKey(prefix, it.ChatID)}, version, raw,
			max(it.TTL, time.Millisecond).Milliseconds())
	}
	return nil
}

// LoadOwed implements store.SessionStore.
func (s *Store) LoadOwed(ctx context.Context, chatID int64) (*store.Owed, error) {
	raw, err := s.rdb.HGet(ctx, s.owedKey(chatID), "doc").Result()
	if errors.Is(err, goredis.Nil) {
		return nil, fmt.Errorf("load owed chat %d: %w", chatID, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load owed chat %d: %w", chatID, err)
	}
	return store.DecodeOwed([]byte(raw))
}

// OwedChats implements store.SessionStore with SCAN over the store's
// owed keys (on every master of a Cluster): run at start-up, not per
// update.
func (s *Store) OwedChats(ctx context.Context) ([]int64, error) {
	var chats []int64
	head := s.prefix + "owed:{"
	err := ScanKeys(ctx, s.rdb, escapeGlob(head)+"*}", func(key string) {
		id, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(key, head), "}"), 10, 64)
		if err == nil {
			chats = append(chats, id)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("owed chats: %w", err)
	}
	return chats, nil
}

// encodeOwed returns the owed record's version and its stored form; "" and
// nil for none.
func encodeOwed(o *store.Owed) (version string, raw []byte) {
	if o == nil {
		return "", nil
	}
	return strconv.FormatInt(o.Version, 10), store.EncodeOwed(o)
}

// escapeGlob escapes SCAN's pattern characters in a literal prefix.
func escapeGlob(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`, "]", `\]`)
	return r.Replace(s)
}

// Load implements store.SessionStore.
func (s *Store) Load(ctx context.Context, chatID int64) (*store.Session, error) {
	raw, err := s.rdb.Get(ctx, s.sessKey(chatID)).Result()
	if errors.Is(err, goredis.Nil) {
		return nil, fmt.Errorf("load chat %d: %w", chatID, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load chat %d: %w", chatID, err)
	}
	sess, err := store.DecodeSession([]byte(raw))
	if err != nil {
		return nil, fmt.Errorf("load chat %d: %w", chatID, err)
	}
	return sess, nil
}

// Delete implements store.SessionStore. It removes the session and the
// owed record; a lock expires on its own.
func (s *Store) Delete(ctx context.Context, chatID int64) error {
	if err := s.rdb.Del(ctx, s.sessKey(chatID), s.owedKey(chatID)).Err(); err != nil {
		return fmt.Errorf("delete chat %d: %w", chatID, err)
	}
	return nil
}
