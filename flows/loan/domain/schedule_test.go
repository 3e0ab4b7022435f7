package domain_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows/loan/domain"
	"github.com/diskum-tangerang/umkmbot/store"
)

var start = time.Date(2026, 3, 15, 0, 0, 0, 0, domain.WIB)

// sums returns the total principal and interest of a schedule.
func sums(s []domain.Instalment) (principal, interest int64) {
	for _, in := range s {
		principal += in.Principal
		interest += in.Interest
	}
	return principal, interest
}

// TestScheduleWorkedExamples reproduces domain.md §5.3 to the rupiah.
//
// How the totals are compared: the schedule's total interest must equal the
// documented figure exactly. The documented figures are the exact (real
// number) total interest rounded to the rupiah, which is what Schedule's
// running rounding yields; it is not the rounded instalment times the
// number of instalments less P (for the annuity that would be
// 36 × 738.100 − 25.000.000 = 1.571.600, 13 rupiah more than the exact
// 1.571.586,51), because the last instalment absorbs the rounding of the
// others. Every instalment but the last must equal the documented monthly
// figure; the last is pinned too.
func TestScheduleWorkedExamples(t *testing.T) {
	tests := []struct {
		name          string
		terms         domain.Terms
		count         int
		first, middle int64 // Total of instalment 1 and of 2..count-1
		last          int64
		totalInterest int64
		firstDue      time.Time
	}{
		{"flat", domain.Terms{Principal: 25_000_000, TenorMonths: 36, RateBP: 400, Method: domain.MethodFlat, Start: start},
			36, 777_778, 777_778, 777_770, 3_000_000, start.AddDate(0, 1, 0)},
		{"annuity", domain.Terms{Principal: 25_000_000, TenorMonths: 36, RateBP: 400, Method: domain.MethodAnnuity, Start: start},
			36, 738_100, 738_100, 738_087, 1_571_587, start.AddDate(0, 1, 0)},
		{"KDMP annuity with 3 months' grace", domain.Terms{Principal: 100_000_000, TenorMonths: 36, GraceMonths: 3,
			RateBP: 500, Method: domain.MethodAnnuity, Start: start},
			33, 3_249_708, 3_249_708, 3_249_708, 7_240_364, start.AddDate(0, 4, 0)},
		// Grace under flat: three interest-only months of P·r/12, then 33
		// of P/33 + P·r/12; the interest is 36 × P·r/12.
		{"flat with 3 months' grace", domain.Terms{Principal: 100_000_000, TenorMonths: 36, GraceMonths: 3,
			RateBP: 500, Method: domain.MethodFlat, Start: start},
			36, 416_667, 0, 3_446_959, 15_000_000, start.AddDate(0, 1, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := domain.Schedule(tt.terms)
			if err != nil {
				t.Fatal(err)
			}
			if len(s) != tt.count {
				t.Fatalf("%d instalments, want %d", len(s), tt.count)
			}
			if s[0].Total != tt.first || s[len(s)-1].Total != tt.last {
				t.Errorf("first %d, last %d; want %d, %d", s[0].Total, s[len(s)-1].Total, tt.first, tt.last)
			}
			if tt.middle != 0 {
				for _, in := range s[1 : len(s)-1] {
					if in.Total != tt.middle {
						t.Errorf("instalment %d totals %d, want %d", in.N, in.Total, tt.middle)
					}
				}
			}
			p, i := sums(s)
			if p != tt.terms.Principal || i != tt.totalInterest {
				t.Errorf("principal %d, interest %d; want %d, %d", p, i, tt.terms.Principal, tt.totalInterest)
			}
			if !s[0].Due.Equal(tt.firstDue) {
				t.Errorf("first due %s, want %s", s[0].Due, tt.firstDue)
			}
		})
	}
}

func TestScheduleDeclining(t *testing.T) {
	s, err := domain.Schedule(domain.Terms{Principal: 25_000_000, TenorMonths: 36, RateBP: 400,
		Method: domain.MethodDeclining, Start: start})
	if err != nil {
		t.Fatal(err)
	}
	_, interest := sums(s)
	if len(s) != 36 || s[0].Total != 777_778 || s[35].Total != 696_759 || interest != 1_541_667 {
		t.Fatalf("%d instalments, first %d, last %d, interest %d; want 36, 777.778, 696.759, 1.541.667",
			len(s), s[0].Total, s[35].Total, interest)
	}
	// Each instalment is P/n plus a month's interest on the exact balance,
	// rounded: 694.444,44 + (25.000.000 − (k−1)·694.444,44)·0,04/12.
	for k, in := range s[:35] {
		exact := 25e6/36 + (25e6-float64(k)*25e6/36)*0.04/12
		if in.Total != int64(math.Floor(exact+0.5)) {
			t.Errorf("instalment %d totals %d, want %.2f rounded", in.N, in.Total, exact)
		}
		if in.Total >= s[k+1].Total+2316 || in.Total <= s[k+1].Total+2313 {
			t.Errorf("instalment %d (%d) does not fall by the interest on P/n (2.314,81) to %d",
				in.N, in.Total, s[k+1].Total)
		}
	}
}

