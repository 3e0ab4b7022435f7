package bot

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// sent is one send through the window: when it left and when its answer
// came back. Telegram counts it at some moment between the two.
type sent struct{ left, back time.Time }

// sendThrough runs count senders at once through w, each taking took(i) on
// its way, and returns what they did. It runs inside a synctest bubble only:
// its clock and sleeps are virtual, never the machine's.
func sendThrough(t *testing.T, w *sendWindow, count int, took func(i int) time.Duration) []sent {
	t.Helper()
	var mu sync.Mutex
	var out []sent
	var wg sync.WaitGroup
	for i := range count {
		wg.Go(func() {
			place, err := w.wait(context.Background(), true)
			if err != nil {
				t.Error(err)
				return
			}
			left := time.Now()
			time.Sleep(took(i))
			back := time.Now()
			w.done(place)
			mu.Lock()
			out = append(out, sent{left, back})
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

// mostInOneWindow is the largest number of sends that can be counted in one
// window of span, whatever moment between leaving and coming back each is
// counted at: for a window starting at x, a send counts when it left before
// x+span and came back at x or later; the worst x is when one came back.
func mostInOneWindow(sends []sent, span time.Duration) int {
	most := 0
	for _, k := range sends {
		n := 0
		for _, m := range sends {
			if !m.back.Before(k.back) && m.left.Before(k.back.Add(span)) {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

// TestSendWindow: however many senders wait at once and however long each
// is on its way, no window of the span can count more than n sends, and
// each waits only as long as it must.
func TestSendWindow(t *testing.T) {
	span := time.Second + sendSlack
	t.Run("on their way for different times", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			w := newSendWindow(30, span)
			sends := sendThrough(t, w, 200, func(i int) time.Duration {
				return time.Duration(i*37%400) * time.Millisecond // 0–399 ms
			})
			if len(sends) != 200 {
				t.Fatalf("%d sends went, want 200", len(sends))
			}
			if n := mostInOneWindow(sends, span); n > 30 {
				t.Errorf("up to %d sends can be counted within %v, want at most 30", n, span)
			}
		})
	})
	t.Run("each waits only as long as it must", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			w := newSendWindow(30, span)
			start := time.Now()
			sends := sendThrough(t, w, 95, func(int) time.Duration { return 50 * time.Millisecond })
			// 30 leave at once and are back 50 ms later; their places free a
			// span after that, and so on: the last 5 leave three
			// (span + 50 ms) after the first.
			last := start
			for _, s := range sends {
				if s.left.After(last) {
					last = s.left
				}
			}
			if want := 3 * (span + 50*time.Millisecond); last.Sub(start) != want {
				t.Errorf("the last send left %v after the first, want %v", last.Sub(start), want)
			}
		})
	})
	t.Run("a send that never comes back holds its place only", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			w := newSendWindow(2, span)
			stuck, err := w.wait(context.Background(), true)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			for i := range 3 {
				place, err := w.wait(ctx, true)
				if err != nil {
					t.Fatalf("send %d: %v", i, err)
				}
				if place == stuck {
					t.Fatalf("send %d got the place of the send still on its way", i)
				}
				w.done(place)
			}
			// Both places held: a waiter gives up when its context ends.
			if _, err := w.wait(ctx, true); err != nil {
				t.Fatal(err)
			}
			short, cancel2 := context.WithTimeout(context.Background(), time.Second)
			defer cancel2()
			if _, err := w.wait(short, true); err == nil {
				t.Error("a third send went while both places were held")
			}
		})
	})
	t.Run("replies go before proactive messages", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) { // virtual time: the sleeps below take no wall-clock time
			w := newSendWindow(3, span)
			var mu sync.Mutex
			var proactive []time.Time
			var wg sync.WaitGroup
			send := func(reply bool) time.Time {
				place, err := w.wait(context.Background(), reply)
				if err != nil {
					t.Error(err)
				}
				left := time.Now()
				time.Sleep(100 * time.Millisecond)
				w.done(place)
				return left
			}
			for range 12 { // a campaign: three go, nine queue
				wg.Go(func() {
					left := send(false)
					mu.Lock()
					proactive = append(proactive, left)
					mu.Unlock()
				})
			}
			time.Sleep(10 * time.Millisecond)
			asked := time.Now()
			replyLeft := send(true)
			wg.Wait()
			// The first place frees a span after the first sends came back.
			if want := asked.Add(span + 90*time.Millisecond); !replyLeft.Equal(want) {
				t.Errorf("the reply left %v after it asked, want %v", replyLeft.Sub(asked), want.Sub(asked))
			}
			for _, p := range proactive {
				if p.After(asked) && p.Before(replyLeft) {
					t.Errorf("a proactive message waiting before the reply left %v before it", replyLeft.Sub(p))
				}
			}
		})
	})
}
