package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Loan notice events passed to a store.LoanNotify: a stage change passes
// the new stage's code, a payment this.
const loanPaymentEvent = "payment"

// loanNoticeKind is the outbox kind of loan notices, unless notify sets
// another.
const loanNoticeKind = "loan"

// MoveStage implements store.LoanStore: in one transaction the stage moves
// from m.From to m.To (compare-and-set) with m.Note as the loan's note, the
// event is recorded at m.At (now when zero) by m.Actor, the change is
// audited, and notify's message for every linked owner is queued under the
// key "loan:<loan id>:<event id>:<user>" with event = m.To. Arriving at
// DICAIRKAN stamps the disbursement date with m.At, unless one is set;
// arriving at DISETUJUI sets the approved amount, which
// store.CheckStageMove checks against the loan. Whether the move is
// allowed is the loan flow's rule; an unknown stage code is refused. A
// loan whose stage is not m.From any more is ErrConflict; an unknown loan
// ErrNotFound. notify is called inside the transaction and must not use
// the store.
func (db *DB) MoveStage(ctx context.Context, m store.StageMove, notify store.LoanNotify) error {
	loanID, from, to := m.LoanID, m.From, m.To
	if !slices.Contains(store.LoanStages, to) {
		return fmt.Errorf("move loan %d to %q: unknown stage", loanID, to)
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+loanColumns+` FROM loans l WHERE l.id = $1 FOR UPDATE`, loanID)
		cur, err := pgx.CollectExactlyOneRow(rows, scanLoan)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		if cur.Stage != from {
			return fmt.Errorf("the loan is at %s, not %s: %w", cur.Stage, from, store.ErrConflict)
		}
		if err := store.CheckStageMove(m, cur); err != nil {
			return err
		}
		rows, _ = tx.Query(ctx, `
			UPDATE loans l SET stage = $2, note = $3, updated_at = now(),
				approved = CASE WHEN $2 = '`+store.LoanApproved+`' THEN $5 ELSE l.approved END,
				disbursed_at = CASE WHEN $2 = '`+store.LoanDisbursed+`'
					THEN coalesce(l.disbursed_at, coalesce($4, now())) ELSE l.disbursed_at END
			WHERE l.id = $1
			RETURNING `+loanColumns, loanID, to, m.Note, nullTime(m.At), m.Approved)
		l, err := pgx.CollectExactlyOneRow(rows, scanLoan)
		if err != nil {
			return err
		}
		var eventID int64
		if err := tx.QueryRow(ctx, `INSERT INTO loan_events (loan_id, from_stage, to_stage, note, approved, actor, at)
			VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, now())) RETURNING id`,
			loanID, from, to, m.Note, m.Approved, m.Actor, nullTime(m.At)).Scan(&eventID); err != nil {
			return err
		}
		if err := audit(ctx, tx, store.AuditEntry{Actor: m.Actor, Action: "loan.stage",
			Object: store.LoanObject(l.Number), Detail: from + "->" + to}); err != nil {
			return err
		}
		return queueLoanNotices(ctx, tx, l, to, notify, func(user int64) string {
			return fmt.Sprintf("loan:%d:%d:%d", loanID, eventID, user)
		})
	})
	if err != nil {
		return fmt.Errorf("move loan %d from %s to %s: %w", loanID, from, to, err)
	}
	return nil
}

// History implements store.LoanStore: the events in the order they
// happened, the creation first. An unknown loan is ErrNotFound.
func (db *DB) History(ctx context.Context, loanID int64) ([]store.LoanEvent, error) {
	rows, _ := db.pool.Query(ctx, `SELECT loan_id, from_stage, to_stage, note, approved, actor, at
		FROM loan_events WHERE loan_id = $1 ORDER BY id`, loanID)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.LoanEvent, error) {
		var e store.LoanEvent
		err := row.Scan(&e.LoanID, &e.From, &e.To, &e.Note, &e.Approved, &e.Actor, &e.At)
		return e, err
	})
	if err == nil && len(list) == 0 {
		err = db.loanExists(ctx, loanID)
	}
	if err != nil {
		return nil, fmt.Errorf("history of loan %d: %w", loanID, err)
	}
	return list, nil
}

// loanExists returns nil, or ErrNotFound when there is no loan id.
func (db *DB) loanExists(ctx context.Context, id int64) error {
	var ok bool
	if err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM loans WHERE id = $1)`, id).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return store.ErrNotFound
	}
	return nil
}

// queueLoanNotices adds notify's message for every owner linked to l to
// the outbox, in tx, under keyOf(owner); a key already queued is left as
// it is. The store sets the key; ChatID defaults to the owner (a private
// chat's id is its user's) and Kind to "loan". A nil notify queues
// nothing.
func queueLoanNotices(ctx context.Context, tx pgx.Tx, l store.Loan, event string, notify store.LoanNotify,
	keyOf func(user int64) string) error {
	if notify == nil {
		return nil
	}
	rows, _ := tx.Query(ctx, `SELECT user_id FROM loan_links WHERE loan_id = $1 ORDER BY user_id`, l.ID)
	users, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("linked users: %w", err)
	}
	for _, user := range users {
		it, err := notify(l, user, event)
		if err != nil {
			return fmt.Errorf("notice to user %d: %w", user, err)
		}
		if it.Payload == nil {
			return fmt.Errorf("notice to user %d: no payload", user)
		}
		it.Key = keyOf(user)
		if it.ChatID == 0 {
			it.ChatID = user
		}
		if it.Kind == "" {
			it.Kind = loanNoticeKind
		}
		if _, err := tx.Exec(ctx, `INSERT INTO outbox (key, chat_id, kind, payload, not_before)
			VALUES ($1, $2, $3, $4, coalesce($5, now())) ON CONFLICT (key) DO NOTHING`,
			it.Key, it.ChatID, it.Kind, it.Payload, nullTime(it.NotBefore)); err != nil {
			return fmt.Errorf("queue %s: %w", it.Key, err)
		}
	}
	return nil
}
