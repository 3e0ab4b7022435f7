package loan_test

import (
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows/loan"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"UPDB-2026-0042", "UPDB-2026-0042", true},
		{"updb 2026 42", "UPDB-2026-0042", true},
		{"Updb/2026/42", "UPDB-2026-0042", true},
		{"UPDB.2026.0042", "UPDB-2026-0042", true},
		{"  updb-2026-42 ", "UPDB-2026-0042", true},
		{"2026-42", "UPDB-2026-0042", true},
		{"UPDB20260042", "UPDB-2026-0042", true},
		{"no. UPDB 2026 0042", "UPDB-2026-0042", true},
		{"nomor: updb 2026 1234", "UPDB-2026-1234", true},
		{"UPDB-2026-12345", "", false},
		{"UPDB-2026-0000", "", false},
		{"UPDB-1999-0042", "", false},
		{"UPDB-26-42", "", false},
		{"UPDB 2026", "", false},
		{"KUR-2026-0042", "", false},
		{"updb 2026 42 43", "", false},
		{"", "", false},
		{"halo", "", false},
	}
	for _, tc := range tests {
		got, ok := loan.ParseNumber(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseNumber(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseDate(t *testing.T) {
	wib := time.FixedZone("WIB", 7*60*60)
	today := time.Date(2026, 12, 16, 10, 0, 0, 0, wib)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, wib) }
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"hari ini", day(2026, 12, 16), true},
		{"Kemarin", day(2026, 12, 15), true},
		{"12/01/2027", day(2027, 1, 12), true},
		{"12-1-27", day(2027, 1, 12), true},
		{"1/12/2026", day(2026, 12, 1), true},
		{"12 Januari 2027", day(2027, 1, 12), true},
		{"12 jan 27", day(2027, 1, 12), true},
		{"3 agustus 2026", day(2026, 8, 3), true},
		{"2026-11-15", day(2026, 11, 15), true},
		{"31/02/2026", time.Time{}, false},
		{"13/13/2026", time.Time{}, false},
		{"0/1/2026", time.Time{}, false},
		{"12/01", time.Time{}, false},
		{"12/01/202", time.Time{}, false},
		{"besok lusa", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tc := range tests {
		got, ok := loan.ParseDate(tc.in, today)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
