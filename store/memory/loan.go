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

// loanStages are the stage codes a loan may have (domain.md §5.3); which
// moves between them are allowed is the loan flow's business.
var loanStages = []string{"DIAJUKAN", "VERIFIKASI", "PERLU_LENGKAPI", "SURVEI", "RAPAT_KOMITE", "DISETUJUI",
	"DITOLAK", "AKAD", "DICAIRKAN", "BERJALAN", "MENUNGGAK", "LUNAS", "DIBATALKAN"}

// loanDisbursed is the stage whose arrival stamps DisbursedAt.
const loanDisbursed = "DICAIRKAN"

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
	l, err := checkLoan(l)
	if err != nil {
		return store.Loan{}, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.loans
	now := s.now().UTC().Round(0)
	if e := st.byNumber[l.Number]; e != nil {
		changed := loanChanges(e.l, l)
		if len(changed) == 0 {
			return e.l, false, nil
		}
		disbursed := e.l.DisbursedAt
		if !l.DisbursedAt.IsZero() {
			disbursed = l.DisbursedAt
		}
		l.ID, l.Stage, l.Note, l.CreatedAt, l.UpdatedAt, l.DisbursedAt = e.l.ID, e.l.Stage, e.l.Note, e.l.CreatedAt, now, disbursed
		e.l = l
		s.regs.appendAudit(store.AuditEntry{Actor: actor, Action: "loan.update", Object: loanObject(l.Number),
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
	s.regs.appendAudit(store.AuditEntry{Actor: actor, Action: "loan.create", Object: loanObject(l.Number),
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

// checkLoan validates l for UpsertLoan and fills in the defaults: stage
// DIAJUKAN, times to the microsecond (as Postgres keeps them).
func checkLoan(l store.Loan) (store.Loan, error) {
	bad := func(what string) (store.Loan, error) {
		return store.Loan{}, fmt.Errorf("upsert loan %q: %s", l.Number, what)
	}
	if l.Stage == "" {
		l.Stage = loanStages[0]
	}
	switch {
	case strings.TrimSpace(l.Number) == "":
		return bad("no number")
	case l.Requested < 0 || l.Approved < 0 || l.TenorMonths < 0 || l.RateBP < 0 || l.GraceMonths < 0:
		return bad("negative terms")
	case !slices.Contains([]string{"", "flat", "declining", "annuity"}, l.Method):
		return bad(fmt.Sprintf("unknown method %q", l.Method))
	case !slices.Contains(loanStages, l.Stage):
		return bad(fmt.Sprintf("unknown stage %q", l.Stage))
	}
	l.DisbursedAt = l.DisbursedAt.Truncate(time.Microsecond).Round(0)
	return l, nil
}

// loanChanges names the terms UpsertLoan would change in old (never the
// values: the NIK must not reach the audit log).
func loanChanges(old, l store.Loan) []string {
	var out []string
	add := func(name string, differs bool) {
		if differs {
			out = append(out, name)
		}
	}
	add("nik", old.NIK != l.NIK)
	add("applicant_name", old.ApplicantName != l.ApplicantName)
	add("business_name", old.BusinessName != l.BusinessName)
	add("requested", old.Requested != l.Requested)
	add("approved", old.Approved != l.Approved)
	add("tenor_months", old.TenorMonths != l.TenorMonths)
	add("rate_bp", old.RateBP != l.RateBP)
	add("method", old.Method != l.Method)
	add("grace_months", old.GraceMonths != l.GraceMonths)
	add("disbursed_at", !l.DisbursedAt.IsZero() && !l.DisbursedAt.Equal(old.DisbursedAt))
	return out
}

// loanObject names a loan in the audit log.
func loanObject(number string) string { return "loan:" + number }
