package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/diskum-tangerang/umkmbot/store"
)

var _ store.CampaignStore = (*DB)(nil)

// campaignColumns are the columns scanCampaign reads, in its order.
const campaignColumns = `id, created_by, payload, kecamatan, sector, training_id, status,
	start_at, created_at, progress_chat, progress_message`

// audienceSQL selects the user ids of a broadcast's audience ($1
// kecamatan, $2 sector, empty for any; $3 training, 0 for any): owners of
// a registration that is not anonymised, who have not stopped
// announcements and have not blocked the bot, and, for a training, hold a
// seat on it (booked, offered or attended). A private chat's id is its
// user's id.
const audienceSQL = `
	SELECT DISTINCT r.user_id FROM registrations r
	LEFT JOIN user_prefs p ON p.user_id = r.user_id
	WHERE r.anonymised_at IS NULL AND r.user_id <> 0
	  AND ($1::text = '' OR r.kecamatan = $1) AND ($2::text = '' OR r.sector = $2)
	  AND coalesce(p.broadcasts, true) AND p.blocked_at IS NULL
	  AND ($3::bigint = 0 OR r.user_id IN (SELECT b.user_id FROM bookings b
		WHERE b.training_id = $3 AND b.status IN ('booked', 'offered', 'attended')))`

// AudienceSize implements store.CampaignStore.
func (db *DB) AudienceSize(ctx context.Context, a store.Audience) (int, error) {
	var n int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM (`+audienceSQL+`) a`, a.Kecamatan, a.Sector, a.Training).Scan(&n); err != nil {
		return 0, fmt.Errorf("audience size: %w", err)
	}
	return n, nil
}

// CreateCampaign implements store.CampaignStore in one transaction: the
// campaign row, one outbox row per recipient (INSERT ... SELECT from the
// audience, so that it is frozen at this instant) and the audit entry. A
// zero StartAt means now; an empty Status means running (paused is the
// other choice). A campaign without recipients is created done.
func (db *DB) CreateCampaign(ctx context.Context, c store.Campaign) (store.Campaign, int, error) {
	if len(c.Payload) == 0 {
		return store.Campaign{}, 0, errors.New("create campaign: empty payload")
	}
	if c.Status == "" {
		c.Status = store.CampaignRunning
	}
	if c.Status != store.CampaignRunning && c.Status != store.CampaignPaused {
		return store.Campaign{}, 0, fmt.Errorf("create campaign: status %q: %w", c.Status, store.ErrConflict)
	}
	var n int
	var existing int64
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO campaigns (created_by, payload, kecamatan, sector, training_id, status, start_at,
				progress_chat, progress_message, idempotency_key)
			VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, now()), $8, $9, nullif($10, ''))
			ON CONFLICT (idempotency_key) DO NOTHING
			RETURNING id, start_at, created_at`,
			c.CreatedBy, c.Payload, c.Audience.Kecamatan, c.Audience.Sector, c.Audience.Training, c.Status,
			nullTime(c.StartAt), c.ProgressChat, c.ProgressMessage, c.Key,
		).Scan(&c.ID, &c.StartAt, &c.CreatedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			// Created before with this key: hand that one back.
			return tx.QueryRow(ctx, `SELECT id FROM campaigns WHERE idempotency_key = $1`, c.Key).Scan(&existing)
		}
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO outbox (key, chat_id, kind, campaign_id, not_before)
			SELECT 'bc:' || $4::bigint || ':' || a.user_id, a.user_id, 'broadcast', $4, $5
			FROM (`+audienceSQL+`) a ORDER BY a.user_id
			ON CONFLICT (key) DO NOTHING`,
			c.Audience.Kecamatan, c.Audience.Sector, c.Audience.Training, c.ID, c.StartAt)
		if err != nil {
			return err
		}
		n = int(tag.RowsAffected())
		if n == 0 {
			c.Status = store.CampaignDone
			if _, err := tx.Exec(ctx, `UPDATE campaigns SET status = 'done' WHERE id = $1`, c.ID); err != nil {
				return err
			}
		}
		return audit(ctx, tx, store.AuditEntry{Actor: c.CreatedBy, Action: "broadcast", Object: campaignObject(c.ID),
			Detail: fmt.Sprintf("kecamatan=%s sector=%s training=%d recipients=%d start=%s status=%s",
				orAll(c.Audience.Kecamatan), orAll(c.Audience.Sector), c.Audience.Training, n, c.StartAt.UTC().Format("2006-01-02T15:04:05Z"), c.Status)})
	})
	if err != nil {
		return store.Campaign{}, 0, fmt.Errorf("create campaign of %d: %w", c.CreatedBy, err)
	}
	if existing != 0 {
		first, err := db.Campaign(ctx, existing)
		if err != nil {
			return store.Campaign{}, 0, err
		}
		st, err := db.CampaignStats(ctx, existing)
		first.Key = c.Key
		return first, st.Total, err
	}
	return c, n, nil
}

// Campaign implements store.CampaignStore.
func (db *DB) Campaign(ctx context.Context, id int64) (store.Campaign, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE id = $1`, id)
	c, err := pgx.CollectExactlyOneRow(rows, scanCampaign)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Campaign{}, fmt.Errorf("campaign %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Campaign{}, fmt.Errorf("campaign %d: %w", id, err)
	}
	return c, nil
}

// Campaigns implements store.CampaignStore.
func (db *DB) Campaigns(ctx context.Context, limit int) ([]store.Campaign, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+campaignColumns+` FROM campaigns ORDER BY id DESC LIMIT $1`, max(limit, 0))
	list, err := pgx.CollectRows(rows, scanCampaign)
	if err != nil {
		return nil, fmt.Errorf("campaigns: %w", err)
	}
	return list, nil
}

