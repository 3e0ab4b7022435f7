package bot

import (
	"context"
	"sync"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// job is one piece of a chat's work.
type job struct {
	chat int64
	in   store.Inbound
	// flush sends the replies the chat is still owed (at start).
	flush bool
	// flood tells the chat to slow down; in is the update dropped for it.
	flood bool
	// unmetered: the chat has no flood budget (the staff group, where
	// several staff members write).
	unmetered bool
	// part is the partition the job belongs to (several replicas), nil
	// when this process handles every chat.
	part *part
}

// admission is what the scheduler did with a job.
type admission int

const (
	admitted admission = iota
	// floodWarn: the chat exceeded its budget; the job was turned into a
	// "slow down" notice.
	floodWarn
	// flooded: the chat exceeded its budget and was warned already; the job
	// was refused.
	flooded
)

// scheduler is a ready-queue of chats served by a pool of workers: one
// chat's jobs run one after another in the order added, different chats in
// parallel, and a worker takes whichever chat is ready next, so a chat
// that waits on a slow store holds up only itself. It bounds the jobs held
// (MaxInFlight) and what one chat may add (a token bucket).
type scheduler struct {
	mu sync.Mutex
	// work wakes one idle worker per ready chat; room wakes the reader
	// waiting for the jobs held to drop below the maximum. Two conditions,
	// each signalled, not broadcast: with one broadcast condition every
	// update woke all the workers to find one chat (a herd of 64 at each
	// update, most of them going back to sleep).
	work, room *sync.Cond
	chats      map[int64]*chatQueue
	ready      []int64
	inflight   int
	max        int
	closed     bool

	burst, rate float64
	buckets     map[int64]*bucket
	adds        int
	now         func() time.Time
}

type chatQueue struct {
	jobs []job
	busy bool
}

// bucket is one chat's flood budget.
type bucket struct {
	tokens float64
	at     time.Time
	warned bool
}

func newScheduler(workers, maxInFlight, burst int, rate float64) *scheduler {
	s := &scheduler{chats: map[int64]*chatQueue{}, max: max(maxInFlight, workers), burst: float64(burst),
		rate: rate, buckets: map[int64]*bucket{}, now: time.Now}
	s.work = sync.NewCond(&s.mu)
	s.room = sync.NewCond(&s.mu)
	return s
}

// add queues j behind its chat's other jobs. An update beyond its chat's
// budget is turned into a "slow down" notice the first time, and refused
// after that until the budget has half recovered.
func (s *scheduler) add(j job) admission {
	s.mu.Lock()
	defer s.mu.Unlock()
	res := admitted
	if !j.flush && !j.unmetered {
		res = s.spend(j)
		if res == flooded {
			return res
		}
		j.flood = res == floodWarn
	}
	q := s.chats[j.chat]
	if q == nil {
		q = &chatQueue{}
		s.chats[j.chat] = q
	}
	q.jobs = append(q.jobs, j)
	s.inflight++
	if !q.busy && len(q.jobs) == 1 {
		s.ready = append(s.ready, j.chat)
		s.work.Signal()
	}
	return res
}

// spend takes one token of j's chat, refilled by the time since the last
// update (the time it was recorded, so a backlog after downtime is not
// taken for a flood). s.mu must be held.
func (s *scheduler) spend(j job) admission {
	at := j.in.Received
	if at.IsZero() {
		at = s.now()
	}
	s.adds++
	if s.adds%4096 == 0 {
		s.prune(at)
	}
	b := s.buckets[j.chat]
	if b == nil {
		b = &bucket{tokens: s.burst, at: at}
		s.buckets[j.chat] = b
	}
	if at.After(b.at) {
		b.tokens = min(s.burst, b.tokens+at.Sub(b.at).Seconds()*s.rate)
		b.at = at
	}
	if b.tokens >= s.burst/2 {
		b.warned = false
	}
	if b.tokens >= 1 {
		b.tokens--
		return admitted
	}
	if !b.warned {
		b.warned = true
		return floodWarn
	}
	return flooded
}

// prune forgets the budgets that are full again. s.mu must be held.
func (s *scheduler) prune(now time.Time) {
	for chat, b := range s.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*s.rate >= s.burst {
			delete(s.buckets, chat)
		}
	}
}

// waitRoom waits until fewer than the maximum jobs are held and returns
// how many more may be added; 0 when ctx is done or the scheduler closed.
func (s *scheduler) waitRoom(ctx context.Context) int {
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		s.room.Broadcast()
		s.mu.Unlock()
	})
	defer stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.inflight >= s.max && !s.closed && ctx.Err() == nil {
		s.room.Wait()
	}
	if s.closed || ctx.Err() != nil {
		return 0
	}
	return s.max - s.inflight
}

// serve runs jobs with fn until the scheduler is closed; a job in progress
// then finishes, and jobs still queued are left (they stay recorded).
func (s *scheduler) serve(_ context.Context, fn func(job)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		for len(s.ready) == 0 && !s.closed {
			s.work.Wait()
		}
		if s.closed {
			return
		}
		chat := s.ready[0]
		s.ready = s.ready[1:]
		q := s.chats[chat]
		q.busy = true
		j := q.jobs[0]
		s.mu.Unlock()
		fn(j)
		s.mu.Lock()
		q.jobs = q.jobs[1:]
		q.busy = false
		if s.inflight == s.max {
			s.room.Broadcast() // room for the readers (the poller, webhook posts)
		}
		s.inflight--
		if len(q.jobs) > 0 {
			// This worker goes round again and takes it (or an older chat).
			s.ready = append(s.ready, chat)
		} else {
			delete(s.chats, chat)
		}
	}
}

// close stops the workers after the jobs in progress.
func (s *scheduler) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.work.Broadcast()
	s.room.Broadcast()
}
