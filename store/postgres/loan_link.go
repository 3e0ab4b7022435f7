package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Link implements store.LoanStore: the loan whose number and NIK are
// exactly these is linked to userID (once; linking again changes nothing)
// and a new link is audited by the user. A wrong number, a wrong NIK, an
// empty NIK: all are the same ErrNotFound, whose message names neither.
func (db *DB) Link(ctx context.Context, userID int64, number, nik string) (store.Loan, error) {
	var l store.Loan
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+loanColumns+` FROM loans l
			WHERE l.number = $1 AND l.nik = $2 AND l.nik <> ''`, number, nik)
		var err error
		l, err = pgx.CollectExactlyOneRow(rows, scanLoan)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO loan_links (user_id, loan_id) VALUES ($1, $2)
			ON CONFLICT DO NOTHING`, userID, l.ID)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		return audit(ctx, tx, store.AuditEntry{Actor: userID, Action: "loan.link", Object: store.LoanObject(l.Number)})
	})
	if err != nil {
		return store.Loan{}, fmt.Errorf("link user %d to a loan: %w", userID, err)
	}
	return l, nil
}

// LinkedLoans implements store.LoanStore, in the order they were linked.
func (db *DB) LinkedLoans(ctx context.Context, userID int64) ([]store.Loan, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+loanColumns+` FROM loan_links k JOIN loans l ON l.id = k.loan_id
		WHERE k.user_id = $1 ORDER BY k.linked_at, l.id`, userID)
	list, err := pgx.CollectRows(rows, scanLoan)
	if err != nil {
		return nil, fmt.Errorf("loans of user %d: %w", userID, err)
	}
	return list, nil
}

// Unlink implements store.LoanStore; the removal is audited by the user.
// A link that does not exist is ErrNotFound.
func (db *DB) Unlink(ctx context.Context, userID, loanID int64) error {
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var number string
		err := tx.QueryRow(ctx, `DELETE FROM loan_links k USING loans l
			WHERE k.user_id = $1 AND k.loan_id = $2 AND l.id = k.loan_id RETURNING l.number`,
			userID, loanID).Scan(&number)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, store.AuditEntry{Actor: userID, Action: "loan.unlink", Object: store.LoanObject(number)})
	})
	if err != nil {
		return fmt.Errorf("unlink user %d from loan %d: %w", userID, loanID, err)
	}
	return nil
}

// LinkedUsers implements store.LoanStore, in the order of their ids.
func (db *DB) LinkedUsers(ctx context.Context, loanID int64) ([]int64, error) {
	rows, _ := db.pool.Query(ctx, `SELECT user_id FROM loan_links WHERE loan_id = $1 ORDER BY user_id`, loanID)
	list, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("users linked to loan %d: %w", loanID, err)
	}
	return list, nil
}

// deleteLoanLinks is the loans' part of a user's data deletion, in its
// transaction: the user's links go and the number of loans they were
// linked to is returned, for store.DeletionReport.Kept["loans"]. The loan
// records, their history and payments stay: the law makes the Dinas keep
// them.
func deleteLoanLinks(ctx context.Context, tx pgx.Tx, userID int64) (int, error) {
	tag, err := tx.Exec(ctx, `DELETE FROM loan_links WHERE user_id = $1`, userID)
	if err != nil {
		return 0, fmt.Errorf("delete loan links: %w", err)
	}
	return int(tag.RowsAffected()), nil
}
