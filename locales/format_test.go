package locales

import (
	"math"
	"testing"
	"time"
)

func TestRupiah(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "Rp0"},
		{5, "Rp5"},
		{999, "Rp999"},
		{1000, "Rp1.000"},
		{50000, "Rp50.000"},
		{1500000, "Rp1.500.000"},
		{-1500, "-Rp1.500"},
		{1000000000000, "Rp1.000.000.000.000"},
		{math.MaxInt64, "Rp9.223.372.036.854.775.807"},
		{math.MinInt64, "-Rp9.223.372.036.854.775.808"},
	}
	for _, tc := range tests {
		if got := Rupiah(tc.n); got != tc.want {
			t.Errorf("Rupiah(%d) = %q, want %q", tc.n, got, tc.want)
		}
		for _, lang := range Languages {
			if got := FormatMoney(lang, tc.n); got != tc.want {
				t.Errorf("FormatMoney(%s, %d) = %q, want %q", lang, tc.n, got, tc.want)
			}
		}
	}
}

func TestDatesAndTimes(t *testing.T) {
	tests := []struct {
		name                  string
		at                    time.Time
		tanggal, pukul, both  string
		dateEN, clockEN, enDT string
	}{
		{
			name:    "12 Jul 2022 09.30 WIB",
			at:      time.Date(2022, 7, 12, 9, 30, 0, 0, WIB),
			tanggal: "Selasa, 12 Juli 2022", pukul: "pukul 09.30 WIB",
			both:   "Selasa, 12 Juli 2022 pukul 09.30 WIB",
			dateEN: "Tuesday, 12 July 2022", clockEN: "09.30 WIB",
			enDT: "Tuesday, 12 July 2022 at 09.30 WIB",
		},
		{
			name:    "UTC evening is the next WIB day",
			at:      time.Date(2022, 7, 12, 17, 5, 0, 0, time.UTC),
			tanggal: "Rabu, 13 Juli 2022", pukul: "pukul 00.05 WIB",
			both:   "Rabu, 13 Juli 2022 pukul 00.05 WIB",
			dateEN: "Wednesday, 13 July 2022", clockEN: "00.05 WIB",
			enDT: "Wednesday, 13 July 2022 at 00.05 WIB",
		},
		{
			name:    "Kamis 14 Januari 2027 09.00",
			at:      time.Date(2027, 1, 14, 2, 0, 0, 0, time.UTC),
			tanggal: "Kamis, 14 Januari 2027", pukul: "pukul 09.00 WIB",
			both:   "Kamis, 14 Januari 2027 pukul 09.00 WIB",
			dateEN: "Thursday, 14 January 2027", clockEN: "09.00 WIB",
			enDT: "Thursday, 14 January 2027 at 09.00 WIB",
		},
		{
			name:    "Jumat, end of year, 23.59",
			at:      time.Date(2027, 12, 31, 16, 59, 0, 0, time.UTC),
			tanggal: "Jumat, 31 Desember 2027", pukul: "pukul 23.59 WIB",
			both:   "Jumat, 31 Desember 2027 pukul 23.59 WIB",
			dateEN: "Friday, 31 December 2027", clockEN: "23.59 WIB",
			enDT: "Friday, 31 December 2027 at 23.59 WIB",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checks := []struct{ got, want string }{
				{Tanggal(tc.at), tc.tanggal},
				{Pukul(tc.at), tc.pukul},
				{TanggalPukul(tc.at), tc.both},
				{FormatDate("id", tc.at), tc.tanggal},
				{FormatClock("id-ID", tc.at), tc.pukul},
				{FormatDateTime("", tc.at), tc.both},
				{FormatDate("en", tc.at), tc.dateEN},
				{FormatClock("en-US", tc.at), tc.clockEN},
				{FormatDateTime("en-GB", tc.at), tc.enDT},
			}
			for i, c := range checks {
				if c.got != c.want {
					t.Errorf("check %d: got %q, want %q", i, c.got, c.want)
				}
			}
		})
	}
}

func TestWIB(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, WIB)
	name, offset := at.Zone()
	if offset != 7*60*60 || name != "WIB" {
		t.Errorf("WIB zone = %s %d, want WIB +25200", name, offset)
	}
}
