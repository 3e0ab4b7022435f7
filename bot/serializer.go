package bot

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"

	tg "github.com/go-telegram/bot"
	tgm "github.com/go-telegram/bot/models"
)

// serializer runs the jobs of one chat one after another and different
// chats in parallel: a fixed number of shard goroutines, each with a bounded
// queue, a chat always on the same shard. It relies on updates arriving in
// getUpdates order (one library worker, WithNotAsyncHandlers).
type serializer struct {
	shards []chan func()
	wg     sync.WaitGroup
}

func newSerializer(shards, queue int) *serializer {
	s := &serializer{shards: make([]chan func(), shards)}
	for i := range s.shards {
		ch := make(chan func(), queue)
		s.shards[i] = ch
		s.wg.Go(func() {
			for job := range ch {
				job()
			}
		})
	}
	return s
}

// do queues job on key's shard; it blocks while that queue is full, which
// holds the poller back instead of growing memory.
func (s *serializer) do(key int64, job func()) {
	s.shards[shardOf(key, len(s.shards))] <- job
}

// close runs every queued job and stops the shards; do must not be called
// after it.
func (s *serializer) close() {
	for _, ch := range s.shards {
		close(ch)
	}
	s.wg.Wait()
}

// shardOf spreads keys with a multiplicative hash, so that ids sharing a
// stride still land on different shards.
func shardOf(key int64, n int) int {
	h := uint64(key) * 0x9E3779B97F4A7C15
	return int((h >> 32) % uint64(n))
}

// serialize is the outermost middleware: it moves the update to its chat's
// shard with a context detached from polling's, so that work taken in
// finishes during shutdown, bounded by HandleTimeout instead.
func (b *Bot) serialize(next tg.HandlerFunc) tg.HandlerFunc {
	return func(ctx context.Context, api *tg.Bot, u *tgm.Update) {
		hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), b.cfg.HandleTimeout)
		b.ser.do(chatOf(u), func() {
			defer cancel()
			next(hctx, api, u)
		})
	}
}

// recover runs inside serialize, in the shard goroutine, where a panic of
// the handler can be caught. The update is dropped, logged with its stack;
// the shard and the process go on.
func (b *Bot) recover(next tg.HandlerFunc) tg.HandlerFunc {
	return func(ctx context.Context, api *tg.Bot, u *tgm.Update) {
		defer func() {
			if r := recover(); r != nil {
				b.log.Error("panic while handling update", "update_id", u.ID, "chat_id", chatOf(u),
					"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			}
		}()
		next(ctx, api, u)
	}
}
