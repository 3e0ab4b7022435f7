package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// WebAuth is a store.WebAuthStore under test and a way to let time pass
// for it (a fake clock, or expiries brought closer on a real server).
type WebAuth struct {
	Store store.WebAuthStore
	Pass  func(time.Duration)
}

// RunWebAuthStore checks the dashboard's login links and sessions: a link
// works once and not after its time, a session lives while it is used and
// ends on logout or idleness.
func RunWebAuthStore(t *testing.T, newStore func(t *testing.T) WebAuth) {
	t.Run("LinkOnce", func(t *testing.T) {
		t.Parallel()
		w := newStore(t)
		if err := w.Store.PutLogin(bg(t), "h1", 42, time.Minute); err != nil {
			t.Fatal(err)
		}
		if id, err := w.Store.TakeLogin(bg(t), "h1"); err != nil || id != 42 {
			t.Fatalf("TakeLogin = %d, %v; want 42", id, err)
		}
		if _, err := w.Store.TakeLogin(bg(t), "h1"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("second TakeLogin: %v, want ErrNotFound", err)
		}
		if _, err := w.Store.TakeLogin(bg(t), "unknown"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown link: %v, want ErrNotFound", err)
		}
	})
	t.Run("LinkExpires", func(t *testing.T) {
		t.Parallel()
		w := newStore(t)
		if err := w.Store.PutLogin(bg(t), "h2", 7, 100*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		w.Pass(300 * time.Millisecond)
		if _, err := w.Store.TakeLogin(bg(t), "h2"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("expired link: %v, want ErrNotFound", err)
		}
	})
	t.Run("Session", func(t *testing.T) {
		t.Parallel()
		w := newStore(t)
		s := store.WebSession{Staff: 9, CSRF: "c", CreatedAt: time.Now().Truncate(time.Second)}
		idle := 400 * time.Millisecond
		if err := w.Store.PutWebSession(bg(t), "s1", s, idle); err != nil {
			t.Fatal(err)
		}
		// Used every 250 ms, the session outlives its idle time.
		for range 3 {
			w.Pass(250 * time.Millisecond)
			got, err := w.Store.WebSession(bg(t), "s1", idle)
			if err != nil || got.Staff != 9 || got.CSRF != "c" || !got.CreatedAt.Equal(s.CreatedAt) {
				t.Fatalf("WebSession = %+v, %v; want %+v", got, err, s)
			}
		}
		w.Pass(700 * time.Millisecond)
		if _, err := w.Store.WebSession(bg(t), "s1", idle); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("idle session: %v, want ErrNotFound", err)
		}
		if err := w.Store.PutWebSession(bg(t), "s2", s, time.Hour); err != nil {
			t.Fatal(err)
		}
		if err := w.Store.DeleteWebSession(bg(t), "s2"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Store.WebSession(bg(t), "s2", time.Hour); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("deleted session: %v, want ErrNotFound", err)
		}
	})
}
