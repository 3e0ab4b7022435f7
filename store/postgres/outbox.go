package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/diskum-tangerang/umkmbot/store"
)

var _ store.OutboxStore = (*DB)(nil)

// outboxSelect reads an outbox row o (with its campaign c, LEFT JOINed) in
// scanOutbox's order. A campaign's row carries no payload of its own: it
// sends the campaign's.
const outboxSelect = `o.id, o.key, o.chat_id, o.kind, coalesce(o.campaign_id, 0),
	coalesce(o.payload, c.payload), o.not_before, o.status, o.attempts, o.lease_until,
	o.message_id, o.last_error, o.created_at, o.sent_at, o.fence, o.send_until`

// outboxClaim leases due rows: pending ones whose time has come and whose
// campaign (if any) is running, and sending ones whose lease ran out or
// whose worker's heartbeat expired, unless a send of theirs is in flight
// (send_until). SKIP LOCKED lets concurrent claimers pass each other's
// rows by; the row lock taken by the inner SELECT makes a row go to one
// claimer only, and READ COMMITTED re-checks the conditions on the row's
// latest version before locking it, so a row another claimer has just
// leased, or whose send has just started, is passed by too. Each claimed
// row gets a new fence, which StartSend checks.
//
// Only a worker with an expired heartbeat row loses its rows early: a
// sender that never beats (the terminal chat's Drain, or an older version
// during a rolling upgrade) keeps them for the whole lease.
const outboxClaim = `
	WITH due AS (
		SELECT o.id FROM outbox o LEFT JOIN campaigns c ON c.id = o.campaign_id
		WHERE o.status IN ('pending', 'sending') AND o.not_before <= $2
		  AND (o.status = 'pending' OR (
		        (o.lease_until <= $2 OR EXISTS (SELECT 1 FROM outbox_senders s
		            WHERE s.worker = o.worker AND s.alive_until <= $2))
		        AND (o.send_until IS NULL OR o.send_until <= $2)))
		  AND (o.campaign_id IS NULL OR c.status = 'running')
		ORDER BY o.not_before, o.id
		LIMIT $4
		FOR UPDATE OF o SKIP LOCKED
	), claimed AS (
		UPDATE outbox o SET status = 'sending', lease_until = $3, worker = $1,
			fence = nextval('outbox_fence'), send_until = NULL
		FROM due WHERE o.id = due.id
		RETURNING o.*
	)
	SELECT ` + outboxSelect + ` FROM claimed o LEFT JOIN campaigns c ON c.id = o.campaign_id
	ORDER BY o.not_before, o.id`

// Enqueue implements store.OutboxStore with one INSERT of every item. A
// zero NotBefore means at once (the database's now); CampaignID 0 means
// none; Status and the other bookkeeping fields are ignored.
func (db *DB) Enqueue(ctx context.Context, items ...store.OutboxItem) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	n := len(items)
	keys, kinds := make([]string, n), make([]string, n)
	chats, campaigns := make([]int64, n), make([]int64, n)
	payloads := make([][]byte, n)
	notBefore := make([]pgtype.Timestamptz, n)
	for i, it := range items {
		if it.Key == "" {
			return 0, errors.New("enqueue: empty key")
		}
		if it.Payload == nil && it.CampaignID == 0 {
			return 0, fmt.Errorf("enqueue %s: no payload", it.Key)
		}
		keys[i], kinds[i], chats[i], campaigns[i] = it.Key, it.Kind, it.ChatID, it.CampaignID
		payloads[i] = it.Payload
		notBefore[i] = pgtype.Timestamptz{Time: it.NotBefore, Valid: !it.NotBefore.IsZero()}
	}
	tag, err := db.pool.Exec(ctx, `
		INSERT INTO outbox (key, chat_id, kind, campaign_id, payload, not_before)
		SELECT k, ch, kd, nullif(cp, 0), p, coalesce(nb, now())
		FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::bytea[], $6::timestamptz[])
			AS t(k, ch, kd, cp, p, nb)
		ON CONFLICT (key) DO NOTHING`,
		keys, chats, kinds, campaigns, payloads, notBefore)
	if err != nil {
		return 0, fmt.Errorf("enqueue %d items: %w", n, err)
	}
	return int(tag.RowsAffected()), nil
}

