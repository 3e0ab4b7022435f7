package bot

import (
	"context"
	"sync"
	"time"
)

// spentQueue gathers the chats of delivered replies for the send budget;
// budgetLoop hands them over in batches: one round trip for whatever was
// sent while the last one was on its way.
type spentQueue struct {
	mu    sync.Mutex
	chats []int64
	kick  chan struct{}
}

func (q *spentQueue) add(chat int64) {
	if q.kick == nil {
		return // no budget
	}
	q.mu.Lock()
	q.chats = append(q.chats, chat)
	q.mu.Unlock()
	select {
	case q.kick <- struct{}{}:
	default:
	}
}

func (q *spentQueue) take() []int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.chats
	q.chats = nil
	return out
}

// budgetLoop counts the replies in Config.Budget until ctx is done. A
// count that fails is dropped (logged): the budget errs then on the
// generous side for a moment, and Telegram's 429, if it comes, pauses it.
func (b *Bot) budgetLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-b.spent.kick:
		}
		chats := b.spent.take()
		if len(chats) == 0 {
			continue
		}
		if err := b.cfg.Budget.Spent(ctx, chats); err != nil && ctx.Err() == nil {
			b.log.Warn("send budget: replies not counted", "replies", len(chats), "err", err)
		}
	}
}

// sendSlack widens the send window a little beyond Telegram's second. The
// window counts from when a send's answer came back, after Telegram counted
// it, so the time messages spend on their way needs no slack; this covers
// only the two clocks' granularity.
const sendSlack = 5 * time.Millisecond

// sendWindow keeps this process under Telegram's overall limit: at most n
// sends in any window of span (1 s and a slack, see store.GrantInterval),
// replies and proactive messages alike. The shared budget in Redis paces
// the proactive messages and hears of the replies after they go; the window
// is what stops a burst of replies on top of a broadcast from crowding
// more than Telegram allows into one second. A reply waits here only while
// the whole bot is at the limit.
//
// A send holds one of n places from before it leaves until span after its
// answer came back. Telegram counts a message somewhere between the two, so
// two sends that used the same place reach it at least span apart, however
// long each was on its way; n+1 sends can never land in one window.
//
// Replies go first: while a reply waits, no proactive message takes a
// place, so that a campaign running at the limit delays a reply by one
// place's turn, not by the campaign's queue.
type sendWindow struct {
	n       int
	span    time.Duration
	mu      sync.Mutex
	free    []time.Time   // per place: when it frees; inFlight while a send holds it
	changed chan struct{} // closed (and replaced) when a send ends or a reply stops waiting
	replies int           // replies waiting for a place
	now     func() time.Time
}

// inFlight marks a place whose send has not come back yet.
var inFlight = time.Unix(1<<62, 0)

func newSendWindow(n int, span time.Duration) *sendWindow {
	if n <= 0 {
		return nil
	}
	return &sendWindow{n: n, span: span, free: make([]time.Time, n), changed: make(chan struct{}), now: time.Now}
}

// reserve takes a place for a send now and returns it; else it returns -1
// and how long until the earliest place frees, or a channel closed when
// that may have changed (every place in flight, or a reply waiting before
// a proactive message).
func (w *sendWindow) reserve(reply bool) (place int, wait time.Duration, changed <-chan struct{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !reply && w.replies > 0 {
		return -1, 0, w.changed
	}
	now := w.now()
	first := 0
	for i, f := range w.free {
		if f.Before(w.free[first]) {
			first = i
		}
	}
	switch f := w.free[first]; {
	case f.Equal(inFlight):
		return -1, 0, w.changed
	case f.After(now):
		return -1, f.Sub(now), nil
	}
	w.free[first] = inFlight
	return first, 0, nil
}

// notify wakes the waiters; w.mu must be held.
func (w *sendWindow) notify() {
	close(w.changed)
	w.changed = make(chan struct{})
}

// done frees place span after now: the send that held it came back.
func (w *sendWindow) done(place int) {
	if w == nil || place < 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.free[place] = w.now().Add(w.span)
	w.notify()
}

// wait blocks until a send may go, or ctx ends, and returns the place the
// send holds; call done with it when the send came back. reply says the
// send answers a user: it goes before proactive messages.
func (w *sendWindow) wait(ctx context.Context, reply bool) (int, error) {
	if w == nil {
		return -1, nil
	}
	if reply {
		w.mu.Lock()
		w.replies++
		w.mu.Unlock()
		defer func() {
			w.mu.Lock()
			w.replies--
			w.notify()
			w.mu.Unlock()
		}()
	}
	for {
		place, d, changed := w.reserve(reply)
		switch {
		case place >= 0:
			return place, nil
		case changed != nil:
			select {
			case <-changed:
			case <-ctx.Done():
				return -1, ctx.Err()
			}
		case !sleep(ctx, d):
			return -1, ctx.Err()
		}
	}
}

// isSend reports whether a Bot API method sends a message (counted in
// Telegram's limit).
func isSend(method string) bool {
	switch method {
	case "sendMessage", "sendDocument", "sendPhoto", "copyMessage", "forwardMessage":
		return true
	}
	return false
}
