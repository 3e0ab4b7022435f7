package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/diskum-tangerang/umkmbot/store"
)

// RecordPayment implements store.LoanStore in one transaction: the payment
// (PaidAt now when zero), its audit entry by p.Actor, and notify's message
// (event "payment") for every linked owner under the key
// "loanpay:<payment id>:<user>". A Ref already recorded for the same loan
// and amount is the same payment: nothing is written or queued and created
// is false; for another loan or amount it is ErrConflict. An amount of
// zero or less is refused, an unknown loan is ErrNotFound. notify is called
// inside the transaction and must not use the store.
func (db *DB) RecordPayment(ctx context.Context, p store.Payment, notify store.LoanNotify) (bool, error) {
	if p.Amount <= 0 {
		return false, fmt.Errorf("record payment of %d on loan %d: the amount must be positive", p.Amount, p.LoanID)
	}
	if p.PaidAt.IsZero() {
		p.PaidAt = time.Now()
	}
	created := false
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+loanColumns+` FROM loans l WHERE l.id = $1`, p.LoanID)
		l, err := pgx.CollectExactlyOneRow(rows, scanLoan)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		var id int64
		err = tx.QueryRow(ctx, `INSERT INTO payments (loan_id, amount, paid_at, actor, ref)
			VALUES ($1, $2, $3, $4, nullif($5, '')) ON CONFLICT (ref) DO NOTHING RETURNING id`,
			p.LoanID, p.Amount, p.PaidAt, p.Actor, p.Ref).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return samePayment(ctx, tx, p)
		}
		if err != nil {
			return err
		}
		created = true
		if err := audit(ctx, tx, store.AuditEntry{Actor: p.Actor, Action: "loan.payment",
			Object: store.LoanObject(l.Number), Detail: fmt.Sprintf("payment=%d ref=%s", id, p.Ref)}); err != nil {
			return err
		}
		return queueLoanNotices(ctx, tx, l, loanPaymentEvent, notify, func(user int64) string {
			return fmt.Sprintf("loanpay:%d:%d", id, user)
		})
	})
	if err != nil {
		return false, fmt.Errorf("record payment %q on loan %d: %w", p.Ref, p.LoanID, err)
	}
	return created, nil
}

// samePayment checks that the payment recorded under p.Ref is p again.
func samePayment(ctx context.Context, tx pgx.Tx, p store.Payment) error {
	var loanID, amount int64
	if err := tx.QueryRow(ctx, `SELECT loan_id, amount FROM payments WHERE ref = $1`, p.Ref).
		Scan(&loanID, &amount); err != nil {
		return fmt.Errorf("payment with the same ref: %w", err)
	}
	if loanID != p.LoanID || amount != p.Amount {
		return fmt.Errorf("the ref is taken by a payment of %d on loan %d: %w", amount, loanID, store.ErrConflict)
	}
	return nil
}

// Payments implements store.LoanStore: oldest first. An unknown loan is
// ErrNotFound.
func (db *DB) Payments(ctx context.Context, loanID int64) ([]store.Payment, error) {
	rows, _ := db.pool.Query(ctx, `SELECT id, loan_id, amount, paid_at, actor, coalesce(ref, '')
		FROM payments WHERE loan_id = $1 ORDER BY paid_at, id`, loanID)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Payment, error) {
		var p store.Payment
		err := row.Scan(&p.ID, &p.LoanID, &p.Amount, &p.PaidAt, &p.Actor, &p.Ref)
		return p, err
	})
	if err == nil && len(list) == 0 {
		err = db.loanExists(ctx, loanID)
	}
	if err != nil {
		return nil, fmt.Errorf("payments of loan %d: %w", loanID, err)
	}
	return list, nil
}
