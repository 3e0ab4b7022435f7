package storetest

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// testOwedWithCommit: the owed record is written by Commit, returned by the
// next Claim (also a duplicate's) and left alone by a Commit without one.
func testOwedWithCommit(t *testing.T, newStore newSessionStore) {
	s := newStore(t)
	c := mustClaim(t, s, 1, 10)
	if c.Owed != nil {
		t.Fatalf("new chat owes %+v", c.Owed)
	}
	undo := []byte(`{"chat":1,"lang":"id","state":"ask_name","data":{"a":"b"},"v":4}`)
	owed := &store.Owed{Version: 1, UpdateID: 10, Status: store.OwedPending, Input: "t:budi",
		Replies: []byte(`[{"ID":"ask_nik"}]`), Undo: undo}
	sess := &store.Session{ChatID: 1, Lang: "id", State: "ask_nik"}
	if err := s.Commit(bg(t), c, sess, owed, time.Hour); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if sess.LastUpdate != 10 {
		t.Errorf("Commit set LastUpdate %d, want 10", sess.LastUpdate)
	}
	dup, err := s.Claim(bg(t), 1, 10)
	wantErr(t, "Claim of the committed update", err, store.ErrDuplicate)
	if !reflect.DeepEqual(dup.Owed, owed) {
		t.Errorf("duplicate Claim owed = %+v\nwant %+v", dup.Owed, owed)
	}
	next := mustClaim(t, s, 1, 11)
	if !reflect.DeepEqual(next.Owed, owed) {
		t.Errorf("Claim owed = %+v\nwant %+v", next.Owed, owed)
	}
	if stored, err := store.DecodeSession(next.SessionRaw); err != nil || stored.State != "ask_nik" || stored.Version != next.Session.Version {
		t.Errorf("Claim SessionRaw = %q (%v), want the stored session", next.SessionRaw, err)
	}
	got, err := s.LoadOwed(bg(t), 1)
	if err != nil || !reflect.DeepEqual(got, owed) {
		t.Errorf("LoadOwed = %+v, %v", got, err)
	}
	mustCommit(t, s, next, next.Session) // no owed record: the old one stays
	if got, err := s.LoadOwed(bg(t), 1); err != nil || got.Version != 1 {
		t.Errorf("after a Commit without owed: %+v, %v", got, err)
	}
	if _, err := s.LoadOwed(bg(t), 2); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("LoadOwed of another chat: %v, want ErrNotFound", err)
	}
}

// testSetOwed: SetOwed replaces the record only while its version is the
// expected one. (Its TTL is checked by each store's own tests, on a clock
// they control.)
func testSetOwed(t *testing.T, newStore newSessionStore) {
	s := newStore(t)
	c := mustClaim(t, s, 1, 10)
	if err := s.Commit(bg(t), c, &store.Session{ChatID: 1}, &store.Owed{Version: 1, Status: store.OwedPending,
		Replies: []byte(`[]`)}, time.Hour); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	at := time.Date(2026, 7, 12, 2, 30, 0, 0, time.UTC)
	done := &store.Owed{Version: 1, Status: store.OwedDelivered, At: at}
	wantErr(t, "SetOwed", s.SetOwed(bg(t), 1, done, time.Hour), nil)
	got, err := s.LoadOwed(bg(t), 1)
	if err != nil || !reflect.DeepEqual(got, done) {
		t.Errorf("after SetOwed: %+v, %v", got, err)
	}
	wantErr(t, "SetOwed of another version", s.SetOwed(bg(t), 1, &store.Owed{Version: 2, Status: store.OwedLost}, time.Hour), store.ErrConflict)
	wantErr(t, "SetOwed of a chat without a record", s.SetOwed(bg(t), 5, &store.Owed{Version: 1}, time.Hour), store.ErrConflict)
	if got, _ := s.LoadOwed(bg(t), 1); got == nil || got.Status != store.OwedDelivered {
		t.Errorf("a refused SetOwed wrote: %+v", got)
	}
	items := []store.OwedItem{
		{ChatID: 1, Owed: &store.Owed{Version: 1, Status: store.OwedLost, At: at}, TTL: time.Hour},
		{ChatID: 7, Owed: &store.Owed{Version: 1, Status: store.OwedLost}, TTL: time.Hour}, // no record: skipped
	}
	wantErr(t, "SetOwedMany", s.SetOwedMany(bg(t), items), nil)
	if got, _ := s.LoadOwed(bg(t), 1); got == nil || got.Status != store.OwedLost {
		t.Errorf("after SetOwedMany: %+v", got)
	}
	if _, err := s.LoadOwed(bg(t), 7); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetOwedMany created a record: %v", err)
	}
}

// testOwedChats: OwedChats lists the chats with a record; Delete removes it.
func testOwedChats(t *testing.T, newStore newSessionStore) {
	s := newStore(t)
	for _, chat := range []int64{3, 1, 2} {
		c := mustClaim(t, s, chat, 10)
		if err := s.Commit(bg(t), c, &store.Session{ChatID: chat}, &store.Owed{Version: 1, Status: store.OwedPending}, time.Hour); err != nil {
			t.Fatalf("Commit: %v", err)
		}
	}
	save(t, s, 4, 10, 1) // a session without an owed record
	wantErr(t, "Delete", s.Delete(bg(t), 2), nil)
	chats, err := s.OwedChats(bg(t))
	if err != nil {
		t.Fatalf("OwedChats: %v", err)
	}
	slices.Sort(chats)
	if !reflect.DeepEqual(chats, []int64{1, 3}) {
		t.Errorf("OwedChats = %v, want [1 3]", chats)
	}
}

// testRenew: a renewed lease is still the holder's; a lost one is refused.
func testRenew(t *testing.T, newStore newSessionStore) {
	s := newStore(t)
	c := mustClaim(t, s, 1, 10)
	wantErr(t, "Renew", s.Renew(bg(t), c), nil)
	forged := *c
	forged.Token = "forged"
	wantErr(t, "Renew with a forged token", s.Renew(bg(t), &forged), store.ErrConflict)
	mustCommit(t, s, c, &store.Session{ChatID: 1})
	wantErr(t, "Renew after Commit", s.Renew(bg(t), c), store.ErrConflict)
}
