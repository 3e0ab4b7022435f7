// Package redis implements store.SessionStore on Redis: sessions in the
// stores' compact form (store.EncodeSession; JSON from before it is still
// read) with a sliding TTL and a version for compare-and-set (the session also
// holds the chat's last handled update id, its dedup record), one lock per
// chat with a random token on a short lease, and the record of the replies
// a chat is owed. Claim and Commit are one round trip each (a Lua script).
//
// Keys, under the store's prefix: "sess:{<chat>}" (the session, TTL
// store.SessionTTL), "lock:{<chat>}" (lock token, lease store.LockTTL,
// renewed while the update is handled) and "owed:{<chat>}" (a hash: "v",
// the session version, and "doc", the owed record, store.EncodeOwed). The scripts
// touch the keys of one chat only, and the braces (a Cluster's hash tag)
// put a chat's keys in one hash slot, so they run on a Redis Cluster too.
//
// It also keeps the durable intake (Ingest: a Redis Stream of recorded
// updates with a consumer group, the getUpdates offset and the dead
// letters, all under the hash tag "{ingest}").
//
// It holds the other state that several replicas share too: the outbox's
// rate limiter (Limiter: a global budget, one message a second per chat, a
// pause after a 429), the loan lookup lockout (Attempts), the dashboard's
// login links and browser sessions (WebAuth), and opens clients of one
// server, a Sentinel-watched master or a Cluster (ParseURL, NewClient).
// Every script and every pipeline that must act on several keys at once
// keeps them in one hash slot (slot_test.go checks it). cmd and tests import it; flows must not (they see store only).
// The package name clashes with go-redis, which it imports as goredis.
package redis

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	goredis "github.com/redis/go-redis/v9"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Store is a store.SessionStore on one Redis client. It is safe for
// concurrent use.
type Store struct {
	rdb    goredis.UniversalClient
	prefix string
	// hot runs the scripts every update runs (claim, renew, commit,
	// abort): through go-redis's autopipeliner when the client has one, so
	// that the scripts of chats handled at the same moment share one write
	// and one read on one connection instead of a round trip each.
	hot goredis.Scripter
}

var _ store.SessionStore = (*Store)(nil)

// New returns a store keeping its keys under prefix ("umkmbot:" in
// production, a random "test:<hex>:" in tests).
func New(rdb goredis.UniversalClient, prefix string) *Store {
	s := &Store{rdb: rdb, prefix: prefix, hot: rdb}
	if ap, ok := rdb.(interface {
		AutoPipeline() (*goredis.AutoPipeliner, error)
	}); ok {
		if p, err := ap.AutoPipeline(); err == nil {
			s.hot = p
		}
	}
	return s
}

// Direct makes the store send each script on its own round trip, without
// the autopipeliner (an experimental part of go-redis; REDIS_AUTOPIPELINE=off
// turns it off in case it misbehaves).
func (s *Store) Direct() *Store {
	s.hot = s.rdb
	return s
}

func (s *Store) sessKey(chatID int64) string {
	return s.prefix + "sess:" + tag(chatID)
}

func (s *Store) lockKey(chatID int64) string {
	return s.prefix + "lock:" + tag(chatID)
}

func (s *Store) owedKey(chatID int64) string { return owedKey(s.prefix, chatID) }

func owedKey(prefix string, chatID int64) string {
	return prefix + "owed:" + tag(chatID)
}

// tag is a chat's hash tag: "{<chat>}". A Cluster hashes only what is
// between the first braces of a key, so every key of a chat lands in the
// slot of its tag. A prefix holding braces would put every key in the
// prefix's slot instead: still correct, but all on one node.
func tag(chatID int64) string {
	return "{" + strconv.FormatInt(chatID, 10) + "}"
}

// Durable reports whether the server keeps its data on disk (an append-only
// file or RDB snapshots). Sessions and the intake's record live there, so a
// server that keeps nothing loses them when it restarts. A server that
// refuses CONFIG (managed services) is taken as durable.
func Durable(ctx context.Context, rdb goredis.UniversalClient) (bool, error) {
	res, err := rdb.ConfigGet(ctx, "appendonly").Result()
	if err != nil {
		return true, err
	}
	if res["appendonly"] == "yes" {
		return true, nil
	}
	res, err = rdb.ConfigGet(ctx, "save").Result()
	if err != nil {
		return true, err
	}
	return strings.TrimSpace(res["save"]) != "", nil
}

// MoveOldKeys renames the sessions and owed records an older version kept
// under keys without a hash tag ("sess:42", "owed:42") to their keys now
// ("sess:{42}", "owed:{42}"), so that conversations in progress survive
// the upgrade. Keys already moved are left; it is safe to run at every
// start. It returns how many it moved.
func (s *Store) MoveOldKeys(ctx context.Context) (int, error) {
	moved := 0
	for _, kind := range []string{"sess:", "owed:"} {
		var old []string
		err := ScanKeys(ctx, s.rdb, s.prefix+kind+"[0-9-]*", func(k string) { old = append(old, k) })
		if err != nil {
			return moved, fmt.Errorf("move old keys: %w", err)
		}
		for _, k := range old {
			id, err := strconv.ParseInt(strings.TrimPrefix(k, s.prefix+kind), 10, 64)
			if err != nil {
				continue
			}
			// Not RENAMENX: on a Cluster the two keys may be in different
			// slots. The new key wins when both exist.
			raw, err := s.rdb.Dump(ctx, k).Result()
			if errors.Is(err, goredis.Nil) {
				continue
			}
			if err != nil {
				return moved, fmt.Errorf("move old keys: %w", err)
			}
			ttl, err := s.rdb.PTTL(ctx, k).Result()
			if err != nil {
				return moved, fmt.Errorf("move old keys: %w", err)
			}
			if ttl < 0 {
				ttl = 0
			}
			err = s.rdb.Restore(ctx, s.prefix+kind+tag(id), ttl, raw).Err()
			if err != nil && !strings.Contains(err.Error(), "BUSYKEY") {
				return moved, fmt.Errorf("move old keys: %w", err)
			}
			if err := s.rdb.Del(ctx, k).Err(); err != nil {
				return moved, fmt.Errorf("move old keys: %w", err)
			}
			moved++
		}
	}
	return moved, nil
}
