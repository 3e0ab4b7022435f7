package memory

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

var _ store.LoanStore = (*Store)(nil)

// findLoansLimit is how many loans FindLoans returns when asked for none.
const findLoansLimit = 20

// loanState holds the loans, their events and payments and the users
// linked to them, for one Store. It is guarded by the Store's mutex; its
// zero value is empty and ready.
type loanState struct {
	loans    []*loanEntry // by ID-1
	byNumber map[string]*loanEntry
	payments []store.Payment  // by ID-1
	byRef    map[string]int64 // payment ids by Ref
	// events counts the events of every loan: the next one's id.
	events int64
	// byUser lists each user's links in the order they were made.
	byUser map[int64][]loanLink
}

type loanEntry struct {
	l        store.Loan
	history  []store.LoanEvent
	payments []int64 // ids, in the order recorded
}

type loanLink struct {
	loan int64
	at   time.Time
}

// loan returns the loan with id, or nil. s.mu must be held.
func (st *loanState) loan(id int64) *loanEntry {
	if id <= 0 || int(id) > len(st.loans) {
		return nil
	}
	return st.loans[id-1]
}

// UpsertLoan implements store.LoanStore with the rules of the Postgres
// store: a new loan starts at l.Stage (DIAJUKAN when empty) with l.Note,
// its creation the first event of its history; an existing one gets l's
// terms (NIK, names, amounts, tenor, rate, method, grace, and the
// disbursement date unless l's is zero) while its stage and note stay;
// when nothing differs nothing is written. Each write is audited.
func (s *Store) UpsertLoan(ctx context.Context, actor int64, l store.Loan) (store.Loan, bool, error) {
	if err := ctx.Err(); err != nil {
		return store.Loan{}, false, err
	}
	l, err := store.CheckLoan(l)
	if err != nil {
		return store.Loan{}, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.loans
	now := s.now().UTC().Round(0)
	if e := st.byNumber[l.Number]; e != nil {
		changed := store.LoanChanges(e.l, l)
		if len(changed) == 0 {
			return e.l, false, nil
		}
		disbursed := e.l.DisbursedAt
		if !l.DisbursedAt.IsZero() {
			disbursed = l.DisbursedAt
		}
		l.ID, l.Stage, l.Note, l.CreatedAt, l.UpdatedAt, l.DisbursedAt = e.l.ID, e.l.Stage, e.l.Note, e.l.CreatedAt, now, disbursed
		e.l = l
		s.regs.appendAudit(store.AuditEntry{Actor: actor, Action: "loan.update", Object: store.LoanObject(l.Number),
			Detail: "changed=" + strings.Join(changed, ",")}, now)
		return l, false, nil
	}
	if st.byNumber == nil {
		st.byNumber = map[string]*loanEntry{}
	}
	l.ID, l.CreatedAt, l.UpdatedAt = int64(len(st.loans)+1), now, now
	st.events++
	e := &loanEntry{l: l, history: []store.LoanEvent{{LoanID: l.ID, To: l.Stage, Note: l.Note, Actor: actor, At: now}}}
	st.loans = append(st.loans, e)
	st.byNumber[l.Number] = e
	s.regs.appendAudit(store.AuditEntry{Actor: actor, Action: "loan.create", Object: store.LoanObject(l.Number),
		Detail: "stage=" + l.Stage}, now)
	return l, true, nil
}

// Loan implements store.LoanStore.
func (s *Store) Loan(ctx context.Context, number string) (store.Loan, error) {
	if err := ctx.Err(); err != nil {
		return store.Loan{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.loans.byNumber[number]; e != nil {
		return e.l, nil
	}
	return store.Loan{}, fmt.Errorf("loan %s: %w", number, store.ErrNotFound)
}

// LoanByID implements store.LoanStore.
func (s *Store) LoanByID(ctx context.Context, id int64) (store.Loan, error) {
	if err := ctx.Err(); err != nil {
		return store.Loan{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.loans.loan(id); e != nil {
		return e.l, nil
	}
	return store.Loan{}, fmt.Errorf("loan %d: %w", id, store.ErrNotFound)
}

// FindLoans implements store.LoanStore: query (trimmed) is a piece of the
// number or of the applicant's name, in any case; an empty one lists the
// newest loans. A limit of 0 or less means 20.
func (s *Store) FindLoans(ctx context.Context, query string, limit int) ([]store.Loan, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = findLoansLimit
	}
	q := strings.ToLower(strings.TrimSpace(query))
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []store.Loan
	for _, e := range slices.Backward(s.loans.loans) {
		if len(list) == limit {
			break
		}
		if strings.Contains(strings.ToLower(e.l.Number), q) || strings.Contains(strings.ToLower(e.l.ApplicantName), q) {
			list = append(list, e.l)
		}
	}
	return list, nil
}
