package storetest

import (
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// testHeartbeat: the rows of a sender whose heartbeat expired are claimed
// again at once, except a row whose send is in flight; a sender that lost
// a row cannot start its send; a sender that never beat keeps its rows
// for the whole lease; a beat in the past gives the rows up.
func testHeartbeat(t *testing.T, newStores newOutboxStores) {
	s := newStores(t).Outbox
	mustEnqueue(t, s, 3, obItem("a", 1, obT0), obItem("b", 2, obT0), obItem("c", 3, obT0))
	const lease = time.Minute
	if err := s.Beat(bg(t), "w1", obT0.Add(6*time.Second)); err != nil {
		t.Fatalf("Beat: %v", err)
	}
	first, err := s.Claim(bg(t), "w1", 10, lease, obT0)
	if err != nil || len(first) != 3 {
		t.Fatalf("Claim = %d items, %v; want 3", len(first), err)
	}
	old := map[string]store.OutboxItem{}
	for _, it := range first {
		old[it.Key] = it
	}
	if old["a"].Fence == 0 || old["a"].Fence == old["b"].Fence {
		t.Errorf("fences %d, %d: want new and distinct", old["a"].Fence, old["b"].Fence)
	}
	sameKeys(t, "claim while w1 is alive", claimKeys(t, s, "w2", 10, lease, obT0.Add(5*time.Second)))
	// w1 starts sending a, then stops beating.
	wantErr(t, "StartSend(a)", s.StartSend(bg(t), old["a"].ID, old["a"].Fence, obT0.Add(15*time.Second)), nil)
	if got := mustItem(t, s, "a"); !got.SendUntil.Equal(obT0.Add(15 * time.Second)) {
		t.Errorf("a: SendUntil %s, want %s", got.SendUntil, obT0.Add(15*time.Second))
	}
	taken, err := s.Claim(bg(t), "w2", 10, lease, obT0.Add(7*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, it := range taken {
		keys = append(keys, it.Key)
		if it.Fence == old[it.Key].Fence {
			t.Errorf("%s claimed again under its old fence %d", it.Key, it.Fence)
		}
	}
	sameKeys(t, "claim after w1's heartbeat expired", keys, "b", "c")
	// w1 was only slow: it may not start what w2 took over.
	wantErr(t, "StartSend(b) by the old claim", s.StartSend(bg(t), old["b"].ID, old["b"].Fence, obT0.Add(20*time.Second)), store.ErrConflict)
	wantErr(t, "StartSend(b) by the new claim", s.StartSend(bg(t), taken[0].ID, taken[0].Fence, obT0.Add(20*time.Second)), nil)
	sameKeys(t, "claim while a's send is in flight", claimKeys(t, s, "w3", 10, lease, obT0.Add(14*time.Second)))
	// w1's send of a never finished: after its window a is taken again.
	sameKeys(t, "claim after a's send window", claimKeys(t, s, "w3", 10, lease, obT0.Add(16*time.Second)), "a")
	wantErr(t, "StartSend(a) by w1 after all", s.StartSend(bg(t), old["a"].ID, old["a"].Fence, obT0.Add(30*time.Second)), store.ErrConflict)
	if err := s.MarkSent(bg(t), taken[1].ID, 9, obT0.Add(8*time.Second)); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "StartSend of a sent row", s.StartSend(bg(t), taken[1].ID, taken[1].Fence, obT0.Add(30*time.Second)), store.ErrConflict)
	wantErr(t, "StartSend of an unknown row", s.StartSend(bg(t), 999_999, 1, obT0), store.ErrNotFound)

	// A sender that never beat keeps its rows for the lease; an in-flight
	// send outlives the lease too.
	mustEnqueue(t, s, 2, obItem("d", 4, obT0), obItem("e", 5, obT0))
	d := claimOne(t, s, "w4", "d", 10*time.Second, obT0)
	e := claimOne(t, s, "w5", "e", 10*time.Second, obT0)
	sameKeys(t, "claim within the lease of a silent sender", claimKeys(t, s, "w6", 10, lease, obT0.Add(9*time.Second)))
	wantErr(t, "StartSend(e)", s.StartSend(bg(t), e.ID, e.Fence, obT0.Add(20*time.Second)), nil)
	sameKeys(t, "claim after the leases", claimKeys(t, s, "w6", 10, lease, obT0.Add(11*time.Second)), "d")
	sameKeys(t, "claim after e's send window", claimKeys(t, s, "w6", 10, lease, obT0.Add(21*time.Second)), "e")
	_ = d

	// A stopping sender beats with an until already past: its rows go at once.
	mustEnqueue(t, s, 1, obItem("f", 6, obT0))
	if err := s.Beat(bg(t), "w7", obT0.Add(6*time.Second)); err != nil {
		t.Fatal(err)
	}
	claimOne(t, s, "w7", "f", lease, obT0)
	if err := s.Beat(bg(t), "w7", obT0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	sameKeys(t, "claim after w7 stopped", claimKeys(t, s, "w8", 10, lease, obT0.Add(2*time.Second)), "f")
}

// claimOne claims the one due item, which must be key.
func claimOne(t *testing.T, s store.OutboxStore, worker, key string, lease time.Duration, now time.Time) store.OutboxItem {
	t.Helper()
	items, err := s.Claim(bg(t), worker, 1, lease, now)
	if err != nil || len(items) != 1 || items[0].Key != key {
		t.Fatalf("Claim(%s) = %+v, %v; want %s", worker, items, err, key)
	}
	return items[0]
}
