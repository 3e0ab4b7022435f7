package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/diskum-tangerang/umkmbot/store"
)

var _ store.RegistrationStore = (*DB)(nil)

// regColumns are the columns scanRegistration reads, in its order.
const regColumns = `id, number, user_id, owner_name, nik, birth_date, female, phone,
	business_name, sector, products, kecamatan, desa, address, year_started, workers,
	capital, turnover, turnover_monthly, class, class_basis, nib, halal,
	consent_version, consent_at, created_at, updated_at`

// uniqueBusiness is the index behind the one-registration-per-NIK-and-
// business rule.
const uniqueBusiness = "registrations_nik_business_key"

// createAttempts bounds the retries of a creation that lost to a row which
// was anonymised before it could be read.
const createAttempts = 3

// errKeyTaken says that a row with the idempotency key already exists; the
// creating transaction rolls back (giving its number back) and the row is
// read instead.
var errKeyTaken = errors.New("idempotency key taken")

// CreateRegistration implements store.RegistrationStore. The number comes
// from the per-year counter bumped in the same transaction as the insert
// and the audit entry; a retry or a conflict rolls it back, so numbers have
// no gaps. The row lock on the year's counter orders concurrent creations.
// An empty key is refused.
func (db *DB) CreateRegistration(ctx context.Context, key string, r store.Registration) (store.Registration, bool, error) {
	if key == "" {
		return store.Registration{}, false, errors.New("create registration: empty idempotency key")
	}
	bkey := store.BusinessKey(r.BusinessName)
	for range createAttempts {
		saved, err := db.insertRegistration(ctx, key, bkey, r)
		if err == nil {
			return saved, true, nil
		}
		dup := isUniqueViolation(err, uniqueBusiness)
		if !dup && !errors.Is(err, errKeyTaken) {
			return store.Registration{}, false, fmt.Errorf("create registration of user %d: %w", r.UserID, err)
		}
		// The key wins over the duplicate rule: a retry of a call that
		// succeeded gets its record, whatever it now conflicts with.
		prev, err := db.registrationWhere(ctx, "idempotency_key = $1", key)
		if err == nil {
			return prev, false, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return store.Registration{}, false, err
		}
		if dup {
			existing, err := db.registrationWhere(ctx,
				"nik = $1 AND business_key = $2 AND anonymised_at IS NULL", r.NIK, bkey)
			if err == nil {
				return existing, false, fmt.Errorf("create registration of user %d: business already registered as %s: %w",
					r.UserID, existing.Number, store.ErrConflict)
			}
			if !errors.Is(err, store.ErrNotFound) {
				return store.Registration{}, false, err
			}
		}
		// The row in the way was anonymised meanwhile: try again.
	}
	return store.Registration{}, false, fmt.Errorf("create registration of user %d: gave up after %d attempts: %w",
		r.UserID, createAttempts, store.ErrConflict)
}

// uniqueKey is the index behind the idempotency key.
const uniqueKey = "registrations_idempotency_key_key"

// insertRegistration numbers, inserts and audits r in one statement, sent
// in one round trip and committed on its own: the year's counter row stays
// locked only while the statement runs and commits, never across round
// trips, so concurrent registrations queue for as short as they can. It
// returns errKeyTaken when the key exists (then nothing was changed, the
// counter included), or the unique violation of uniqueBusiness (the
// statement rolls back whole, giving its number back).
func (db *DB) insertRegistration(ctx context.Context, key, bkey string, r store.Registration) (store.Registration, error) {
	rows, _ := db.pool.Query(ctx, `
		WITH c AS (
			INSERT INTO registration_counters AS c (year, last)
			SELECT registration_year(now()), 1
			WHERE NOT EXISTS (SELECT 1 FROM registrations WHERE idempotency_key = $25)
			ON CONFLICT (year) DO UPDATE SET last = c.last + 1
			RETURNING year, last
		), r AS (
			INSERT INTO registrations (number, user_id, owner_name, nik, birth_date, female, phone,
				business_name, business_key, sector, products, kecamatan, desa, address,
				year_started, workers, capital, turnover, turnover_monthly, class, class_basis,
				nib, halal, consent_version, consent_at, idempotency_key)
			SELECT format('UMKM-3603-%s-%s', c.year, lpad(c.last::text, greatest(6, length(c.last::text)), '0')),
				$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
				$17, $18, $19, $20, $21, $22, $23, $24, $25
			FROM c
			RETURNING `+regColumns+`
		), a AS (
			INSERT INTO audit_log (actor, action, object, detail)
			SELECT $1, 'register', 'registration:' || r.number,
				format('sector=%s kecamatan=%s class=%s', r.sector, r.kecamatan, r.class)
			FROM r
		)
		SELECT `+regColumns+` FROM r`,
		r.UserID, r.OwnerName, r.NIK, nullDate(r), r.Female, r.Phone,
		r.BusinessName, bkey, r.Sector, r.Products, r.Kecamatan, r.Desa, r.Address,
		r.YearStarted, r.Workers, r.Capital, r.Turnover, r.TurnoverMonthly, r.Class, r.ClassBasis,
		r.NIB, r.Halal, r.ConsentVersion, nullTime(r.ConsentAt), key)
	saved, err := pgx.CollectExactlyOneRow(rows, rowToRegistration)
	if errors.Is(err, pgx.ErrNoRows) || isUniqueViolation(err, uniqueKey) {
		return store.Registration{}, errKeyTaken
	}
	return saved, err
}

