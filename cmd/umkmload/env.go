package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	goredis "github.com/redis/go-redis/v9"

	rstore "github.com/diskum-tangerang/umkmbot/store/redis"
)

// randomName returns n lower-case letters and digits, for names of
// scratch databases and key prefixes.
func randomName(n int) string {
	return strings.ToLower(rand.Text()[:n])
}

// Scratch is a database created for one run, dropped at the end.
type Scratch struct {
	Name     string
	URL      string // the bot's DATABASE_URL
	adminURL string
}

// NewScratch creates database umkmload_<random> on the server of adminURL.
func NewScratch(ctx context.Context, adminURL string) (*Scratch, error) {
	u, err := url.Parse(adminURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("database url: want postgres://…, got %q", redactURL(adminURL))
	}
	name := "umkmload_" + randomName(10)
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", redactURL(adminURL), err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return nil, fmt.Errorf("create database %s: %w", name, err)
	}
	u.Path, u.RawPath = "/"+name, ""
	return &Scratch{Name: name, URL: u.String(), adminURL: adminURL}, nil
}

// Drop drops the database, closing any connection left to it.
func (s *Scratch) Drop(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, s.adminURL)
	if err != nil {
		return fmt.Errorf("drop %s: %w", s.Name, err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{s.Name}.Sanitize()+" WITH (FORCE)")
	if err != nil {
		return fmt.Errorf("drop %s: %w", s.Name, err)
	}
	return nil
}

// redactURL hides a password in a URL.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable url)"
	}
	return u.Redacted()
}

// deletePrefix deletes the Redis keys under prefix (never anything else),
// one key per command so that it works on a Cluster too.
func deletePrefix(ctx context.Context, redisURL, prefix string) (int, error) {
	rdb, err := rstore.NewClient(ctx, redisURL)
	if err != nil {
		return 0, err
	}
	defer rdb.Close()
	var keys []string
	if err := rstore.ScanKeys(ctx, rdb, prefix+"*", func(k string) { keys = append(keys, k) }); err != nil {
		return 0, err
	}
	n := 0
	for len(keys) > 0 {
		batch := keys[:min(len(keys), 500)]
		keys = keys[len(batch):]
		if _, err := rdb.Pipelined(ctx, func(p goredis.Pipeliner) error {
			for _, k := range batch {
				p.Unlink(ctx, k)
			}
			return nil
		}); err != nil {
			return n, err
		}
		n += len(batch)
	}
	return n, nil
}

// pingRedis checks that Redis answers before a run starts.
func pingRedis(ctx context.Context, redisURL string) error {
	rdb, err := rstore.NewClient(ctx, redisURL)
	if err != nil {
		return err
	}
	return rdb.Close()
}
