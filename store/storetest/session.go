package storetest

import (
	"reflect"
	"strconv"
	"testing"

	"github.com/diskum-tangerang/umkmbot/store"
)

// newSessionStore returns a fresh, empty store for one (sub)test.
type newSessionStore = func(t *testing.T) store.SessionStore

// RunSessionStore runs the store.SessionStore contract against the stores
// newStore returns (one fresh store per subtest).
func RunSessionStore(t *testing.T, newStore func(t *testing.T) store.SessionStore) {
	tests := []struct {
		name string
		run  func(t *testing.T, newStore newSessionStore)
	}{
		{"NewChatHasNoSession", testNewChat},
		{"CommitThenLoad", testCommitThenLoad},
		{"VersionBumps", testVersionBumps},
		{"RoundTrip", testRoundTrip},
		{"NoAliasing", testNoAliasing},
		{"Dedup", testDedup},
		{"Busy", testBusy},
		{"AbortFreesLockAndUpdate", testAbort},
		{"Conflict", testConflict},
		{"CommitNilDeletes", testCommitNil},
		{"Delete", testDelete},
		{"ConcurrentClaims", testConcurrent},
		{"OwedWithCommit", testOwedWithCommit},
		{"SetOwedComparesVersion", testSetOwed},
		{"OwedChatsAndDelete", testOwedChats},
		{"RenewKeepsTheLease", testRenew},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newStore)
		})
	}
}

func testNewChat(t *testing.T, newStore newSessionStore) {
	s := newStore(t)
	c := mustClaim(t, s, 100, 1)
	if c.Session != nil {
		t.Errorf("claim of a new chat: session %+v, want nil", c.Session)
	}
	if c.ChatID != 100 || c.UpdateID != 1 || c.Token == "" {
		t.Errorf("claim = %+v, want chat 100, update 1 and a token", c)
	}
	_, err := s.Load(bg(t), 100)
	wantErr(t, "Load of a new chat", err, store.ErrNotFound)
}

func testCommitThenLoad(t *testing.T, newStore newSessionStore) {
	s := newStore(t)
	sess := save(t, s, 100, 1, 7)
	if sess.Version != 1 {
		t.Errorf("first commit: Version %d, want 1", sess.Version)
	}
	if sess.UpdatedAt.IsZero() {
		t.Error("commit did not set UpdatedAt")
	}
	got, err := s.Load(bg(t), 100)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if !reflect.DeepEqual(got, sess) {
		t.Errorf("Load = %+v\nwant   %+v", got, sess)
	}
	c := mustClaim(t, s, 100, 2)
	if !reflect.DeepEqual(c.Session, sess) {
		t.Errorf("Claim session = %+v\nwant          %+v", c.Session, sess)
	}
	_, err = s.Load(bg(t), 101)
	wantErr(t, "Load of another chat", err, store.ErrNotFound)
}

func testVersionBumps(t *testing.T, newStore newSessionStore) {
	s := newStore(t)
	for i := 1; i <= 4; i++ {
		sess := save(t, s, 100, int64(i), i)
		if sess.Version != int64(i) {
			t.Errorf("commit %d: Version %d, want %d", i, sess.Version, i)
		}
		v, n := loadN(t, s, 100)
		if v != int64(i) || n != strconv.Itoa(i) {
			t.Errorf("after commit %d: stored version %d and n %q", i, v, n)
		}
	}
}

func testRoundTrip(t *testing.T, newStore newSessionStore) {
	s := newStore(t)
	tests := []struct {
		name string
		sess *store.Session
	}{
		{"every field", fullSession(200)},
		{"bare", &store.Session{ChatID: 201, Lang: "id"}},
		{"unicode", &store.Session{ChatID: 202, Lang: "id", Data: map[string]string{"usaha": "Warung Bu Éni 🍜 <b>&</b>"}}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustClaim(t, s, tt.sess.ChatID, int64(i+1))
			mustCommit(t, s, c, tt.sess)
			got, err := s.Load(bg(t), tt.sess.ChatID)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if !reflect.DeepEqual(got, tt.sess) {
				t.Errorf("Load = %+v\nwant   %+v", got, tt.sess)
			}
		})
	}
}

func testNoAliasing(t *testing.T, newStore newSessionStore) {
	s := newStore(t)
	sess := fullSession(300)
	c := mustClaim(t, s, 300, 1)
	mustCommit(t, s, c, sess)
	sess.Data["name"] = "changed after commit"
	sess.Drafts["loan"].Data["purpose"] = "changed after commit"
	sess.History[0] = "changed"

	loaded, err := s.Load(bg(t), 300)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	loaded.Data["name"] = "changed after load"
	loaded.History[0] = "changed after load"

	c = mustClaim(t, s, 300, 2)
	if got := c.Session.Data["name"]; got != "Siti Aminah" {
		t.Errorf("stored name %q: a caller's map aliases stored state", got)
	}
	if got := c.Session.Drafts["loan"].Data["purpose"]; got != "modal kerja" {
		t.Errorf("stored draft purpose %q: a caller's map aliases stored state", got)
	}
	if got := c.Session.History[0]; got != "start" {
		t.Errorf("stored history[0] %q: a caller's slice aliases stored state", got)
	}
	c.Session.Data["name"] = "changed in claim"
	if err := s.Abort(bg(t), c); err != nil {
		t.Fatalf("Abort: %v", err)
	}
	loaded, err = s.Load(bg(t), 300)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got := loaded.Data["name"]; got != "Siti Aminah" {
		t.Errorf("stored name %q after an aborted claim changed its copy", got)
	}
}
