package storetest

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// OutboxStores are what the outbox and campaign suites run against: the
// outbox, campaigns and registrations (audiences come from them) of one
// fresh, empty database.
type OutboxStores struct {
	Outbox        store.OutboxStore
	Campaigns     store.CampaignStore
	Registrations store.RegistrationStore
	// Trainings, when set, lets the suite check audiences of a training.
	Trainings store.TrainingStore
}

type newOutboxStores = func(t *testing.T) OutboxStores

// RunOutboxStore runs the store.OutboxStore contract against the stores
// newStores returns (fresh ones per subtest).
//
// Beyond the interface's comments it pins down: Claim returns items in due
// order (NotBefore, then ID) with Status sending and LeaseUntil now+lease;
// Retry, MarkFailed and MarkBlocked apply to claimed rows only
// (ErrConflict otherwise, ErrNotFound for an unknown id); MarkSent applies
// whatever the status and keeps the first message id of a row already
// sent; payloads come back byte for byte.
func RunOutboxStore(t *testing.T, newStores func(t *testing.T) OutboxStores) {
	tests := []struct {
		name string
		run  func(t *testing.T, newStores newOutboxStores)
	}{
		{"EnqueueDedup", testEnqueueDedup},
		{"ClaimLease", testClaimLease},
		{"ConcurrentClaims", testConcurrentClaims},
		{"Transitions", testOutboxTransitions},
		{"Heartbeat", testHeartbeat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newStores)
		})
	}
}

// obT0 is a fixed instant in the past, whole microseconds (Postgres keeps
// no finer).
var obT0 = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

// obItem returns a non-campaign item due at notBefore.
func obItem(key string, chat int64, notBefore time.Time) store.OutboxItem {
	return store.OutboxItem{Key: key, ChatID: chat, Kind: "reminder", NotBefore: notBefore,
		Payload: []byte(`{"t":{"raw":"` + key + `"}}`)}
}

func mustEnqueue(t *testing.T, s store.OutboxStore, want int, items ...store.OutboxItem) {
	t.Helper()
	n, err := s.Enqueue(bg(t), items...)
	if err != nil || n != want {
		t.Fatalf("Enqueue(%d items) = %d, %v; want %d added", len(items), n, err, want)
	}
}

func mustItem(t *testing.T, s store.OutboxStore, key string) store.OutboxItem {
	t.Helper()
	it, err := s.OutboxItem(bg(t), key)
	if err != nil {
		t.Fatalf("OutboxItem(%s): %v", key, err)
	}
	return it
}

// claimKeys claims up to n items and returns their keys in order.
func claimKeys(t *testing.T, s store.OutboxStore, worker string, n int, lease time.Duration, now time.Time) []string {
	t.Helper()
	items, err := s.Claim(bg(t), worker, n, lease, now)
	if err != nil {
		t.Fatalf("Claim(%s, %d, at %s): %v", worker, n, now.Format(time.TimeOnly), err)
	}
	var keys []string
	for _, it := range items {
		if it.Status != store.OutboxSending || !it.LeaseUntil.Equal(now.Add(lease)) {
			t.Errorf("claimed %s: status %s lease until %s; want sending until %s", it.Key, it.Status,
				it.LeaseUntil.UTC().Format(time.TimeOnly), now.Add(lease).UTC().Format(time.TimeOnly))
		}
		keys = append(keys, it.Key)
	}
	return keys
}

func sameKeys(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: keys %v, want %v", what, got, want)
	}
}

func testEnqueueDedup(t *testing.T, newStores newOutboxStores) {
	s := newStores(t).Outbox
	a, b := obItem("remind:1:d-1", 501, obT0), obItem("remind:2:d-1", 502, obT0.Add(time.Minute))
	// A key repeated within one call is added once.
	mustEnqueue(t, s, 2, a, b, a)
	changed := a
	changed.Payload, changed.ChatID = []byte(`{"t":{"raw":"other"}}`), 999
	mustEnqueue(t, s, 0, changed)
	c := obItem("remind:3:d-1", 503, time.Time{})
	mustEnqueue(t, s, 1, changed, c)

	got := mustItem(t, s, a.Key)
	if got.ID == 0 || got.ChatID != a.ChatID || got.Kind != a.Kind || got.CampaignID != 0 ||
		!bytes.Equal(got.Payload, a.Payload) || !got.NotBefore.Equal(a.NotBefore) ||
		got.Status != store.OutboxPending || got.Attempts != 0 || got.MessageID != 0 || got.CreatedAt.IsZero() {
		t.Errorf("OutboxItem(%s) = %+v; want the first enqueued item, pending", a.Key, got)
	}
	if got := mustItem(t, s, c.Key); got.NotBefore.IsZero() {
		t.Errorf("an item enqueued with a zero NotBefore got none: %+v", got)
	}
	_, err := s.OutboxItem(bg(t), "remind:404:d-1")
	wantErr(t, "OutboxItem(unknown)", err, store.ErrNotFound)
	if n, err := s.Enqueue(bg(t)); n != 0 || err != nil {
		t.Errorf("Enqueue() = %d, %v; want 0, nil", n, err)
	}
}

