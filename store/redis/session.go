package redis

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/diskum-tangerang/umkmbot/store"
)

// processingTTL bounds how long an update id stays marked as being handled
// when its worker neither commits nor aborts (a crash): after it, a
// redelivery is handled again.
const processingTTL = 2 * store.LockTTL

// claimScript marks the update id (when ARGV[1] is "1"), takes the chat's
// lock and reads the session, in one round trip. It returns {1} for a
// duplicate update, {2} for a busy chat (after undoing its dedup marker),
// {0} for a chat without a session and {0, json} otherwise.
//
// KEYS: upd, lock, sess. ARGV: dedup flag, token, lock TTL ms, processing TTL ms.
var claimScript = goredis.NewScript(`
if ARGV[1] == "1" then
  if not redis.call("SET", KEYS[1], "processing", "NX", "PX", ARGV[4]) then
    return {1}
  end
end
if not redis.call("SET", KEYS[2], ARGV[2], "NX", "PX", ARGV[3]) then
  if ARGV[1] == "1" then
    redis.call("DEL", KEYS[1])
  end
  return {2}
end
local s = redis.call("GET", KEYS[3])
if not s then
  return {0}
end
return {0, s}
`)

// commitScript saves or deletes the session if the lock is still ours and
// the stored version is the claimed one ("" = no session was stored), marks
// the update done and releases the lock. It returns 0 on success, 1 when
// the lock is lost (nothing touched) and 2 when the session changed (only
// the lock released).
//
// KEYS: lock, sess, upd. ARGV: token, claimed version, session JSON ("" =
// delete), session TTL ms, dedup flag, dedup TTL ms.
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
  local ok, obj = false, nil
  if cur then
    ok, obj = pcall(cjson.decode, cur)
  end
  if not ok or type(obj) ~= "table" or tonumber(obj["v"]) ~= tonumber(ARGV[2]) then
    redis.call("DEL", KEYS[1])
    return 2
  end
end
if ARGV[3] == "" then
  redis.call("DEL", KEYS[2])
else
  redis.call("SET", KEYS[2], ARGV[3], "PX", ARGV[4])
end
if ARGV[5] == "1" then
  redis.call("SET", KEYS[3], "done", "PX", ARGV[6])
end
redis.call("DEL", KEYS[1])
return 0
`)

// abortScript releases the lock if the token matches and forgets the update
// id if it is still being processed (never a "done" one).
//
// KEYS: lock, upd. ARGV: token, dedup flag.
var abortScript = goredis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
  redis.call("DEL", KEYS[1])
end
if ARGV[2] == "1" and redis.call("GET", KEYS[2]) == "processing" then
  redis.call("DEL", KEYS[2])
end
return 0
`)

// Claim implements store.SessionStore in one round trip.
func (s *Store) Claim(ctx context.Context, chatID, updateID int64) (*store.Claim, error) {
	token := rand.Text()
	res, err := claimScript.Run(ctx, s.rdb,
		[]string{s.updKey(updateID), s.lockKey(chatID), s.sessKey(chatID)},
		flag(updateID), token, store.LockTTL.Milliseconds(), processingTTL.Milliseconds(),
	).Slice()
	if err != nil {
		return nil, fmt.Errorf("claim chat %d: %w", chatID, err)
	}
	code, _ := res[0].(int64)
	switch code {
	case 1:
		return nil, fmt.Errorf("claim update %d: %w", updateID, store.ErrDuplicate)
	case 2:
		return nil, fmt.Errorf("claim chat %d: %w", chatID, store.ErrBusy)
	}
	c := &store.Claim{ChatID: chatID, UpdateID: updateID, Token: token}
	if len(res) > 1 {
		raw, _ := res[1].(string)
		sess, err := decode(raw)
		if err != nil {
			// The lock is ours: give it back rather than block the chat.
			_ = s.Abort(context.WithoutCancel(ctx), c)
			return nil, fmt.Errorf("claim chat %d: %w", chatID, err)
		}
		c.Session = sess
	}
	return c, nil
}

// Commit implements store.SessionStore in one round trip. On success it
// sets sess.Version and sess.UpdatedAt; on ErrConflict sess is untouched.
func (s *Store) Commit(ctx context.Context, c *store.Claim, sess *store.Session) error {
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
		upd.UpdatedAt = time.Now().UTC().Round(0)
		var err error
		if raw, err = json.Marshal(&upd); err != nil {
			return fmt.Errorf("commit chat %d: encode session: %w", c.ChatID, err)
		}
	}
	code, err := commitScript.Run(ctx, s.rdb,
		[]string{s.lockKey(c.ChatID), s.sessKey(c.ChatID), s.updKey(c.UpdateID)},
		c.Token, claimed, raw, store.SessionTTL.Milliseconds(),
		flag(c.UpdateID), store.DedupTTL.Milliseconds(),
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
		sess.Version, sess.UpdatedAt = upd.Version, upd.UpdatedAt
	}
	return nil
}

// Abort implements store.SessionStore. It is safe after a Commit, failed or
// not: it never touches another worker's lock or a "done" marker.
func (s *Store) Abort(ctx context.Context, c *store.Claim) error {
	if c == nil {
		return nil
	}
	err := abortScript.Run(ctx, s.rdb,
		[]string{s.lockKey(c.ChatID), s.updKey(c.UpdateID)},
		c.Token, flag(c.UpdateID),
	).Err()
	if err != nil {
		return fmt.Errorf("abort chat %d: %w", c.ChatID, err)
	}
	return nil
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
	sess, err := decode(raw)
	if err != nil {
		return nil, fmt.Errorf("load chat %d: %w", chatID, err)
	}
	return sess, nil
}

// Delete implements store.SessionStore. It removes only the session: the
// lock and dedup markers expire on their own.
func (s *Store) Delete(ctx context.Context, chatID int64) error {
	if err := s.rdb.Del(ctx, s.sessKey(chatID)).Err(); err != nil {
		return fmt.Errorf("delete chat %d: %w", chatID, err)
	}
	return nil
}

// flag tells the scripts whether the update id takes part in dedup.
func flag(updateID int64) string {
	if updateID == 0 {
		return ""
	}
	return "1"
}

func decode(raw string) (*store.Session, error) {
	var sess store.Session
	if err := json.Unmarshal([]byte(raw), &sess); err != nil {
		return nil, fmt.Errorf("decode session: %w", err)
	}
	return &sess, nil
}
