package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	goredis "github.com/redis/go-redis/v9"
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

// deletePrefix deletes the Redis keys under prefix (never anything else).
func deletePrefix(ctx context.Context, redisURL, prefix string) (int, error) {
	opt, err := goredis.ParseURL(redisURL)
	if err != nil {
		return 0, fmt.Errorf("redis url: %w", err)
	}
	rdb := goredis.NewClient(opt)
	defer rdb.Close()
	n := 0
	iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	var batch []string
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := rdb.Unlink(ctx, batch...).Err()
		n += len(batch)
		batch = batch[:0]
		return err
	}
	for iter.Next(ctx) {
		batch = append(batch, iter.Val())
		if len(batch) == 500 {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := iter.Err(); err != nil {
		return n, err
	}
	return n, flush()
}

// pingRedis checks that Redis answers before a run starts.
func pingRedis(ctx context.Context, redisURL string) error {
	opt, err := goredis.ParseURL(redisURL)
	if err != nil {
		return fmt.Errorf("redis url: %w", err)
	}
	rdb := goredis.NewClient(opt)
	defer rdb.Close()
	if err := rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis %s: %w", redactURL(redisURL), err)
	}
	return nil
}
