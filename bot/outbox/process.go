package outbox

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/bot"
	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// maxReason bounds the error text kept on a row.
const maxReason = 300

// DefaultClassify sorts errors of the Telegram adapter: 403 means blocked,
// 429 a flood wait, 400 Bad Request and an empty reply are permanent, and
// everything else (5xx answers, network errors, timeouts) is transient.
func DefaultClassify(err error) (blocked bool, retryAfter time.Duration, transient bool) {
	if bot.IsBlocked(err) {
		return true, 0, false
	}
	if d, ok := bot.RetryAfter(err); ok {
		return false, d, false
	}
	// go-telegram/bot wraps a 400 as "bad request, Bad Request: <why>".
	if errors.Is(err, bot.ErrEmptyReply) || strings.Contains(err.Error(), "bad request") {
		return false, 0, false
	}
	return false, 0, true
}

// process sends one claimed row and records the outcome.
func (s *Sender) process(ctx context.Context, c *config, it store.OutboxItem) {
	r, err := flows.DecodeReply(it.Payload)
	if err != nil {
		if _, ok := s.start(ctx, c, it, 2*c.sendTimeout); !ok {
			return
		}
		s.observe("failed")
		s.record(ctx, c, it, "fail", func(ctx context.Context) error {
			return c.store.MarkFailed(ctx, it.ID, reason(err))
		})
		return
	}
	if s.Defer != nil {
		now := c.now()
		if at := s.Defer(it, now); at.After(now) {
			if _, ok := s.start(ctx, c, it, 2*c.sendTimeout); !ok {
				return
			}
			s.observe("deferred")
			s.record(ctx, c, it, "defer", func(ctx context.Context) error {
				return c.store.Retry(ctx, it.ID, at, "quiet hours")
			})
			return
		}
	}
	for {
		if !s.leaseLeft(c, it) {
			return
		}
		// The claim is checked before the limiter grants a slot, not
		// between the grant and the send, which must follow each other
		// closely (store.RateLimiter's spacing counts on it).
		window, ok := s.start(ctx, c, it, 3*c.sendTimeout)
		if !ok {
			return
		}
		if err := c.limiter.Wait(ctx, it.ChatID); err != nil {
			if ctx.Err() == nil {
				// Without the limiter nothing may go out; the row is taken
				// again when its lease ends.
				c.log.Error("outbox rate limiter failed", "worker", c.worker, "err", err)
				sleep(ctx, c.backoff)
			}
			return
		}
		if !s.leaseLeft(c, it) {
			return
		}
		if c.now().Add(2 * c.sendTimeout).After(window) {
			// The limiter's wait (a flood pause) ate into the send
			// window: extend it first.
			continue
		}
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.sendTimeout)
		msgID, err := c.transport.Send(sctx, it.ChatID, r)
		cancel()
		if err == nil {
			s.observe("sent")
			s.meter.add(time.Now())
			s.record(ctx, c, it, "mark sent", func(ctx context.Context) error {
				return c.store.MarkSent(ctx, it.ID, msgID, c.now())
			})
			return
		}
		blocked, retryAfter, transient := c.classify(err)
		why := reason(err)
		switch {
		case blocked:
			s.observe("blocked")
			s.record(ctx, c, it, "mark blocked", func(ctx context.Context) error {
				return c.store.MarkBlocked(ctx, it.ID, why)
			})
		case retryAfter > 0:
			s.observe("flood_wait")
			c.log.Warn("outbox flood wait", "worker", c.worker, "chat", it.ChatID, "retry_after", retryAfter)
			pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
			if err := c.limiter.Pause(pctx, retryAfter); err != nil {
				c.log.Error("outbox pause failed", "worker", c.worker, "err", err)
			}
			cancel()
			// Wait in hand when the lease allows (Wait honours the
			// pause), so that a flood wait costs no attempt.
			if ctx.Err() == nil && c.now().Add(retryAfter+2*c.sendTimeout).Before(it.LeaseUntil) {
				continue
			}
			s.record(ctx, c, it, "retry", func(ctx context.Context) error {
				return c.store.Retry(ctx, it.ID, c.now().Add(retryAfter), why)
			})
		case transient && it.Attempts+1 < c.maxAttempts:
			s.observe("retry")
			at := c.now().Add(backoff(c.backoff, it.Attempts))
			c.log.Warn("outbox send failed, will retry", "worker", c.worker, "chat", it.ChatID,
				"attempt", it.Attempts+1, "at", at, "err", err)
			s.record(ctx, c, it, "retry", func(ctx context.Context) error {
				return c.store.Retry(ctx, it.ID, at, why)
			})
		default:
			s.observe("failed")
			c.log.Error("outbox send failed", "worker", c.worker, "chat", it.ChatID, "row", it.ID,
				"attempts", it.Attempts+1, "err", err)
			s.record(ctx, c, it, "fail", func(ctx context.Context) error {
				return c.store.MarkFailed(ctx, it.ID, why)
			})
		}
		return
	}
}

// observe tells Observe of a row's outcome.
func (s *Sender) observe(outcome string) {
	if s.Observe != nil {
		s.Observe(outcome)
	}
}

// start begins work on a claimed row that ends in a send or a change of
// the row (StartSend): it says whether the row is still this sender's
// claim, and keeps it so for d, the window of the send and of the
// recording of its outcome, which it returns the end of. A row another
// sender has taken over (this one was too slow to beat) is left alone; so
// is a row whose claim cannot be checked (the store failed), to be taken
// again later.
func (s *Sender) start(ctx context.Context, c *config, it store.OutboxItem, d time.Duration) (time.Time, bool) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	window := c.now().Add(d)
	err := c.store.StartSend(sctx, it.ID, it.Fence, window)
	switch {
	case err == nil:
		return window, true
	case errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound):
		c.log.Info("outbox row taken over by another sender", "worker", c.worker, "row", it.ID)
	default:
		c.log.Error("outbox start send failed", "worker", c.worker, "row", it.ID, "err", err)
	}
	return time.Time{}, false
}

// leaseLeft says whether enough of the row's lease is left to send it and
// record the outcome before another sender may take it over.
func (s *Sender) leaseLeft(c *config, it store.OutboxItem) bool {
	if c.now().Add(2 * c.sendTimeout).Before(it.LeaseUntil) {
		return true
	}
	c.log.Debug("outbox lease too short, row left for a later claim", "worker", c.worker, "row", it.ID)
	return false
}

// record runs change on a detached context, trying again for a few
// seconds if the store fails: a delivered message whose outcome is lost
// would be sent again. ErrConflict (another sender took the row over) is
// logged, not retried. The row's campaign is noted for progress.
func (s *Sender) record(ctx context.Context, c *config, it store.OutboxItem, what string, change func(context.Context) error) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	for {
		err := change(rctx)
		if err == nil {
			break
		}
		if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) || rctx.Err() != nil {
			c.log.Error("outbox: "+what+" failed", "worker", c.worker, "row", it.ID, "err", err)
			break
		}
		sleep(rctx, 100*time.Millisecond)
	}
	if it.CampaignID != 0 {
		s.touch(it.CampaignID)
	}
}

// reason is the error text kept on a row.
func reason(err error) string {
	msg := err.Error()
	if len(msg) > maxReason {
		msg = msg[:maxReason]
	}
	return strings.ToValidUTF8(msg, "")
}

// backoff is the wait before the retry that follows attempts failures:
// base doubled per earlier failure, at most an hour.
func backoff(base time.Duration, attempts int) time.Duration {
	d := base
	for range attempts {
		if d >= time.Hour/2 {
			return time.Hour
		}
		d *= 2
	}
	return d
}