// SetCampaignStatus implements store.CampaignStore in one transaction that
// holds the campaign's row lock. Running and paused go either way;
// cancelled and done are final (ErrConflict), and done needs every row
// finished (ErrConflict otherwise). Setting the current status is a no-op.
// Cancelling turns the pending rows into cancelled ones; rows being sent
// finish.
func (db *DB) SetCampaignStatus(ctx context.Context, actor, id int64, status string) error {
	switch status {
	case store.CampaignRunning, store.CampaignPaused, store.CampaignCancelled, store.CampaignDone:
	default:
		return fmt.Errorf("campaign %d: unknown status %q", id, status)
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var cur string
		err := tx.QueryRow(ctx, `SELECT status FROM campaigns WHERE id = $1 FOR UPDATE`, id).Scan(&cur)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		if cur == status {
			return nil
		}
		if cur == store.CampaignCancelled || cur == store.CampaignDone {
			return fmt.Errorf("the campaign is %s: %w", cur, store.ErrConflict)
		}
		detail := "status=" + cur + "->" + status
		switch status {
		case store.CampaignDone:
			var left bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM outbox
				WHERE campaign_id = $1 AND status IN ('pending', 'sending'))`, id).Scan(&left); err != nil {
				return err
			}
			if left {
				return fmt.Errorf("rows are still to be sent: %w", store.ErrConflict)
			}
		case store.CampaignCancelled:
			tag, err := tx.Exec(ctx, `UPDATE outbox SET status = 'cancelled'
				WHERE campaign_id = $1 AND status = 'pending'`, id)
			if err != nil {
				return err
			}
			detail += " cancelled=" + strconv.FormatInt(tag.RowsAffected(), 10)
		}
		if _, err := tx.Exec(ctx, `UPDATE campaigns SET status = $2 WHERE id = $1`, id, status); err != nil {
			return err
		}
		return audit(ctx, tx, store.AuditEntry{Actor: actor, Action: "broadcast", Object: campaignObject(id), Detail: detail})
	})
	if err != nil {
		return fmt.Errorf("set campaign %d %s: %w", id, status, err)
	}
	return nil
}

// SetProgressMessage implements store.CampaignStore.
func (db *DB) SetProgressMessage(ctx context.Context, id, chat int64, message int) error {
	tag, err := db.pool.Exec(ctx, `UPDATE campaigns SET progress_chat = $2, progress_message = $3 WHERE id = $1`,
		id, chat, message)
	if err != nil {
		return fmt.Errorf("set progress message of campaign %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("set progress message of campaign %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// CampaignStats implements store.CampaignStore; Pending counts the rows
// being sent too.
func (db *DB) CampaignStats(ctx context.Context, id int64) (store.CampaignStats, error) {
	var s store.CampaignStats
	err := db.pool.QueryRow(ctx, `
		SELECT count(o.id),
			count(*) FILTER (WHERE o.status = 'sent'),
			count(*) FILTER (WHERE o.status = 'blocked'),
			count(*) FILTER (WHERE o.status = 'failed'),
			count(*) FILTER (WHERE o.status IN ('pending', 'sending')),
			count(*) FILTER (WHERE o.status = 'cancelled')
		FROM campaigns c LEFT JOIN outbox o ON o.campaign_id = c.id
		WHERE c.id = $1 GROUP BY c.id`, id,
	).Scan(&s.Total, &s.Sent, &s.Blocked, &s.Failed, &s.Pending, &s.Cancelled)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, fmt.Errorf("stats of campaign %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return s, fmt.Errorf("stats of campaign %d: %w", id, err)
	}
	return s, nil
}

// SetSubscribed implements store.CampaignStore. Subscribing again also
// clears a recorded block: a user who writes /langganan can be reached.
func (db *DB) SetSubscribed(ctx context.Context, userID int64, on bool) error {
	_, err := db.pool.Exec(ctx, `
		INSERT INTO user_prefs (user_id, broadcasts) VALUES ($1, $2)
		ON CONFLICT (user_id) DO UPDATE SET broadcasts = EXCLUDED.broadcasts,
			blocked_at = CASE WHEN EXCLUDED.broadcasts THEN NULL ELSE user_prefs.blocked_at END`, userID, on)
	if err != nil {
		return fmt.Errorf("set subscription of user %d: %w", userID, err)
	}
	return nil
}

// Subscribed implements store.CampaignStore; a user with no choice
// recorded is subscribed.
func (db *DB) Subscribed(ctx context.Context, userID int64) (bool, error) {
	on := true
	err := db.pool.QueryRow(ctx, `SELECT broadcasts FROM user_prefs WHERE user_id = $1`, userID).Scan(&on)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return false, fmt.Errorf("subscription of user %d: %w", userID, err)
	}
	return on, nil
}

// campaignObject names a campaign in the audit log.
func campaignObject(id int64) string { return "campaign:" + strconv.FormatInt(id, 10) }

// scanCampaign reads a row selected with campaignColumns.
func scanCampaign(row pgx.CollectableRow) (store.Campaign, error) {
	var c store.Campaign
	err := row.Scan(&c.ID, &c.CreatedBy, &c.Payload, &c.Audience.Kecamatan, &c.Audience.Sector, &c.Audience.Training,
		&c.Status, &c.StartAt, &c.CreatedAt, &c.ProgressChat, &c.ProgressMessage)
	return c, err
}