// Claim implements store.OutboxStore in one statement; the items come
// back in due order. now is the caller's clock, so that every sender
// judges leases on the same kind of clock it sets them with.
func (db *DB) Claim(ctx context.Context, worker string, n int, lease time.Duration, now time.Time) ([]store.OutboxItem, error) {
	if n <= 0 {
		return nil, nil
	}
	rows, _ := db.pool.Query(ctx, outboxClaim, worker, now, now.Add(lease), n)
	items, err := pgx.CollectRows(rows, scanOutbox)
	if err != nil {
		return nil, fmt.Errorf("claim outbox for %s: %w", worker, err)
	}
	return items, nil
}

// Beat implements store.OutboxStore: one upsert of the worker's row in
// outbox_senders, which also drops the rows of workers gone for an hour
// (their rows' leases ended long ago).
//
// The heartbeat lives in PostgreSQL, beside the rows, rather than in
// Redis: Claim judges a row and its worker's heartbeat in one statement,
// under the row lock that StartSend takes too, so "the sender is dead, take
// its row" and "the sender starts sending the row" cannot both win; with
// the heartbeat in Redis that decision would span two stores and race.
// The outbox also keeps working without Redis (the terminal chat), and a
// beat every two seconds per sender is nothing for PostgreSQL.
func (db *DB) Beat(ctx context.Context, worker string, until time.Time) error {
	_, err := db.pool.Exec(ctx, `
		WITH gone AS (
			DELETE FROM outbox_senders WHERE alive_until < $2::timestamptz - interval '1 hour' AND worker <> $1
		)
		INSERT INTO outbox_senders (worker, alive_until) VALUES ($1, $2)
		ON CONFLICT (worker) DO UPDATE SET alive_until = EXCLUDED.alive_until`, worker, until)
	if err != nil {
		return fmt.Errorf("outbox heartbeat of %s: %w", worker, err)
	}
	return nil
}

// StartSend implements store.OutboxStore.
func (db *DB) StartSend(ctx context.Context, id, fence int64, until time.Time) error {
	tag, err := db.pool.Exec(ctx, `UPDATE outbox SET send_until = $3
		WHERE id = $1 AND fence = $2 AND status = 'sending'`, id, fence, until)
	if err != nil {
		return fmt.Errorf("start send of outbox %d: %w", id, err)
	}
	if tag.RowsAffected() > 0 {
		return nil
	}
	status, err := db.outboxStatus(ctx, id)
	if err != nil {
		return fmt.Errorf("start send of outbox %d: %w", id, err)
	}
	return fmt.Errorf("start send of outbox %d: the row is %s under another claim: %w", id, status, store.ErrConflict)
}

// MarkSent implements store.OutboxStore. A message that went out is a
// fact: the row becomes sent whatever its status, unless it already is
// (then the first message id stays).
func (db *DB) MarkSent(ctx context.Context, id int64, messageID int, at time.Time) error {
	tag, err := db.pool.Exec(ctx, `UPDATE outbox SET status = 'sent', message_id = $2, sent_at = $3,
		lease_until = NULL, send_until = NULL, last_error = '' WHERE id = $1 AND status <> 'sent'`, id, messageID, at)
	if err != nil {
		return fmt.Errorf("mark outbox %d sent: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		if _, err := db.outboxStatus(ctx, id); err != nil {
			return fmt.Errorf("mark outbox %d sent: %w", id, err)
		}
	}
	return nil
}

// MarkBlocked implements store.OutboxStore: the row and the recipient's
// user_prefs.blocked_at change in one statement.
func (db *DB) MarkBlocked(ctx context.Context, id int64, reason string) error {
	tag, err := db.pool.Exec(ctx, `
		WITH row AS (
			UPDATE outbox SET status = 'blocked', last_error = $2, lease_until = NULL, send_until = NULL
			WHERE id = $1 AND status = 'sending' RETURNING chat_id
		)
		INSERT INTO user_prefs (user_id, blocked_at) SELECT chat_id, now() FROM row
		ON CONFLICT (user_id) DO UPDATE SET blocked_at = EXCLUDED.blocked_at`, id, reason)
	return db.claimedChange(ctx, fmt.Sprintf("mark outbox %d blocked", id), id, tag.RowsAffected(), err)
}