func testClaimLease(t *testing.T, newStores newOutboxStores) {
	s := newStores(t).Outbox
	mustEnqueue(t, s, 4,
		obItem("late", 1, obT0.Add(time.Minute)),
		obItem("second", 2, obT0),
		obItem("first", 3, obT0.Add(-time.Minute)),
		obItem("third", 4, obT0))
	const lease = 30 * time.Second

	sameKeys(t, "claim of 2 at t0", claimKeys(t, s, "w1", 2, lease, obT0), "first", "second")
	sameKeys(t, "claim at t0", claimKeys(t, s, "w2", 10, lease, obT0), "third")
	sameKeys(t, "claim while leased", claimKeys(t, s, "w2", 10, lease, obT0.Add(lease-time.Second)))
	// The leases of w1 and w2 have run out: their senders died.
	sameKeys(t, "claim after the leases", claimKeys(t, s, "w3", 10, lease, obT0.Add(2*time.Minute)),
		"first", "second", "third", "late")
	if n, err := s.Claim(bg(t), "w4", 0, lease, obT0.Add(time.Hour)); err != nil || len(n) != 0 {
		t.Errorf("Claim(n=0) = %v, %v; want nothing", n, err)
	}
}

// testConcurrentClaims has five senders claim one queue at once: every
// item goes to exactly one of them.
func testConcurrentClaims(t *testing.T, newStores newOutboxStores) {
	s := newStores(t).Outbox
	const items, claimers = 300, 5
	var all []store.OutboxItem
	for i := range items {
		all = append(all, obItem(fmt.Sprintf("bulk:%d", i), int64(1000+i), obT0.Add(time.Duration(i%7)*time.Second)))
	}
	mustEnqueue(t, s, items, all...)

	var mu sync.Mutex
	owner := map[int64]string{}
	var wg sync.WaitGroup
	for w := range claimers {
		worker := fmt.Sprintf("w%d", w)
		wg.Go(func() {
			for {
				got, err := s.Claim(bg(t), worker, 7, time.Minute, obT0.Add(time.Minute))
				if err != nil {
					t.Errorf("Claim(%s): %v", worker, err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, it := range got {
					if prev, ok := owner[it.ID]; ok {
						t.Errorf("item %d claimed by %s and %s", it.ID, prev, worker)
					}
					owner[it.ID] = worker
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(owner) != items {
		t.Errorf("%d items claimed, want %d", len(owner), items)
	}
}

func testOutboxTransitions(t *testing.T, newStores newOutboxStores) {
	s := newStores(t).Outbox
	keys := []string{"sent", "retried", "failed", "blocked"}
	for i, k := range keys {
		mustEnqueue(t, s, 1, obItem(k, int64(700+i), obT0))
	}
	mustEnqueue(t, s, 1, obItem("waiting", 799, obT0.Add(time.Hour)))
	items, err := s.Claim(bg(t), "w1", 10, time.Minute, obT0)
	if err != nil || len(items) != len(keys) {
		t.Fatalf("Claim = %d items, %v; want %d", len(items), err, len(keys))
	}
	id := map[string]int64{}
	for _, it := range items {
		id[it.Key] = it.ID
	}
	at := obT0.Add(5 * time.Second)
	steps := []struct {
		what string
		err  error
		want error
	}{
		{"MarkSent", s.MarkSent(bg(t), id["sent"], 77, at), nil},
		{"MarkSent again", s.MarkSent(bg(t), id["sent"], 78, at.Add(time.Second)), nil},
		{"Retry", s.Retry(bg(t), id["retried"], obT0.Add(time.Minute), "502 Bad Gateway"), nil},
		{"MarkFailed", s.MarkFailed(bg(t), id["failed"], "400 chat not found"), nil},
		{"MarkBlocked", s.MarkBlocked(bg(t), id["blocked"], "403 blocked"), nil},
		{"Retry of a sent row", s.Retry(bg(t), id["sent"], obT0, "late"), store.ErrConflict},
		{"MarkFailed of a failed row", s.MarkFailed(bg(t), id["failed"], "again"), store.ErrConflict},
		{"Retry of a pending row", s.Retry(bg(t), id["retried"], obT0, "twice"), store.ErrConflict},
		{"MarkFailed of an unknown row", s.MarkFailed(bg(t), 999_999, "?"), store.ErrNotFound},
		{"MarkSent of an unknown row", s.MarkSent(bg(t), 999_999, 1, at), store.ErrNotFound},
		{"MarkBlocked of an unknown row", s.MarkBlocked(bg(t), 999_999, "?"), store.ErrNotFound},
	}
	for _, st := range steps {
		wantErr(t, st.what, st.err, st.want)
	}

	want := map[string]struct {
		status   string
		attempts int
		msg      int
		reason   string
	}{
		"sent":    {store.OutboxSent, 0, 77, ""},
		"retried": {store.OutboxPending, 1, 0, "502 Bad Gateway"},
		"failed":  {store.OutboxFailed, 0, 0, "400 chat not found"},
		"blocked": {store.OutboxBlocked, 0, 0, "403 blocked"},
	}
	for key, w := range want {
		got := mustItem(t, s, key)
		if got.Status != w.status || got.Attempts != w.attempts || got.MessageID != w.msg || got.LastError != w.reason {
			t.Errorf("%s: status %s attempts %d message %d error %q; want %s %d %d %q", key,
				got.Status, got.Attempts, got.MessageID, got.LastError, w.status, w.attempts, w.msg, w.reason)
		}
	}
	if got := mustItem(t, s, "sent"); !got.SentAt.Equal(at) {
		t.Errorf("sent at %s, want %s", got.SentAt, at)
	}
	if got := mustItem(t, s, "retried"); !got.NotBefore.Equal(obT0.Add(time.Minute)) {
		t.Errorf("retried item due %s, want %s", got.NotBefore, obT0.Add(time.Minute))
	}
	// The retried row waits for its time; nothing else is due.
	sameKeys(t, "claim before the retry", claimKeys(t, s, "w2", 10, time.Minute, obT0.Add(30*time.Second)))
	sameKeys(t, "claim at the retry", claimKeys(t, s, "w2", 10, time.Minute, obT0.Add(time.Minute)), "retried")
}
