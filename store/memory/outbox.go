package memory

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Outbox is the store.OutboxStore and store.CampaignStore of a Store: the
// proactive messages, the broadcasts that fill them (their audiences drawn
// from the Store's registrations) and the users' broadcast preferences.
// It is a type of its own because store.SessionStore's Claim, which the
// Store implements, has the name of store.OutboxStore's. It shares the
// Store's mutex and clock.
type Outbox struct{ s *Store }

var (
	_ store.OutboxStore   = (*Outbox)(nil)
	_ store.CampaignStore = (*Outbox)(nil)
)

// Outbox returns the store's outbox; every call returns a view of the same
// data.
func (s *Store) Outbox() *Outbox { return &Outbox{s: s} }

// outState holds the outbox, the campaigns and the users' broadcast
// preferences of one Store. It is guarded by the Store's mutex, like the
// registrations that campaign audiences are drawn from.
type outState struct {
	items     []*store.OutboxItem // by ID-1
	byKey     map[string]*store.OutboxItem
	campaigns []*store.Campaign // by ID-1
	prefs     map[int64]userPrefs
	// worker is who claimed each row last, by ID; beats the senders'
	// heartbeats; fence the last fence handed out.
	worker map[int64]string
	beats  map[string]time.Time
	fence  int64
}

// userPrefs is a user's broadcast choice and reachability; the zero value
// is subscribed and reachable.
type userPrefs struct {
	off     bool // stopped announcements (/berhenti)
	blocked bool // blocked the bot (a 403)
}

// out returns s's outbox state.
func (s *Store) out() *outState { return &s.outbox }

// view returns a copy of it that shares nothing with the store; a
// campaign's row carries its campaign's payload. s.mu must be held.
func (st *outState) view(it *store.OutboxItem) store.OutboxItem {
	v := *it
	v.Payload = slices.Clone(it.Payload)
	if v.Payload == nil && it.CampaignID != 0 {
		v.Payload = slices.Clone(st.campaigns[it.CampaignID-1].Payload)
	}
	return v
}

// Enqueue implements store.OutboxStore. A zero NotBefore means at once
// (the store's now); Status and the other bookkeeping fields are ignored.
func (o *Outbox) Enqueue(ctx context.Context, items ...store.OutboxItem) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	st := o.s.out()
	o.s.mu.Lock()
	defer o.s.mu.Unlock()
	for _, it := range items {
		if it.Key == "" {
			return 0, errors.New("enqueue: empty key")
		}
		if it.Payload == nil && it.CampaignID == 0 {
			return 0, fmt.Errorf("enqueue %s: no payload", it.Key)
		}
		if it.CampaignID < 0 || int(it.CampaignID) > len(st.campaigns) {
			return 0, fmt.Errorf("enqueue %s: campaign %d: %w", it.Key, it.CampaignID, store.ErrNotFound)
		}
	}
	now := o.s.now().UTC().Round(0)
	added := 0
	for _, it := range items {
		if st.byKey[it.Key] != nil {
			continue
		}
		st.add(it, now)
		added++
	}
	return added, nil
}

// add appends a new pending row. s.mu must be held.
func (st *outState) add(it store.OutboxItem, now time.Time) {
	row := &store.OutboxItem{ID: int64(len(st.items) + 1), Key: it.Key, ChatID: it.ChatID, Kind: it.Kind,
		CampaignID: it.CampaignID, Payload: slices.Clone(it.Payload), NotBefore: it.NotBefore.Round(0),
		Status: store.OutboxPending, CreatedAt: now}
	if row.NotBefore.IsZero() {
		row.NotBefore = now
	}
	st.items = append(st.items, row)
	st.byKey[row.Key] = row
}

// Claim implements store.OutboxStore; the items come in due order.
func (o *Outbox) Claim(ctx context.Context, worker string, n int, lease time.Duration, now time.Time) ([]store.OutboxItem, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st := o.s.out()
	o.s.mu.Lock()
	defer o.s.mu.Unlock()
	var due []*store.OutboxItem
	for _, it := range st.items {
		if st.claimable(it, now) {
			due = append(due, it)
		}
	}
	slices.SortFunc(due, func(a, b *store.OutboxItem) int {
		return cmp.Or(a.NotBefore.Compare(b.NotBefore), cmp.Compare(a.ID, b.ID))
	})
	var out []store.OutboxItem
	for _, it := range due[:min(max(n, 0), len(due))] {
		it.Status, it.LeaseUntil, it.SendUntil = store.OutboxSending, now.Add(lease).Round(0), time.Time{}
		st.fence++
		it.Fence = st.fence
		if st.worker == nil {
			st.worker = map[int64]string{}
		}
		st.worker[it.ID] = worker
		out = append(out, st.view(it))
	}
	return out, nil
}

