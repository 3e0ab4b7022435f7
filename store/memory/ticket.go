package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

var _ store.TicketStore = (*Store)(nil)

// ticketState holds the owners' questions of one Store, by ID-1; a ticket
// deleted with its owner's data is nil. It is guarded by the Store's mutex.
type ticketState struct {
	list []*store.Ticket
}

// ticketView returns a copy of t that shares nothing with the store.
func ticketView(t *store.Ticket) store.Ticket {
	v := *t
	v.Messages = slices.Clone(t.Messages)
	return v
}

// stamp returns at, or the store's now when at is zero, in UTC without a
// monotonic reading (as Postgres returns it).
func (s *Store) stamp(at time.Time) time.Time {
	if at.IsZero() {
		at = s.now()
	}
	return at.UTC().Round(0).Truncate(time.Microsecond)
}

// openTicket finds userID's ticket that is not closed. s.mu must be held.
func (st *ticketState) open(userID int64) *store.Ticket {
	for _, t := range st.list {
		if t != nil && t.UserID == userID && t.Status != store.TicketClosed {
			return t
		}
	}
	return nil
}

// get finds a ticket by id. s.mu must be held.
func (st *ticketState) get(id int64) (*store.Ticket, error) {
	if id <= 0 || int(id) > len(st.list) || st.list[id-1] == nil {
		return nil, fmt.Errorf("ticket %d: %w", id, store.ErrNotFound)
	}
	return st.list[id-1], nil
}

