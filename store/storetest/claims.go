package storetest

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

func testDedup(t *testing.T, newStore newSessionStore) {
	tests := []struct {
		name string
		// setup runs first; then Claim(chat, update) must give want.
		setup  func(t *testing.T, s store.SessionStore)
		chat   int64
		update int64
		want   error
	}{
		{"after commit", func(t *testing.T, s store.SessionStore) {
			save(t, s, 1, 10, 1)
		}, 1, 10, store.ErrDuplicate},
		{"an older id after commit", func(t *testing.T, s store.SessionStore) {
			save(t, s, 1, 10, 1)
		}, 1, 9, store.ErrDuplicate},
		{"the same id in another chat", func(t *testing.T, s store.SessionStore) {
			save(t, s, 1, 10, 1)
		}, 2, 10, nil},
		{"while processing, same chat", func(t *testing.T, s store.SessionStore) {
			mustClaim(t, s, 1, 10)
		}, 1, 10, store.ErrBusy},
		{"after abort", func(t *testing.T, s store.SessionStore) {
			c := mustClaim(t, s, 1, 10)
			wantErr(t, "Abort", s.Abort(bg(t), c), nil)
		}, 1, 10, nil},
		{"after abort following commit", func(t *testing.T, s store.SessionStore) {
			c := mustClaim(t, s, 1, 10)
			mustCommit(t, s, c, &store.Session{ChatID: 1})
			wantErr(t, "Abort after Commit", s.Abort(bg(t), c), nil)
		}, 1, 10, store.ErrDuplicate},
		{"after a conflict and abort", func(t *testing.T, s store.SessionStore) {
			c := mustClaim(t, s, 1, 10)
			stale := *c
			stale.Session = &store.Session{ChatID: 1, Version: 5}
			wantErr(t, "Commit of a stale claim", s.Commit(bg(t), &stale, &store.Session{ChatID: 1}, nil, 0), store.ErrConflict)
			wantErr(t, "Abort", s.Abort(bg(t), c), nil)
		}, 1, 10, nil},
		{"update id 0, twice", func(t *testing.T, s store.SessionStore) {
			save(t, s, 1, 0, 1)
		}, 1, 0, nil},
		{"update id 0 after a real id", func(t *testing.T, s store.SessionStore) {
			save(t, s, 1, 10, 1)
		}, 1, 0, nil},
		{"a later update id", func(t *testing.T, s store.SessionStore) {
			save(t, s, 1, 10, 1)
		}, 1, 12, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			tt.setup(t, s)
			c, err := s.Claim(bg(t), tt.chat, tt.update)
			wantErr(t, "Claim", err, tt.want)
			switch {
			case errors.Is(err, store.ErrDuplicate):
				if c == nil || c.Session == nil {
					t.Fatalf("duplicate Claim returned %+v, want the stored session", c)
				}
				// A duplicate holds no lock: the next update goes ahead.
				mustClaim(t, s, tt.chat, tt.update+100)
			case err != nil && c != nil:
				t.Errorf("Claim returned a claim %+v with error %v", c, err)
			}
		})
	}
}

func testBusy(t *testing.T, newStore newSessionStore) {
	tests := []struct {
		name string
		// release ends the first claim (or not); then a second claim of the
		// same chat must give want.
		release func(t *testing.T, s store.SessionStore, c *store.Claim)
		want    error
	}{
		{"held", func(*testing.T, store.SessionStore, *store.Claim) {}, store.ErrBusy},
		{"held, no update id", func(*testing.T, store.SessionStore, *store.Claim) {}, store.ErrBusy},
		{"committed", func(t *testing.T, s store.SessionStore, c *store.Claim) {
			mustCommit(t, s, c, &store.Session{ChatID: c.ChatID})
		}, nil},
		{"aborted", func(t *testing.T, s store.SessionStore, c *store.Claim) {
			wantErr(t, "Abort", s.Abort(bg(t), c), nil)
		}, nil},
		{"lost a conflict", func(t *testing.T, s store.SessionStore, c *store.Claim) {
			stale := *c
			stale.Session = &store.Session{ChatID: c.ChatID, Version: 9}
			wantErr(t, "stale Commit", s.Commit(bg(t), &stale, &store.Session{}, nil, 0), store.ErrConflict)
		}, nil},
		{"forged token refused", func(t *testing.T, s store.SessionStore, c *store.Claim) {
			forged := *c
			forged.Token = "not-the-token"
			wantErr(t, "Abort with a forged token", s.Abort(bg(t), &forged), nil)
			wantErr(t, "Commit with a forged token", s.Commit(bg(t), &forged, &store.Session{}, nil, 0), store.ErrConflict)
		}, store.ErrBusy},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			var first int64 = 10
			if i == 1 {
				first = 0
			}
			c := mustClaim(t, s, 1, first)
			_, err := s.Claim(bg(t), 2, 20)
			wantErr(t, "Claim of another chat", err, nil)
			tt.release(t, s, c)
			_, err = s.Claim(bg(t), 1, 11)
			wantErr(t, "second Claim", err, tt.want)
		})
	}
}

func testAbort(t *testing.T, newStore newSessionStore) {
	s := newStore(t)
	save(t, s, 1, 1, 1)
	c := mustClaim(t, s, 1, 2)
	c.Session.Data["n"] = "changed, then aborted"
	wantErr(t, "Abort", s.Abort(bg(t), c), nil)
	if _, n := loadN(t, s, 1); n != "1" {
		t.Errorf("after Abort: n %q, want the committed 1", n)
	}
	again := mustClaim(t, s, 1, 2) // the same update id is handled again
	if again.Session == nil || again.Session.Version != 1 {
		t.Fatalf("reclaim after Abort: session %+v, want version 1", again.Session)
	}
	// A late Abort of the first claim touches neither the new lock nor the
	// update id.
	wantErr(t, "late Abort", s.Abort(bg(t), c), nil)
	_, err := s.Claim(bg(t), 1, 3)
	wantErr(t, "Claim after a late Abort", err, store.ErrBusy)
	mustCommit(t, s, again, again.Session)
	wantErr(t, "Abort after Commit", s.Abort(bg(t), again), nil)
	_, err = s.Claim(bg(t), 1, 2)
	wantErr(t, "Claim of a committed update after Abort", err, store.ErrDuplicate)
	wantErr(t, "Abort(nil)", s.Abort(bg(t), nil), nil)
}

