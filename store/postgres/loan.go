package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/diskum-tangerang/umkmbot/store"
)

var _ store.LoanStore = (*DB)(nil)

// loanColumns are the columns of loans l that scanLoan reads, in its order.
const loanColumns = `l.id, l.number, l.nik, l.applicant_name, l.business_name, l.requested, l.approved,
	l.tenor_months, l.rate_bp, l.method, l.grace_months, l.disbursed_at, l.stage, l.note,
	l.created_at, l.updated_at`

// findLoansLimit is how many loans FindLoans returns when asked for none.
const findLoansLimit = 20

// UpsertLoan implements store.LoanStore in one transaction. A new loan
// starts at l.Stage (DIAJUKAN when empty) with l.Note, and its creation is
// the first event of its history (from ""). An existing one gets l's terms
// (NIK, names, amounts, tenor, rate, method, grace, and the disbursement
// date unless l's is zero) while its stage and note stay; when nothing
// differs nothing is written, so an import run twice changes nothing. Each
// write is audited by actor with the names of the fields it changed.
func (db *DB) UpsertLoan(ctx context.Context, actor int64, l store.Loan) (store.Loan, bool, error) {
	l, err := store.CheckLoan(l)
	if err != nil {
		return store.Loan{}, false, err
	}
	var saved store.Loan
	var created bool
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `
			INSERT INTO loans AS l (number, nik, applicant_name, business_name, requested, approved,
				tenor_months, rate_bp, method, grace_months, disbursed_at, stage, note)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
			ON CONFLICT (number) DO NOTHING
			RETURNING `+loanColumns,
			l.Number, l.NIK, l.ApplicantName, l.BusinessName, l.Requested, l.Approved,
			l.TenorMonths, l.RateBP, l.Method, l.GraceMonths, nullTime(l.DisbursedAt), l.Stage, l.Note)
		var err error
		saved, err = pgx.CollectExactlyOneRow(rows, scanLoan)
		if err == nil {
			created = true
			if _, err := tx.Exec(ctx, `INSERT INTO loan_events (loan_id, from_stage, to_stage, note, actor)
				VALUES ($1, '', $2, $3, $4)`, saved.ID, saved.Stage, saved.Note, actor); err != nil {
				return err
			}
			return audit(ctx, tx, store.AuditEntry{Actor: actor, Action: "loan.create",
				Object: store.LoanObject(saved.Number), Detail: "stage=" + saved.Stage})
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		rows, _ = tx.Query(ctx, `SELECT `+loanColumns+` FROM loans l WHERE l.number = $1 FOR UPDATE`, l.Number)
		old, err := pgx.CollectExactlyOneRow(rows, scanLoan)
		if err != nil {
			return err
		}
		changed := store.LoanChanges(old, l)
		if len(changed) == 0 {
			saved = old
			return nil
		}
		rows, _ = tx.Query(ctx, `
			UPDATE loans l SET nik = $2, applicant_name = $3, business_name = $4, requested = $5,
				approved = $6, tenor_months = $7, rate_bp = $8, method = $9, grace_months = $10,
				disbursed_at = coalesce($11, l.disbursed_at), updated_at = now()
			WHERE l.id = $1
			RETURNING `+loanColumns,
			old.ID, l.NIK, l.ApplicantName, l.BusinessName, l.Requested, l.Approved,
			l.TenorMonths, l.RateBP, l.Method, l.GraceMonths, nullTime(l.DisbursedAt))
		if saved, err = pgx.CollectExactlyOneRow(rows, scanLoan); err != nil {
			return err
		}
		return audit(ctx, tx, store.AuditEntry{Actor: actor, Action: "loan.update",
			Object: store.LoanObject(saved.Number), Detail: "changed=" + strings.Join(changed, ",")})
	})
	if err != nil {
		return store.Loan{}, false, fmt.Errorf("upsert loan %s: %w", l.Number, err)
	}
	return saved, created, nil
}

// Loan implements store.LoanStore.
func (db *DB) Loan(ctx context.Context, number string) (store.Loan, error) {
	return db.loanWhere(ctx, "l.number = $1", number)
}

// LoanByID implements store.LoanStore.
func (db *DB) LoanByID(ctx context.Context, id int64) (store.Loan, error) {
	return db.loanWhere(ctx, "l.id = $1", id)
}

func (db *DB) loanWhere(ctx context.Context, where string, arg any) (store.Loan, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+loanColumns+` FROM loans l WHERE `+where, arg)
	l, err := pgx.CollectExactlyOneRow(rows, scanLoan)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Loan{}, fmt.Errorf("loan %v: %w", arg, store.ErrNotFound)
	}
	if err != nil {
		return store.Loan{}, fmt.Errorf("loan %v: %w", arg, err)
	}
	return l, nil
}

// FindLoans implements store.LoanStore: query (trimmed) is a piece of the
// number or of the applicant's name, in any case; an empty one lists the
// newest loans. A limit of 0 or less means 20.
func (db *DB) FindLoans(ctx context.Context, query string, limit int) ([]store.Loan, error) {
	if limit <= 0 {
		limit = findLoansLimit
	}
	pattern := "%" + loanLikeEscaper.Replace(strings.TrimSpace(query)) + "%"
	rows, _ := db.pool.Query(ctx, `SELECT `+loanColumns+` FROM loans l
		WHERE l.number ILIKE $1 OR l.applicant_name ILIKE $1 ORDER BY l.id DESC LIMIT $2`, pattern, limit)
	list, err := pgx.CollectRows(rows, scanLoan)
	if err != nil {
		return nil, fmt.Errorf("find loans: %w", err)
	}
	return list, nil
}

// loanLikeEscaper makes a search text match itself in ILIKE (whose escape
// character is the backslash).
var loanLikeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// scanLoan reads a row selected with loanColumns.
func scanLoan(row pgx.CollectableRow) (store.Loan, error) {
	var l store.Loan
	var disbursed pgtype.Timestamptz
	err := row.Scan(&l.ID, &l.Number, &l.NIK, &l.ApplicantName, &l.BusinessName, &l.Requested, &l.Approved,
		&l.TenorMonths, &l.RateBP, &l.Method, &l.GraceMonths, &disbursed, &l.Stage, &l.Note,
		&l.CreatedAt, &l.UpdatedAt)
	if disbursed.Valid {
		l.DisbursedAt = disbursed.Time
	}
	return l, err
}
