package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/diskum-tangerang/umkmbot/store"
)

// LoanStages implements store.StatsStore.
func (db *DB) LoanStages(ctx context.Context) ([]store.LoanStageFigures, error) {
	rows, _ := db.pool.Query(ctx, `SELECT stage, count(*),
			coalesce(sum(CASE WHEN approved > 0 THEN approved ELSE requested END), 0)::bigint
		FROM loans GROUP BY stage ORDER BY stage`)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.LoanStageFigures, error) {
		var f store.LoanStageFigures
		err := row.Scan(&f.Stage, &f.Loans, &f.Amount)
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("loan stages: %w", err)
	}
	return list, nil
}

// StageDurations implements store.StatsStore: each stage change starts a
// stay that the loan's next change ends (or now, for the current stage).
func (db *DB) StageDurations(ctx context.Context, now time.Time) ([]store.StageDuration, error) {
	rows, _ := db.pool.Query(ctx, `SELECT to_stage, count(DISTINCT loan_id), count(*), avg(d), max(d) FROM (
			SELECT loan_id, to_stage, extract(epoch FROM coalesce(lead(at) OVER w, $1) - at) / 86400 AS d
			FROM loan_events WINDOW w AS (PARTITION BY loan_id ORDER BY id)
		) s GROUP BY to_stage ORDER BY to_stage`, now)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.StageDuration, error) {
		var f store.StageDuration
		err := row.Scan(&f.Stage, &f.Loans, &f.Stays, &f.AvgDays, &f.MaxDays)
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("stage durations: %w", err)
	}
	return list, nil
}

// LoanTotals implements store.StatsStore.
func (db *DB) LoanTotals(ctx context.Context) (store.LoanTotals, error) {
	var t store.LoanTotals
	err := db.pool.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM loans WHERE disbursed_at IS NOT NULL),
			(SELECT coalesce(sum(approved), 0)::bigint FROM loans WHERE disbursed_at IS NOT NULL),
			(SELECT coalesce(sum(amount), 0)::bigint FROM payments)`).Scan(&t.Disbursed, &t.Lent, &t.Repaid)
	if err != nil {
		return t, fmt.Errorf("loan totals: %w", err)
	}
	return t, nil
}

// LoansInStage implements store.StatsStore.
func (db *DB) LoansInStage(ctx context.Context, stage string) ([]store.LoanPayments, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+loanColumns+` FROM loans l WHERE l.stage = $1 ORDER BY l.id`, stage)
	loans, err := pgx.CollectRows(rows, scanLoan)
	if err != nil {
		return nil, fmt.Errorf("loans in %s: %w", stage, err)
	}
	list := make([]store.LoanPayments, len(loans))
	at := map[int64]int{}
	for i, l := range loans {
		list[i].Loan = l
		at[l.ID] = i
	}
	rows, _ = db.pool.Query(ctx, `SELECT p.id, p.loan_id, p.amount, p.paid_at, p.actor, coalesce(p.ref, '')
		FROM payments p JOIN loans l ON l.id = p.loan_id WHERE l.stage = $1 ORDER BY p.paid_at, p.id`, stage)
	var p store.Payment
	_, err = pgx.ForEachRow(rows, []any{&p.ID, &p.LoanID, &p.Amount, &p.PaidAt, &p.Actor, &p.Ref}, func() error {
		if i, ok := at[p.LoanID]; ok {
			list[i].Payments = append(list[i].Payments, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("payments of loans in %s: %w", stage, err)
	}
	return list, nil
}

// CampaignFigures implements store.StatsStore: the campaigns, then their
// outbox rows counted by status in one pass over outbox_campaign.
func (db *DB) CampaignFigures(ctx context.Context, limit int) ([]store.CampaignFigures, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+campaignColumns+` FROM campaigns
		ORDER BY created_at DESC, id DESC LIMIT $1`, max(limit, 1))
	camps, err := pgx.CollectRows(rows, scanCampaign)
	if err != nil {
		return nil, fmt.Errorf("campaign figures: %w", err)
	}
	list := make([]store.CampaignFigures, len(camps))
	at := map[int64]int{}
	ids := make([]int64, len(camps))
	for i, c := range camps {
		list[i].Campaign, ids[i], at[c.ID] = c, c.ID, i
	}
	// Counts by an index-only scan of outbox_campaign; the first and last
	// delivery by two probes of outbox_campaign_sent per campaign.
	rows, _ = db.pool.Query(ctx, `SELECT campaign_id, status, count(*) FROM outbox
		WHERE campaign_id = ANY($1) GROUP BY 1, 2`, ids)
	var id int64
	var status string
	var n int
	_, err = pgx.ForEachRow(rows, []any{&id, &status, &n}, func() error {
		f := &list[at[id]]
		f.Total += n
		switch status {
		case store.OutboxSent:
			f.Sent += n
		case store.OutboxBlocked:
			f.Blocked += n
		case store.OutboxFailed:
			f.Failed += n
		case store.OutboxCancelled:
			f.Cancelled += n
		default:
			f.Pending += n
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("campaign delivery: %w", err)
	}
	rows, _ = db.pool.Query(ctx, `SELECT c.id,
			(SELECT min(sent_at) FROM outbox o WHERE o.campaign_id = c.id AND o.sent_at IS NOT NULL),
			(SELECT max(sent_at) FROM outbox o WHERE o.campaign_id = c.id AND o.sent_at IS NOT NULL)
		FROM unnest($1::bigint[]) AS c(id)`, ids)
	var first, last *time.Time
	_, err = pgx.ForEachRow(rows, []any{&id, &first, &last}, func() error {
		f := &list[at[id]]
		if first != nil {
			f.FirstSent, f.LastSent = *first, *last
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("campaign delivery: %w", err)
	}
	return list, nil
}