func testConflict(t *testing.T, newStore newSessionStore) {
	tests := []struct {
		name string
		// stale turns a valid claim of a chat stored at version 2 into one
		// whose Commit must fail.
		stale func(t *testing.T, s store.SessionStore, c *store.Claim) *store.Claim
		// lockFree says whether the chat's lock is free after the failure.
		lockFree bool
	}{
		{"older version", func(_ *testing.T, _ store.SessionStore, c *store.Claim) *store.Claim {
			old := *c.Session
			old.Version = 1
			cp := *c
			cp.Session = &old
			return &cp
		}, true},
		{"newer version", func(_ *testing.T, _ store.SessionStore, c *store.Claim) *store.Claim {
			old := *c.Session
			old.Version = 3
			cp := *c
			cp.Session = &old
			return &cp
		}, true},
		{"claimed no session but one exists", func(_ *testing.T, _ store.SessionStore, c *store.Claim) *store.Claim {
			cp := *c
			cp.Session = nil
			return &cp
		}, true},
		{"session deleted meanwhile", func(t *testing.T, s store.SessionStore, c *store.Claim) *store.Claim {
			wantErr(t, "Delete", s.Delete(bg(t), c.ChatID), nil)
			return c
		}, true},
		{"wrong token", func(_ *testing.T, _ store.SessionStore, c *store.Claim) *store.Claim {
			cp := *c
			cp.Token = "stolen"
			return &cp
		}, false},
		{"already committed", func(t *testing.T, s store.SessionStore, c *store.Claim) *store.Claim {
			mustCommit(t, s, c, c.Session)
			// The stored session is now version 3; the commit below must not
			// overwrite it.
			return c
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			save(t, s, 1, 1, 1)
			save(t, s, 1, 2, 2)
			c := mustClaim(t, s, 1, 3)
			bad := tt.stale(t, s, c)
			before, beforeErr := s.Load(bg(t), 1)

			attempt := &store.Session{ChatID: 1, Data: map[string]string{"n": "lost"}}
			err := s.Commit(bg(t), bad, attempt, &store.Owed{Version: 99, Status: store.OwedPending}, time.Minute)
			wantErr(t, "Commit", err, store.ErrConflict)
			if attempt.Version != 0 || !attempt.UpdatedAt.IsZero() {
				t.Errorf("failed Commit changed the caller's session: version %d, at %v", attempt.Version, attempt.UpdatedAt)
			}
			after, afterErr := s.Load(bg(t), 1)
			sameErr := (afterErr == nil) == (beforeErr == nil) &&
				errors.Is(afterErr, store.ErrNotFound) == errors.Is(beforeErr, store.ErrNotFound)
			if !sameErr || !reflect.DeepEqual(after, before) {
				t.Errorf("failed Commit wrote: before %+v (%v), after %+v (%v)", before, beforeErr, after, afterErr)
			}
			if o, err := s.LoadOwed(bg(t), 1); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("failed Commit wrote the owed record %+v (%v)", o, err)
			}
			_, err = s.Claim(bg(t), 1, 4)
			if tt.lockFree {
				wantErr(t, "Claim after the conflict", err, nil)
			} else {
				wantErr(t, "Claim after the conflict", err, store.ErrBusy)
				mustCommit(t, s, c, c.Session) // the real holder still can
			}
		})
	}
}

func testCommitNil(t *testing.T, newStore newSessionStore) {
	s := newStore(t)
	save(t, s, 1, 1, 1)
	c := mustClaim(t, s, 1, 2)
	mustCommit(t, s, c, nil)
	_, err := s.Load(bg(t), 1)
	wantErr(t, "Load after Commit(nil)", err, store.ErrNotFound)
	c = mustClaim(t, s, 1, 3)
	if c.Session != nil {
		t.Errorf("Claim after Commit(nil): session %+v, want nil", c.Session)
	}
	mustCommit(t, s, c, nil) // deleting nothing is fine
	if sess := save(t, s, 1, 4, 4); sess.Version != 1 {
		t.Errorf("first save after a delete: version %d, want 1", sess.Version)
	}
}

func testDelete(t *testing.T, newStore newSessionStore) {
	s := newStore(t)
	save(t, s, 1, 1, 1)
	save(t, s, 2, 2, 2)
	wantErr(t, "Delete", s.Delete(bg(t), 1), nil)
	wantErr(t, "Delete of a missing session", s.Delete(bg(t), 1), nil)
	_, err := s.Load(bg(t), 1)
	wantErr(t, "Load after Delete", err, store.ErrNotFound)
	if _, n := loadN(t, s, 2); n != "2" {
		t.Errorf("Delete of chat 1 touched chat 2: n %q", n)
	}
	// Delete drops the session and the owed record; a held lock stays.
	c := mustClaim(t, s, 2, 3)
	wantErr(t, "Delete of a held chat", s.Delete(bg(t), 2), nil)
	_, err = s.Claim(bg(t), 2, 4)
	wantErr(t, "Claim after Delete", err, store.ErrBusy)
	wantErr(t, "Abort", s.Abort(bg(t), c), nil)
}
