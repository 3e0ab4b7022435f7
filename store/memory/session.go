package memory

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// processingTTL bounds how long an update id stays marked as being handled
// when its worker neither commits nor aborts (a crash): after it, a
// redelivery is handled again. It matches the Redis store.
const processingTTL = 2 * store.LockTTL

// sweepEvery is how many claims pass between sweeps of expired entries.
const sweepEvery = 1024

type sessionEntry struct {
	raw     []byte // the JSON-encoded session
	version int64
	expires time.Time
}

type lockEntry struct {
	token   string
	expires time.Time
}

type dedupEntry struct {
	done    bool
	expires time.Time
}

// Claim implements store.SessionStore.
func (s *Store) Claim(ctx context.Context, chatID, updateID int64) (*store.Claim, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.claims++
	if s.claims >= sweepEvery {
		s.sweep(now)
	}
	if updateID != 0 {
		if d, ok := s.dedup[updateID]; ok && now.Before(d.expires) {
			return nil, fmt.Errorf("claim update %d: %w", updateID, store.ErrDuplicate)
		}
	}
	if l, ok := s.locks[chatID]; ok && now.Before(l.expires) {
		return nil, fmt.Errorf("claim chat %d: %w", chatID, store.ErrBusy)
	}
	var sess *store.Session
	if e, ok := s.liveSession(chatID, now); ok {
		var err error
		if sess, err = decode(e.raw); err != nil {
			return nil, fmt.Errorf("claim chat %d: %w", chatID, err)
		}
	}
	token := rand.Text()
	s.locks[chatID] = lockEntry{token: token, expires: now.Add(store.LockTTL)}
	if updateID != 0 {
		s.dedup[updateID] = dedupEntry{expires: now.Add(processingTTL)}
	}
	return &store.Claim{ChatID: chatID, UpdateID: updateID, Token: token, Session: sess}, nil
}

// Commit implements store.SessionStore.
func (s *Store) Commit(ctx context.Context, c *store.Claim, sess *store.Session) error {
	if c == nil {
		return errors.New("memory: commit without a claim")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	l, ok := s.locks[c.ChatID]
	if !ok || l.token != c.Token || !now.Before(l.expires) {
		return fmt.Errorf("commit chat %d: lock lost: %w", c.ChatID, store.ErrConflict)
	}
	cur, exists := s.liveSession(c.ChatID, now)
	if exists != (c.Session != nil) || (exists && cur.version != c.Session.Version) {
		delete(s.locks, c.ChatID)
		return fmt.Errorf("commit chat %d: session changed: %w", c.ChatID, store.ErrConflict)
	}
	var old int64
	if exists {
		old = cur.version
	}
	var upd store.Session
	if sess != nil {
		upd = *sess
		upd.Version = old + 1
		upd.UpdatedAt = now.UTC().Round(0)
		raw, err := json.Marshal(&upd)
		if err != nil {
			return fmt.Errorf("commit chat %d: encode session: %w", c.ChatID, err)
		}
		s.sessions[c.ChatID] = sessionEntry{raw: raw, version: upd.Version, expires: now.Add(store.SessionTTL)}
	} else {
		delete(s.sessions, c.ChatID)
	}
	if c.UpdateID != 0 {
		s.dedup[c.UpdateID] = dedupEntry{done: true, expires: now.Add(store.DedupTTL)}
	}
	delete(s.locks, c.ChatID)
	if sess != nil {
		sess.Version, sess.UpdatedAt = upd.Version, upd.UpdatedAt
	}
	return nil
}

// Abort implements store.SessionStore.
func (s *Store) Abort(ctx context.Context, c *store.Claim) error {
	if c == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if l, ok := s.locks[c.ChatID]; ok && l.token == c.Token {
		delete(s.locks, c.ChatID)
	}
	if c.UpdateID != 0 {
		if d, ok := s.dedup[c.UpdateID]; ok && !d.done {
			delete(s.dedup, c.UpdateID)
		}
	}
	return nil
}

// Load implements store.SessionStore.
func (s *Store) Load(ctx context.Context, chatID int64) (*store.Session, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.liveSession(chatID, s.now())
	if !ok {
		return nil, fmt.Errorf("load chat %d: %w", chatID, store.ErrNotFound)
	}
	sess, err := decode(e.raw)
	if err != nil {
		return nil, fmt.Errorf("load chat %d: %w", chatID, err)
	}
	return sess, nil
}

// Delete implements store.SessionStore.
func (s *Store) Delete(ctx context.Context, chatID int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, chatID)
	return nil
}

// liveSession returns the chat's session entry unless it is missing or
// expired; an expired entry is dropped. s.mu must be held.
func (s *Store) liveSession(chatID int64, now time.Time) (sessionEntry, bool) {
	e, ok := s.sessions[chatID]
	if ok && !now.Before(e.expires) {
		delete(s.sessions, chatID)
		return sessionEntry{}, false
	}
	return e, ok
}

// sweep drops expired locks, dedup markers and sessions so that a
// long-running process does not grow without bound. s.mu must be held.
func (s *Store) sweep(now time.Time) {
	s.claims = 0
	for id, d := range s.dedup {
		if !now.Before(d.expires) {
			delete(s.dedup, id)
		}
	}
	for id, l := range s.locks {
		if !now.Before(l.expires) {
			delete(s.locks, id)
		}
	}
	for id, e := range s.sessions {
		if !now.Before(e.expires) {
			delete(s.sessions, id)
		}
	}
}

func decode(raw []byte) (*store.Session, error) {
	var sess store.Session
	if err := json.Unmarshal(raw, &sess); err != nil {
		return nil, fmt.Errorf("decode session: %w", err)
	}
	return &sess, nil
}
