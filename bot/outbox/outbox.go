// Package outbox is the sender that drains the durable outbox
// (store.OutboxStore): it claims due rows under a lease, spreads them
// within the shared rate limits (store.RateLimiter), sends each through a
// Transport (the Telegram adapter, or the terminal in umkmbot chat) and
// records the outcome on the row.
//
// Outcomes: a message that went out is marked sent with its Telegram
// message id. A 403 marks the row and the recipient blocked (later
// audiences leave them out). A 429 pauses every sender for retry_after
// through the limiter and the message is sent again after it (in hand when
// the lease allows, else through Retry). 5xx answers and network errors
// are retried with exponential backoff (Backoff, doubled per attempt) until
// MaxAttempts, then the row fails with the last error as its reason; other
// errors (400 Bad Request, an undecodable payload) fail it at once.
//
// Crash safety and the one duplicate window. A row is sent only by the
// sender holding its claim, and only when enough of the lease is left for
// the whole send (SendTimeout) and its bookkeeping. Each send begins with
// StartSend, which checks in the store that the row still carries the
// fence of this sender's claim and keeps it this sender's for twice
// SendTimeout whatever happens meanwhile: a slow send is never handed to
// another sender while it is in flight, and a sender that lost a row (it
// was too slow to beat, and another sender took the row) neither sends it
// nor records anything on it.
//
// Heartbeat. While Run runs, the sender beats (Store.Beat) every
// Heartbeat, saying it is alive for HeartbeatTTL (2 s and 6 s by
// default). A sender that dies leaves its claimed rows in status sending;
// once its heartbeat has expired any sender takes those not in flight
// again, within HeartbeatTTL rather than the whole Lease, and those in
// flight once their send window (twice SendTimeout) has passed, so no
// recipient is skipped. A sender that stops cleanly gives its unstarted
// rows up at once. The heartbeat is kept beside the rows (in PostgreSQL,
// see store/postgres), so that "its sender is dead" and "its sender
// starts the send" are decided under the same row lock. Each Run claims
// under its own name (Worker, "#", a random suffix), so a restarted
// process with the same Worker does not revive the rows of its
// predecessor. What a resend can
// duplicate is a message Telegram accepted whose outcome was never
// recorded: the request went out and then the answer timed out or was
// lost, or the process died before MarkSent. That window is at most the
// sends in flight (Parallel per sender) and lasts at most SendTimeout per
// message (a few seconds); a shutdown does not widen it, because sends in
// flight finish on a detached context and their outcome is still recorded.
// Rows claimed but not yet started when a sender stops are given up (its
// heartbeat is ended) and sent by whichever sender claims them next.
//
// A reply that renders into several messages and fails half-way is sent
// again whole when retried; broadcasts and reminders are one message.
//
// It imports flows, store (interfaces only) and bot (to classify Telegram
// errors); cmd wires it, with store implementations, in serve and chat.
package outbox

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Transport delivers one reply to a chat and returns the id of the (last)
// message sent. *bot.Bot implements it.
type Transport interface {
	Send(ctx context.Context, chatID int64, r flows.Reply) (int, error)
}

// Defaults of the Sender's settings.
const (
	DefaultBatch         = 50
	DefaultParallel      = 4
	DefaultLease         = time.Minute
	DefaultSendTimeout   = 5 * time.Second
	DefaultPoll          = 200 * time.Millisecond
	DefaultMaxAttempts   = 5
	DefaultBackoff       = time.Second
	DefaultProgressEvery = time.Second
	DefaultHeartbeat     = 2 * time.Second
	DefaultHeartbeatTTL  = 6 * time.Second
)

// storeTimeout bounds the recording of an outcome, which runs on a
// detached context so that a shutdown does not lose it.
const storeTimeout = 5 * time.Second

// sweepEvery is how often an idle sender looks for running campaigns with
// nothing left to send (their last sender died before finishing them).
const sweepEvery = 30 * time.Second

