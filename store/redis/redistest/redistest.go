// Package redistest gives tests of any package a client of the real Redis
// server and a random key prefix of their own.
//
// The server comes from REDIS_URL (default redis://127.0.0.1:6379/0). When
// it is unreachable the test is skipped, or fails when CI=true. Only keys
// under the returned prefix may be written; they are deleted (SCAN MATCH
// prefix* + DEL) when the test ends. The database is never flushed, because
// test binaries of several packages share it. Only tests import this
// package.
package redistest

import (
	"context"
	"crypto/rand"
	"os"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	redisstore "github.com/diskum-tangerang/umkmbot/store/redis"
)

// DefaultURL is the server used when REDIS_URL is not set.
const DefaultURL = "redis://127.0.0.1:6379/0"

// URL returns REDIS_URL or DefaultURL.
func URL() string {
	if u := os.Getenv("REDIS_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// New returns a client and a fresh prefix "test:<random>:". The client is
// closed and the prefix's keys deleted in t.Cleanup.
func New(t testing.TB) (goredis.UniversalClient, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rdb, err := redisstore.NewClient(ctx, URL())
	if err != nil {
		Unavailable(t, err)
	}
	prefix := "test:" + rand.Text() + ":"
	t.Cleanup(func() {
		defer rdb.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := deletePrefix(ctx, rdb, prefix); err != nil {
			t.Errorf("redistest: delete keys %s*: %v", prefix, err)
		}
	})
	return rdb, prefix
}

// Unavailable skips the test because the server cannot be reached, or
// fails it when CI=true, where a missing server must not pass unnoticed.
func Unavailable(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("redis unavailable: %v", err)
	}
	t.Skipf("redis unavailable: %v", err)
}

// deletePrefix deletes every key under prefix (on every master of a
// Cluster), one key per command so that no command spans hash slots.
func deletePrefix(ctx context.Context, rdb goredis.UniversalClient, prefix string) error {
	var keys []string
	if err := redisstore.ScanKeys(ctx, rdb, prefix+"*", func(k string) { keys = append(keys, k) }); err != nil {
		return err
	}
	for len(keys) > 0 {
		batch := keys[:min(len(keys), 500)]
		keys = keys[len(batch):]
		if _, err := rdb.Pipelined(ctx, func(p goredis.Pipeliner) error {
			for _, k := range batch {
				p.Del(ctx, k)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}
