package domain_test

import (
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows/loan/domain"
	"github.com/diskum-tangerang/umkmbot/store"
)

// TestStatus runs payments against a 12-month declining schedule of
// 12.000.000 at 6 % from 15 March 2026: instalments 1.060.000,
// 1.055.000, 1.050.000, ... (1.000.000 principal plus interest on the
// balance), due on the 15th of April, May, June, ...
func TestStatus(t *testing.T) {
	s, err := domain.Schedule(domain.Terms{Principal: 12_000_000, TenorMonths: 12, RateBP: 600,
		Method: domain.MethodDeclining, Start: start})
	if err != nil {
		t.Fatal(err)
	}
	if s[0].Total != 1_060_000 || s[1].Total != 1_055_000 || s[11].Total != 1_005_000 {
		t.Fatalf("unexpected schedule %+v", s)
	}
	const total = 12_000_000 + 390_000 // interest 60.000 + 55.000 + ... + 5.000
	day := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, domain.WIB) }
	pay := func(amounts ...int64) []store.Payment {
		var ps []store.Payment
		for _, a := range amounts {
			ps = append(ps, store.Payment{Amount: a, PaidAt: day(3, 20, 9)})
		}
		return ps
	}
	tests := []struct {
		name     string
		payments []store.Payment
		now      time.Time
		want     domain.Standing
	}{
		{"nothing due yet", nil, day(4, 1, 9), domain.Standing{Outstanding: total, Balance: 12_000_000,
			NextDue: day(4, 15, 0), NextAmount: 1_060_000}},
		{"due today is not overdue", nil, day(4, 15, 23), domain.Standing{Outstanding: total, Balance: 12_000_000,
			NextDue: day(4, 15, 0), NextAmount: 1_060_000}},
		{"the day after, it is", nil, day(4, 16, 0), domain.Standing{Outstanding: total, Balance: 12_000_000,
			ArrearsCount: 1, ArrearsAmount: 1_060_000, NextDue: day(5, 15, 0), NextAmount: 1_055_000}},
		{"two overdue, one paid in part", pay(1_000_000), day(6, 1, 8), domain.Standing{PaidTotal: 1_000_000,
			Outstanding: total - 1_000_000, Balance: 12_000_000 - 940_000,
			ArrearsCount: 2, ArrearsAmount: 60_000 + 1_055_000, NextDue: day(6, 15, 0), NextAmount: 1_050_000}},
		{"paid up, partly ahead", pay(1_060_000, 1_055_000, 500_000), day(6, 1, 8), domain.Standing{
			PaidTotal: 2_615_000, PaidInstalments: 2, Outstanding: total - 2_615_000,
			Balance: 12_000_000 - 2_000_000 - (500_000 - 50_000), NextDue: day(6, 15, 0), NextAmount: 550_000}},
		{"paid off and more", pay(total, 10), day(6, 1, 8), domain.Standing{PaidTotal: total + 10,
			PaidInstalments: 12, Overpaid: 10}},
		{"all past due, nothing paid", nil, time.Date(2027, 6, 1, 0, 0, 0, 0, domain.WIB), domain.Standing{
			Outstanding: total, Balance: 12_000_000, ArrearsCount: 12, ArrearsAmount: total}},
		{"a negative amount counts as nothing", pay(-5_000_000), day(4, 1, 9), domain.Standing{
			Outstanding: total, Balance: 12_000_000, NextDue: day(4, 15, 0), NextAmount: 1_060_000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := domain.Status(s, tt.payments, tt.now)
			if !got.NextDue.Equal(tt.want.NextDue) {
				t.Errorf("NextDue %s, want %s", got.NextDue, tt.want.NextDue)
			}
			got.NextDue, tt.want.NextDue = time.Time{}, time.Time{}
			if got != tt.want {
				t.Errorf("Status =\n %+v, want\n %+v", got, tt.want)
			}
			if got.Settled() != (tt.want.Outstanding == 0) {
				t.Errorf("Settled() = %t", got.Settled())
			}
		})
	}
}
