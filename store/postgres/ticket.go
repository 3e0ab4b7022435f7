package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/diskum-tangerang/umkmbot/store"
)

var _ store.TicketStore = (*DB)(nil)

// ticketLockKey is the first key of the per-owner advisory lock that
// serializes an owner's Ask calls ("TNY").
const ticketLockKey = 0x544e59

// ticketColumns are the columns of tickets that scanTicket reads, in its
// order.
const ticketColumns = `id, number, user_id, lang, status, first_response_at, closed_at, closed_by,
	created_at, updated_at, topic_id`

func scanTicket(row pgx.CollectableRow) (store.Ticket, error) {
	var t store.Ticket
	var first, closed pgtype.Timestamptz
	err := row.Scan(&t.ID, &t.Number, &t.UserID, &t.Lang, &t.Status, &first, &closed, &t.ClosedBy,
		&t.CreatedAt, &t.UpdatedAt, &t.TopicID)
	t.FirstResponseAt, t.ClosedAt = first.Time, closed.Time
	return t, err
}

// ticketsWhere reads the tickets matching where (with args) and their
// messages (all, or the first only).
func ticketsWhere(ctx context.Context, q pgx.Tx, firstOnly bool, where string, args ...any) ([]store.Ticket, error) {
	rows, _ := q.Query(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE `+where, args...)
	list, err := pgx.CollectRows(rows, scanTicket)
	if err != nil || len(list) == 0 {
		return list, err
	}
	ids := make([]int64, len(list))
	at := make(map[int64]int, len(list))
	for i, t := range list {
		ids[i], at[t.ID] = t.ID, i
	}
	rows, _ = q.Query(ctx, `SELECT ticket_id, staff_id, text, file_kind, file_id, at FROM ticket_messages
		WHERE ticket_id = ANY($1) ORDER BY id`, ids)
	var id int64
	var m store.TicketMessage
	_, err = pgx.ForEachRow(rows, []any{&id, &m.StaffID, &m.Text, &m.File.Kind, &m.File.ID, &m.At}, func() error {
		t := &list[at[id]]
		if !firstOnly || len(t.Messages) == 0 {
			t.Messages = append(t.Messages, m)
		}
		return nil
	})
	return list, err
}

// readTickets runs ticketsWhere in a read-only transaction.
func (db *DB) readTickets(ctx context.Context, firstOnly bool, where string, args ...any) ([]store.Ticket, error) {
	var list []store.Ticket
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead},
		func(tx pgx.Tx) error {
			var err error
			list, err = ticketsWhere(ctx, tx, firstOnly, where, args...)
			return err
		})
	return list, err
}

// oneTicket returns the single ticket of list, or ErrNotFound.
func oneTicket(list []store.Ticket, err error, what string) (store.Ticket, error) {
	if err != nil {
		return store.Ticket{}, fmt.Errorf("%s: %w", what, err)
	}
	if len(list) == 0 {
		return store.Ticket{}, fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	return list[0], nil
}

// reread returns a ticket as the transaction sees it now.
func reread(ctx context.Context, tx pgx.Tx, id int64) (store.Ticket, error) {
	list, err := ticketsWhere(ctx, tx, false, `id = $1`, id)
	return oneTicket(list, err, fmt.Sprintf("ticket %d", id))
}

// Ask implements store.TicketStore in one transaction, under a per-owner
// advisory lock so that two messages at once neither open two tickets nor
// pass the day's bound together.
func (db *DB) Ask(ctx context.Context, q store.TicketAsk) (store.Ticket, bool, error) {
	if err := store.CheckTicketMessage(q.Text, q.File); err != nil {
		return store.Ticket{}, false, fmt.Errorf("ask: %w", err)
	}
	var saved store.Ticket
	var opened bool
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, ($2 % 2147483647)::int)`,
			ticketLockKey, q.UserID); err != nil {
			return err
		}
		var id int64
		var number string
		err := tx.QueryRow(ctx, `UPDATE tickets SET status = 'baru', lang = $2, updated_at = coalesce($3, now())
			WHERE user_id = $1 AND status <> 'selesai' RETURNING id, number`,
			q.UserID, q.Lang, nullTime(q.At)).Scan(&id, &number)
		action := "ticket.ask"
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			if q.DayLimit > 0 {
				var n int
				if err := tx.QueryRow(ctx, `SELECT count(*) FROM tickets WHERE user_id = $1 AND created_at >= $2`,
					q.UserID, q.DaySince).Scan(&n); err != nil {
					return err
				}
				if n >= q.DayLimit {
					return fmt.Errorf("%d today: %w", n, store.ErrFull)
				}
			}
			var created time.Time
			if err := tx.QueryRow(ctx, `SELECT nextval('tickets_id_seq'), coalesce($1, now())`,
				nullTime(q.At)).Scan(&id, &created); err != nil {
				return err
			}
			number = store.TicketNumber(id, created)
			if _, err := tx.Exec(ctx, `INSERT INTO tickets (id, number, user_id, lang, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $5)`, id, number, q.UserID, q.Lang, created); err != nil {
				return err
			}
			opened, action = true, "ticket.open"
		case err != nil:
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO ticket_messages (ticket_id, text, file_kind, file_id, at)
			VALUES ($1, $2, $3, $4, coalesce($5, now()))`, id, q.Text, q.File.Kind, q.File.ID, nullTime(q.At)); err != nil {
			return err
		}
		if err := audit(ctx, tx, store.AuditEntry{Actor: q.UserID, Action: action,
			Object: store.TicketObject(number)}); err != nil {
			return err
		}
		saved, err = reread(ctx, tx, id)
		return err
	})
	if err != nil {
		return store.Ticket{}, false, fmt.Errorf("ask for user %d: %w", q.UserID, err)
	}
	return saved, opened, nil
}

// OpenTicket implements store.TicketStore.
func (db *DB) OpenTicket(ctx context.Context, userID int64) (store.Ticket, error) {
	list, err := db.readTickets(ctx, false, `user_id = $1 AND status <> 'selesai'`, userID)
	return oneTicket(list, err, fmt.Sprintf("open ticket of user %d", userID))
}

// Ticket implements store.TicketStore.
func (db *DB) Ticket(ctx context.Context, id int64) (store.Ticket, error) {
	list, err := db.readTickets(ctx, false, `id = $1`, id)
	return oneTicket(list, err, fmt.Sprintf("ticket %d", id))
}

// OpenTickets implements store.TicketStore.
func (db *DB) OpenTickets(ctx context.Context, limit int) ([]store.Ticket, error) {
	if limit <= 0 {
		limit = 1000
	}
	list, err := db.readTickets(ctx, true, `status <> 'selesai' ORDER BY created_at, id LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("open tickets: %w", err)
	}
	return list, nil
}

