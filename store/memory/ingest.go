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
// rules as the Redis stream (records in order, each pending until
// acknowledged), gone with the process.
type Ingest struct {
	mu      sync.Mutex
	seq     int64
	offset  int64
	entries []store.Inbound // recorded, not acknowledged, in order
	dead    []store.DeadLetter
	now     func() time.Time
}

var _ store.IngestStore = (*Ingest)(nil)

// NewIngest returns an empty ingest.
func NewIngest() *Ingest {
	return &Ingest{now: time.Now}
}

// Offset implements store.IngestStore.
func (g *Ingest) Offset(ctx context.Context) (int64, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.offset, ctx.Err()
}

// Record implements store.IngestStore.
func (g *Ingest) Record(ctx context.Context, ups []store.Inbound, next int64) ([]store.Inbound, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []store.Inbound
	for _, u := range ups {
		if u.UpdateID < g.offset {
			continue
		}
		g.seq++
		u.Seq = fmt.Sprintf("%020d", g.seq)
		u.Received = g.now().UTC()
		u.Raw = slices.Clone(u.Raw)
		g.entries = append(g.entries, u)
		out = append(out, u)
	}
	g.offset = max(g.offset, next)
	return out, nil
}

// Pending implements store.IngestStore.
func (g *Ingest) Pending(ctx context.Context) ([]store.Inbound, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.entries), ctx.Err()
}

// Ack implements store.IngestStore.
func (g *Ingest) Ack(ctx context.Context, seqs ...string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.entries = slices.DeleteFunc(g.entries, func(e store.Inbound) bool { return slices.Contains(seqs, e.Seq) })
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
