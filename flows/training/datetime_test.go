package training

import (
	"errors"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
)

// now is the flowstest clock: Friday 27 November 2026, 09.00 WIB.
var now = time.Date(2026, 11, 27, 9, 0, 0, 0, wib)

func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, wib).UTC()
}

func TestParseDateTime(t *testing.T) {
	jan14 := at(2027, 1, 14, 9, 0)
	cases := []struct {
		in   string
		want time.Time
	}{
		{"14 Jan 2027 09.00", jan14},
		{"14/01/2027 9:00", jan14},
		{"14-1-2027 jam 9", jan14},
		{"Kamis 14 Januari 2027 pukul 09.00", jan14},
		{"Kamis, 14 Januari 2027, pukul 09.00 WIB", jan14},
		{"kamis 14 januari 2027 pkl. 09.00", jan14},
		{"14.01.2027 09.00", jan14},
		{"14/1/27 09:00", jan14},
		{"14 Jan 2027 09.00WIB", jan14},
		{"tanggal 14 Jan 2027 jam 09.00", jan14},
		{"14 jan 9 pagi", jan14},
		{"14 Jan 27 jam 9", jan14},
		{"besok jam 9", at(2026, 11, 28, 9, 0)},
		{"Besok, jam 2 siang", at(2026, 11, 28, 14, 0)},
		{"lusa 13.30", at(2026, 11, 29, 13, 30)},
		{"hari ini 15.00", at(2026, 11, 27, 15, 0)},
		{"jumat jam 2 siang", at(2026, 11, 27, 14, 0)},
		{"Jum'at jam 8", at(2026, 12, 4, 8, 0)},
		{"senin 10.00", at(2026, 11, 30, 10, 0)},
		{"3 Des 2026 jam 7 malam", at(2026, 12, 3, 19, 0)},
		{"3 Desember jam 4 sore", at(2026, 12, 3, 16, 0)},
		{"1 Nov 09.00", at(2027, 11, 1, 9, 0)},
		{"29 Feb 2028 10.00", at(2028, 2, 29, 10, 0)},
		{"29/02/2028 10.00", at(2028, 2, 29, 10, 0)},
		{"14/1 jam 9", jan14},
		{"14 January 2027 09:00", jan14},
		{"besok pagi", at(2026, 11, 28, 9, 0)},
		{"besok sore", at(2026, 11, 28, 15, 0)},
		{"lusa jam 13", at(2026, 11, 29, 13, 0)},
		{"senin depan jam 9", at(2026, 11, 30, 9, 0)},
		{"Jumat depan jam 9", at(2026, 12, 4, 9, 0)},
		{"pagi jam 8 besok", at(2026, 11, 28, 8, 0)},
		{"tomorrow 9am", at(2026, 11, 28, 9, 0)},
		{"tomorrow at 2 pm", at(2026, 11, 28, 14, 0)},
		{"next Monday 9:00", at(2026, 11, 30, 9, 0)},
		{"next Friday at 9.30am", at(2026, 12, 4, 9, 30)},
		{"today 12pm", at(2026, 11, 27, 12, 0)},
	}
	for _, tc := range cases {
		got, err := ParseDateTime(tc.in, now)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("ParseDateTime(%q) = %v, %v; want %v", tc.in, got.In(wib), err, tc.want.In(wib))
		}
	}
}

func TestParseDateTimeErrors(t *testing.T) {
	cases := []struct{ in, want string }{
		{"31 Februari 2027 09.00", "train_date_impossible"},
		{"29 Feb 2027 10.00", "train_date_impossible"},
		{"31/04/2027 10.00", "train_date_impossible"},
		{"0 Jan 2027 10.00", "train_date_impossible"},
		{"14/13/2027 9:00", "train_date_month"},
		{"Jumat 14 Januari 2027 09.00", "train_date_weekday"},
		{"besok Kamis jam 9", "train_date_weekday"},
		{"14 Jan 2027", "train_date_no_time"},
		{"besok", "train_date_no_time"},
		{"jam 9", "train_date_no_date"},
		{"14 Jan 2027 25.00", "train_time_invalid"},
		{"14 Jan 2027 jam 24", "train_time_invalid"},
		{"14 Jan 2027 09.75", "train_time_invalid"},
		{"kapan-kapan", "train_date_format"},
		{"", "train_date_format"},
		{"14 Jan 2027 09.00 10.00", "train_date_format"},
		{"14 Jan 2027 jam", "train_date_format"},
		{"14 Jan 2027 9", "train_date_format"},
	}
	for _, tc := range cases {
		_, err := ParseDateTime(tc.in, now)
		if got := msgID(err); got != tc.want {
			t.Errorf("ParseDateTime(%q): error %v, want %s", tc.in, err, tc.want)
		}
	}
}

func TestImpossibleDateData(t *testing.T) {
	_, err := ParseDateTime("31 Februari 2027 09.00", now)
	ue := userError(t, err)
	for k, want := range map[string]any{"Day": 31, "Month": "Februari", "MonthEN": "February", "Year": 2027, "Max": 28} {
		if ue.Msg.Data[k] != want {
			t.Errorf("%s = %v, want %v", k, ue.Msg.Data[k], want)
		}
	}
}

