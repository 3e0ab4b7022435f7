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

// sendSlack widens the send window a little: messages reach Telegram a
// little after they leave, each with its own delay (store.GrantInterval).
const sendSlack = 100 * time.Millisecond

// sendWindow keeps this process under Telegram's overall limit: at most n
// sends in any window of span (1 s and a slack, see store.GrantInterval),
// replies and proactive messages alike. The shared budget in Redis paces
// the proactive messages and hears of the replies after they go; the window
// is what stops a burst of replies on top of a broadcast from crowding
// more than Telegram allows into one second. A reply waits here only while
// the whole bot is at the limit.
type sendWindow struct {
	n    int
	span time.Duration
	mu   sync.Mutex
	at   []time.Time // the last n sends, oldest first (a ring once full)
	head int
	now  func() time.Time
}

func newSendWindow(n int, span time.Duration) *sendWindow {
	if n <= 0 {
		return nil
	}
	return &sendWindow{n: n, span: span, now: time.Now}
}

// reserve takes a place for a send now, or says how long until one frees.
func (w *sendWindow) reserve() time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.now()
	if len(w.at) < w.n {
		w.at = append(w.at, now)
		return 0
	}
	if free := w.at[w.head].Add(w.span); free.After(now) {
		return free.Sub(now)
	}
	w.at[w.head] = now
	w.head = (w.head + 1) % w.n
	return 0
}

// wait blocks until a send may go, or ctx ends.
func (w *sendWindow) wait(ctx context.Context) error {
	if w == nil {
		return nil
	}
	for {
		d := w.reserve()
		if d == 0 {
			return nil
		}
		if !sleep(ctx, d) {
			return ctx.Err()
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