// Sender drains the outbox. Set the fields, then call Run; zero values get
// the defaults above. Several senders (processes, or Worker names in one
// process) may run against the same store and limiter.
type Sender struct {
	Store store.OutboxStore
	// Campaigns, when set, lets the sender mark a campaign done once none
	// of its rows is left to send.
	Campaigns store.CampaignStore
	Limiter   store.RateLimiter
	Transport Transport
	// Worker names this sender in the rows it claims (outbox.worker) and
	// in its logs; give each sender its own.
	Worker string
	// Batch is how many rows are claimed at once; a new claim is made when
	// half of them are sent.
	Batch int
	// Parallel is how many sends may be in flight at once.
	Parallel int
	// Lease is how long a claimed row is this sender's; it must exceed
	// twice SendTimeout. A row is sent only while at least twice
	// SendTimeout of its lease is left.
	Lease time.Duration
	// SendTimeout bounds one send: the duplicate window of a message whose
	// answer is lost.
	SendTimeout time.Duration
	// Poll is how long an idle sender waits before claiming again.
	Poll time.Duration
	// Heartbeat is how often Run renews the sender's heartbeat, and
	// HeartbeatTTL how long one lasts: the rows of a sender that stopped
	// beating are taken by others about HeartbeatTTL after its last beat.
	// HeartbeatTTL must exceed Heartbeat (three times it by default, so
	// that two beats may be late before the rows go).
	Heartbeat    time.Duration
	HeartbeatTTL time.Duration
	// MaxAttempts is how many sends a row gets for transient failures.
	MaxAttempts int
	// Backoff is the wait before the first retry; it doubles per retry.
	Backoff time.Duration
	// Now is the clock of leases and retries; senders sharing a store
	// need clocks that agree to well within SendTimeout.
	Now func() time.Time
	Log *slog.Logger
	// Classify sorts a Transport error: the recipient blocked the bot, a
	// flood wait, or a transient failure worth retrying; none of them
	// means permanent. Default: DefaultClassify.
	Classify func(error) (blocked bool, retryAfter time.Duration, transient bool)
	// OnProgress is called, from one goroutine, once per ProgressEvery
	// for each campaign whose rows this sender finished meanwhile, and
	// once more when Run returns; by then a campaign with nothing left to
	// send is marked done. It should return quickly.
	OnProgress func(campaignID int64)
	// Defer, when set, may hold a claimed item back: it returns when the
	// item may go out (quiet hours for broadcasts); a time after now puts
	// the item back until then.
	Defer         func(it store.OutboxItem, now time.Time) time.Time
	ProgressEvery time.Duration
	// Observe, when set, is told the outcome of each row processed:
	// "sent", "blocked", "flood_wait" (a 429, sent again later), "retry"
	// (a transient failure), "failed" or "deferred" (quiet hours). It
	// must return quickly.
	Observe func(outcome string)

	running atomic.Bool
	meter   meter
	mu      sync.Mutex
	touched map[int64]bool // campaigns with rows finished since the last progress tick
}

// config is a Sender's settings with the defaults filled in.
type config struct {
	store       store.OutboxStore
	campaigns   store.CampaignStore
	limiter     store.RateLimiter
	transport   Transport
	worker      string
	batch       int
	parallel    int
	lease       time.Duration
	sendTimeout time.Duration
	poll        time.Duration
	beat        time.Duration
	beatTTL     time.Duration
	maxAttempts int
	backoff     time.Duration
	now         func() time.Time
	log         *slog.Logger
	classify    func(error) (bool, time.Duration, bool)
	onProgress  func(int64)
	every       time.Duration
}

