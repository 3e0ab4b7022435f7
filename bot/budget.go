package bot

import (
	"context"
	"sync"
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