// Ask implements store.TicketStore.
func (s *Store) Ask(ctx context.Context, q store.TicketAsk) (store.Ticket, bool, error) {
	if err := ctx.Err(); err != nil {
		return store.Ticket{}, false, err
	}
	if err := store.CheckTicketMessage(q.Text, q.File); err != nil {
		return store.Ticket{}, false, fmt.Errorf("ask: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.tickets
	at := s.stamp(q.At)
	msg := store.TicketMessage{Text: q.Text, File: q.File, At: at}
	if t := st.open(q.UserID); t != nil {
		t.Messages = append(t.Messages, msg)
		t.Status, t.Lang, t.UpdatedAt = store.TicketNew, q.Lang, at
		s.regs.appendAudit(store.AuditEntry{Actor: q.UserID, Action: "ticket.ask",
			Object: store.TicketObject(t.Number)}, at)
		return ticketView(t), false, nil
	}
	if q.DayLimit > 0 {
		n := 0
		for _, t := range st.list {
			if t != nil && t.UserID == q.UserID && !t.CreatedAt.Before(q.DaySince) {
				n++
			}
		}
		if n >= q.DayLimit {
			return store.Ticket{}, false, fmt.Errorf("open a ticket for user %d: %d today: %w", q.UserID, n, store.ErrFull)
		}
	}
	id := int64(len(st.list) + 1)
	t := &store.Ticket{ID: id, Number: store.TicketNumber(id, at), UserID: q.UserID, Lang: q.Lang,
		Status: store.TicketNew, Messages: []store.TicketMessage{msg}, CreatedAt: at, UpdatedAt: at}
	st.list = append(st.list, t)
	s.regs.appendAudit(store.AuditEntry{Actor: q.UserID, Action: "ticket.open",
		Object: store.TicketObject(t.Number)}, at)
	return ticketView(t), true, nil
}

// OpenTicket implements store.TicketStore.
func (s *Store) OpenTicket(ctx context.Context, userID int64) (store.Ticket, error) {
	if err := ctx.Err(); err != nil {
		return store.Ticket{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tickets.open(userID)
	if t == nil {
		return store.Ticket{}, fmt.Errorf("open ticket of user %d: %w", userID, store.ErrNotFound)
	}
	return ticketView(t), nil
}

// Ticket implements store.TicketStore.
func (s *Store) Ticket(ctx context.Context, id int64) (store.Ticket, error) {
	if err := ctx.Err(); err != nil {
		return store.Ticket{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.tickets.get(id)
	if err != nil {
		return store.Ticket{}, err
	}
	return ticketView(t), nil
}

// OpenTickets implements store.TicketStore.
func (s *Store) OpenTickets(ctx context.Context, limit int) ([]store.Ticket, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []store.Ticket
	for _, t := range s.tickets.list {
		if t == nil || t.Status == store.TicketClosed {
			continue
		}
		v := ticketView(t)
		v.Messages = v.Messages[:1]
		list = append(list, v)
	}
	slices.SortStableFunc(list, func(a, b store.Ticket) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	if limit > 0 && len(list) > limit {
		list = list[:limit]
	}
	return list, nil
}

// Answer implements store.TicketStore. notify runs under the store's lock.
func (s *Store) Answer(ctx context.Context, a store.TicketAnswer, notify store.TicketNotify) (store.Ticket, error) {
	if err := ctx.Err(); err != nil {
		return store.Ticket{}, err
	}
	if err := store.CheckTicketMessage(a.Text, a.File); err != nil {
		return store.Ticket{}, fmt.Errorf("answer: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.tickets.get(a.TicketID)
	if err != nil {
		return store.Ticket{}, err
	}
	if t.Status == store.TicketClosed {
		return store.Ticket{}, fmt.Errorf("answer ticket %s: closed: %w", t.Number, store.ErrConflict)
	}
	at := s.stamp(a.At)
	msg := store.TicketMessage{StaffID: a.Staff, Text: a.Text, File: a.File, At: at}
	next := ticketView(t)
	next.Messages = append(next.Messages, msg)
	next.Status, next.UpdatedAt = store.TicketAnswered, at
	if next.FirstResponseAt.IsZero() {
		next.FirstResponseAt = at
	}
	var items []store.OutboxItem
	if notify != nil {
		it, err := notify(next, msg)
		if err != nil {
			return store.Ticket{}, fmt.Errorf("answer ticket %s: %w", t.Number, err)
		}
		it.Key = fmt.Sprintf("ticket:%d:%d", t.ID, len(next.Messages))
		items = append(items, it)
	}
	*t = next
	s.regs.appendAudit(store.AuditEntry{Actor: a.Staff, Action: "ticket.answer",
		Object: store.TicketObject(t.Number)}, at)
	s.outbox.addNew(items, at)
	return ticketView(t), nil
}

// CloseTicket implements store.TicketStore.
func (s *Store) CloseTicket(ctx context.Context, actor, id int64, at time.Time) (store.Ticket, error) {
	if err := ctx.Err(); err != nil {
		return store.Ticket{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.tickets.get(id)
	if err != nil {
		return store.Ticket{}, err
	}
	if t.Status == store.TicketClosed {
		return store.Ticket{}, fmt.Errorf("close ticket %s: already closed: %w", t.Number, store.ErrConflict)
	}
	at = s.stamp(at)
	t.Status, t.ClosedAt, t.ClosedBy, t.UpdatedAt = store.TicketClosed, at, actor, at
	s.regs.appendAudit(store.AuditEntry{Actor: actor, Action: "ticket.close",
		Object: store.TicketObject(t.Number)}, at)
	return ticketView(t), nil
}

// TicketsOf implements store.TicketStore.
func (s *Store) TicketsOf(ctx context.Context, userID int64) ([]store.Ticket, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []store.Ticket
	for _, t := range s.tickets.list {
		if t != nil && t.UserID == userID {
			list = append(list, ticketView(t))
		}
	}
	return list, nil
}

// SetTicketTopic implements store.TicketStore.
func (s *Store) SetTicketTopic(ctx context.Context, id, topicID int64) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if topicID <= 0 {
		return 0, fmt.Errorf("set topic of ticket %d: topic %d", id, topicID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.tickets.get(id)
	if err != nil {
		return 0, err
	}
	if t.TopicID != 0 {
		return t.TopicID, nil
	}
	if other := s.tickets.byTopic(topicID); other != nil {
		return 0, fmt.Errorf("set topic of ticket %d: topic %d taken: %w", id, topicID, store.ErrConflict)
	}
	t.TopicID = topicID
	return topicID, nil
}

// TicketByTopic implements store.TicketStore.
func (s *Store) TicketByTopic(ctx context.Context, topicID int64) (store.Ticket, error) {
	if err := ctx.Err(); err != nil {
		return store.Ticket{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.tickets.byTopic(topicID); t != nil && topicID > 0 {
		return ticketView(t), nil
	}
	return store.Ticket{}, fmt.Errorf("ticket of topic %d: %w", topicID, store.ErrNotFound)
}

// byTopic finds the ticket of a forum topic. s.mu must be held.
func (st *ticketState) byTopic(topicID int64) *store.Ticket {
	for _, t := range st.list {
		if t != nil && t.TopicID == topicID {
			return t
		}
	}
	return nil
}

// countTickets counts userID's tickets. s.mu must be held.
func (st *ticketState) count(userID int64) int {
	n := 0
	for _, t := range st.list {
		if t != nil && t.UserID == userID {
			n++
		}
	}
	return n
}

// forget deletes userID's tickets with their messages and returns how many
// went. s.mu must be held.
func (st *ticketState) forget(userID int64) int {
	n := 0
	for i, t := range st.list {
		if t != nil && t.UserID == userID {
			st.list[i] = nil
			n++
		}
	}
	return n
}
