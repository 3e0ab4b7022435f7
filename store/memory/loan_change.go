package memory

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Loan notice events passed to a store.LoanNotify: a stage change passes
// the new stage's code, a payment this.
const loanPaymentEvent = "payment"

// loanNoticeKind is the outbox kind of loan notices, unless notify sets
// another.
const loanNoticeKind = "loan"

// MoveStage implements store.LoanStore with the rules of the Postgres
// store: compare-and-set from m.From to m.To, the event at m.At (now when
// zero), the audit entry and notify's message for every linked owner
// (key "loan:<loan id>:<event id>:<user>", event = m.To) happen together
// or not at all; arriving at DICAIRKAN stamps the disbursement date unless
// one is set, arriving at DISETUJUI sets the approved amount
// (store.CheckStageMove). notify runs under the store's lock and must not
// use the store.
func (s *Store) MoveStage(ctx context.Context, m store.StageMove, notify store.LoanNotify) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	loanID, from, to := m.LoanID, m.From, m.To
	if !slices.Contains(store.LoanStages, to) {
		return fmt.Errorf("move loan %d to %q: unknown stage", loanID, to)
	}
	out := s.out()
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.loans
	e := st.loan(loanID)
	if e == nil {
		return fmt.Errorf("move loan %d from %s to %s: %w", loanID, from, to, store.ErrNotFound)
	}
	if e.l.Stage != from {
		return fmt.Errorf("move loan %d from %s to %s: the loan is at %s: %w", loanID, from, to, e.l.Stage,
			store.ErrConflict)
	}
	if err := store.CheckStageMove(m, e.l); err != nil {
		return fmt.Errorf("move loan %d from %s to %s: %w", loanID, from, to, err)
	}
	now := s.now().UTC().Round(0)
	at := m.At
	if at.IsZero() {
		at = now
	}
	at = at.Truncate(time.Microsecond).Round(0)
	l := e.l
	l.Stage, l.Note, l.UpdatedAt = to, m.Note, now
	if to == store.LoanApproved {
		l.Approved = m.Approved
	}
	if to == store.LoanDisbursed && l.DisbursedAt.IsZero() {
		l.DisbursedAt = at
	}
	eventID := st.events + 1
	items, err := s.loanNotices(l, to, notify, func(user int64) string {
		return fmt.Sprintf("loan:%d:%d:%d", loanID, eventID, user)
	})
	if err != nil {
		return fmt.Errorf("move loan %d from %s to %s: %w", loanID, from, to, err)
	}
	st.events = eventID
	e.l = l
	e.history = append(e.history, store.LoanEvent{LoanID: loanID, From: from, To: to, Note: m.Note,
		Approved: m.Approved, Actor: m.Actor, At: at})
	s.regs.appendAudit(store.AuditEntry{Actor: m.Actor, Action: "loan.stage", Object: store.LoanObject(l.Number),
		Detail: from + "->" + to}, now)
	out.addNew(items, now)
	return nil
}

// RecordPayment implements store.LoanStore with the rules of the Postgres
// store: a positive amount (PaidAt now when zero), idempotent by Ref (the
// same loan and amount again is not created; another is ErrConflict),
// audited, with notify's message (event "payment") for every linked owner
// under "loanpay:<payment id>:<user>". notify runs under the store's lock
// and must not use the store.
func (s *Store) RecordPayment(ctx context.Context, p store.Payment, notify store.LoanNotify) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if p.Amount <= 0 {
		return false, fmt.Errorf("record payment of %d on loan %d: the amount must be positive", p.Amount, p.LoanID)
	}
	out := s.out()
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.loans
	e := st.loan(p.LoanID)
	if e == nil {
		return false, fmt.Errorf("record payment %q on loan %d: %w", p.Ref, p.LoanID, store.ErrNotFound)
	}
	if id := st.byRef[p.Ref]; p.Ref != "" && id != 0 {
		prev := st.payments[id-1]
		if prev.LoanID != p.LoanID || prev.Amount != p.Amount {
			return false, fmt.Errorf("record payment %q on loan %d: the ref is taken by a payment of %d on loan %d: %w",
				p.Ref, p.LoanID, prev.Amount, prev.LoanID, store.ErrConflict)
		}
		return false, nil
	}
	now := s.now().UTC().Round(0)
	if p.PaidAt.IsZero() {
		p.PaidAt = now
	}
	p.ID, p.PaidAt = int64(len(st.payments)+1), p.PaidAt.Truncate(time.Microsecond).Round(0)
	items, err := s.loanNotices(e.l, loanPaymentEvent, notify, func(user int64) string {
		return fmt.Sprintf("loanpay:%d:%d", p.ID, user)
	})
	if err != nil {
		return false, fmt.Errorf("record payment %q on loan %d: %w", p.Ref, p.LoanID, err)
	}
	st.payments = append(st.payments, p)
	if p.Ref != "" {
		if st.byRef == nil {
			st.byRef = map[string]int64{}
		}
		st.byRef[p.Ref] = p.ID
	}
	e.payments = append(e.payments, p.ID)
	s.regs.appendAudit(store.AuditEntry{Actor: p.Actor, Action: "loan.payment", Object: store.LoanObject(e.l.Number),
		Detail: fmt.Sprintf("payment=%d ref=%s", p.ID, p.Ref)}, now)
	out.addNew(items, now)
	return true, nil
}

// History implements store.LoanStore: the events in the order they
// happened, the creation first.
func (s *Store) History(ctx context.Context, loanID int64) ([]store.LoanEvent, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.loans.loan(loanID)
	if e == nil {
		return nil, fmt.Errorf("history of loan %d: %w", loanID, store.ErrNotFound)
	}
	return slices.Clone(e.history), nil
}

// Payments implements store.LoanStore: by PaidAt, then in the order
// recorded.
func (s *Store) Payments(ctx context.Context, loanID int64) ([]store.Payment, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.loans.loan(loanID)
	if e == nil {
		return nil, fmt.Errorf("payments of loan %d: %w", loanID, store.ErrNotFound)
	}
	list := make([]store.Payment, 0, len(e.payments))
	for _, id := range e.payments {
		list = append(list, s.loans.payments[id-1])
	}
	slices.SortStableFunc(list, func(a, b store.Payment) int { return a.PaidAt.Compare(b.PaidAt) })
	return list, nil
}

// loanNotices builds notify's message for every user linked to l, keyed
// by keyOf(user), ChatID defaulting to the user and Kind to "loan". A nil
// notify gives none. s.mu must be held.
func (s *Store) loanNotices(l store.Loan, event string, notify store.LoanNotify,
	keyOf func(int64) string) ([]store.OutboxItem, error) {
	if notify == nil {
		return nil, nil
	}
	var items []store.OutboxItem
	for _, user := range s.loans.linkedUsers(l.ID) {
		it, err := notify(l, user, event)
		if err != nil {
			return nil, fmt.Errorf("notice to user %d: %w", user, err)
		}
		if it.Payload == nil {
			return nil, fmt.Errorf("notice to user %d: no payload", user)
		}
		it.Key, it.CampaignID = keyOf(user), 0
		if it.ChatID == 0 {
			it.ChatID = user
		}
		if it.Kind == "" {
			it.Kind = loanNoticeKind
		}
		items = append(items, it)
	}
	return items, nil
}

// addNew queues the items whose key is new. s.mu must be held.
func (st *outState) addNew(items []store.OutboxItem, now time.Time) {
	for _, it := range items {
		if st.byKey[it.Key] == nil {
			st.add(it, now)
		}
	}
}
