package memory

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// sweepEvery is how many claims pass between sweeps of expired entries.
const sweepEvery = 1024

type sessionEntry struct {
	raw     []byte // the session, store.EncodeSession
	version int64
	expires time.Time
}

type lockEntry struct {
	token   string
	expires time.Time
}

type owedEntry struct {
	raw     []byte // the record, store.EncodeOwed
	version int64
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
	if l, ok := s.locks[chatID]; ok && now.Before(l.expires) {
		return nil, fmt.Errorf("claim chat %d: %w", chatID, store.ErrBusy)
	}
	c := &store.Claim{ChatID: chatID, UpdateID: updateID}
	if e, ok := s.liveSession(chatID, now); ok {
		var err error
		c.SessionRaw = slices.Clone(e.raw)
		if c.Session, err = store.DecodeSession(e.raw); err != nil {
			return nil, fmt.Errorf("claim chat %d: %w", chatID, err)
		}
	}
	if e, ok := s.liveOwed(chatID, now); ok {
		var err error
		if c.Owed, err = store.DecodeOwed(e.raw); err != nil {
			return nil, fmt.Errorf("claim chat %d: %w", chatID, err)
		}
	}
	if updateID != 0 && c.Session != nil && updateID <= c.Session.LastUpdate {
		return c, fmt.Errorf("claim update %d: %w", updateID, store.ErrDuplicate)
	}
	c.Token = rand.Text()
	s.locks[chatID] = lockEntry{token: c.Token, expires: now.Add(store.LockTTL)}
	return c, nil
}

// Renew implements store.SessionStore.
func (s *Store) Renew(ctx context.Context, c *store.Claim) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if !s.holds(c, now) {
		return fmt.Errorf("renew chat %d: lock lost: %w", c.ChatID, store.ErrConflict)
	}
	s.locks[c.ChatID] = lockEntry{token: c.Token, expires: now.Add(store.LockTTL)}
	return nil
}

// holds reports whether c still holds its chat's lock. s.mu must be held.
func (s *Store) holds(c *store.Claim, now time.Time) bool {
	l, ok := s.locks[c.ChatID]
	return ok && l.token == c.Token && now.Before(l.expires)
}

// Commit implements store.SessionStore.
func (s *Store) Commit(ctx context.Context, c *store.Claim, sess *store.Session, owed *store.Owed, ttl time.Duration) error {
	if c == nil {
		return errors.New("memory: commit without a claim")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if !s.holds(c, now) {
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
	var raw, owedRaw []byte
	if sess != nil {
		upd = *sess
		upd.Version = old + 1
		upd.LastUpdate = max(upd.LastUpdate, c.UpdateID)
		upd.UpdatedAt = now.UTC().Round(0)
		raw = store.EncodeSession(&upd)
	}
	if owed != nil {
		owedRaw = store.EncodeOwed(owed)
	}
	if sess != nil {
		s.sessions[c.ChatID] = sessionEntry{raw: raw, version: upd.Version, expires: now.Add(store.SessionTTL)}
	} else {
		delete(s.sessions, c.ChatID)
	}
	if owed != nil {
		s.owed[c.ChatID] = owedEntry{raw: owedRaw, version: owed.Version, expires: now.Add(ttl)}
	}
	delete(s.locks, c.ChatID)
	if sess != nil {
		sess.Version, sess.LastUpdate, sess.UpdatedAt = upd.Version, upd.LastUpdate, upd.UpdatedAt
	}
	return nil
}

// Abort implements store.SessionStore.
func (s *Store) Abort(ctx context.Context, c *store.Claim) error {
	if c == nil || c.Token == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if l, ok := s.locks[c.ChatID]; ok && l.token == c.Token {
		delete(s.locks, c.ChatID)
	}
	return nil
}

// SetOwed implements store.SessionStore.
func (s *Store) SetOwed(ctx context.Context, chatID int64, o *store.Owed, ttl time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if o == nil {
		return fmt.Errorf("set owed chat %d: nil record", chatID)
	}
	raw := store.EncodeOwed(o)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	e, ok := s.liveOwed(chatID, now)
	if !ok || e.version != o.Version {
		return fmt.Errorf("set owed chat %d: version %d replaced: %w", chatID, o.Version, store.ErrConflict)
	}
	s.owed[chatID] = owedEntry{raw: raw, version: o.Version, expires: now.Add(ttl)}
	return nil
}

// SetOwedMany implements store.SessionStore.
func (s *Store) SetOwedMany(ctx context.Context, items []store.OwedItem) error {
	for _, it := range items {
		if err := s.SetOwed(ctx, it.ChatID, it.Owed, it.TTL); err != nil && !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return nil
}

// LoadOwed implements store.SessionStore.
func (s *Store) LoadOwed(ctx context.Context, chatID int64) (*store.Owed, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.liveOwed(chatID, s.now())
	if !ok {
		return nil, fmt.Errorf("load owed chat %d: %w", chatID, store.ErrNotFound)
	}
	return store.DecodeOwed(e.raw)
}

// OwedChats implements store.SessionStore.
func (s *Store) OwedChats(ctx context.Context) ([]int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	var chats []int64
	for id := range s.owed {
		if _, ok := s.liveOwed(id, now); ok {
			chats = append(chats, id)
		}
	}
	slices.Sort(chats)
	return chats, nil
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
	sess, err := store.DecodeSession(e.raw)
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
	delete(s.owed, chatID)
	return nil
}

// liveOwed returns the chat's owed entry unless it is missing or expired;
// an expired entry is dropped. s.mu must be held.
func (s *Store) liveOwed(chatID int64, now time.Time) (owedEntry, bool) {
	e, ok := s.owed[chatID]
	if ok && !now.Before(e.expires) {
		delete(s.owed, chatID)
		return owedEntry{}, false
	}
	return e, ok
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

// sweep drops expired locks, owed records and sessions so that a
// long-running process does not grow without bound. s.mu must be held.
func (s *Store) sweep(now time.Time) {
	s.claims = 0
	for id, o := range s.owed {
		if !now.Before(o.expires) {
			delete(s.owed, id)
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
