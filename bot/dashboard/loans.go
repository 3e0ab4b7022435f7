package dashboard

import (
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows/loan/domain"
	"github.com/diskum-tangerang/umkmbot/store"
)

// arrear is one loan in arrears (stage MENUNGGAK) on the Pinjaman page.
type arrear struct {
	Number, Applicant, Business string
	DaysOverdue                 int
	Instalments                 int
	Amount                      int64
}

// durationRow is the time loans spend in a stage.
type durationRow struct {
	Stage, Name string
	Stays       int
	AvgDays     float64
	MaxDays     float64
}

// loanData is the Pinjaman page; Ringkasan shows part of it.
type loanData struct {
	Stages []stageRow
	Funnel chart
	Totals store.LoanTotals
	// Outstanding is the money lent and not yet come back: disbursed
	// amounts less every payment, never below zero.
	Outstanding   int64
	Arrears       []arrear
	ArrearsAmount int64
	Durations     []durationRow
}

// loanFigures computes the loan figures; durations only when full.
// Arrears are worked out from each MENUNGGAK loan's schedule and payments
// (flows/loan/domain, the rules the bot tells owners by).
func (s *Server) loanFigures(r *http.Request, full bool) (loanData, error) {
	var d loanData
	ctx, now := r.Context(), s.cfg.Now()
	var figs []store.LoanStageFigures
	var late []store.LoanPayments
	var durs []store.StageDuration
	err := together(
		func() (err error) { figs, err = s.cfg.Stats.LoanStages(ctx); return err },
		func() (err error) { d.Totals, err = s.cfg.Stats.LoanTotals(ctx); return err },
		func() (err error) { late, err = s.cfg.Stats.LoansInStage(ctx, domain.Menunggak); return err },
		func() (err error) {
			if full {
				durs, err = s.cfg.Stats.StageDurations(ctx, now)
			}
			return err
		},
	)
	if err != nil {
		return d, err
	}
	d.Stages = s.stageRows(figs)
	d.Outstanding = max(d.Totals.Lent-d.Totals.Repaid, 0)
	for _, l := range late {
		a := arrear{Number: l.Number, Applicant: l.ApplicantName, Business: l.BusinessName}
		if !l.DisbursedAt.IsZero() {
			if sched, err := s.schedules.of(domain.TermsOf(l.Loan)); err == nil {
				st := domain.Status(sched, l.Payments, now)
				a.Instalments, a.Amount = st.ArrearsCount, st.ArrearsAmount
				a.DaysOverdue = daysOverdue(sched, st.PaidTotal, now)
			}
		}
		d.ArrearsAmount += a.Amount
		d.Arrears = append(d.Arrears, a)
	}
	slices.SortStableFunc(d.Arrears, func(a, b arrear) int { return b.DaysOverdue - a.DaysOverdue })
	if !full {
		return d, nil
	}
	labels, values := []string{}, []int{}
	for _, st := range domain.Order {
		n := 0
		for _, f := range durs {
			if f.Stage == st {
				n = f.Loans
			}
		}
		labels, values = append(labels, s.stageName(st)), append(values, n)
	}
	d.Funnel = hbars("Pinjaman yang pernah mencapai tahap ini", labels, values, 0, num)
	for _, st := range domain.Stages() {
		for _, f := range durs {
			if f.Stage == st && !domain.Terminal(st) {
				d.Durations = append(d.Durations, durationRow{Stage: st, Name: s.stageName(st), Stays: f.Stays,
					AvgDays: f.AvgDays, MaxDays: f.MaxDays})
			}
		}
	}
	return d, nil
}

// daysOverdue counts the days since the first instalment that paid does
// not cover fell due, 0 when none is past due.
func daysOverdue(sched []domain.Instalment, paid int64, now time.Time) int {
	for _, in := range sched {
		if paid >= in.Total {
			paid -= in.Total
			continue
		}
		if !now.Before(in.Due.AddDate(0, 0, 1)) {
			return int(now.Sub(in.Due) / (24 * time.Hour))
		}
		return 0
	}
	return 0
}

// loans is the Pinjaman page.
func (s *Server) loans(w http.ResponseWriter, r *http.Request, staff int64) {
	if err := s.audit(r, staff, "dashboard.view", "pinjaman"); err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.loanFigures(r, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "loans", page{Title: "Pinjaman", Active: "pinjaman", Data: d})
}

// scheduleCache keeps the schedules computed for the arrears list, by
// terms: a loan's terms rarely change, and its schedule (exact fractions)
// costs tens of microseconds to compute.
type scheduleCache struct {
	mu sync.Mutex
	m  map[scheduleKey][]domain.Instalment
}

// scheduleKey is domain.Terms with the start as an instant.
type scheduleKey struct {
	principal          int64
	tenor, grace, rate int
	method             string
	start              int64
}

// maxSchedules bounds the cache; past it, it starts afresh.
const maxSchedules = 50_000

func (c *scheduleCache) of(t domain.Terms) ([]domain.Instalment, error) {
	k := scheduleKey{t.Principal, t.TenorMonths, t.GraceMonths, t.RateBP, t.Method, t.Start.UnixNano()}
	c.mu.Lock()
	sched, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return sched, nil
	}
	sched, err := domain.Schedule(t)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxSchedules {
		c.m = map[scheduleKey][]domain.Instalment{}
	}
	c.m[k] = sched
	c.mu.Unlock()
	return sched, nil
}
