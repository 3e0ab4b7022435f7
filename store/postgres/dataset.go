package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/diskum-tangerang/umkmbot/store"
)

// ErrNotEmpty: LoadDataset refuses a database that already holds records.
var ErrNotEmpty = errors.New("postgres: the database already holds registrations, trainings, loans or campaigns")

// LoadDataset copies d into an empty database in one transaction (COPY,
// tens of thousands of rows a second, with the registration tallies'
// trigger off and the tallies counted once at the end), moves the id
// sequences and the registration number counters past the loaded rows,
// then vacuums and analyzes the tables, so that the planner knows their new
// size and index-only scans work at once. A database that holds any
// registration, training, loan or campaign is ErrNotEmpty.
func (db *DB) LoadDataset(ctx context.Context, d store.Dataset) error {
	if err := db.loadDataset(ctx, d); err != nil {
		return err
	}
	_, err := db.pool.Exec(ctx, `VACUUM (ANALYZE) registrations, registration_tally, registration_daily,
		trainings, bookings, loans, loan_events, payments, campaigns, outbox`)
	return err
}

func (db *DB) loadDataset(ctx context.Context, d store.Dataset) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var used bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM registrations) OR EXISTS (SELECT 1 FROM trainings)
			OR EXISTS (SELECT 1 FROM loans) OR EXISTS (SELECT 1 FROM campaigns)`).Scan(&used); err != nil {
			return fmt.Errorf("load dataset: %w", err)
		}
		if used {
			return ErrNotEmpty
		}
		if _, err := tx.Exec(ctx, `ALTER TABLE registrations DISABLE TRIGGER registrations_tally`); err != nil {
			return fmt.Errorf("load dataset: %w", err)
		}
		for _, c := range copies(d) {
			if len(c.rows) == 0 {
				continue
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{c.table}, c.cols, pgx.CopyFromRows(c.rows)); err != nil {
				return fmt.Errorf("load %s: %w", c.table, err)
			}
		}
		for _, t := range []string{"registrations", "trainings", "bookings", "loans", "loan_events", "payments", "campaigns", "outbox"} { // i18n:ignore (table names)
			if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'),
				coalesce((SELECT max(id) FROM `+t+`), 0) + 1, false)`); err != nil {
				return fmt.Errorf("load dataset: sequence of %s: %w", t, err)
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO registration_counters (year, last)
			SELECT split_part(number, '-', 3)::int, max(split_part(number, '-', 4)::int) FROM registrations GROUP BY 1
			ON CONFLICT (year) DO UPDATE SET last = greatest(registration_counters.last, excluded.last)`); err != nil {
			return fmt.Errorf("load dataset: number counters: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE trainings t SET booking_seq = b.n FROM
			(SELECT training_id, count(*) AS n FROM bookings GROUP BY 1) b WHERE b.training_id = t.id`); err != nil {
			return fmt.Errorf("load dataset: booking codes: %w", err)
		}
		for _, sql := range []string{
			`DELETE FROM registration_tally`,
			`DELETE FROM registration_daily`,
			`INSERT INTO registration_tally SELECT kecamatan, sector, class, count(*),
				count(*) FILTER (WHERE anonymised_at IS NULL) FROM registrations GROUP BY 1, 2, 3`,
			`INSERT INTO registration_daily SELECT (created_at AT TIME ZONE 'Asia/Jakarta')::date, count(*)
				FROM registrations GROUP BY 1`,
			`ALTER TABLE registrations ENABLE TRIGGER registrations_tally`,
		} {
			if _, err := tx.Exec(ctx, sql); err != nil {
				return fmt.Errorf("load dataset: tallies: %w", err)
			}
		}
		return nil
	})
}

type copySpec struct {
	table string
	cols  []string
	rows  [][]any
}

