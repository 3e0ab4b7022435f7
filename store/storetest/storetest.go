// Package storetest is the contract suite for the store interfaces: every
// implementation (store/memory, store/redis, store/postgres) runs it from its
// own tests, so that they cannot drift apart.
//
// Only tests import it. Each Run function calls newStore once per subtest,
// from subtests running in parallel: newStore must be safe for concurrent
// use, and the store it returns must be empty and isolated from the others.
package storetest

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// bg returns a context for one store call.
func bg(t *testing.T) context.Context {
	t.Helper()
	return t.Context()
}

// mustClaim claims or fails the test.
func mustClaim(t *testing.T, s store.SessionStore, chatID, updateID int64) *store.Claim {
	t.Helper()
	c, err := s.Claim(bg(t), chatID, updateID)
	if err != nil {
		t.Fatalf("Claim(%d, %d): %v", chatID, updateID, err)
	}
	if c == nil {
		t.Fatalf("Claim(%d, %d) returned a nil claim and no error", chatID, updateID)
	}
	return c
}

// mustCommit commits or fails the test.
func mustCommit(t *testing.T, s store.SessionStore, c *store.Claim, sess *store.Session) {
	t.Helper()
	if err := s.Commit(bg(t), c, sess, nil, 0); err != nil {
		t.Fatalf("Commit(chat %d, update %d): %v", c.ChatID, c.UpdateID, err)
	}
}

// wantErr fails the test unless errors.Is(err, want); want nil means no
// error.
func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Fatalf("%s: unexpected error %v", what, err)
	case want != nil && !errors.Is(err, want):
		t.Fatalf("%s: error %v, want %v", what, err, want)
	}
}

// save claims chatID with updateID, sets Data["n"] and commits: one whole
// update. It returns the committed session.
func save(t *testing.T, s store.SessionStore, chatID, updateID int64, n int) *store.Session {
	t.Helper()
	c := mustClaim(t, s, chatID, updateID)
	sess := c.Session
	if sess == nil {
		sess = &store.Session{ChatID: chatID, UserID: chatID, Lang: "id"}
	}
	if sess.Data == nil {
		sess.Data = map[string]string{}
	}
	sess.Data["n"] = strconv.Itoa(n)
	mustCommit(t, s, c, sess)
	return sess
}

// loadN loads chatID and returns its version and Data["n"].
func loadN(t *testing.T, s store.SessionStore, chatID int64) (int64, string) {
	t.Helper()
	got, err := s.Load(bg(t), chatID)
	if err != nil {
		t.Fatalf("Load(%d): %v", chatID, err)
	}
	return got.Version, got.Data["n"]
}

// fullSession returns a session with every field set.
func fullSession(chatID int64) *store.Session {
	return &store.Session{
		ChatID:      chatID,
		UserID:      chatID + 1,
		Lang:        "en",
		Flow:        "registration",
		FlowVersion: 3,
		State:       "ask_nik",
		Data:        map[string]string{"name": "Siti Aminah", "omzet": "1500000", "quote": `she said "ya" \ ok`},
		History:     []string{"start", "ask_name", "ask_phone"},
		Tries:       2,
		Drafts: map[string]store.Draft{
			"loan": {
				FlowVersion: 1,
				State:       "ask_amount",
				Data:        map[string]string{"purpose": "modal kerja"},
				History:     []string{"start"},
				SavedAt:     time.Date(2025, 7, 1, 2, 3, 4, 500, time.UTC),
			},
		},
	}
}

// sleepBriefly backs off a busy claim.
func sleepBriefly() { time.Sleep(200 * time.Microsecond) }
