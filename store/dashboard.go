package store

import (
	"context"
	"time"
)

// WebSession is a staff member's browser signed in to the dashboard.
type WebSession struct {
	Staff int64 `json:"staff"`
	// CSRF is the token every form of the session posts back.
	CSRF      string    `json:"csrf"`
	CreatedAt time.Time `json:"at"`
}

// WebAuthStore keeps the dashboard's one-time login links and its browser
// sessions. Both are keyed by a hash of their secret token: the tokens
// themselves are never stored.
type WebAuthStore interface {
	// PutLogin stores a login link of staff, valid for ttl.
	PutLogin(ctx context.Context, hash string, staff int64, ttl time.Duration) error
	// TakeLogin returns the staff member of a link and deletes the link in
	// the same step, so that it works once. An unknown, used or expired
	// link is ErrNotFound.
	TakeLogin(ctx context.Context, hash string) (int64, error)
	// PutWebSession stores a session that ends after idle without use.
	PutWebSession(ctx context.Context, hash string, s WebSession, idle time.Duration) error
	// WebSession returns the session and restarts its idle time, or
	// ErrNotFound.
	WebSession(ctx context.Context, hash string, idle time.Duration) (WebSession, error)
	// DeleteWebSession ends a session (logout).
	DeleteWebSession(ctx context.Context, hash string) error
}
