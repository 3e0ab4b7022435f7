package memory

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Ingest is store.IngestStore in memory, for tests of the intake: the same
// rules as the Redis stream (records in order, read once, handed out again
// as pending until acknowledged), gone with the process.
type Ingest struct {
	mu      sync.Mutex
	wake    chan struct{}
	seq     int64
	offset  int64
	entries []store.Inbound // recorded, not acknowledged, in order
	read    map[string]bool // read and not acknowledged
	next    int             // index in entries of the first entry not read
	dead    []store.DeadLetter
	now     func() time.Time
}

var _ store.IngestStore = (*Ingest)(nil)

// NewIngest returns an empty ingest.
func NewIngest() *Ingest {
	return &Ingest{wake: make(chan struct{}), read: map[string]bool{}, now: time.Now}
}

// Offset implements store.IngestStore.
func (g *Ingest) Offset(ctx context.Context) (int64, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.offset, ctx.Err()
}

// Record implements store.IngestStore.
func (g *Ingest) Record(ctx context.Context, ups []store.Inbound, next int64) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for _, u := range ups {
		if u.UpdateID < g.offset {
			continue
		}
		g.seq++
		u.Seq = fmt.Sprintf("%020d", g.seq)
		u.Received = g.now().UTC()
		u.Raw = slices.Clone(u.Raw)
		g.entries = append(g.entries, u)
		n++
	}
	g.offset = max(g.offset, next)
	if n > 0 {
		close(g.wake)
		g.wake = make(chan struct{})
	}
	return n, nil
}

// Pending implements store.IngestStore.
func (g *Ingest) Pending(ctx context.Context) ([]store.Inbound, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []store.Inbound
	for _, e := range g.entries[:g.next] {
		if g.read[e.Seq] {
			out = append(out, e)
		}
	}
	return out, ctx.Err()
}

// Read implements store.IngestStore.
func (g *Ingest) Read(ctx context.Context, n int, block time.Duration) ([]store.Inbound, error) {
	t := time.NewTimer(block)
	defer t.Stop()
	for {
		g.mu.Lock()
		if g.next < len(g.entries) {
			end := min(len(g.entries), g.next+max(n, 1))
			out := slices.Clone(g.entries[g.next:end])
			for _, e := range out {
				g.read[e.Seq] = true
			}
			g.next = end
			g.mu.Unlock()
			return out, nil
		}
		wake := g.wake
		g.mu.Unlock()
		select {
		case <-wake:
		case <-t.C:
			return nil, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Ack implements store.IngestStore.
func (g *Ingest) Ack(ctx context.Context, seqs ...string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, s := range seqs {
		if !g.read[s] {
			continue
		}
		delete(g.read, s)
		if i := slices.IndexFunc(g.entries, func(e store.Inbound) bool { return e.Seq == s }); i >= 0 {
			g.entries = slices.Delete(g.entries, i, i+1)
			if i < g.next {
				g.next--
			}
		}
	}
	return ctx.Err()
}

// Len returns how many recorded updates are not acknowledged.
func (g *Ingest) Len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.entries)
}

// AddDeadLetter implements store.IngestStore.
func (g *Ingest) AddDeadLetter(ctx context.Context, d store.DeadLetter) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.dead = append([]store.DeadLetter{d}, g.dead...)
	if len(g.dead) > store.MaxDeadLetters {
		g.dead = g.dead[:store.MaxDeadLetters]
	}
	return ctx.Err()
}

// DeadLetters implements store.IngestStore.
func (g *Ingest) DeadLetters(ctx context.Context, n int) ([]store.DeadLetter, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.dead[:min(n, len(g.dead))]), ctx.Err()
}
