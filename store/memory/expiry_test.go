package memory_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/memory"
)

// clock is a manual clock for WithClock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestExpiry(t *testing.T) {
	const second = time.Second
	tests := []struct {
		name string
		// setup leaves state behind; then the clock moves by wait and
		// Claim(1, update) must give want.
		setup  func(t *testing.T, s *memory.Store)
		wait   time.Duration
		update int64
		want   error
		// session says whether chat 1 still has a session at the end.
		session bool
	}{
		{"session kept within its TTL", commit(1), store.SessionTTL - second, 2, nil, true},
		{"session expires", commit(1), store.SessionTTL, 2, nil, false},
		{"handled update refused while the session lives", commit(1), store.SessionTTL - second, 1, store.ErrDuplicate, true},
		{"lock held within its lease", claimOnly(1, 1), store.LockTTL - time.Millisecond, 2, store.ErrBusy, false},
		{"lock expires", claimOnly(1, 1), store.LockTTL, 2, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &clock{now: time.Date(2025, 8, 17, 10, 0, 0, 0, time.UTC)}
			s := memory.New(memory.WithClock(clk.Now))
			tt.setup(t, s)
			clk.Advance(tt.wait)
			c, err := s.Claim(t.Context(), 1, tt.update)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("Claim: %v, want %v", err, tt.want)
			}
			if c != nil && (c.Session != nil) != tt.session {
				t.Errorf("claimed session %+v, want present %v", c.Session, tt.session)
			}
			_, err = s.Load(t.Context(), 1)
			if got := err == nil; got != tt.session {
				t.Errorf("Load: %v, want a session: %v", err, tt.session)
			}
		})
	}
}

// TestSlidingSessionTTL checks that each commit restarts the session's TTL.
func TestSlidingSessionTTL(t *testing.T) {
	clk := &clock{now: time.Date(2025, 8, 17, 10, 0, 0, 0, time.UTC)}
	s := memory.New(memory.WithClock(clk.Now))
	for i := int64(1); i <= 3; i++ {
		commit(i)(t, s)
		clk.Advance(store.SessionTTL - time.Hour)
	}
	if _, err := s.Load(t.Context(), 1); err != nil {
		t.Fatalf("Load after sliding commits: %v", err)
	}
	clk.Advance(time.Hour)
	if _, err := s.Load(t.Context(), 1); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Load after the TTL: %v, want ErrNotFound", err)
	}
}

// TestExpiredLockLosesCommit checks that a worker whose lock expired and was
// taken over cannot commit over the new holder.
func TestExpiredLockLosesCommit(t *testing.T) {
	clk := &clock{now: time.Date(2025, 8, 17, 10, 0, 0, 0, time.UTC)}
	s := memory.New(memory.WithClock(clk.Now))
	slow, err := s.Claim(t.Context(), 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(store.LockTTL)
	if err := s.Commit(t.Context(), slow, &store.Session{ChatID: 1}, nil, 0); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("Commit after the lock expired: %v, want ErrConflict", err)
	}
	fast, err := s.Claim(t.Context(), 1, 2)
	if err != nil {
		t.Fatalf("Claim after the lock expired: %v", err)
	}
	if err := s.Commit(t.Context(), slow, &store.Session{ChatID: 1}, nil, 0); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("late Commit over a new holder: %v, want ErrConflict", err)
	}
	if err := s.Commit(t.Context(), fast, &store.Session{ChatID: 1}, nil, 0); err != nil {
		t.Fatalf("Commit of the new holder: %v", err)
	}
}

// TestSweep runs enough claims to trigger the sweep of expired entries and
// checks that live state survives it.
func TestSweep(t *testing.T) {
	clk := &clock{now: time.Date(2025, 8, 17, 10, 0, 0, 0, time.UTC)}
	s := memory.New(memory.WithClock(clk.Now))
	commit(1)(t, s)
	for i := int64(2); i < 2000; i++ {
		c, err := s.Claim(t.Context(), 1000+i, i)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Commit(t.Context(), c, nil, &store.Owed{Version: 1}, time.Nanosecond); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Millisecond)
	}
	if _, err := s.Claim(t.Context(), 1, 1); !errors.Is(err, store.ErrDuplicate) {
		t.Errorf("Claim of a handled update after sweeps: %v, want ErrDuplicate", err)
	}
	if _, err := s.Load(t.Context(), 1); err != nil {
		t.Errorf("Load of a live session after sweeps: %v", err)
	}
}

// commit returns a setup that saves a session for chat 1 under update id.
func commit(update int64) func(t *testing.T, s *memory.Store) {
	return func(t *testing.T, s *memory.Store) {
		t.Helper()
		c, err := s.Claim(t.Context(), 1, update)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Commit(t.Context(), c, &store.Session{ChatID: 1, Lang: "id"}, nil, 0); err != nil {
			t.Fatal(err)
		}
	}
}

// claimOnly returns a setup that claims chat and update and never finishes.
func claimOnly(chat, update int64) func(t *testing.T, s *memory.Store) {
	return func(t *testing.T, s *memory.Store) {
		t.Helper()
		if _, err := s.Claim(t.Context(), chat, update); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLeaseRenewedAndExpired: a lock nobody renews (its holder died) is
// free after store.LockTTL; one renewed outlives it; an owed record lives
// as long as the TTL it was given.
func TestLeaseRenewedAndExpired(t *testing.T) {
	clk := &clock{now: time.Date(2025, 8, 17, 10, 0, 0, 0, time.UTC)}
	s := memory.New(memory.WithClock(clk.Now))
	if _, err := s.Claim(t.Context(), 1, 1); err != nil { // orphaned
		t.Fatal(err)
	}
	held, err := s.Claim(t.Context(), 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		clk.Advance(store.LockTTL - time.Millisecond)
		if err := s.Renew(t.Context(), held); err != nil {
			t.Fatalf("Renew within the lease: %v", err)
		}
	}
	if _, err := s.Claim(t.Context(), 2, 2); !errors.Is(err, store.ErrBusy) {
		t.Fatalf("Claim of a renewed chat: %v, want ErrBusy", err)
	}
	if _, err := s.Claim(t.Context(), 1, 2); err != nil {
		t.Fatalf("Claim of a chat whose holder died %v ago: %v", 3*store.LockTTL, err)
	}
	if err := s.Commit(t.Context(), held, &store.Session{ChatID: 2}, &store.Owed{Version: 1}, time.Minute); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute - time.Millisecond)
	if _, err := s.LoadOwed(t.Context(), 2); err != nil {
		t.Fatalf("owed record within its TTL: %v", err)
	}
	if err := s.SetOwed(t.Context(), 2, &store.Owed{Version: 1, Status: store.OwedDelivered}, time.Second); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Second)
	if _, err := s.LoadOwed(t.Context(), 2); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("owed record after its TTL: %v, want ErrNotFound", err)
	}
}
