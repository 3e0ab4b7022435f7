// Package redis implements store.SessionStore on Redis: sessions as JSON
// with a sliding TTL and a version for compare-and-set (the session also
// holds the chat's last handled update id, its dedup record), one lock per
// chat with a random token on a short lease, and the record of the replies
// a chat is owed. Claim and Commit are one round trip each (a Lua script).
//
// Keys, under the store's prefix: "sess:{<chat>}" (session JSON, TTL
// store.SessionTTL), "lock:{<chat>}" (lock token, lease store.LockTTL,
// renewed while the update is handled) and "owed:{<chat>}" (a hash: "v",
// the session version, and "doc", the owed record as JSON). The scripts
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
}

var _ store.SessionStore = (*Store)(nil)

// New returns a store keeping its keys under prefix ("umkmbot:" in
// production, a random "test:<hex>:" in tests).
func New(rdb goredis.UniversalClient, prefix string) *Store {
	return &Store{rdb: rdb, prefix: prefix}
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