// TicketsOf implements store.TicketStore.
func (db *DB) TicketsOf(ctx context.Context, userID int64) ([]store.Ticket, error) {
	list, err := db.readTickets(ctx, false, `user_id = $1 ORDER BY created_at, id`, userID)
	if err != nil {
		return nil, fmt.Errorf("tickets of user %d: %w", userID, err)
	}
	return list, nil
}

// lockTicket locks a ticket's row and returns it; a closed one is
// ErrConflict.
func lockTicket(ctx context.Context, tx pgx.Tx, id int64) (store.Ticket, error) {
	rows, _ := tx.Query(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE id = $1 FOR UPDATE`, id)
	t, err := pgx.CollectExactlyOneRow(rows, scanTicket)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, store.ErrNotFound
	}
	if err == nil && t.Status == store.TicketClosed {
		err = fmt.Errorf("closed: %w", store.ErrConflict)
	}
	return t, err
}

// Answer implements store.TicketStore: the message, the status, the audit
// entry and the owner's outbox row (key "ticket:<id>:<message number>")
// are written in one transaction.
func (db *DB) Answer(ctx context.Context, a store.TicketAnswer, notify store.TicketNotify) (store.Ticket, error) {
	if err := store.CheckTicketMessage(a.Text, a.File); err != nil {
		return store.Ticket{}, fmt.Errorf("answer: %w", err)
	}
	var saved store.Ticket
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		t, err := lockTicket(ctx, tx, a.TicketID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO ticket_messages (ticket_id, staff_id, text, file_kind, file_id, at)
			VALUES ($1, $2, $3, $4, $5, coalesce($6, now()))`, t.ID, a.Staff, a.Text, a.File.Kind, a.File.ID,
			nullTime(a.At)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE tickets SET status = 'dibalas', updated_at = coalesce($2, now()),
				first_response_at = coalesce(first_response_at, $2, now())
			WHERE id = $1`, t.ID, nullTime(a.At)); err != nil {
			return err
		}
		if err := audit(ctx, tx, store.AuditEntry{Actor: a.Staff, Action: "ticket.answer",
			Object: store.TicketObject(t.Number)}); err != nil {
			return err
		}
		if saved, err = reread(ctx, tx, t.ID); err != nil {
			return err
		}
		if notify == nil {
			return nil
		}
		msg := saved.Messages[len(saved.Messages)-1]
		it, err := notify(saved, msg)
		if err != nil {
			return err
		}
		it.Key = fmt.Sprintf("ticket:%d:%d", t.ID, len(saved.Messages))
		_, err = enqueueTx(ctx, tx, []store.OutboxItem{it})
		return err
	})
	if err != nil {
		return store.Ticket{}, fmt.Errorf("answer ticket %d: %w", a.TicketID, err)
	}
	return saved, nil
}

// CloseTicket implements store.TicketStore.
func (db *DB) CloseTicket(ctx context.Context, actor, id int64, at time.Time) (store.Ticket, error) {
	var saved store.Ticket
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		t, err := lockTicket(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE tickets SET status = 'selesai', closed_by = $2,
				closed_at = coalesce($3, now()), updated_at = coalesce($3, now())
			WHERE id = $1`, id, actor, nullTime(at)); err != nil {
			return err
		}
		if err := audit(ctx, tx, store.AuditEntry{Actor: actor, Action: "ticket.close",
			Object: store.TicketObject(t.Number)}); err != nil {
			return err
		}
		saved, err = reread(ctx, tx, id)
		return err
	})
	if err != nil {
		return store.Ticket{}, fmt.Errorf("close ticket %d: %w", id, err)
	}
	return saved, nil
}

