package store

// The rules of loan records that every LoanStore applies the same way.

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// LoanStages are the stage codes a loan may have (domain.md §5.3); which
// moves between them are allowed is the loan flow's business.
var LoanStages = []string{"DIAJUKAN", "VERIFIKASI", "PERLU_LENGKAPI", "SURVEI", "RAPAT_KOMITE", "DISETUJUI",
	"DITOLAK", "AKAD", "DICAIRKAN", "BERJALAN", "MENUNGGAK", "LUNAS", "DIBATALKAN"}

// LoanDisbursed is the stage whose arrival stamps DisbursedAt.
const LoanDisbursed = "DICAIRKAN"

// LoanApproved is the stage whose arrival sets the approved amount.
const LoanApproved = "DISETUJUI"

// CheckStageMove validates m against the loan l it moves: a known target
// stage, and an approved amount with DISETUJUI (more than 0, at most l's
// requested amount when one is recorded) and with no other stage.
func CheckStageMove(m StageMove, l Loan) error {
	switch {
	case !slices.Contains(LoanStages, m.To):
		return fmt.Errorf("unknown stage %q", m.To)
	case m.To != LoanApproved && m.Approved != 0:
		return fmt.Errorf("an approved amount with a move to %s", m.To)
	case m.To == LoanApproved && m.Approved <= 0:
		return fmt.Errorf("no approved amount with a move to %s", m.To)
	case m.To == LoanApproved && l.Requested > 0 && m.Approved > l.Requested:
		return fmt.Errorf("approved %d above the requested %d", m.Approved, l.Requested)
	}
	return nil
}

// CheckLoan validates l for UpsertLoan and fills in the defaults: stage
// DIAJUKAN, times to the microsecond (as Postgres keeps them).
func CheckLoan(l Loan) (Loan, error) {
	bad := func(what string) (Loan, error) {
		return Loan{}, fmt.Errorf("upsert loan %q: %s", l.Number, what)
	}
	if l.Stage == "" {
		l.Stage = LoanStages[0]
	}
	switch {
	case strings.TrimSpace(l.Number) == "":
		return bad("no number")
	case l.Requested < 0 || l.Approved < 0 || l.TenorMonths < 0 || l.RateBP < 0 || l.GraceMonths < 0:
		return bad("negative terms")
	case !slices.Contains([]string{"", "flat", "declining", "annuity"}, l.Method):
		return bad(fmt.Sprintf("unknown method %q", l.Method))
	case !slices.Contains(LoanStages, l.Stage):
		return bad(fmt.Sprintf("unknown stage %q", l.Stage))
	}
	l.DisbursedAt = l.DisbursedAt.Truncate(time.Microsecond).Round(0)
	return l, nil
}

// LoanChanges names the terms UpsertLoan would change in old (never the
// values: the NIK must not reach the audit log).
func LoanChanges(old, l Loan) []string {
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

// LoanObject names a loan in the audit log.
func LoanObject(number string) string { return "loan:" + number }
