package storetest

import (
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/diskum-tangerang/umkmbot/store"
)

// testConcurrent has 20 goroutines each claim one chat (retrying on busy),
// increment a counter in Data and commit. The lock must admit one holder at
// a time and no increment may be lost.
func testConcurrent(t *testing.T, newStore newSessionStore) {
	const workers = 20
	s := newStore(t)
	ctx := bg(t)
	var holders atomic.Int32
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			const updateID = 0 // ids arrive out of order here: no dedup
			for {
				c, err := s.Claim(ctx, 7, updateID)
				if errors.Is(err, store.ErrBusy) {
					sleepBriefly()
					continue
				}
				if err != nil {
					t.Errorf("worker %d: Claim: %v", i, err)
					return
				}
				if h := holders.Add(1); h != 1 {
					t.Errorf("worker %d: %d holders of one chat", i, h)
				}
				sess := c.Session
				if sess == nil {
					sess = &store.Session{ChatID: 7, Data: map[string]string{}}
				}
				n, _ := strconv.Atoi(sess.Data["n"])
				sleepBriefly() // widen the window a second holder would need
				sess.Data["n"] = strconv.Itoa(n + 1)
				holders.Add(-1)
				if err := s.Commit(ctx, c, sess, nil, 0); err != nil {
					t.Errorf("worker %d: Commit: %v", i, err)
				}
				return
			}
		})
	}
	wg.Wait()
	v, n := loadN(t, s, 7)
	if n != strconv.Itoa(workers) || v != workers {
		t.Errorf("after %d increments: n %q, version %d", workers, n, v)
	}
}