func TestScheduleGraceDeclining(t *testing.T) {
	s, err := domain.Schedule(domain.Terms{Principal: 12_000_000, TenorMonths: 12, GraceMonths: 2, RateBP: 600,
		Method: domain.MethodDeclining, Start: start})
	if err != nil {
		t.Fatal(err)
	}
	// Two months of interest on the whole 12.000.000 at 0,5 %, then 10 of
	// 1.200.000 plus interest on the balance: 60.000, 54.000, ... 6.000.
	want := []int64{60_000, 60_000}
	for k := range 10 {
		want = append(want, 1_200_000+int64(10-k)*6_000)
	}
	for k, in := range s {
		if in.Total != want[k] {
			t.Errorf("instalment %d totals %d, want %d", in.N, in.Total, want[k])
		}
		if k < 2 && (in.Principal != 0 || in.Balance != 12_000_000) {
			t.Errorf("grace instalment %d: principal %d balance %d", in.N, in.Principal, in.Balance)
		}
	}
}

func TestScheduleDueDates(t *testing.T) {
	tests := []struct {
		start time.Time
		want  []string
	}{
		{time.Date(2026, 1, 31, 0, 0, 0, 0, domain.WIB), []string{"2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"}},
		{time.Date(2027, 11, 30, 14, 5, 0, 0, domain.WIB), []string{"2027-12-30", "2028-01-30", "2028-02-29", "2028-03-30"}},
		{time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), []string{"2026-07-01", "2026-08-01", "2026-09-01", "2026-10-01"}},
	}
	for _, tt := range tests {
		s, err := domain.Schedule(domain.Terms{Principal: 4_000_000, TenorMonths: 4, RateBP: 400,
			Method: domain.MethodFlat, Start: tt.start})
		if err != nil {
			t.Fatal(err)
		}
		for k, in := range s {
			if got := in.Due.Format(time.DateOnly); got != tt.want[k] || in.Due.Location() != tt.start.Location() ||
				in.Due.Hour() != 0 {
				t.Errorf("from %s: instalment %d due %s, want %s at midnight", tt.start, in.N, in.Due, tt.want[k])
			}
		}
	}
}

func TestScheduleRefusesBadTerms(t *testing.T) {
	good := domain.Terms{Principal: 1_000_000, TenorMonths: 12, RateBP: 400, Method: domain.MethodFlat, Start: start}
	tests := []struct {
		name string
		edit func(*domain.Terms)
	}{
		{"no principal", func(t *domain.Terms) { t.Principal = 0 }},
		{"negative principal", func(t *domain.Terms) { t.Principal = -5 }},
		{"principal too large", func(t *domain.Terms) { t.Principal = domain.MaxPrincipal + 1 }},
		{"no tenor", func(t *domain.Terms) { t.TenorMonths = 0 }},
		{"tenor too long", func(t *domain.Terms) { t.TenorMonths = domain.MaxTenorMonths + 1 }},
		{"grace as long as the tenor", func(t *domain.Terms) { t.GraceMonths = 12 }},
		{"negative grace", func(t *domain.Terms) { t.GraceMonths = -1 }},
		{"negative rate", func(t *domain.Terms) { t.RateBP = -1 }},
		{"rate over 100 %", func(t *domain.Terms) { t.RateBP = domain.MaxRateBP + 1 }},
		{"unknown method", func(t *domain.Terms) { t.Method = "balloon" }},
		{"no method", func(t *domain.Terms) { t.Method = "" }},
		{"no start", func(t *domain.Terms) { t.Start = time.Time{} }},
	}
	if _, err := domain.Schedule(good); err != nil {
		t.Fatalf("good terms refused: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			terms := good
			tt.edit(&terms)
			if _, err := domain.Schedule(terms); !errors.Is(err, domain.ErrTerms) {
				t.Errorf("Schedule(%+v) = %v, want ErrTerms", terms, err)
			}
		})
	}
}

