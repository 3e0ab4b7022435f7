package bot

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Several replicas share the work through a store.Partitioned ingest:
//
//   - one replica, the one holding the polling lease, polls and records
//     (in webhook mode every replica records what is posted to it);
//   - each partition of chats is handled by the replica holding its lease:
//     it hands out the updates recorded there, in order. The poller hands
//     out at once what it records for its own partitions; a replica reads
//     the others' records of its partitions from the store;
//   - every second each replica renews its heartbeat and leases (Balance),
//     takes free partitions up to its share, and gives back, after their
//     queued work is done, the partitions beyond its share, so that a new
//     replica gets work within seconds; a dead replica's leases lapse after
//     LeaseTTL and the others take its partitions, with the updates it left
//     and the replies it still owed.
//
// The sessions are the fence (store.Partitioned): an update handed out by
// two replicas in a handover is handled by the first and found handled by
// the second.

// LeaseTTL is how long a replica's leases outlive its last heartbeat.
const LeaseTTL = 5 * time.Second

// balanceEvery is how often a replica renews its leases.
const balanceEvery = time.Second

// part is a partition this replica handles.
type part struct {
	n int
	// mu orders the hand-outs of the partition (poller, reader, takeover).
	mu sync.Mutex
	// lastID and lastSeq are the last update handed out: the reader goes on
	// after lastSeq; an update not after lastID was handed out already.
	lastID  int64
	lastSeq string
	// live is false once the partition is lost or being given back: its
	// queued jobs are then skipped (they stay recorded for the next owner).
	live atomic.Bool
	// queued counts its jobs queued or running.
	queued atomic.Int64
}

// replicas is a replica's share of the work.
type replicas struct {
	st      store.Partitioned
	replica string
	poll    bool // this replica polls when it holds the lease (not webhook)

	mu    sync.Mutex
	parts map[int]*part
	// leading is closed while this replica holds the polling lease; lost is
	// closed when it loses it.
	polling  bool
	lead     chan struct{} // closed when the polling lease is taken
	lost     chan struct{} // closed when the polling lease is lost
	changed  chan struct{} // closed (and replaced) when parts or polling change
	draining map[int]bool
}

func newReplicas(st store.Partitioned, replica string, poll bool) *replicas {
	return &replicas{st: st, replica: replica, poll: poll, parts: map[int]*part{},
		lead: make(chan struct{}), lost: make(chan struct{}), changed: make(chan struct{}),
		draining: map[int]bool{}}
}

// partOf returns the partition a chat's updates go to, or nil when this
// replica does not handle it now.
func (r *replicas) partOf(chat int64) *part {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.parts[r.st.PartitionOf(chat)]
	if p == nil || !p.live.Load() {
		return nil
	}
	return p
}

func (r *replicas) notify() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// coordinate keeps the leases until ctx is done; then the replica stops
// handing out work (Run gives the leases back once the work in progress
// is done).
func (b *Bot) coordinate(ctx context.Context, sc *scheduler, r *replicas) {
	lastOK := time.Now()
	inUse, refused := false, time.Time{}
	t := time.NewTicker(balanceEvery)
	defer t.Stop()
	for {
		lease, err := r.st.Balance(ctx, r.replica, r.poll, LeaseTTL)
		switch {
		case ctx.Err() != nil:
			b.dropAll(r)
			return
		case errors.Is(err, store.ErrReplicaInUse):
			// Right after a restart the name's last renewal is the dead
			// process's, for a second or so; longer, another process lives.
			if refused.IsZero() {
				refused = time.Now()
			}
			if !inUse && time.Since(refused) > 3*balanceEvery {
				b.log.Error("another live replica has this REPLICA_ID: this one handles nothing until it is gone; give each replica its own REPLICA_ID",
					"replica", r.replica)
				inUse = true
			}
			b.dropAll(r)
		case err != nil:
			b.log.Warn("waiting for the store", "what", "leases", "err", err)
			if time.Since(lastOK) > LeaseTTL-balanceEvery {
				// The leases may have lapsed: another replica may own them.
				b.dropAll(r)
			}
		default:
			lastOK, inUse, refused = time.Now(), false, time.Time{}
			b.apply(ctx, sc, r, lease)
		}
		select {
		case <-ctx.Done():
			b.dropAll(r)
			return
		case <-t.C:
		}
	}
}