// Beat implements store.OutboxStore.
func (o *Outbox) Beat(ctx context.Context, worker string, until time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	st := o.s.out()
	o.s.mu.Lock()
	defer o.s.mu.Unlock()
	if st.beats == nil {
		st.beats = map[string]time.Time{}
	}
	st.beats[worker] = until
	return nil
}

// StartSend implements store.OutboxStore.
func (o *Outbox) StartSend(ctx context.Context, id, fence int64, until time.Time) error {
	return o.change(ctx, id, true, func(st *outState, it *store.OutboxItem) error {
		if it.Fence != fence {
			return fmt.Errorf("outbox %d is under another claim: %w", id, store.ErrConflict)
		}
		it.SendUntil = until.Round(0)
		return nil
	})
}

// claimable says whether Claim may lease it at now. s.mu must be held.
func (st *outState) claimable(it *store.OutboxItem, now time.Time) bool {
	switch {
	case it.NotBefore.After(now):
		return false
	case it.Status == store.OutboxSending:
		if it.SendUntil.After(now) {
			return false // a send is in flight
		}
		if !it.LeaseUntil.After(now) {
			return true
		}
		beat, ok := st.beats[st.worker[it.ID]]
		return ok && !beat.After(now)
	case it.Status != store.OutboxPending:
		return false
	}
	return it.CampaignID == 0 || st.campaigns[it.CampaignID-1].Status == store.CampaignRunning
}

// MarkSent implements store.OutboxStore. A message that went out is a
// fact: the row becomes sent whatever its status, unless it already is
// (then the first message id stays).
func (o *Outbox) MarkSent(ctx context.Context, id int64, messageID int, at time.Time) error {
	return o.change(ctx, id, false, func(st *outState, it *store.OutboxItem) error {
		if it.Status == store.OutboxSent {
			return nil
		}
		it.Status, it.MessageID, it.SentAt = store.OutboxSent, messageID, at.Round(0)
		it.LeaseUntil, it.LastError = time.Time{}, ""
		return nil
	})
}

// MarkBlocked implements store.OutboxStore; the recipient is left out of
// later audiences.
func (o *Outbox) MarkBlocked(ctx context.Context, id int64, reason string) error {
	return o.change(ctx, id, true, func(st *outState, it *store.OutboxItem) error {
		it.Status, it.LastError, it.LeaseUntil = store.OutboxBlocked, reason, time.Time{}
		p := st.prefs[it.ChatID]
		p.blocked = true
		st.prefs[it.ChatID] = p
		return nil
	})
}

// Retry implements store.OutboxStore. It applies to a claimed row only; a
// row another sender has finished meanwhile gives ErrConflict.
func (o *Outbox) Retry(ctx context.Context, id int64, at time.Time, reason string) error {
	return o.change(ctx, id, true, func(st *outState, it *store.OutboxItem) error {
		it.Status, it.NotBefore, it.LastError, it.LeaseUntil = store.OutboxPending, at.Round(0), reason, time.Time{}
		it.Attempts++
		return nil
	})
}

// MarkFailed implements store.OutboxStore. It applies to a claimed row
// only, like Retry.
func (o *Outbox) MarkFailed(ctx context.Context, id int64, reason string) error {
	return o.change(ctx, id, true, func(st *outState, it *store.OutboxItem) error {
		it.Status, it.LastError, it.LeaseUntil = store.OutboxFailed, reason, time.Time{}
		return nil
	})
}

// change applies fn to row id under the lock: ErrNotFound when there is no
// such row, ErrConflict when claimed is set and the row is not being sent.
func (o *Outbox) change(ctx context.Context, id int64, claimed bool, fn func(*outState, *store.OutboxItem) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	st := o.s.out()
	o.s.mu.Lock()
	defer o.s.mu.Unlock()
	if id <= 0 || int(id) > len(st.items) {
		return fmt.Errorf("outbox %d: %w", id, store.ErrNotFound)
	}
	it := st.items[id-1]
	if claimed && it.Status != store.OutboxSending {
		return fmt.Errorf("outbox %d is %s, not claimed: %w", id, it.Status, store.ErrConflict)
	}
	if err := fn(st, it); err != nil {
		return err
	}
	if it.Status != store.OutboxSending {
		it.SendUntil = time.Time{}
	}
	return nil
}

