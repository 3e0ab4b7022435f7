package domain

import (
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Repayment methods (store.Loan.Method).
const (
	// MethodFlat: interest on the original principal every month,
	// angsuran = P/n + P·r/12.
	MethodFlat = "flat"
	// MethodDeclining ("menurun", LPDB style): equal principal, interest on
	// the balance still owed.
	MethodDeclining = "declining"
	// MethodAnnuity: equal instalments, A = P·i / (1 − (1+i)^−n), i = r/12.
	MethodAnnuity = "annuity"
)

// Limits on the terms Schedule accepts.
const (
	MaxPrincipal   = 1_000_000_000_000_000 // keeps every sum within int64
	MaxTenorMonths = 600
	MaxRateBP      = 10000 // 100 % a year
)

// ErrTerms: terms that no schedule can be computed from.
var ErrTerms = errors.New("invalid loan terms")

// WIB is the zone of due dates (Asia/Jakarta, UTC+7, no daylight saving).
var WIB = time.FixedZone("WIB", 7*60*60)

// Terms are what a schedule is computed from.
type Terms struct {
	Principal   int64 // whole rupiah
	TenorMonths int   // n, grace months included
	GraceMonths int   // g, the first months that carry no principal
	RateBP      int   // yearly rate, basis points (400 = 4 %)
	Method      string
	// Start is the disbursement date; instalment dates count from it.
	Start time.Time
}

// Instalment is one row of a schedule, in whole rupiah.
type Instalment struct {
	N         int       // 1, 2, ...
	Due       time.Time // midnight of the due day, in Start's location
	Principal int64
	Interest  int64
	Total     int64 // Principal + Interest
	Balance   int64 // principal still owed once this instalment is paid
}

// TermsOf returns a loan's terms: the approved amount (the requested one
// while none is approved), from the disbursement date in WIB (zero before
// DICAIRKAN; Schedule refuses it, so pass a projected start instead).
func TermsOf(l store.Loan) Terms {
	p := l.Approved
	if p <= 0 {
		p = l.Requested
	}
	t := Terms{Principal: p, TenorMonths: l.TenorMonths, GraceMonths: l.GraceMonths, RateBP: l.RateBP,
		Method: l.Method}
	if !l.DisbursedAt.IsZero() {
		t.Start = l.DisbursedAt.In(WIB)
	}
	return t
}

// Schedule computes the instalments of t.
//
// The exact schedule comes first, in exact fractions: under flat and
// declining there are n instalments, the first g interest only (flat:
// P·r/12 every month; declining: the balance times r/12) and the other n−g
// repaying P/(n−g) each; under annuity the g grace months carry no payment
// and accrue no interest (the KDMP example of domain.md assumes so, and the
// scheme's terms say repayment starts in month g+1), and n−g equal
// instalments A = P·i/(1−(1+i)^−(n−g)) follow. It is then rounded to whole
// rupiah, half up, so that:
//   - every instalment but the last totals the exact instalment rounded
//     (constant under flat and annuity);
//   - interest is rounded on the running total, so the interest of the
//     whole schedule is the exact total interest rounded; an interest-only
//     grace month rounds its own interest instead, so that those months
//     cost the same, and the first repayment month's interest makes up the
//     difference;
//   - principal is the rest of each instalment, the grace months' zero;
//   - the last instalment takes the remainder, so that the principal sums
//     to P exactly.
//
// Instalment N falls due N months after Start (N+g under annuity, whose
// first instalment comes in month g+1), on the same day of the month, or
// on the month's last day when it has fewer days.
func Schedule(t Terms) ([]Instalment, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	den, exact := exactSchedule(t)
	out := make([]Instalment, len(exact))
	var interestSoFar, paid int64
	firstMonth := 1
	if t.Method == MethodAnnuity {
		firstMonth = t.GraceMonths + 1
	}
	for k, row := range exact {
		last := k == len(exact)-1
		in := Instalment{N: k + 1, Due: addMonths(t.Start, firstMonth+k)}
		if row.grace && !last {
			in.Interest = roundHalfUp(row.interest, den) // the same every grace month
		} else {
			in.Interest = roundHalfUp(row.cumInterest, den) - interestSoFar
		}
		interestSoFar += in.Interest
		switch {
		case last:
			in.Principal = t.Principal - paid
		case !row.grace:
			in.Principal = roundHalfUp(row.total, den) - in.Interest
		}
		if in.Principal < 0 {
			return nil, fmt.Errorf("%w: %d rupiah over %d months at %d bp do not round to whole rupiah",
				ErrTerms, t.Principal, t.TenorMonths, t.RateBP)
		}
		paid += in.Principal
		in.Total = in.Principal + in.Interest
		in.Balance = t.Principal - paid
		out[k] = in
	}
	return out, nil
}

func (t Terms) check() error {
	var problem string
	switch {
	case t.Principal <= 0 || t.Principal > MaxPrincipal:
		problem = fmt.Sprintf("principal %d", t.Principal)
	case t.TenorMonths < 1 || t.TenorMonths > MaxTenorMonths:
		problem = fmt.Sprintf("tenor %d months (1 to %d)", t.TenorMonths, MaxTenorMonths)
	case t.GraceMonths < 0 || t.GraceMonths >= t.TenorMonths:
		problem = fmt.Sprintf("grace %d months of a %d-month tenor", t.GraceMonths, t.TenorMonths)
	case t.RateBP < 0 || t.RateBP > MaxRateBP:
		problem = fmt.Sprintf("rate %d bp (0 to %d)", t.RateBP, MaxRateBP)
	case t.Method != MethodFlat && t.Method != MethodDeclining && t.Method != MethodAnnuity:
		problem = fmt.Sprintf("method %q", t.Method)
	case t.Start.IsZero():
		problem = "no start date"
	default:
		return nil
	}
	return fmt.Errorf("%w: %s", ErrTerms, problem)
}

// exactRow is one instalment of the exact schedule, as numerators over
// the schedule's denominator.
type exactRow struct {
	grace bool // interest only
	// total is the instalment, interest its interest and cumInterest the
	// interest of the schedule up to and including it.
	total, interest, cumInterest *big.Int
}

// bpMonths is the denominator of a monthly rate in basis points a year.
const bpMonths = 12 * 10000

// exactSchedule returns the unrounded schedule of valid terms over one
// denominator, in integers: rationals would normalise (a GCD) at every
// step, which costs a hundred times more for the annuity's large numbers.
func exactSchedule(t Terms) (den *big.Int, rows []exactRow) {
	p, r, n := big.NewInt(t.Principal), big.NewInt(int64(t.RateBP)), big.NewInt(bpMonths)
	m := t.TenorMonths - t.GraceMonths // repayment months
	if t.Method == MethodAnnuity && t.RateBP > 0 {
		return annuitySchedule(p, r, n, m)
	}
	// Flat and declining (and an annuity without interest, which is
	// declining without grace) over m·N: the principal share P/m is P·N,
	// a month's interest on the balance B is B·m·R.
	mm := big.NewInt(int64(m))
	den = new(big.Int).Mul(mm, n)
	share := new(big.Int).Mul(p, n)
	flat := new(big.Int).Mul(p, mm)
	flat.Mul(flat, r)
	cum := new(big.Int)
	first := 0
	if t.Method == MethodAnnuity {
		first = t.GraceMonths // no payment at all during the grace
	}
	for k := first; k < t.TenorMonths; k++ {
		row := exactRow{grace: k < t.GraceMonths, interest: new(big.Int).Set(flat)}
		if t.Method != MethodFlat {
			// B·m = P·m before the first repayment, P·(m−j) before repayment j.
			left := int64(m)
			if !row.grace {
				left = int64(m - (k - t.GraceMonths))
			}
			row.interest.Mul(p, big.NewInt(left))
			row.interest.Mul(row.interest, r)
		}
		row.total = new(big.Int).Set(row.interest)
		if !row.grace {
			row.total.Add(row.total, share)
		}
		cum.Add(cum, row.interest)
		row.cumInterest = new(big.Int).Set(cum)
		rows = append(rows, row)
	}
	return den, rows
}

// annuitySchedule is the exact annuity of P at R basis points a year over
// m months, with N = 120000 and g = 1 + R/N. With G_k = (N+R)^k, N_k = N^k
// and E = G_m − N_m over the denominator N·E:
//
//	A = P·R·G_m / (N·E)
//	interest up to month k = k·A − (P − B_k) = (k·P·R·G_m − P·N·(G_k·N_(m−k) − N_m)) / (N·E)
//
// where B_k = P·(G_m − G_k·N_(m−k))/E is the balance after month k.
func annuitySchedule(p, r, n *big.Int, m int) (den *big.Int, rows []exactRow) {
	g, nPow := powers(new(big.Int).Add(n, r), m), powers(n, m)
	e := new(big.Int).Sub(g[m], nPow[m])
	den = new(big.Int).Mul(n, e)
	total := new(big.Int).Mul(p, r)
	total.Mul(total, g[m])
	pn := new(big.Int).Mul(p, n)
	prev := new(big.Int)
	rows = make([]exactRow, m)
	for k := 1; k <= m; k++ {
		repaid := new(big.Int).Mul(g[k], nPow[m-k])
		repaid.Sub(repaid, nPow[m])
		repaid.Mul(repaid, pn)
		cum := new(big.Int).Mul(big.NewInt(int64(k)), total)
		cum.Sub(cum, repaid)
		rows[k-1] = exactRow{total: total, interest: new(big.Int).Sub(cum, prev), cumInterest: cum}
		prev = cum
	}
	return den, rows
}

// powers returns x^0 … x^m.
func powers(x *big.Int, m int) []*big.Int {
	out := make([]*big.Int, m+1)
	out[0] = big.NewInt(1)
	for k := 1; k <= m; k++ {
		out[k] = new(big.Int).Mul(out[k-1], x)
	}
	return out
}

// roundHalfUp rounds num/den (both non-negative, den positive) to the
// nearest integer, halves up.
func roundHalfUp(num, den *big.Int) int64 {
	q := new(big.Int).Lsh(num, 1) // (2·num + den) div (2·den)
	q.Add(q, den)
	return q.Div(q, new(big.Int).Lsh(den, 1)).Int64()
}

// addMonths returns midnight of the day months after start's date, in
// start's location, clamped to the end of a shorter month.
func addMonths(start time.Time, months int) time.Time {
	y, m, d := start.Date()
	first := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, start.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}