// apply brings this replica's state to a lease it holds now.
func (b *Bot) apply(ctx context.Context, sc *scheduler, r *replicas, l store.Lease) {
	r.mu.Lock()
	var gained []*part
	owned := map[int]bool{}
	for _, n := range l.Owned {
		owned[n] = true
		if r.parts[n] == nil && !r.draining[n] {
			p := &part{n: n}
			p.live.Store(true)
			// Locked until takeOver has handed out its backlog: nothing
			// newer of it may go first.
			p.mu.Lock()
			r.parts[n] = p
			gained = append(gained, p)
		}
	}
	var lostParts []int
	for n, p := range r.parts {
		if !owned[n] {
			p.live.Store(false)
			delete(r.parts, n)
			lostParts = append(lostParts, n)
		}
	}
	// Beyond its share, a replica gives back its highest partitions once
	// their queued work is done.
	share := (r.st.Partitions() + max(l.Live, 1) - 1) / max(l.Live, 1)
	var give []*part
	if extra := len(r.parts) - share; extra > 0 {
		ns := slices.Sorted(maps.Keys(r.parts))
		for _, n := range ns[len(ns)-extra:] {
			p := r.parts[n]
			p.live.Store(false)
			delete(r.parts, n)
			r.draining[n] = true
			give = append(give, p)
		}
	}
	startPolling := l.Polling && !r.polling
	stopPolling := !l.Polling && r.polling
	if startPolling {
		r.polling = true
		close(r.lead)
		r.lost = make(chan struct{})
	}
	if stopPolling {
		r.polling = false
		close(r.lost)
		r.lead = make(chan struct{})
	}
	if len(gained)+len(lostParts)+len(give) > 0 || startPolling || stopPolling {
		r.notify()
	}
	nowOwned, polling := len(r.parts), r.polling
	r.mu.Unlock()
	if rm, ok := b.cfg.Metrics.(ReplicaMetrics); ok {
		rm.Replicas(nowOwned, polling)
	}

	if len(lostParts) > 0 {
		b.log.Warn("partitions lost to another replica", "partitions", lostParts)
	}
	if startPolling {
		b.log.Info("this replica polls Telegram")
	}
	if stopPolling {
		b.log.Info("another replica polls Telegram now")
	}
	for _, p := range give {
		go b.giveBack(ctx, r, p)
	}
	if len(gained) > 0 {
		// Not on this goroutine: a large backlog waits for room in the
		// scheduler, and the leases must be renewed meanwhile.
		go b.takeOver(ctx, sc, r, gained)
	}
}

// takeOver starts handling partitions: first the replies their chats are
// still owed, then the updates recorded there and not acknowledged, in
// order. apply locked the partitions before anyone could see them, and
// takeOver unlocks them when done, so that the poller (or the webhook)
// hands out nothing newer of them before their backlog: what it recorded
// before the read is in the backlog and skipped after, what it records
// after comes after.
func (b *Bot) takeOver(ctx context.Context, sc *scheduler, r *replicas, gained []*part) {
	slices.SortFunc(gained, func(x, y *part) int { return x.n - y.n })
	ns := make([]int, 0, len(gained))
	byN := map[int]*part{}
	for _, p := range gained {
		ns = append(ns, p.n)
		byN[p.n] = p
	}
	defer func() {
		for _, p := range gained {
			p.mu.Unlock()
		}
	}()
	chats := retry(ctx, b, "replies owed", func() ([]int64, error) { return b.h.OwedChats(ctx) })
	flushed := 0
	for _, chat := range chats {
		if p := byN[r.st.PartitionOf(chat)]; p != nil && p.live.Load() {
			p.queued.Add(1)
			sc.add(job{chat: chat, flush: true, part: p})
			flushed++
		}
	}
	after := map[int]string{}
	for _, p := range gained {
		after[p.n] = ""
	}
	pending := retry(ctx, b, "updates in progress", func() ([]store.Inbound, error) { return r.st.Read(ctx, after, 0) })
	for _, in := range pending {
		if p := byN[r.st.PartitionOf(in.ChatID)]; p != nil && p.live.Load() {
			b.handOutLocked(ctx, sc, p, in)
		}
	}
	b.log.Info("partitions taken", "partitions", ns, "chats_owed", flushed, "updates_pending", len(pending))
}

// handOut queues recorded updates of the partitions this replica handles,
// each once, in order; rest gets the others (nil drops them: their owner
// reads them).
func (b *Bot) handOut(ctx context.Context, sc *scheduler, r *replicas, ins []store.Inbound, rest func(store.Inbound)) {
	for _, in := range ins {
		p := r.partOf(in.ChatID)
		if p == nil {
			if rest != nil {
				rest(in)
			}
			continue
		}
		p.mu.Lock()
		b.handOutLocked(ctx, sc, p, in)
		p.mu.Unlock()
	}
}

// handOutLocked queues in unless an update as new was handed out already.
// p.mu must be held.
func (b *Bot) handOutLocked(ctx context.Context, sc *scheduler, p *part, in store.Inbound) {
	if in.UpdateID <= p.lastID {
		return
	}
	p.lastID, p.lastSeq = in.UpdateID, in.Seq
	if sc.waitRoom(ctx) > 0 {
		p.queued.Add(1)
		b.enqueuePart(sc, in, p)
	}
}

