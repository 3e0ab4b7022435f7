package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/diskum-tangerang/umkmbot/bot/outbox"
	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/memory"
)

// beatFails is an outbox store whose Beat fails once stop is set: the
// sender using it stops heartbeating, as a dead or stalled one does.
type beatFails struct {
	store.OutboxStore
	stop atomic.Bool
}

func (b *beatFails) Beat(ctx context.Context, worker string, until time.Time) error {
	if b.stop.Load() {
		return errors.New("heartbeat lost")
	}
	return b.OutboxStore.Beat(ctx, worker, until)
}

// delivery is a Transport that counts the messages delivered per chat
// and when; hold, when set, runs before a message is delivered (and may
// block).
type delivery struct {
	mu   sync.Mutex
	got  map[int64]int
	at   map[int64]time.Time
	hold func(chat int64) error
}

func (d *delivery) Send(_ context.Context, chat int64, _ flows.Reply) (int, error) {
	if d.hold != nil {
		if err := d.hold(chat); err != nil {
			return 0, err
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.got == nil {
		d.got, d.at = map[int64]int{}, map[int64]time.Time{}
	}
	d.got[chat]++
	d.at[chat] = time.Now()
	return int(chat), nil
}

func (d *delivery) count(chat int64) (int, time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.got[chat], d.at[chat]
}

// heartbeatSetup queues n reminders on a memory store, due now, for chats
// 1..n.
func heartbeatSetup(t *testing.T, n int) *memory.Outbox {
	t.Helper()
	ob := memory.New().Outbox()
	var items []store.OutboxItem
	for i := 1; i <= n; i++ {
		items = append(items, store.OutboxItem{Key: key("hb", i), ChatID: int64(i), Kind: "reminder",
			Payload: payload(t, fmt.Sprintf("pesan %d", i))})
	}
	if _, err := ob.Enqueue(t.Context(), items...); err != nil {
		t.Fatal(err)
	}
	return ob
}

func heartbeatSender(ob store.OutboxStore, tr outbox.Transport, worker string, batch, parallel int, t *testing.T) *outbox.Sender {
	return &outbox.Sender{Store: ob, Limiter: memory.NewLimiter(0), Transport: tr, Worker: worker,
		Batch: batch, Parallel: parallel, Log: testLog(t)}
}

// TestDeadSenderRowsTakenOver: two senders share the work; one dies (its
// sends hang, its heartbeat stops). Its rows not in flight go to the other
// within the heartbeat's expiry, not at the end of the minute-long lease;
// those in flight once their send window has passed; every chat gets its
// message exactly once.
func TestDeadSenderRowsTakenOver(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n = 40
		ob := heartbeatSetup(t, n)
		start := time.Now()
		dying := &beatFails{OutboxStore: ob}
		release := make(chan struct{})
		var hung atomic.Int32
		deadTr := &delivery{hold: func(int64) error {
			// Dies in its first sends: they never reach Telegram.
			dying.stop.Store(true)
			hung.Add(1)
			<-release
			return errors.New("process gone")
		}}
		a := run(t, heartbeatSender(dying, deadTr, "a", 10, 2, t))
		synctest.Wait() // a has claimed its batch and hangs in two sends
		liveTr := &delivery{}
		b := run(t, heartbeatSender(ob, liveTr, "b", 10, 2, t))

		time.Sleep(outbox.DefaultHeartbeatTTL + time.Second)
		synctest.Wait()
		if h := hung.Load(); h != 2 {
			t.Fatalf("%d sends hang in the dead sender, want 2", h)
		}
		var missing []int64
		for chat := int64(1); chat <= n; chat++ {
			if c, _ := liveTr.count(chat); c == 0 {
				missing = append(missing, chat)
			}
		}
		// Only the two rows in flight wait for their send window.
		if len(missing) != 2 {
			t.Errorf("%s after the start, %d chats still wait (%v); want only the 2 in flight",
				time.Since(start), len(missing), missing)
		}

		time.Sleep(3 * outbox.DefaultSendTimeout)
		synctest.Wait()
		for chat := int64(1); chat <= n; chat++ {
			c, at := liveTr.count(chat)
			if c != 1 {
				t.Errorf("chat %d got %d messages, want 1", chat, c)
			}
			if d := at.Sub(start); d >= outbox.DefaultLease {
				t.Errorf("chat %d waited %s, the whole lease", chat, d)
			}
		}
		if it := item(t, ob, key("hb", int(missing[0]))); it.Status != store.OutboxSent {
			t.Errorf("a row the dead sender had in flight is %s, want sent", it.Status)
		}
		close(release)
		b.stop(t)
		a.stop(t)
	})
}

// TestSlowSenderLosesRowsCleanly: a sender that is alive but cannot beat
// (slow, or cut off from the heartbeat) loses its unstarted rows to the
// other sender, and then neither sends nor changes them: no chat gets two
// messages.
func TestSlowSenderLosesRowsCleanly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n = 12
		ob := heartbeatSetup(t, n)
		slow := &beatFails{OutboxStore: ob}
		slowTr := &delivery{hold: func(int64) error {
			slow.stop.Store(true)
			// Each send takes 4 s, within SendTimeout.
			time.Sleep(4 * time.Second)
			return nil
		}}
		a := run(t, heartbeatSender(slow, slowTr, "a", n, 1, t))
		synctest.Wait()
		// b starts once a holds every row.
		fastTr := &delivery{}
		b := run(t, heartbeatSender(ob, fastTr, "b", n, 2, t))

		time.Sleep(3 * outbox.DefaultHeartbeatTTL)
		synctest.Wait()
		slowSent, total := 0, 0
		for chat := int64(1); chat <= n; chat++ {
			s, _ := slowTr.count(chat)
			f, _ := fastTr.count(chat)
			slowSent += s
			total += s + f
			if s+f != 1 {
				t.Errorf("chat %d got %d messages (%d from the slow sender), want 1", chat, s+f, s)
			}
		}
		if slowSent < 1 || slowSent > 3 {
			t.Errorf("the slow sender sent %d; want the row(s) it had started before its heartbeat expired", slowSent)
		}
		t.Logf("slow sender sent %d of %d, the other %d", slowSent, n, total-slowSent)
		a.stop(t)
		b.stop(t)
	})
}

// TestStopGivesRowsUp: a sender stopping cleanly ends its heartbeat, so
// the rows it claimed and did not start go to another sender at once.
func TestStopGivesRowsUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n = 10
		ob := heartbeatSetup(t, n)
		ctx, cancel := context.WithCancel(t.Context())
		gate := make(chan struct{})
		firstTr := &delivery{hold: func(int64) error { <-gate; return nil }}
		done := make(chan error, 1)
		go func() { done <- heartbeatSender(ob, firstTr, "first", n, 1, t).Run(ctx) }()
		synctest.Wait() // it holds all rows, one send in flight
		cancel()
		close(gate)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		stopped := time.Now()
		nextTr := &delivery{}
		b := run(t, heartbeatSender(ob, nextTr, "next", n, 2, t))
		time.Sleep(time.Second)
		synctest.Wait()
		for chat := int64(1); chat <= n; chat++ {
			f, _ := firstTr.count(chat)
			s, at := nextTr.count(chat)
			if f+s != 1 {
				t.Errorf("chat %d got %d messages, want 1", chat, f+s)
			}
			if s == 1 && at.Sub(stopped) > time.Second {
				t.Errorf("chat %d waited %s after the stop", chat, at.Sub(stopped))
			}
		}
		b.stop(t)
	})
}
