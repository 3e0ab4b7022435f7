package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/diskum-tangerang/umkmbot/store"
)

// WebAuth is a store.WebAuthStore on Redis, shared by every replica: login
// links under "web:login:<hash>" (the staff id, expiring with the link) and
// sessions under "web:sess:<hash>" (JSON, with a TTL restarted on each use).
// A link is taken with GETDEL, so two browsers racing for it cannot both
// win.
type WebAuth struct {
	rdb    goredis.UniversalClient
	prefix string
}

var _ store.WebAuthStore = (*WebAuth)(nil)

// NewWebAuth returns the store keeping its keys under prefix.
func NewWebAuth(rdb goredis.UniversalClient, prefix string) *WebAuth {
	return &WebAuth{rdb: rdb, prefix: prefix}
}

func (w *WebAuth) loginKey(hash string) string { return w.prefix + "web:login:" + hash }
func (w *WebAuth) sessKey(hash string) string  { return w.prefix + "web:sess:" + hash }

// PutLogin implements store.WebAuthStore.
func (w *WebAuth) PutLogin(ctx context.Context, hash string, staff int64, ttl time.Duration) error {
	if err := w.rdb.Set(ctx, w.loginKey(hash), staff, ttl).Err(); err != nil {
		return fmt.Errorf("redis: put login link: %w", err)
	}
	return nil
}

// TakeLogin implements store.WebAuthStore.
func (w *WebAuth) TakeLogin(ctx context.Context, hash string) (int64, error) {
	v, err := w.rdb.GetDel(ctx, w.loginKey(hash)).Result()
	if errors.Is(err, goredis.Nil) {
		return 0, fmt.Errorf("login link: %w", store.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("redis: take login link: %w", err)
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("redis: login link holds %q: %w", v, err)
	}
	return id, nil
}

// PutWebSession implements store.WebAuthStore.
func (w *WebAuth) PutWebSession(ctx context.Context, hash string, s store.WebSession, idle time.Duration) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if err := w.rdb.Set(ctx, w.sessKey(hash), b, idle).Err(); err != nil {
		return fmt.Errorf("redis: put web session: %w", err)
	}
	return nil
}

// WebSession implements store.WebAuthStore.
func (w *WebAuth) WebSession(ctx context.Context, hash string, idle time.Duration) (store.WebSession, error) {
	var s store.WebSession
	b, err := w.rdb.GetEx(ctx, w.sessKey(hash), idle).Bytes()
	if errors.Is(err, goredis.Nil) {
		return s, fmt.Errorf("web session: %w", store.ErrNotFound)
	}
	if err != nil {
		return s, fmt.Errorf("redis: web session: %w", err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return s, fmt.Errorf("redis: web session: %w", err)
	}
	return s, nil
}

// DeleteWebSession implements store.WebAuthStore.
func (w *WebAuth) DeleteWebSession(ctx context.Context, hash string) error {
	if err := w.rdb.Del(ctx, w.sessKey(hash)).Err(); err != nil {
		return fmt.Errorf("redis: delete web session: %w", err)
	}
	return nil
}
