package memory

import (
	"context"
	"fmt"

	"github.com/diskum-tangerang/umkmbot/store"
)

// User implements store.UserStore.
func (s *Store) User(ctx context.Context, id int64) (store.User, error) {
	if err := ctx.Err(); err != nil {
		return store.User{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[id]
	if !ok {
		return store.User{}, fmt.Errorf("user %d: %w", id, store.ErrNotFound)
	}
	return u, nil
}

// SetLanguage implements store.UserStore: it creates the user when needed.
func (s *Store) SetLanguage(ctx context.Context, id int64, lang string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().UTC().Round(0)
	u, ok := s.users[id]
	if !ok {
		u = store.User{ID: id, CreatedAt: now}
	}
	u.Lang, u.UpdatedAt = lang, now
	s.users[id] = u
	return nil
}

// SetClientLanguage implements store.UserStore: it creates the user when
// needed.
func (s *Store) SetClientLanguage(ctx context.Context, id int64, lang string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().UTC().Round(0)
	u, ok := s.users[id]
	if !ok {
		u = store.User{ID: id, CreatedAt: now}
	}
	u.ClientLang, u.UpdatedAt = lang, now
	s.users[id] = u
	return nil
}

// IsStaff implements store.StaffStore.
func (s *Store) IsStaff(ctx context.Context, id int64) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.staff[id]
	return ok, nil
}

// AddStaff implements store.StaffStore: adding someone again updates the
// name.
func (s *Store) AddStaff(ctx context.Context, id int64, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.staff[id] = name
	return nil
}
