package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// NewPartitioned returns, for one test, a function that opens the same
// fresh ingest as the named replica sees it (Record fenced by that
// replica's polling lease), and one that makes a replica's renewals lapse
// at once: its leases and heartbeat as they are once they expired and its
// last renewal as if long ago — what the ingest sees of a replica that
// died, without waiting for its clock.
type NewPartitioned = func(t *testing.T) (open func(replica string) store.Partitioned, lapse func(replica string))

// RunPartitioned runs the store.Partitioned contract: how replicas share
// the partitions and the polling lease.
func RunPartitioned(t *testing.T, newP NewPartitioned) {
	tests := []struct {
		name string
		run  func(t *testing.T, newP NewPartitioned)
	}{
		{"OneReplicaHoldsAll", testOneReplicaHoldsAll},
		{"SecondReplicaGetsItsShare", testSecondReplicaShare},
		{"OnlyThePollerRecords", testOnlyPollerRecords},
		{"DeadReplicasLeasesMove", testDeadReplicaLeases},
		{"ReadAfter", testReadAfter},
		{"ReplicaNameInUse", testReplicaNameInUse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newP)
		})
	}
}

func allParts(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func testOneReplicaHoldsAll(t *testing.T, newP NewPartitioned) {
	open, _ := newP(t)
	a := open("a")
	l, err := a.Balance(bg(t), "a", true, time.Minute)
	if err != nil || !l.Polling || l.Live != 1 || !slices.Equal(l.Owned, allParts(a.Partitions())) {
		t.Fatalf("Balance of the only replica = %+v, %v", l, err)
	}
	// Again: the same, renewed.
	if l2, err := a.Balance(bg(t), "a", true, time.Minute); err != nil || !slices.Equal(l2.Owned, l.Owned) || !l2.Polling {
		t.Fatalf("Balance again = %+v, %v", l2, err)
	}
	for chat := int64(-5); chat < 100; chat++ {
		if p := a.PartitionOf(chat); p < 0 || p >= a.Partitions() {
			t.Fatalf("PartitionOf(%d) = %d", chat, p)
		}
	}
}

func testSecondReplicaShare(t *testing.T, newP NewPartitioned) {
	open, _ := newP(t)
	a, b := open("a"), open("b")
	if _, err := a.Balance(bg(t), "a", true, time.Minute); err != nil {
		t.Fatal(err)
	}
	lb, err := b.Balance(bg(t), "b", true, time.Minute)
	if err != nil || lb.Live != 2 || len(lb.Owned) != 0 || lb.Polling {
		t.Fatalf("Balance of a second replica while the first holds all = %+v, %v", lb, err)
	}
	la, _ := a.Balance(bg(t), "a", true, time.Minute)
	if la.Live != 2 || len(la.Owned) != a.Partitions() {
		t.Fatalf("the first replica after the second came = %+v (it gives back itself)", la)
	}
	half := a.Partitions() / 2
	if err := a.Release(bg(t), "a", false, la.Owned[half:]...); err != nil {
		t.Fatal(err)
	}
	// A replica cannot release what it does not hold.
	if err := b.Release(bg(t), "b", true, la.Owned[:half]...); err != nil {
		t.Fatal(err)
	}
	lb, _ = b.Balance(bg(t), "b", true, time.Minute)
	la, _ = a.Balance(bg(t), "a", true, time.Minute)
	if !slices.Equal(lb.Owned, allParts(a.Partitions())[half:]) || !slices.Equal(la.Owned, allParts(a.Partitions())[:half]) {
		t.Fatalf("after the first gave back half: a %v, b %v", la.Owned, lb.Owned)
	}
	if !la.Polling || lb.Polling {
		t.Errorf("polling: a %v, b %v; want only a", la.Polling, lb.Polling)
	}
	// The first leaves: the second takes everything.
	if err := a.Leave(bg(t), "a"); err != nil {
		t.Fatal(err)
	}
	lb, _ = b.Balance(bg(t), "b", true, time.Minute)
	if lb.Live != 1 || !lb.Polling || len(lb.Owned) != a.Partitions() {
		t.Fatalf("after the first left: %+v", lb)
	}
}

func testOnlyPollerRecords(t *testing.T, newP NewPartitioned) {
	open, _ := newP(t)
	a, b := open("a"), open("b")
	if l, err := a.Balance(bg(t), "a", true, time.Minute); err != nil || !l.Polling {
		t.Fatalf("Balance = %+v, %v", l, err)
	}
	if _, err := b.Record(bg(t), inbound(1, 2), 3); !errors.Is(err, store.ErrNotPolling) {
		t.Fatalf("Record by a replica that does not poll = %v, want ErrNotPolling", err)
	}
	if off, _ := a.Offset(bg(t)); off != 0 {
		t.Fatalf("the refused batch moved the offset to %d", off)
	}
	rec, err := a.Record(bg(t), inbound(1, 2), 3)
	if err != nil || len(rec) != 2 {
		t.Fatalf("Record by the poller = %v, %v", ids(rec), err)
	}
}

func testDeadReplicaLeases(t *testing.T, newP NewPartitioned) {
	open, lapse := newP(t)
	a, b := open("a"), open("b")
	if _, err := a.Balance(bg(t), "a", true, time.Minute); err != nil {
		t.Fatal(err)
	}
	if l, err := b.Balance(bg(t), "b", true, time.Minute); err != nil || len(l.Owned) != 0 || l.Polling {
		t.Fatalf("while a lives, b holds %+v, %v; want nothing", l, err)
	}
	// a dies (renews nothing): b takes all once a's leases lapse.
	lapse("a")
	l, err := b.Balance(bg(t), "b", true, time.Minute)
	if err != nil || l.Live != 1 || !l.Polling || len(l.Owned) != b.Partitions() {
		t.Fatalf("after a's leases lapsed, b holds %+v, %v; want all and the polling", l, err)
	}
	if _, err := b.Record(bg(t), inbound(7), 8); err != nil {
		t.Fatalf("the new poller cannot record: %v", err)
	}
	if _, err := a.Record(bg(t), inbound(9), 10); !errors.Is(err, store.ErrNotPolling) {
		t.Fatalf("the dead poller, back, records: %v; want ErrNotPolling", err)
	}
}

func testReadAfter(t *testing.T, newP NewPartitioned) {
	open, _ := newP(t)
	a := open("a")
	ups := inbound(1, 2, 3, 4, 5, 6)
	rec, err := a.Record(bg(t), ups, 7)
	if err != nil {
		t.Fatal(err)
	}
	p := a.PartitionOf(rec[0].ChatID) // chats 1 and 4
	got, err := a.Read(bg(t), map[int]string{p: ""}, 0)
	if err != nil || !slices.Equal(ids(got), []int64{1, 4}) {
		t.Fatalf("Read of partition %d = %v, %v", p, ids(got), err)
	}
	more, err := a.Read(bg(t), map[int]string{p: got[0].Seq}, 0)
	if err != nil || !slices.Equal(ids(more), []int64{4}) || more[0].Seq != got[1].Seq {
		t.Fatalf("Read after the first = %v, %v", ids(more), err)
	}
	if none, err := a.Read(bg(t), map[int]string{p: got[1].Seq}, 0); err != nil || len(none) != 0 {
		t.Fatalf("Read after the last = %v, %v", ids(none), err)
	}
	// A blocking read wakes when an update arrives.
	done := make(chan []store.Inbound, 1)
	go func() {
		r, _ := a.Read(bg(t), map[int]string{p: got[1].Seq}, 10*time.Second)
		done <- r
	}()
	// Whether the read blocks before the update is recorded or finds it
	// at once, it returns the update.
	if _, err := a.Record(bg(t), []store.Inbound{{UpdateID: 10, ChatID: 1, Raw: []byte(`{"update_id":10}`)}}, 11); err != nil {
		t.Fatal(err)
	}
	if r := <-done; !slices.Equal(ids(r), []int64{10}) {
		t.Fatalf("blocking Read = %v", ids(r))
	}
	// Acknowledged updates are gone from every read.
	if err := a.Ack(bg(t), got[0].Seq); err != nil {
		t.Fatal(err)
	}
	if again, _ := a.Read(bg(t), map[int]string{p: ""}, 0); !slices.Equal(ids(again), []int64{4, 10}) {
		t.Fatalf("Read after an ack = %v", ids(again))
	}
}

// testReplicaNameInUse: a second live process under a replica's name is
// refused; once the first is gone (left, or stopped renewing), the name is
// free.
func testReplicaNameInUse(t *testing.T, newP NewPartitioned) {
	open, lapse := newP(t)
	first, second := open("a"), open("a")
	if _, err := first.Balance(bg(t), "a", true, time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := second.Balance(bg(t), "a", true, time.Minute); !errors.Is(err, store.ErrReplicaInUse) {
		t.Fatalf("a second process under the same name: %v, want ErrReplicaInUse", err)
	}
	if err := first.Leave(bg(t), "a"); err != nil {
		t.Fatal(err)
	}
	if l, err := second.Balance(bg(t), "a", true, time.Minute); err != nil || len(l.Owned) != second.Partitions() {
		t.Fatalf("after the first left: %+v, %v", l, err)
	}
	// The second dies (renews nothing): a restart under the name is
	// refused while the dead one's last renewal is recent, and let in once
	// it lapsed.
	third := open("a")
	if _, err := third.Balance(bg(t), "a", true, time.Minute); !errors.Is(err, store.ErrReplicaInUse) {
		t.Fatalf("a restart right after the last renewal: %v, want ErrReplicaInUse", err)
	}
	lapse("a")
	if l, err := third.Balance(bg(t), "a", true, time.Minute); err != nil || len(l.Owned) != third.Partitions() {
		t.Fatalf("a restart under a dead replica's name: %+v, %v", l, err)
	}
}
