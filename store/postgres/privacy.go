package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/diskum-tangerang/umkmbot/store"
)

// RecordConsent implements store.RegistrationStore. c.At is kept when set
// (the moment the user answered), else the store stamps now; a consent
// identical to one recorded, At included, is not recorded again.
//
// The lock and the insert go in one batch, one round trip: pgx sends a batch
// with one Sync, so Postgres runs it as one implicit transaction, and the
// insert (a statement of its own, with its own snapshot) sees what an
// earlier holder of the lock committed.
func (db *DB) RecordConsent(ctx context.Context, c store.Consent) error {
	b := &pgx.Batch{}
	// The same answer again (a step run a second time after a crash) is
	// recorded once: serialised per user, skipped when identical.
	b.Queue(`SELECT pg_advisory_xact_lock(hashtextextended('consent:' || $1::bigint::text, 0))`, c.UserID)
	b.Queue(`
		WITH i AS (
			INSERT INTO consents (user_id, purpose, notice_version, granted, at)
			SELECT $1, $2, $3, $4, coalesce($5, now())
			WHERE $5::timestamptz IS NULL OR NOT EXISTS (SELECT 1 FROM consents
				WHERE user_id = $1 AND purpose = $2 AND notice_version = $3 AND granted = $4 AND at = $5)
			RETURNING user_id, purpose, notice_version, granted
		)
		INSERT INTO audit_log (actor, action, object, detail)
		SELECT i.user_id, 'consent', $6, format('purpose=%s notice=%s granted=%s', i.purpose, i.notice_version, i.granted::text)
		FROM i`,
		c.UserID, c.Purpose, c.NoticeVersion, c.Granted, nullTime(c.At), userObject(c.UserID))
	if err := db.pool.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("record consent of user %d: %w", c.UserID, err)
	}
	return nil
}

// ConsentsOf implements store.RegistrationStore.
func (db *DB) ConsentsOf(ctx context.Context, userID int64) ([]store.Consent, error) {
	rows, _ := db.pool.Query(ctx, `SELECT user_id, purpose, notice_version, granted, at
		FROM consents WHERE user_id = $1 ORDER BY at, id`, userID)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Consent, error) {
		var c store.Consent
		err := row.Scan(&c.UserID, &c.Purpose, &c.NoticeVersion, &c.Granted, &c.At)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("consents of user %d: %w", userID, err)
	}
	return list, nil
}

// LatestConsent implements store.RegistrationStore with one indexed row.
func (db *DB) LatestConsent(ctx context.Context, userID int64, purpose string) (store.Consent, error) {
	var c store.Consent
	err := db.pool.QueryRow(ctx, `SELECT user_id, purpose, notice_version, granted, at
		FROM consents WHERE user_id = $1 AND purpose = $2 ORDER BY at DESC, id DESC LIMIT 1`, userID, purpose,
	).Scan(&c.UserID, &c.Purpose, &c.NoticeVersion, &c.Granted, &c.At)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Consent{}, fmt.Errorf("latest consent of user %d: %w", userID, store.ErrNotFound)
	}
	if err != nil {
		return store.Consent{}, fmt.Errorf("latest consent of user %d: %w", userID, err)
	}
	return c, nil
}

// DeleteUserData implements store.RegistrationStore in one transaction.
// The user's registrations keep only what statistics need (number, sector,
// kecamatan, class and its basis, year started, workers, capital, turnover
// and creation time); everything else, the owner's user id and the
// idempotency key included, is cleared, and anonymised_at set. Consents and
// the users row are deleted. The audit entry counts what went, by the user
// as actor.
func (db *DB) DeleteUserData(ctx context.Context, userID int64) (store.DeletionReport, error) {
	var report store.DeletionReport
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var err error
		if report, err = deletion(ctx, tx, userID); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			UPDATE registrations SET user_id = 0, owner_name = '(dihapus)', nik = '', birth_date = NULL,
				female = false, phone = '', business_name = '', business_key = '', products = '',
				desa = '', address = '', nib = '', halal = '', consent_version = '', consent_at = NULL,
				idempotency_key = NULL, anonymised_at = now(), updated_at = now()
			WHERE user_id = $1 AND anonymised_at IS NULL`, userID)
		if err != nil {
			return fmt.Errorf("anonymise registrations: %w", err)
		}
		report.Registrations = int(tag.RowsAffected())
		if tag, err = tx.Exec(ctx, `DELETE FROM consents WHERE user_id = $1`, userID); err != nil {
			return fmt.Errorf("delete consents: %w", err)
		}
		report.Consents = int(tag.RowsAffected())
		if _, err := tx.Exec(ctx, `DELETE FROM users WHERE telegram_id = $1`, userID); err != nil {
			return fmt.Errorf("delete user: %w", err)
		}
		// The loan records stay: UPDB keeps them under its archive rules;
		// only this account's access to them goes.
		links, err := deleteLoanLinks(ctx, tx, userID)
		if err != nil {
			return err
		}
		// Places in trainings are given up; attended ones stay counted,
		// without the account.
		if _, err := tx.Exec(ctx, `
			UPDATE bookings SET user_id = 0, updated_at = now(),
				status = CASE WHEN status IN ('booked','waitlisted','offered') THEN 'cancelled' ELSE status END
			WHERE user_id = $1`, userID); err != nil {
			return fmt.Errorf("release bookings: %w", err)
		}
		// Messages not yet sent are dropped; the bodies of those sent are
		// erased, since they may quote the owner's data.
		if _, err := tx.Exec(ctx, `
			UPDATE outbox SET payload = '{}',
				status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END
			WHERE chat_id = $1 AND status <> 'sending'`, userID); err != nil {
			return fmt.Errorf("drop messages: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM user_prefs WHERE user_id = $1`, userID); err != nil {
			return fmt.Errorf("delete preferences: %w", err)
		}
		// Questions to the Dinas go with their messages (ON DELETE CASCADE).
		if _, err := tx.Exec(ctx, `DELETE FROM tickets WHERE user_id = $1`, userID); err != nil {
			return fmt.Errorf("delete tickets: %w", err)
		}
		return audit(ctx, tx, store.AuditEntry{
			Actor:  userID,
			Action: "delete",
			Object: userObject(userID),
			Detail: fmt.Sprintf("registrations anonymised=%d consents deleted=%d loan links deleted=%d tickets deleted=%d",
				report.Registrations, report.Consents, links, report.Tickets),
		})
	})
	if err != nil {
		return store.DeletionReport{}, fmt.Errorf("delete data of user %d: %w", userID, err)
	}
	return report, nil
}