// copies lays d out as COPY rows, parents before children.
func copies(d store.Dataset) []copySpec {
	regs := copySpec{table: "registrations", cols: []string{"id", "number", "user_id", "owner_name", "nik", "birth_date",
		"female", "phone", "business_name", "business_key", "sector", "products", "kecamatan", "desa", "address",
		"year_started", "workers", "capital", "turnover", "class", "class_basis", "nib", "halal", "consent_version",
		"consent_at", "idempotency_key", "created_at", "updated_at"}}
	for _, r := range d.Registrations {
		regs.rows = append(regs.rows, []any{r.ID, r.Number, r.UserID, r.OwnerName, r.NIK, nullDate(r), r.Female,
			r.Phone, r.BusinessName, store.BusinessKey(r.BusinessName), r.Sector, r.Products, r.Kecamatan, r.Desa,
			r.Address, r.YearStarted, r.Workers, r.Capital, r.Turnover, r.Class, r.ClassBasis, r.NIB, r.Halal,
			r.ConsentVersion, nullTime(r.ConsentAt), "demo-" + strconv.FormatInt(r.ID, 10), r.CreatedAt, r.CreatedAt})
	}
	trains := copySpec{table: "trainings", cols: []string{"id", "topic", "title", "description", "start_at", "end_at",
		"place", "link", "capacity", "deadline", "status", "created_by", "created_at", "updated_at"}}
	for _, t := range d.Trainings {
		trains.rows = append(trains.rows, []any{t.ID, t.Topic, t.Title, t.Description, t.StartAt, t.EndAt, t.Place,
			t.Link, t.Capacity, t.Deadline, t.Status, t.CreatedBy, t.CreatedAt, t.CreatedAt})
	}
	books := copySpec{table: "bookings", cols: []string{"id", "code", "training_id", "user_id", "status",
		"offer_deadline", "created_at", "updated_at"}}
	for _, b := range d.Bookings {
		books.rows = append(books.rows, []any{b.ID, b.Code, b.TrainingID, b.UserID, b.Status,
			nullTime(b.OfferDeadline), b.CreatedAt, b.CreatedAt})
	}
	loans := copySpec{table: "loans", cols: []string{"id", "number", "nik", "applicant_name", "business_name",
		"requested", "approved", "tenor_months", "rate_bp", "method", "grace_months", "disbursed_at", "stage",
		"note", "created_at", "updated_at"}}
	for _, l := range d.Loans {
		loans.rows = append(loans.rows, []any{l.ID, l.Number, l.NIK, l.ApplicantName, l.BusinessName, l.Requested,
			l.Approved, l.TenorMonths, l.RateBP, l.Method, l.GraceMonths, nullTime(l.DisbursedAt), l.Stage, l.Note,
			l.CreatedAt, l.CreatedAt})
	}
	events := copySpec{table: "loan_events", cols: []string{"loan_id", "from_stage", "to_stage", "note", "actor", "at"}} // i18n:ignore (columns)
	for _, e := range d.LoanEvents {
		events.rows = append(events.rows, []any{e.LoanID, e.From, e.To, e.Note, e.Actor, e.At})
	}
	pays := copySpec{table: "payments", cols: []string{"loan_id", "amount", "paid_at", "actor", "ref"}} // i18n:ignore (columns)
	for _, p := range d.Payments {
		var ref any
		if p.Ref != "" {
			ref = p.Ref
		}
		pays.rows = append(pays.rows, []any{p.LoanID, p.Amount, p.PaidAt, p.Actor, ref})
	}
	camps := copySpec{table: "campaigns", cols: []string{"id", "created_by", "payload", "kecamatan", "sector",
		"training_id", "status", "start_at", "created_at"}}
	for _, c := range d.Campaigns {
		camps.rows = append(camps.rows, []any{c.ID, c.CreatedBy, c.Payload, c.Audience.Kecamatan, c.Audience.Sector,
			c.Audience.Training, c.Status, c.StartAt, c.CreatedAt})
	}
	out := copySpec{table: "outbox", cols: []string{"key", "chat_id", "kind", "campaign_id", "not_before", "status",
		"created_at", "sent_at"}}
	for _, o := range d.Outbox {
		out.rows = append(out.rows, []any{o.Key, o.ChatID, o.Kind, o.CampaignID, o.NotBefore, o.Status,
			o.CreatedAt, nullTime(o.SentAt)})
	}
	return []copySpec{regs, trains, books, loans, events, pays, camps, out}
}
