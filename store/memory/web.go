package memory

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// WebAuth is a store.WebAuthStore in memory, for `umkmbot chat` without
// Redis and for tests. Expired entries are dropped when next read.
type WebAuth struct {
	now func() time.Time

	mu       sync.Mutex
	logins   map[string]webEntry[int64]
	sessions map[string]webEntry[store.WebSession]
}

type webEntry[T any] struct {
	v     T
	until time.Time
}

var _ store.WebAuthStore = (*WebAuth)(nil)

// NewWebAuth returns an empty store reading time from now (time.Now when
// nil).
func NewWebAuth(now func() time.Time) *WebAuth {
	if now == nil {
		now = time.Now
	}
	return &WebAuth{now: now, logins: map[string]webEntry[int64]{},
		sessions: map[string]webEntry[store.WebSession]{}}
}

// PutLogin implements store.WebAuthStore.
func (w *WebAuth) PutLogin(_ context.Context, hash string, staff int64, ttl time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.logins[hash] = webEntry[int64]{staff, w.now().Add(ttl)}
	return nil
}

// TakeLogin implements store.WebAuthStore.
func (w *WebAuth) TakeLogin(_ context.Context, hash string) (int64, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	e, ok := w.logins[hash]
	delete(w.logins, hash)
	if !ok || !w.now().Before(e.until) {
		return 0, fmt.Errorf("login link: %w", store.ErrNotFound)
	}
	return e.v, nil
}

// PutWebSession implements store.WebAuthStore.
func (w *WebAuth) PutWebSession(_ context.Context, hash string, s store.WebSession, idle time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.sessions[hash] = webEntry[store.WebSession]{s, w.now().Add(idle)}
	return nil
}

// WebSession implements store.WebAuthStore.
func (w *WebAuth) WebSession(_ context.Context, hash string, idle time.Duration) (store.WebSession, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	e, ok := w.sessions[hash]
	if !ok || !w.now().Before(e.until) {
		delete(w.sessions, hash)
		return store.WebSession{}, fmt.Errorf("web session: %w", store.ErrNotFound)
	}
	e.until = w.now().Add(idle)
	w.sessions[hash] = e
	return e.v, nil
}

// DeleteWebSession implements store.WebAuthStore.
func (w *WebAuth) DeleteWebSession(_ context.Context, hash string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.sessions, hash)
	return nil
}