// settings returns s's configuration with defaults filled in, or an error
// when it cannot run.
func (s *Sender) settings() (*config, error) {
	c := &config{store: s.Store, campaigns: s.Campaigns, limiter: s.Limiter, transport: s.Transport,
		worker: s.Worker, batch: orDefault(s.Batch, DefaultBatch), parallel: orDefault(s.Parallel, DefaultParallel),
		lease: orDefault(s.Lease, DefaultLease), sendTimeout: orDefault(s.SendTimeout, DefaultSendTimeout),
		poll: orDefault(s.Poll, DefaultPoll), beat: orDefault(s.Heartbeat, DefaultHeartbeat),
		beatTTL: orDefault(s.HeartbeatTTL, DefaultHeartbeatTTL), maxAttempts: orDefault(s.MaxAttempts, DefaultMaxAttempts),
		backoff: orDefault(s.Backoff, DefaultBackoff), now: s.Now, log: s.Log, classify: s.Classify,
		onProgress: s.OnProgress, every: orDefault(s.ProgressEvery, DefaultProgressEvery)}
	if c.store == nil || c.limiter == nil || c.transport == nil {
		return nil, errors.New("outbox: Store, Limiter and Transport are required")
	}
	if c.worker == "" {
		return nil, errors.New("outbox: empty Worker name")
	}
	if c.lease <= 2*c.sendTimeout {
		return nil, fmt.Errorf("outbox: Lease %s must exceed twice SendTimeout %s", c.lease, c.sendTimeout)
	}
	if c.beatTTL <= c.beat {
		return nil, fmt.Errorf("outbox: HeartbeatTTL %s must exceed Heartbeat %s", c.beatTTL, c.beat)
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.classify == nil {
		c.classify = DefaultClassify
	}
	return c, nil
}

func orDefault[T int | time.Duration](v, d T) T {
	if v <= 0 {
		return d
	}
	return v
}

// Run sends until ctx ends. It then starts no new send, finishes those in
// flight (each within SendTimeout), records their outcome, reports
// progress a last time and returns nil. It fails only on a configuration
// error or when called while already running.
func (s *Sender) Run(ctx context.Context) error {
	c, err := s.settings()
	if err != nil {
		return err
	}
	if !s.running.CompareAndSwap(false, true) {
		return errors.New("outbox: Run called twice")
	}
	defer s.running.Store(false)
	worker := c.worker
	c.worker = worker + "#" + strings.ToLower(rand.Text()[:8])
	c.log.Info("outbox sender started", "worker", c.worker, "batch", c.batch, "parallel", c.parallel)
	s.beat(ctx, c, c.now().Add(c.beatTTL))
	beatCtx, stopBeat := context.WithCancel(context.WithoutCancel(ctx))
	beatDone := make(chan struct{})
	go func() {
		defer close(beatDone)
		s.beatLoop(beatCtx, c)
	}()

	queue := make(chan store.OutboxItem, c.batch)
	var sends sync.WaitGroup
	for range c.parallel {
		sends.Go(func() {
			for it := range queue {
				if ctx.Err() == nil {
					s.process(ctx, c, it)
				}
			}
		})
	}
	progressDone := make(chan struct{})
	go func() {
		defer close(progressDone)
		s.progressLoop(ctx, c)
	}()

	s.claimLoop(ctx, c, queue)
	close(queue)
	sends.Wait()
	// Nothing is in flight any more: end the heartbeat, so that the rows
	// claimed but not started go to the other senders at once.
	stopBeat()
	<-beatDone
	s.beat(ctx, c, c.now())
	<-progressDone
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	s.flushProgress(fctx, c)
	c.log.Info("outbox sender stopped", "worker", c.worker)
	return nil
}

// claimLoop keeps queue fed until ctx ends: it claims when half of the
// batch has been taken, and waits Poll when nothing is due. Only it sends
// on queue, so a claim of the free capacity never blocks.
func (s *Sender) claimLoop(ctx context.Context, c *config, queue chan store.OutboxItem) {
	lastSweep := time.Time{}
	for ctx.Err() == nil {
		free := c.batch - len(queue)
		if free < (c.batch+1)/2 {
			sleep(ctx, min(c.poll, 20*time.Millisecond))
			continue
		}
		// A claim cut short by ctx could commit unseen and leave its rows
		// leased to nobody until the lease ends: let it finish.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
		items, err := c.store.Claim(cctx, c.worker, free, c.lease, c.now())
		cancel()
		if err != nil {
			c.log.Error("outbox claim failed", "worker", c.worker, "err", err)
			sleep(ctx, c.poll)
			continue
		}
		for _, it := range items {
			queue <- it
		}
		if len(items) < free {
			if c.campaigns != nil && time.Since(lastSweep) >= sweepEvery {
				lastSweep = time.Now()
				s.sweepCampaigns(ctx, c)
			}
			sleep(ctx, c.poll)
		}
	}
}

// beatLoop renews the heartbeat every Heartbeat until ctx ends.
func (s *Sender) beatLoop(ctx context.Context, c *config) {
	t := time.NewTicker(c.beat)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.beat(ctx, c, c.now().Add(c.beatTTL))
		}
	}
}

// beat records the heartbeat until until, on a context of its own: a
// failure is logged (the rows not in flight may then go to other senders,
// whose claims StartSend respects).
func (s *Sender) beat(ctx context.Context, c *config, until time.Time) {
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), min(storeTimeout, c.beat))
	defer cancel()
	if err := c.store.Beat(bctx, c.worker, until); err != nil {
		c.log.Error("outbox heartbeat failed", "worker", c.worker, "err", err)
	}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// Drain sends, one after another in this goroutine, every item that is due
// now, then reports progress, and returns how many items it took. The
// terminal chat calls it after each line so that deliveries show up in
// order; Run is for the long-lived sender.
func (s *Sender) Drain(ctx context.Context) (int, error) {
	c, err := s.settings()
	if err != nil {
		return 0, err
	}
	n := 0
	for ctx.Err() == nil {
		items, err := c.store.Claim(ctx, c.worker, c.batch, c.lease, c.now())
		if err != nil {
			return n, fmt.Errorf("outbox: claim: %w", err)
		}
		for _, it := range items {
			s.process(ctx, c, it)
		}
		n += len(items)
		if len(items) == 0 {
			break
		}
	}
	if c.campaigns != nil {
		s.sweepCampaigns(ctx, c)
	}
	s.flushProgress(ctx, c)
	return n, ctx.Err()
}
