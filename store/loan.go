package store

import (
	"context"
	"time"
)

// Loan is one application to the UPDB's revolving fund (dana bergulir).
// Money is whole rupiah; the rate is basis points per year.
type Loan struct {
	ID            int64
	Number        string // UPDB-2026-0042
	NIK           string
	ApplicantName string
	BusinessName  string
	Requested     int64
	Approved      int64
	TenorMonths   int
	RateBP        int
	// Method is "flat", "declining" (menurun) or "annuity".
	Method      string
	GraceMonths int
	DisbursedAt time.Time // zero until DICAIRKAN
	Stage       string    // DIAJUKAN, VERIFIKASI, ... (domain.md §5.3)
	// Note is the latest stage note (missing documents, a rejection
	// reason).
	Note      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// LoanEvent is one stage change, kept for ever with who made it.
type LoanEvent struct {
	LoanID int64
	From   string
	To     string
	Note   string
	// Approved is the amount approved by a move to DISETUJUI, 0 for any
	// other event.
	Approved int64
	Actor    int64 // staff Telegram id; 0 for an import
	At       time.Time
}

// StageMove is one stage change asked of a LoanStore.
type StageMove struct {
	Actor  int64 // staff Telegram id; 0 for an import
	LoanID int64
	// From is the stage the loan must still be at (compare-and-set).
	From, To string
	Note     string
	// Approved is the approved amount in whole rupiah: required with To
	// DISETUJUI (more than 0, at most the requested amount), 0 otherwise.
	Approved int64
	// At is when the change happened; zero means now.
	At time.Time
}

// Payment is an instalment received.
type Payment struct {
	ID     int64
	LoanID int64
	Amount int64
	PaidAt time.Time
	Actor  int64
	// Ref makes an imported payment idempotent ("" for one typed by staff).
	Ref string
}

// LoanNotify builds the outbox message telling a linked owner about a
// change of their loan.
type LoanNotify func(l Loan, userID int64, event string) (OutboxItem, error)

// LoanStore keeps loans, their history, payments and the owners linked to
// them. Stage rules live in the loan flow's state machine; the store checks
// that the stage is still the expected one (compare-and-set).
type LoanStore interface {
	// UpsertLoan creates a loan or updates its terms by Number (an import),
	// without touching its stage; created reports which.
	UpsertLoan(ctx context.Context, actor int64, l Loan) (saved Loan, created bool, err error)
	Loan(ctx context.Context, number string) (Loan, error)
	LoanByID(ctx context.Context, id int64) (Loan, error)
	// FindLoans searches by number or applicant name (staff), newest first.
	FindLoans(ctx context.Context, query string, limit int) ([]Loan, error)
	// MoveStage changes the stage from m.From to m.To with a note (and, to
	// DISETUJUI, the approved amount, which the loan keeps), records the
	// event, audits it, and queues notify for every linked owner, in one
	// transaction. A stage that is no longer m.From is ErrConflict; an
	// approved amount that CheckStageMove refuses is an error.
	MoveStage(ctx context.Context, m StageMove, notify LoanNotify) error
	// RecordPayment stores a payment (idempotent by Ref when set), audits it
	// and queues notify for linked owners.
	RecordPayment(ctx context.Context, p Payment, notify LoanNotify) (created bool, err error)
	History(ctx context.Context, loanID int64) ([]LoanEvent, error)
	Payments(ctx context.Context, loanID int64) ([]Payment, error)
	// Link ties userID to the loan whose number and NIK both match, and
	// returns it; any mismatch is ErrNotFound, whichever part was wrong.
	Link(ctx context.Context, userID int64, number, nik string) (Loan, error)
	// LinkedLoans lists the loans linked to userID.
	LinkedLoans(ctx context.Context, userID int64) ([]Loan, error)
	Unlink(ctx context.Context, userID, loanID int64) error
	// LinkedUsers lists who is linked to a loan (staff view).
	LinkedUsers(ctx context.Context, loanID int64) ([]int64, error)
}

// AttemptLimiter counts failed attempts (loan lookups) per user within a
// window, so that guessing is locked out.
type AttemptLimiter interface {
	// Fail records a failed attempt and returns how many failed within the
	// window, and until when the user is locked (zero when not locked).
	Fail(ctx context.Context, userID int64) (count int, lockedUntil time.Time, err error)
	// Locked tells whether the user is locked, and until when.
	Locked(ctx context.Context, userID int64) (bool, time.Time, error)
	// Attempts lists the failed attempts of a user within the window
	// (staff can see them).
	Attempts(ctx context.Context, userID int64) ([]time.Time, error)
}
