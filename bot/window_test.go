package bot

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// TestSendWindow: however many senders wait at once, no window of the span
// holds more than n sends, and each waits only as long as it must.
func TestSendWindow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newSendWindow(30, time.Second+sendSlack)
		var mu sync.Mutex
		var at []time.Time
		var wg sync.WaitGroup
		start := time.Now()
		for range 95 {
			wg.Go(func() {
				if err := w.wait(context.Background()); err != nil {
					t.Error(err)
				}
				mu.Lock()
				at = append(at, time.Now())
				mu.Unlock()
			})
		}
		wg.Wait()
		for i := range at {
			n := 0
			for j := range at {
				if !at[j].Before(at[i]) && at[j].Sub(at[i]) < time.Second+sendSlack {
					n++
				}
			}
			if n > 30 {
				t.Fatalf("%d sends within %v of the one at %v", n, time.Second+sendSlack, at[i].Sub(start))
			}
		}
		// 95 sends: 30 at once, 30 a span later, 30 two spans later, the last
		// 5 three spans later.
		last := at[0]
		for _, a := range at {
			if a.After(last) {
				last = a
			}
		}
		if want := 3 * (time.Second + sendSlack); last.Sub(start) != want {
			t.Errorf("the last send went %v after the first, want %v", last.Sub(start), want)
		}
	})
}
