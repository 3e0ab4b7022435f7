package storetest

import (
	"errors"
	"strconv"
	"sync"
	"testing"

	"github.com/diskum-tangerang/umkmbot/store"
)

// createResult is what one concurrent CreateRegistration call got.
type createResult struct {
	saved   store.Registration
	created bool
	err     error
}

// createAtOnce runs n CreateRegistration calls released together; call i
// uses keyOf(i) and regOf(i).
func createAtOnce(t *testing.T, s store.RegistrationStore, n int,
	keyOf func(int) string, regOf func(int) store.Registration) []createResult {
	t.Helper()
	results := make([]createResult, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			r := &results[i]
			r.saved, r.created, r.err = s.CreateRegistration(bg(t), keyOf(i), regOf(i))
		})
	}
	close(start)
	wg.Wait()
	return results
}

// oneStored checks that exactly one registration of siti and one register
// audit entry exist, and that it is the winner's.
func oneStored(t *testing.T, s store.RegistrationStore, winner store.Registration) {
	t.Helper()
	list, err := s.RegistrationsOf(bg(t), siti.user)
	wantErr(t, "RegistrationsOf", err, nil)
	if len(list) != 1 || list[0].Number != winner.Number {
		t.Errorf("stored %d registrations (%+v), want only %s", len(list), list, winner.Number)
	}
	if n := len(entries(t, s, "", "register")); n != 1 {
		t.Errorf("%d register audit entries, want 1", n)
	}
}

// testConcurrentSameKey: a double tap or a redelivery racing the first
// call stores one registration, and every call gets it.
func testConcurrentSameKey(t *testing.T, newStore newRegistrationStore) {
	for _, n := range []int{2, 20} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			results := createAtOnce(t, s, n,
				func(int) string { return "double-tap" },
				func(int) store.Registration { return reg(siti, "Warung Bu Siti") })
			var winner store.Registration
			created := 0
			for i, res := range results {
				if res.err != nil {
					t.Errorf("call %d: %v", i, res.err)
				}
				if res.created {
					created++
					winner = res.saved
				}
			}
			if created != 1 {
				t.Fatalf("%d calls created, want exactly 1", created)
			}
			for i, res := range results {
				sameReg(t, "call "+strconv.Itoa(i), res.saved, winner)
			}
			oneStored(t, s, winner)
		})
	}
}

// testConcurrentSameBusiness: racing registrations of one NIK and business
// under different keys store one; the others get ErrConflict and it.
func testConcurrentSameBusiness(t *testing.T, newStore newRegistrationStore) {
	names := []string{"Warung Bu Siti", "WARUNG BU SITI", " warung  bu siti"}
	for _, n := range []int{2, 20} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			results := createAtOnce(t, s, n,
				func(i int) string { return "key-" + strconv.Itoa(i) },
				func(i int) store.Registration { return reg(siti, names[i%len(names)]) })
			var winner store.Registration
			created := 0
			for i, res := range results {
				switch {
				case res.created && res.err == nil:
					created++
					winner = res.saved
				case !res.created && errors.Is(res.err, store.ErrConflict):
				default:
					t.Errorf("call %d: created %v, error %v; want a creation or ErrConflict", i, res.created, res.err)
				}
			}
			if created != 1 {
				t.Fatalf("%d calls created, want exactly 1", created)
			}
			for i, res := range results {
				if !res.created {
					sameReg(t, "conflicting call "+strconv.Itoa(i), res.saved, winner)
				}
			}
			oneStored(t, s, winner)
			errs := make([]error, len(results))
			for i, res := range results {
				errs[i] = res.err
			}
			noPersonalData(t, s, errs...)
		})
	}
}
