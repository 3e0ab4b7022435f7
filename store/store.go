// Package store declares the records umkmbot keeps, the sentinel errors its
// stores return, and the store interfaces that every implementation
// (store/memory, store/redis, store/postgres) satisfies and that the
// contract suite in store/storetest checks.
//
// The dashboard adds WebAuthStore (login links, browser sessions),
// StatsStore (aggregates) and Dataset (bulk demo data).
//
// It imports nothing from the project and no driver: flows and cmd may import
// it; implementations live in its sub-packages.
package store

import (
	"context"
	"errors"
	"time"
)

// Sentinel errors. Implementations wrap them; callers test with errors.Is.
var (
	// ErrNotFound: the record does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a compare-and-set lost (the session changed, or the lock
	// was lost) or a uniqueness rule was violated.
	ErrConflict = errors.New("store: conflict")
	// ErrDuplicate: this update id was already handled (or is being handled).
	ErrDuplicate = errors.New("store: duplicate update")
	// ErrBusy: another worker holds the chat's lock.
	ErrBusy = errors.New("store: chat busy")
	// ErrFull: a capacity was reached (seats, quotas).
	ErrFull = errors.New("store: full")
)

// SessionTTL is how long a silent conversation is kept: a half-filled form
// survives weeks of silence.
const SessionTTL = 30 * 24 * time.Hour

// DedupTTL is how long a handled update id is remembered. Telegram keeps an
// unconfirmed update for at most 24 h; twice that is safe.
const DedupTTL = 48 * time.Hour

// LockTTL bounds how long a crashed worker can hold a chat's lock.
const LockTTL = 30 * time.Second

// Session is the state of one chat's conversation. It is small, flat and
// JSON-encoded by the stores.
type Session struct {
	ChatID      int64             `json:"chat"`
	UserID      int64             `json:"user"`
	Lang        string            `json:"lang"`
	Flow        string            `json:"flow,omitempty"`
	FlowVersion int               `json:"fv,omitempty"`
	State       string            `json:"state,omitempty"`
	Data        map[string]string `json:"data,omitempty"`
	// History holds the states visited in the current flow, for "kembali".
	History []string `json:"hist,omitempty"`
	// Tries counts failed answers at the current state.
	Tries int `json:"tries,omitempty"`
	// Then is a command to run when the current flow completes (a booking
	// that waits for the owner to register first); "" when none.
	Then string `json:"then,omitempty"`
	// Drafts keeps a flow's data when the owner leaves it half-way, by flow
	// name, so that it can be resumed later.
	Drafts map[string]Draft `json:"drafts,omitempty"`
	// Version is the compare-and-set counter; stores bump it on each save.
	Version   int64     `json:"v"`
	UpdatedAt time.Time `json:"at"`
}

// Draft is a flow left half-way.
type Draft struct {
	FlowVersion int               `json:"fv"`
	State       string            `json:"state"`
	Data        map[string]string `json:"data,omitempty"`
	History     []string          `json:"hist,omitempty"`
	SavedAt     time.Time         `json:"at"`
}

// Claim is the right to process one update of one chat: the chat's lock,
// the update id's dedup marker and the session as it was when claimed.
type Claim struct {
	ChatID   int64
	UpdateID int64
	Token    string
	// Session is nil when the chat has no session yet.
	Session *Session
}

// SessionStore keeps sessions, per-chat locks and update dedup markers.
//
// Claim, then Commit or Abort: the pair is at most two round trips to the
// server per update.
type SessionStore interface {
	// Claim takes the chat's lock and marks updateID (when not 0) as being
	// handled, and loads the session. It returns ErrDuplicate when the
	// update id was seen before and ErrBusy when another worker holds the
	// lock.
	Claim(ctx context.Context, chatID, updateID int64) (*Claim, error)
	// Commit saves s (nil deletes the session) if the stored version is
	// still the claimed one, bumps s.Version, marks the update as done and
	// releases the lock. It returns ErrConflict when the session changed or
	// the lock was lost; nothing is written then.
	Commit(ctx context.Context, c *Claim, s *Session) error
	// Abort releases the lock and forgets the update id, so that a
	// redelivery of the same update is handled again.
	Abort(ctx context.Context, c *Claim) error
	// Load returns the stored session or ErrNotFound.
	Load(ctx context.Context, chatID int64) (*Session, error)
	// Delete removes the chat's session (data deletion).
	Delete(ctx context.Context, chatID int64) error
}

// User is what umkmbot keeps about a Telegram user outside any registration.
type User struct {
	ID        int64 // Telegram user id
	Lang      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// UserStore keeps users and their language.
type UserStore interface {
	// User returns the user or ErrNotFound.
	User(ctx context.Context, id int64) (User, error)
	// SetLanguage creates the user if needed and stores the language.
	SetLanguage(ctx context.Context, id int64, lang string) error
}

// StaffStore tells who is staff of the Dinas, besides the ids given in the
// configuration.
type StaffStore interface {
	IsStaff(ctx context.Context, id int64) (bool, error)
	AddStaff(ctx context.Context, id int64, name string) error
}