// TestScheduleProperties checks random terms against the exact schedule
// computed in floating point.
func TestScheduleProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	methods := []string{domain.MethodFlat, domain.MethodDeclining, domain.MethodAnnuity}
	for range 600 {
		terms := domain.Terms{Principal: 1_000_000 + r.Int64N(500_000_000), TenorMonths: 1 + r.IntN(120),
			RateBP: r.IntN(2500), Method: methods[r.IntN(3)], Start: start}
		if r.IntN(3) == 0 {
			terms.GraceMonths = r.IntN(terms.TenorMonths)
		}
		s, err := domain.Schedule(terms)
		if err != nil {
			t.Fatalf("%+v: %v", terms, err)
		}
		exact := floatSchedule(terms)
		if len(s) != len(exact) {
			t.Fatalf("%+v: %d instalments, want %d", terms, len(s), len(exact))
		}
		var exactInterest float64
		balance := terms.Principal
		for k, in := range s {
			exactInterest += exact[k][1]
			balance -= in.Principal
			if in.N != k+1 || in.Principal < 0 || in.Interest < 0 || in.Total != in.Principal+in.Interest ||
				in.Balance != balance {
				t.Fatalf("%+v: instalment %+v inconsistent (balance %d)", terms, in, balance)
			}
			isGrace := exact[k][0] == 0
			if isGrace && in.Principal != 0 {
				t.Fatalf("%+v: grace instalment %d carries principal %d", terms, in.N, in.Principal)
			}
			if k < len(s)-1 && !isGrace && math.Abs(float64(in.Total)-(exact[k][0]+exact[k][1])) > 0.5+1e-6 {
				t.Fatalf("%+v: instalment %d totals %d, exact %.3f", terms, in.N, in.Total, exact[k][0]+exact[k][1])
			}
		}
		p, i := sums(s)
		if p != terms.Principal || s[len(s)-1].Balance != 0 {
			t.Fatalf("%+v: principal sums to %d", terms, p)
		}
		if math.Abs(float64(i)-exactInterest) > 0.5+1e-3 {
			t.Fatalf("%+v: interest %d, exact %.3f", terms, i, exactInterest)
		}
		if last, want := s[len(s)-1].Total, exact[len(s)-1][0]+exact[len(s)-1][1]; math.Abs(float64(last)-want) > float64(len(s)) {
			t.Fatalf("%+v: last instalment %d, exact %.3f", terms, last, want)
		}
	}
}

// floatSchedule is the exact schedule in float64: {principal, interest}
// per instalment.
func floatSchedule(t domain.Terms) [][2]float64 {
	p, i, g := float64(t.Principal), float64(t.RateBP)/120000, t.GraceMonths
	m := t.TenorMonths - g
	var rows [][2]float64
	if t.Method == domain.MethodAnnuity {
		a := p / float64(m)
		if i > 0 {
			a = p * i / (1 - math.Pow(1+i, -float64(m)))
		}
		for range m {
			rows = append(rows, [2]float64{a - p*i, p * i})
			p -= a - p*i
		}
		return rows
	}
	balance := p
	for k := range t.TenorMonths {
		interest := p * i
		if t.Method == domain.MethodDeclining {
			interest = balance * i
		}
		share := 0.0
		if k >= g {
			share = p / float64(m)
		}
		balance -= share
		rows = append(rows, [2]float64{share, interest})
	}
	return rows
}

func TestTermsOf(t *testing.T) {
	disbursed := time.Date(2026, 3, 14, 17, 0, 0, 0, time.UTC) // 15 March, 00:00 WIB
	tests := []struct {
		name string
		loan store.Loan
		want domain.Terms
	}{
		{"approved and disbursed", store.Loan{Requested: 30_000_000, Approved: 25_000_000, TenorMonths: 36, RateBP: 400,
			Method: "annuity", GraceMonths: 2, DisbursedAt: disbursed},
			domain.Terms{Principal: 25_000_000, TenorMonths: 36, GraceMonths: 2, RateBP: 400, Method: "annuity", Start: disbursed}},
		{"not yet approved", store.Loan{Requested: 30_000_000, TenorMonths: 12, RateBP: 400, Method: "flat"},
			domain.Terms{Principal: 30_000_000, TenorMonths: 12, RateBP: 400, Method: "flat"}},
	}
	for _, tt := range tests {
		got := domain.TermsOf(tt.loan)
		if got.Principal != tt.want.Principal || got.TenorMonths != tt.want.TenorMonths ||
			got.GraceMonths != tt.want.GraceMonths || got.RateBP != tt.want.RateBP || got.Method != tt.want.Method ||
			!got.Start.Equal(tt.want.Start) {
			t.Errorf("%s: TermsOf = %+v, want %+v", tt.name, got, tt.want)
		}
		if !got.Start.IsZero() && (got.Start.Location() != domain.WIB || got.Start.Day() != 15) {
			t.Errorf("%s: start %s is not 15 March in WIB", tt.name, got.Start)
		}
	}
}
