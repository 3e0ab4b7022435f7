// Package redis implements store.SessionStore on Redis: sessions as JSON
// with a sliding TTL and a version for compare-and-set (the session also
// holds the chat's last handled update id, its dedup record), one lock per
// chat with a random token on a short lease, and the record of the replies
// a chat is owed. Claim and Commit are one round trip each (a Lua script).
//
// Keys, under the store's prefix: "sess:<chat>" (session JSON, TTL
// store.SessionTTL), "lock:<chat>" (lock token, lease store.LockTTL,
// renewed while the update is handled) and "owed:<chat>" (a hash: "v", the
// session version, and "doc", the owed record as JSON). The scripts touch
// the keys of one chat only.
//
// It also keeps the durable intake (Ingest: a Redis Stream of recorded
// updates with a consumer group, the getUpdates offset and the dead
// letters).
//
// It holds the other state that several replicas share too: the outbox's
// rate limiter (Limiter: a global budget, one message a second per chat, a
// pause after a 429), the loan lookup lockout (Attempts), the dashboard's
// login links and browser sessions (WebAuth), and opens clients
// (NewClient). cmd and tests import it; flows must not (they see store only).
// The package name clashes with go-redis, which it imports as goredis.
package redis

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	goredis "github.com/redis/go-redis/v9"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Store is a store.SessionStore on one Redis client. It is safe for
// concurrent use.
type Store struct {
	rdb    *goredis.Client
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
func New(rdb *goredis.Client, prefix string) *Store {
	s := &Store{rdb: rdb, prefix: prefix, hot: rdb}
	if ap, err := rdb.AutoPipeline(); err == nil {
		s.hot = ap
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
	return s.prefix + "sess:" + strconv.FormatInt(chatID, 10)
}

func (s *Store) lockKey(chatID int64) string {
	return s.prefix + "lock:" + strconv.FormatInt(chatID, 10)
}

func (s *Store) owedKey(chatID int64) string { return owedKey(s.prefix, chatID) }

func owedKey(prefix string, chatID int64) string {
	return prefix + "owed:" + strconv.FormatInt(chatID, 10)
}

// NewClient opens a client from a redis:// or rediss:// URL, speaking RESP2
// (cheaper per reply than RESP3's push-notification peek) and honouring
// context deadlines on socket I/O, and pings the server. The returned error
// never contains the URL's password.
func NewClient(ctx context.Context, rawURL string) (*goredis.Client, error) {
	if _, err := url.Parse(rawURL); err != nil {
		// url.Error quotes the whole URL, password included: say less.
		return nil, errors.New("redis: the URL does not parse")
	}
	opt, err := goredis.ParseURL(rawURL)
	if err != nil {
		msg := strings.TrimPrefix(scrub(err.Error(), rawURL), "redis: ")
		return nil, fmt.Errorf("redis: invalid URL %s: %s", redact(rawURL), msg)
	}
	opt.Protocol = 2
	opt.ContextTimeoutEnabled = true
	rdb := goredis.NewClient(opt)
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("redis: ping %s: %s", redact(rawURL), scrub(err.Error(), rawURL))
	}
	return rdb, nil
}

// redact returns rawURL with its password masked, or a placeholder when it
// does not parse.
func redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// scrub masks the URL's password wherever it occurs in msg.
func scrub(msg, rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.User == nil {
		return msg
	}
	pw, ok := u.User.Password()
	if !ok || pw == "" {
		return msg
	}
	return strings.ReplaceAll(msg, pw, "xxxxx")
}

// Durable reports whether the server keeps its data on disk (an append-only
// file or RDB snapshots). Sessions and the intake's record live there, so a
// server that keeps nothing loses them when it restarts. A server that
// refuses CONFIG (managed services) is taken as durable.
func Durable(ctx context.Context, rdb *goredis.Client) (bool, error) {
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