// read hands out what other replicas record for this replica's partitions,
// while it does not poll (the poller hands out its own records at once).
func (b *Bot) read(ctx context.Context, sc *scheduler, r *replicas) {
	bo := backoff{min: 100 * time.Millisecond, max: 5 * time.Second}
	for ctx.Err() == nil {
		r.mu.Lock()
		changed := r.changed
		var parts []*part
		if !r.polling {
			parts = slices.Collect(maps.Values(r.parts))
		}
		r.mu.Unlock()
		after := lastSeqs(parts)
		if len(after) == 0 {
			select {
			case <-ctx.Done():
			case <-changed:
			}
			continue
		}
		if sc.waitRoom(ctx) == 0 {
			return
		}
		ins, err := r.st.Read(ctx, after, time.Second)
		if err != nil {
			if ctx.Err() == nil {
				b.log.Warn("waiting for the store", "what", "read updates", "err", err)
				sleep(ctx, bo.next())
			}
			continue
		}
		bo.reset()
		b.handOut(ctx, sc, r, ins, nil)
	}
}

// giveBack lets a partition's queued work finish (at most HandleTimeout),
// then releases its lease for another replica.
func (b *Bot) giveBack(ctx context.Context, r *replicas, p *part) {
	deadline := time.Now().Add(b.cfg.HandleTimeout)
	for p.queued.Load() > 0 && time.Now().Before(deadline) && ctx.Err() == nil {
		sleep(ctx, 50*time.Millisecond)
	}
	if err := r.st.Release(context.WithoutCancel(ctx), r.replica, false, p.n); err != nil {
		b.log.Warn("partition not given back (its lease lapses by itself)", "partition", p.n, "err", err)
	}
	r.mu.Lock()
	delete(r.draining, p.n)
	r.mu.Unlock()
	b.log.Info("partition given back", "partition", p.n)
}

// dropAll stops handling every partition and polling: the leases lapsed or
// the replica stops.
func (b *Bot) dropAll(r *replicas) {
	if rm, ok := b.cfg.Metrics.(ReplicaMetrics); ok {
		defer rm.Replicas(0, false)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for n, p := range r.parts {
		p.live.Store(false)
		delete(r.parts, n)
	}
	if r.polling {
		r.polling = false
		close(r.lost)
		r.lead = make(chan struct{})
	}
	r.notify()
}

// pollShared polls while this replica holds the polling lease.
func (b *Bot) pollShared(ctx context.Context, sc *scheduler, r *replicas) {
	for ctx.Err() == nil {
		r.mu.Lock()
		lead, lost := r.lead, r.lost
		if r.polling {
			lead = closedChan
		}
		r.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-lead:
		}
		r.mu.Lock()
		lost = r.lost
		r.mu.Unlock()
		pctx, cancel := context.WithCancel(ctx)
		stop := context.AfterFunc(ctx, cancel)
		go func() {
			select {
			case <-lost:
				cancel()
			case <-pctx.Done():
			}
		}()
		// What an earlier poller recorded for this replica's partitions and
		// the reader did not hand out yet.
		b.catchUp(pctx, sc, r)
		b.poll(pctx, ctx, sc, r)
		stop()
		cancel()
	}
}

var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// catchUp hands out what is recorded in this replica's partitions after
// what it handed out.
func (b *Bot) catchUp(ctx context.Context, sc *scheduler, r *replicas) {
	r.mu.Lock()
	parts := slices.Collect(maps.Values(r.parts))
	r.mu.Unlock()
	after := lastSeqs(parts)
	if len(after) == 0 {
		return
	}
	ins := retry(ctx, b, "updates in progress", func() ([]store.Inbound, error) { return r.st.Read(ctx, after, 0) })
	b.handOut(ctx, sc, r, ins, nil)
}

// errNotPolling reports Record's refusal.
func errNotPolling(err error) bool { return errors.Is(err, store.ErrNotPolling) }

// leave gives back every lease at shutdown, so that the other replicas
// take the partitions at once instead of after LeaseTTL.
func (b *Bot) leave(r *replicas) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := r.st.Leave(ctx, r.replica); err != nil {
		b.log.Warn("leases not given back (they lapse by themselves)", "err", err)
	}
}

// lastSeqs is where reading goes on in each of parts: after the last
// update handed out. It waits for a partition being taken over (its lock)
// and must not be called with r.mu held.
func lastSeqs(parts []*part) map[int]string {
	after := make(map[int]string, len(parts))
	for _, p := range parts {
		p.mu.Lock()
		if p.live.Load() {
			after[p.n] = p.lastSeq
		}
		p.mu.Unlock()
	}
	return after
}
