package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// The scratch database is seeded with plain SQL, row for row what the bot
// writes itself, so that the driver needs no store package: a finished
// registration (numbered from the year's counter, with its granted consent
// and the user the bot has seen), a training open for booking, a disbursed
// loan with a schedule.

// seedOwners stores a finished registration of each owner, as the bot
// stores one at "Simpan", in one transaction, and moves the year's counter
// past them so that the bot's own registrations number on.
func seedOwners(ctx context.Context, dbURL string, owners []*Owner) error {
	if len(owners) == 0 {
		return nil
	}
	return withTx(ctx, dbURL, func(tx pgx.Tx) error {
		var year, last int
		if err := tx.QueryRow(ctx, `
			INSERT INTO registration_counters AS c (year, last) VALUES (registration_year(now()), $1)
			ON CONFLICT (year) DO UPDATE SET last = c.last + $1
			RETURNING year, last`, len(owners)).Scan(&year, &last); err != nil {
			return fmt.Errorf("seed owners: counter: %w", err)
		}
		first := last - len(owners) + 1
		b := &pgx.Batch{}
		for i, o := range owners {
			w := o.Want
			var birth any
			if w.BirthDate != "" {
				birth = w.BirthDate
			}
			number := fmt.Sprintf("UMKM-3603-%d-%06d", year, first+i)
			b.Queue(`INSERT INTO registrations (number, user_id, owner_name, nik, birth_date, female, phone,
				business_name, business_key, sector, products, kecamatan, desa, address, year_started, workers,
				capital, turnover, turnover_monthly, class, class_basis, nib, halal, consent_version, consent_at,
				idempotency_key)
				VALUES ($1, $2, $3, $4, $5::date, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
				$20, $21, $22, $23, '1', now(), $24)`,
				number, o.ID, w.OwnerName, w.NIK, birth, w.Female, w.Phone, w.BusinessName,
				strings.Join(strings.Fields(strings.ToLower(w.BusinessName)), " "), w.Sector, w.Products,
				w.Kecamatan, w.Desa, w.Address, w.YearStarted, w.Workers, w.Capital, w.Turnover, w.TurnoverMonthly,
				w.Class, w.ClassBasis, w.NIB, w.Halal, fmt.Sprintf("umkmload-seed-%d", o.ID))
			b.Queue(`INSERT INTO consents (user_id, purpose, notice_version, granted) VALUES ($1, 'registration', '1', true)`, o.ID)
			b.Queue(`INSERT INTO users (telegram_id, lang, client_lang) VALUES ($1, '', 'id') ON CONFLICT DO NOTHING`, o.ID)
			b.Queue(`INSERT INTO audit_log (actor, action, object, detail) VALUES ($1, 'register', $2, $3)`,
				o.ID, "registration:"+number, fmt.Sprintf("sector=%s kecamatan=%s class=%s", w.Sector, w.Kecamatan, w.Class))
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("seed owners: %w", err)
		}
		return nil
	})
}

// seedTraining creates a training that opens in a month with more seats
// than any run books, and returns its id.
func seedTraining(ctx context.Context, dbURL string) (int64, error) {
	var id int64
	err := withTx(ctx, dbURL, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `
			INSERT INTO trainings (topic, title, description, start_at, end_at, place, capacity, deadline, import_key)
			VALUES ('keuangan', 'Pembukuan Sederhana untuk UMKM (uji beban)',
				'Mencatat kas harian dan menghitung laba usaha.',
				now() + interval '30 days', now() + interval '30 days 3 hours',
				'Aula Dinas Koperasi dan Usaha Mikro, Tigaraksa', 1000000, now() + interval '29 days', 'umkmload')
			RETURNING id`).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("seed training: %w", err)
	}
	return id, nil
}

// seededLoan is an owner's loan as the owner knows it: the application
// number on the UPDB's receipt and the NIK it was filed under.
type seededLoan struct {
	Number string
	NIK    string
}

// loanNumber is the application number of owner number n of a run:
// UPDB-<year>-<4 digits>, a new year every 9,999 owners.
func loanNumber(n int) string {
	return fmt.Sprintf("UPDB-%d-%04d", 2020+n/9999, 1+n%9999)
}

// seedLoans files a running loan for each owner under the owner's NIK
// (disbursed two months ago, so that it has a schedule and a payment
// made), not linked to any Telegram account: the owner links it the first
// time it asks.
func seedLoans(ctx context.Context, dbURL string, owners []*Owner, first int) (map[int64]seededLoan, error) {
	out := make(map[int64]seededLoan, len(owners))
	err := withTx(ctx, dbURL, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for i, o := range owners {
			l := seededLoan{Number: loanNumber(first + i), NIK: o.Want.NIK}
			out[o.ID] = l
			b.Queue(`WITH l AS (
				INSERT INTO loans (number, nik, applicant_name, business_name, requested, approved, tenor_months,
					rate_bp, method, disbursed_at, stage)
				VALUES ($1, $2, $3, $4, 10000000, 10000000, 12, 300, 'flat', now() - interval '61 days', 'BERJALAN')
				RETURNING id),
			e AS (INSERT INTO loan_events (loan_id, from_stage, to_stage, approved, at)
				SELECT id, 'DICAIRKAN', 'BERJALAN', 0, now() - interval '61 days' FROM l)
			INSERT INTO payments (loan_id, amount, paid_at, ref)
				SELECT id, 858334, now() - interval '30 days', 'umkmload-' || $1 FROM l`,
				l.Number, l.NIK, o.Want.OwnerName, o.Want.BusinessName)
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return nil, fmt.Errorf("seed loans: %w", err)
	}
	return out, nil
}

func withTx(ctx context.Context, dbURL string, f func(pgx.Tx) error) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return fmt.Errorf("connect to the run's database: %w", err)
	}
	defer conn.Close(ctx)
	return pgx.BeginFunc(ctx, conn, f)
}