func TestParseEnd(t *testing.T) {
	start := at(2027, 1, 14, 9, 0)
	cases := []struct {
		in   string
		want time.Time
	}{
		{"12.00", at(2027, 1, 14, 12, 0)},
		{"sampai 12.00", at(2027, 1, 14, 12, 0)},
		{"sampai dengan 12.00", at(2027, 1, 14, 12, 0)},
		{"s.d. 12.00", at(2027, 1, 14, 12, 0)},
		{"s/d 12:30", at(2027, 1, 14, 12, 30)},
		{"selesai jam 3 sore", at(2027, 1, 14, 15, 0)},
		{"3 jam", at(2027, 1, 14, 12, 0)},
		{"2,5 jam", at(2027, 1, 14, 11, 30)},
		{"1 jam 30 menit", at(2027, 1, 14, 10, 30)},
		{"90 menit", at(2027, 1, 14, 10, 30)},
		{"15 Jan 2027 12.00", at(2027, 1, 15, 12, 0)},
	}
	for _, tc := range cases {
		got, err := parseEnd(tc.in, start)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("parseEnd(%q) = %v, %v; want %v", tc.in, got.In(wib), err, tc.want.In(wib))
		}
	}
	bad := []struct{ in, want string }{
		{"08.00", "train_end_before"},
		{"09.00", "train_end_before"},
		{"30 Jan 2027 12.00", "train_end_long"},
		{"200 jam", "train_end_long"},
		{"0 menit", "train_end_long"},
		{"nanti saja", "train_end_format"},
		{"14 Jan 2027", "train_end_format"},
		{"sampai 25.00", "train_time_invalid"},
	}
	for _, tc := range bad {
		_, err := parseEnd(tc.in, start)
		if got := msgID(err); got != tc.want {
			t.Errorf("parseEnd(%q): error %v, want %s", tc.in, err, tc.want)
		}
	}
}

func TestDeadlines(t *testing.T) {
	start := at(2027, 1, 14, 9, 0)
	cases := []struct {
		in   string
		want time.Time
	}{
		{"12 Jan 2027", at(2027, 1, 12, 23, 59)},
		{"12/01/2027 17.00", at(2027, 1, 12, 17, 0)},
		{"lusa", at(2026, 11, 29, 23, 59)},
	}
	for _, tc := range cases {
		got, err := parseDeadline(tc.in, now)
		if err != nil || !got.Equal(tc.want) || checkDeadline(got, start, now.UTC()) != nil {
			t.Errorf("parseDeadline(%q) = %v, %v; want %v", tc.in, got.In(wib), err, tc.want.In(wib))
		}
	}
	if got := msgID(checkDeadline(start, start, now)); got != "train_deadline_after" {
		t.Errorf("deadline at the start: %s", got)
	}
	if got := msgID(checkDeadline(now.Add(-time.Minute), start, now)); got != "train_deadline_past" {
		t.Errorf("deadline in the past: %s", got)
	}
	if got := defaultDeadline(start, now); !got.Equal(at(2027, 1, 13, 23, 59)) {
		t.Errorf("default deadline %v", got.In(wib))
	}
	// A training tomorrow morning, created after 23.59 of today has passed,
	// closes its bookings at the start.
	late := time.Date(2026, 11, 27, 23, 59, 30, 0, wib)
	if got := defaultDeadline(at(2026, 11, 28, 9, 0), late); !got.Equal(at(2026, 11, 28, 9, 0)) {
		t.Errorf("default deadline after midnight's eve %v", got.In(wib))
	}
}

func TestCheckStart(t *testing.T) {
	cases := []struct {
		start time.Time
		want  string
	}{
		{now.Add(time.Minute), ""},
		{now, "train_date_past"},
		{now.Add(-24 * time.Hour), "train_date_past"},
		{now.AddDate(3, 0, 0), "train_date_far"},
	}
	for _, tc := range cases {
		if got := msgID(checkStart(tc.start, now)); got != tc.want {
			t.Errorf("checkStart(%v) = %q, want %q", tc.start, got, tc.want)
		}
	}
}

func TestParseCapacity(t *testing.T) {
	cases := []struct {
		in   string
		want int
		ok   bool
	}{
		{"30", 30, true}, {"0", 0, true}, {"25 orang", 25, true}, {"kuota 40 peserta", 40, true},
		{"1.000", 1000, true}, {"-5", 0, false}, {"tiga puluh", 0, false}, {"", 0, false},
		{"10001", 0, false}, {"30 40", 0, false},
	}
	for _, tc := range cases {
		got, ok := parseCapacity(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseCapacity(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func userError(t *testing.T, err error) *flows.UserError {
	t.Helper()
	var ue *flows.UserError
	if !errors.As(err, &ue) {
		t.Fatalf("error %v is not a *flows.UserError", err)
	}
	return ue
}