// Retry implements store.OutboxStore. It applies to a claimed row only; a
// row another sender has finished meanwhile gives ErrConflict.
func (db *DB) Retry(ctx context.Context, id int64, at time.Time, reason string) error {
	tag, err := db.pool.Exec(ctx, `UPDATE outbox SET status = 'pending', not_before = $2,
		attempts = attempts + 1, last_error = $3, lease_until = NULL, send_until = NULL
		WHERE id = $1 AND status = 'sending'`, id, at, reason)
	return db.claimedChange(ctx, fmt.Sprintf("retry outbox %d", id), id, tag.RowsAffected(), err)
}

// MarkFailed implements store.OutboxStore. It applies to a claimed row
// only, like Retry.
func (db *DB) MarkFailed(ctx context.Context, id int64, reason string) error {
	tag, err := db.pool.Exec(ctx, `UPDATE outbox SET status = 'failed', last_error = $2, lease_until = NULL, send_until = NULL
		WHERE id = $1 AND status = 'sending'`, id, reason)
	return db.claimedChange(ctx, fmt.Sprintf("mark outbox %d failed", id), id, tag.RowsAffected(), err)
}

// OutboxItem implements store.OutboxStore.
func (db *DB) OutboxItem(ctx context.Context, key string) (store.OutboxItem, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+outboxSelect+`
		FROM outbox o LEFT JOIN campaigns c ON c.id = o.campaign_id WHERE o.key = $1`, key)
	it, err := pgx.CollectExactlyOneRow(rows, scanOutbox)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.OutboxItem{}, fmt.Errorf("outbox item %s: %w", key, store.ErrNotFound)
	}
	if err != nil {
		return store.OutboxItem{}, fmt.Errorf("outbox item %s: %w", key, err)
	}
	return it, nil
}

// claimedChange finishes a change that applies to a claimed row only:
// when no row changed it tells ErrNotFound (no such row) from ErrConflict
// (the row is not claimed any more).
func (db *DB) claimedChange(ctx context.Context, what string, id int64, changed int64, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if changed > 0 {
		return nil
	}
	status, err := db.outboxStatus(ctx, id)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return fmt.Errorf("%s: the row is %s, not claimed: %w", what, status, store.ErrConflict)
}

// outboxStatus returns a row's status, or ErrNotFound.
func (db *DB) outboxStatus(ctx context.Context, id int64) (string, error) {
	var status string
	err := db.pool.QueryRow(ctx, `SELECT status FROM outbox WHERE id = $1`, id).Scan(&status)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", store.ErrNotFound
	}
	return status, err
}

// scanOutbox reads a row selected with outboxSelect.
func scanOutbox(row pgx.CollectableRow) (store.OutboxItem, error) {
	var it store.OutboxItem
	var lease, sent, sendUntil pgtype.Timestamptz
	err := row.Scan(&it.ID, &it.Key, &it.ChatID, &it.Kind, &it.CampaignID, &it.Payload, &it.NotBefore,
		&it.Status, &it.Attempts, &lease, &it.MessageID, &it.LastError, &it.CreatedAt, &sent, &it.Fence, &sendUntil)
	if sendUntil.Valid {
		it.SendUntil = sendUntil.Time
	}
	if lease.Valid {
		it.LeaseUntil = lease.Time
	}
	if sent.Valid {
		it.SentAt = sent.Time
	}
	return it, err
}

// OutboxDue counts the rows due now and not yet sent (pending, or being
// sent): the sender's backlog.
func (db *DB) OutboxDue(ctx context.Context) (int64, error) {
	var n int64
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM outbox
		WHERE status IN ('pending', 'sending') AND not_before <= now()`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("outbox backlog: %w", err)
	}
	return n, nil
}