// DeletionPreview implements store.RegistrationStore: what DeleteUserData
// would delete now, read in one snapshot.
func (db *DB) DeletionPreview(ctx context.Context, userID int64) (store.DeletionReport, error) {
	var report store.DeletionReport
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead},
		func(tx pgx.Tx) error {
			var err error
			report, err = deletion(ctx, tx, userID)
			return err
		})
	if err != nil {
		return store.DeletionReport{}, fmt.Errorf("preview the deletion of user %d: %w", userID, err)
	}
	return report, nil
}

// deletion counts what a deletion of userID's data removes, as
// DeleteUserData and DeletionPreview report it.
func deletion(ctx context.Context, tx pgx.Tx, userID int64) (store.DeletionReport, error) {
	r := store.DeletionReport{Kept: map[string]int{}}
	var prefs bool
	err := tx.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM registrations WHERE user_id = $1 AND anonymised_at IS NULL),
			(SELECT count(*) FROM consents WHERE user_id = $1),
			(SELECT count(*) FROM bookings WHERE user_id = $1 AND status IN ('booked', 'offered')),
			(SELECT count(*) FROM bookings WHERE user_id = $1 AND status = 'waitlisted'),
			(SELECT count(*) FROM loan_links WHERE user_id = $1),
			(SELECT count(*) FROM tickets WHERE user_id = $1),
			EXISTS (SELECT 1 FROM user_prefs WHERE user_id = $1)`, userID).
		Scan(&r.Registrations, &r.Consents, &r.Bookings, &r.Waitlist, &r.LoanLinks, &r.Tickets, &prefs)
	if err != nil {
		return store.DeletionReport{}, fmt.Errorf("count the data of user %d: %w", userID, err)
	}
	r.Subscription = prefs || r.Registrations > 0
	if r.LoanLinks > 0 {
		r.Kept["loans"] = r.LoanLinks
	}
	return r, nil
}

// ExportRegistrations implements store.RegistrationStore: the rows are read
// and the export audited in one transaction, so that no export goes
// unrecorded. The audit detail holds the filter and the row count.
func (db *DB) ExportRegistrations(ctx context.Context, actor int64, f store.RegistrationFilter) ([]store.Registration, error) {
	var list []store.Registration
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+regColumns+` FROM registrations
			WHERE anonymised_at IS NULL AND ($1 = '' OR kecamatan = $1) AND ($2 = '' OR sector = $2)
			ORDER BY id`, f.Kecamatan, f.Sector)
		var err error
		if list, err = pgx.CollectRows(rows, rowToRegistration); err != nil {
			return err
		}
		return audit(ctx, tx, store.AuditEntry{
			Actor:  actor,
			Action: "export",
			Object: "registrations",
			Detail: fmt.Sprintf("kecamatan=%s sector=%s rows=%d", orAll(f.Kecamatan), orAll(f.Sector), len(list)),
		})
	})
	if err != nil {
		return nil, fmt.Errorf("export registrations by user %d: %w", actor, err)
	}
	return list, nil
}

// userObject names a user in the audit log.
func userObject(id int64) string { return "user:" + strconv.FormatInt(id, 10) }

// orAll shows an empty filter value as "*".
func orAll(v string) string {
	if v == "" {
		return "*"
	}
	return v
}
