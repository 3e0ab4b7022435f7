package memory

import (
	"context"
	"fmt"
	"slices"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Link implements store.LoanStore: the loan whose number and NIK are
// exactly these is linked to userID (once) and a new link audited. A wrong
// number, a wrong NIK, an empty NIK: all are the same ErrNotFound.
func (s *Store) Link(ctx context.Context, userID int64, number, nik string) (store.Loan, error) {
	if err := ctx.Err(); err != nil {
		return store.Loan{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.loans
	e := st.byNumber[number]
	if e == nil || nik == "" || e.l.NIK != nik {
		return store.Loan{}, fmt.Errorf("link user %d to a loan: %w", userID, store.ErrNotFound)
	}
	if slices.ContainsFunc(st.byUser[userID], func(k loanLink) bool { return k.loan == e.l.ID }) {
		return e.l, nil
	}
	if st.byUser == nil {
		st.byUser = map[int64][]loanLink{}
	}
	now := s.now().UTC().Round(0)
	st.byUser[userID] = append(st.byUser[userID], loanLink{loan: e.l.ID, at: now})
	s.regs.appendAudit(store.AuditEntry{Actor: userID, Action: "loan.link", Object: store.LoanObject(e.l.Number)}, now)
	return e.l, nil
}

// LinkedLoans implements store.LoanStore, in the order they were linked.
func (s *Store) LinkedLoans(ctx context.Context, userID int64) ([]store.Loan, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []store.Loan
	for _, k := range s.loans.byUser[userID] {
		list = append(list, s.loans.loan(k.loan).l)
	}
	return list, nil
}

// Unlink implements store.LoanStore; the removal is audited. A link that
// does not exist is ErrNotFound.
func (s *Store) Unlink(ctx context.Context, userID, loanID int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.loans
	links := st.byUser[userID]
	i := slices.IndexFunc(links, func(k loanLink) bool { return k.loan == loanID })
	if i < 0 {
		return fmt.Errorf("unlink user %d from loan %d: %w", userID, loanID, store.ErrNotFound)
	}
	st.byUser[userID] = slices.Delete(links, i, i+1)
	s.regs.appendAudit(store.AuditEntry{Actor: userID, Action: "loan.unlink",
		Object: store.LoanObject(st.loan(loanID).l.Number)}, s.now().UTC().Round(0))
	return nil
}

// LinkedUsers implements store.LoanStore, in the order of their ids.
func (s *Store) LinkedUsers(ctx context.Context, loanID int64) ([]int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.loans.linkedUsers(loanID), nil
}

// linkedUsers lists the users linked to a loan, by id. s.mu must be held.
func (st *loanState) linkedUsers(loanID int64) []int64 {
	var users []int64
	for user, links := range st.byUser {
		if slices.ContainsFunc(links, func(k loanLink) bool { return k.loan == loanID }) {
			users = append(users, user)
		}
	}
	slices.Sort(users)
	return users
}

// forget is the loans' part of a user's data deletion: the user's links
// go and the number of loans they were linked to is returned, for
// store.DeletionReport.Kept["loans"]. The loan records stay: the law makes
// the Dinas keep them. s.mu must be held.
func (st *loanState) forget(userID int64) int {
	n := len(st.byUser[userID])
	delete(st.byUser, userID)
	return n
}