// SetTicketTopic implements store.TicketStore.
func (db *DB) SetTicketTopic(ctx context.Context, id, topicID int64) (int64, error) {
	if topicID <= 0 {
		return 0, fmt.Errorf("set topic of ticket %d: topic %d", id, topicID)
	}
	var got int64
	err := db.pool.QueryRow(ctx, `UPDATE tickets SET topic_id = CASE WHEN topic_id = 0 THEN $2 ELSE topic_id END
		WHERE id = $1 RETURNING topic_id`, id, topicID).Scan(&got)
	var pe *pgconn.PgError
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return 0, fmt.Errorf("set topic of ticket %d: %w", id, store.ErrNotFound)
	case errors.As(err, &pe) && pe.Code == "23505":
		return 0, fmt.Errorf("set topic of ticket %d: topic %d taken: %w", id, topicID, store.ErrConflict)
	case err != nil:
		return 0, fmt.Errorf("set topic of ticket %d: %w", id, err)
	}
	return got, nil
}

// TicketByTopic implements store.TicketStore.
func (db *DB) TicketByTopic(ctx context.Context, topicID int64) (store.Ticket, error) {
	if topicID <= 0 {
		return store.Ticket{}, fmt.Errorf("ticket of topic %d: %w", topicID, store.ErrNotFound)
	}
	list, err := db.readTickets(ctx, false, `topic_id = $1`, topicID)
	return oneTicket(list, err, fmt.Sprintf("ticket of topic %d", topicID))
}