// FindRegistration implements store.RegistrationStore; anonymised
// registrations are not found.
func (db *DB) FindRegistration(ctx context.Context, nik, businessName string) (store.Registration, error) {
	return db.registrationWhere(ctx, "nik = $1 AND business_key = $2 AND anonymised_at IS NULL",
		nik, store.BusinessKey(businessName))
}

// Registration implements store.RegistrationStore. An anonymised
// registration is returned as it is kept: business aggregates only.
func (db *DB) Registration(ctx context.Context, number string) (store.Registration, error) {
	return db.registrationWhere(ctx, "number = $1", number)
}

// RegistrationsOf implements store.RegistrationStore.
func (db *DB) RegistrationsOf(ctx context.Context, userID int64) ([]store.Registration, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+regColumns+` FROM registrations
		WHERE user_id = $1 AND anonymised_at IS NULL ORDER BY id`, userID)
	list, err := pgx.CollectRows(rows, rowToRegistration)
	if err != nil {
		return nil, fmt.Errorf("registrations of user %d: %w", userID, err)
	}
	return list, nil
}

// UpdateRegistration implements store.RegistrationStore: only the owner
// (actor) can change a registration that is not anonymised, else
// ErrNotFound; a new business name taken by another registration of the
// same NIK gives ErrConflict. Number, owner and creation time stay. An
// update that changes nothing writes nothing.
func (db *DB) UpdateRegistration(ctx context.Context, actor int64, r store.Registration) error {
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+regColumns+` FROM registrations
			WHERE number = $1 AND user_id = $2 AND anonymised_at IS NULL FOR UPDATE`, r.Number, actor)
		old, err := pgx.CollectExactlyOneRow(rows, rowToRegistration)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		fields := store.ChangedFields(old, r)
		if len(fields) == 0 {
			return nil
		}
		_, err = tx.Exec(ctx, `
			UPDATE registrations SET owner_name = $2, nik = $3, birth_date = $4, female = $5,
				phone = $6, business_name = $7, business_key = $8, sector = $9, products = $10,
				kecamatan = $11, desa = $12, address = $13, year_started = $14, workers = $15,
				capital = $16, turnover = $17, turnover_monthly = $18, class = $19,
				class_basis = $20, nib = $21, halal = $22, consent_version = $23,
				consent_at = $24, updated_at = now()
			WHERE id = $1`,
			old.ID, r.OwnerName, r.NIK, nullDate(r), r.Female,
			r.Phone, r.BusinessName, store.BusinessKey(r.BusinessName), r.Sector, r.Products,
			r.Kecamatan, r.Desa, r.Address, r.YearStarted, r.Workers,
			r.Capital, r.Turnover, r.TurnoverMonthly, r.Class,
			r.ClassBasis, r.NIB, r.Halal, r.ConsentVersion, nullTime(r.ConsentAt))
		if isUniqueViolation(err, uniqueBusiness) {
			return store.ErrConflict
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, store.AuditEntry{
			Actor:  actor,
			Action: "edit",
			Object: "registration:" + old.Number,
			Detail: "fields: " + strings.Join(fields, ", "),
		})
	})
	if err != nil {
		return fmt.Errorf("update registration %s by user %d: %w", r.Number, actor, err)
	}
	return nil
}

// registrationWhere returns the one registration matching cond, or
// ErrNotFound.
func (db *DB) registrationWhere(ctx context.Context, cond string, args ...any) (store.Registration, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+regColumns+` FROM registrations WHERE `+cond, args...)
	r, err := pgx.CollectExactlyOneRow(rows, rowToRegistration)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Registration{}, fmt.Errorf("registration: %w", store.ErrNotFound)
	}
	if err != nil {
		return store.Registration{}, fmt.Errorf("registration: %w", err)
	}
	return r, nil
}

// rowToRegistration scans the columns of regColumns.
func rowToRegistration(row pgx.CollectableRow) (store.Registration, error) {
	var r store.Registration
	var birth pgtype.Date
	var consentAt pgtype.Timestamptz
	err := row.Scan(&r.ID, &r.Number, &r.UserID, &r.OwnerName, &r.NIK, &birth, &r.Female, &r.Phone,
		&r.BusinessName, &r.Sector, &r.Products, &r.Kecamatan, &r.Desa, &r.Address, &r.YearStarted, &r.Workers,
		&r.Capital, &r.Turnover, &r.TurnoverMonthly, &r.Class, &r.ClassBasis, &r.NIB, &r.Halal,
		&r.ConsentVersion, &consentAt, &r.CreatedAt, &r.UpdatedAt)
	if birth.Valid {
		r.BirthDate = birth.Time
	}
	if consentAt.Valid {
		r.ConsentAt = consentAt.Time
	}
	return r, err
}

// nullDate gives r's birth date as a date, NULL when unknown. The date is
// the one on r.BirthDate's own calendar; the time of day is dropped.
func nullDate(r store.Registration) pgtype.Date {
	return pgtype.Date{Time: r.BirthDate, Valid: !r.BirthDate.IsZero()}
}

// nullTime gives t, or NULL when it is the zero time.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// isUniqueViolation says whether err is a unique violation of the named
// constraint or index. The violation's detail, which quotes the key (a
// NIK), is never wrapped into a returned error.
func isUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == constraint
}