// OutboxItem implements store.OutboxStore.
func (o *Outbox) OutboxItem(ctx context.Context, key string) (store.OutboxItem, error) {
	if err := ctx.Err(); err != nil {
		return store.OutboxItem{}, err
	}
	st := o.s.out()
	o.s.mu.Lock()
	defer o.s.mu.Unlock()
	it := st.byKey[key]
	if it == nil {
		return store.OutboxItem{}, fmt.Errorf("outbox item %s: %w", key, store.ErrNotFound)
	}
	return st.view(it), nil
}

// Limiter is a store.RateLimiter for one process (the terminal chat, fast
// tests), with the same rules as the Redis one: grants spaced
// (1 s + LimiterSlack)/perSecond apart, twice that in the first 200 ms
// after a quarter of a second without grants, at most one message per chat
// in ChatGap, and a pause that every Wait honours.
type Limiter struct {
	interval time.Duration
	// ChatGap is the least time between two messages to one chat.
	ChatGap time.Duration

	mu     sync.Mutex
	next   time.Time // the next free global slot
	since  time.Time // the start of the current busy period
	paused time.Time
	chats  map[int64]time.Time // when each chat may get its next message
	grants int
}

var _ store.SendBudget = (*Limiter)(nil)

// LimiterSlack widens the spacing of grants so that messages delayed on
// their way by up to this much never crowd more than perSecond into one
// second; the same as the Redis limiter's.
const LimiterSlack = 10 * time.Millisecond

// limiterRamp and limiterIdle: a busy period, which starts after
// limiterIdle without grants, runs at half rate for limiterRamp.
const (
	limiterRamp = 200 * time.Millisecond
	limiterIdle = 250 * time.Millisecond
)

// NewLimiter returns a limiter of perSecond messages a second in total (no
// global limit when perSecond ≤ 0) and one per chat every 1.1 s.
func NewLimiter(perSecond int) *Limiter {
	l := &Limiter{ChatGap: 1100 * time.Millisecond, chats: map[int64]time.Time{}}
	if perSecond > 0 {
		l.interval = store.GrantInterval(perSecond, LimiterSlack)
	}
	return l
}

// Wait implements store.RateLimiter: it reserves the next global slot
// when neither a pause nor the chat's gap is in the way, else waits for
// them and tries again.
func (l *Limiter) Wait(ctx context.Context, chat int64) error {
	for {
		wait, reserved := l.reserve(chat, time.Now())
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		} else if err := ctx.Err(); err != nil {
			return err
		}
		if reserved {
			return nil
		}
	}
}

// reserve takes a slot for chat and says how long until it, or says how
// long to wait before asking again.
func (l *Limiter) reserve(chat int64, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.paused.After(now) {
		return l.paused.Sub(now), false
	}
	if t := l.chats[chat]; t.After(now) {
		return t.Sub(now), false
	}
	slot := now
	if l.next.After(now) {
		slot = l.next
	}
	if l.next.Before(now.Add(-limiterIdle)) {
		l.since = now
	}
	interval := l.interval
	if slot.Sub(l.since) < limiterRamp {
		interval *= 2
	}
	l.next = slot.Add(interval)
	l.chats[chat] = slot.Add(l.ChatGap)
	if l.grants++; l.grants%1024 == 0 {
		for c, t := range l.chats {
			if !t.After(now) {
				delete(l.chats, c)
			}
		}
	}
	return slot.Sub(now), true
}

// Spent implements store.SendBudget.
func (l *Limiter) Spent(ctx context.Context, chats []int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.next.Before(now) {
		l.next = now
	}
	l.next = l.next.Add(time.Duration(len(chats)) * store.SpentInterval(LimiterSlack))
	for _, c := range chats {
		if until := now.Add(l.ChatGap); until.After(l.chats[c]) {
			l.chats[c] = until
		}
	}
	return nil
}

// Pause implements store.RateLimiter; a shorter pause than the current
// one changes nothing.
func (l *Limiter) Pause(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if until := time.Now().Add(d); until.After(l.paused) {
		l.paused = until
	}
	return nil
}
