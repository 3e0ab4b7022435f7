package tanya

import (
	"bufio"
	_ "embed"
	"fmt"
	"strings"
	"time"
)

// wib is Western Indonesia Time, the Dinas's office clock.
var wib = time.FixedZone("WIB", 7*60*60)

// Office hours: Monday to Friday, 08.00 to 16.00 WIB, except national
// holidays.
const (
	openHour  = 8
	closeHour = 16
)

//go:embed libur.txt
var holidayFile string

// Hours is the Dinas's service time: working days and hours, and the
// national holidays on which nobody answers.
type Hours struct {
	// Holidays maps a day ("2026-08-17") to its name.
	Holidays map[string]string
}

// DefaultHours returns the office hours with the holidays of libur.txt.
func DefaultHours() Hours {
	h, err := ParseHolidays(holidayFile)
	if err != nil {
		panic(err) // libur.txt is checked by the package's tests
	}
	return Hours{Holidays: h}
}

// ParseHolidays reads a holiday list: one "YYYY-MM-DD name" a line; blank
// lines and lines starting with # are skipped.
func ParseHolidays(data string) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		day, name, _ := strings.Cut(line, " ")
		if _, err := time.ParseInLocation(time.DateOnly, day, wib); err != nil {
			return nil, fmt.Errorf("holidays line %d: %q is not a date (YYYY-MM-DD)", n, day)
		}
		out[day] = strings.TrimSpace(name)
	}
	return out, sc.Err()
}

// workingDay says whether day (in WIB) is a working day.
func (h Hours) workingDay(day time.Time) bool {
	if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, holiday := h.Holidays[day.Format(time.DateOnly)]
	return !holiday
}

// Open says whether staff are at work at t.
func (h Hours) Open(t time.Time) bool {
	t = t.In(wib)
	return h.workingDay(t) && t.Hour() >= openHour && t.Hour() < closeHour
}

// Next returns t when staff are at work then, else the start of the next
// working period.
func (h Hours) Next(t time.Time) time.Time {
	if h.Open(t) {
		return t
	}
	t = t.In(wib)
	day := time.Date(t.Year(), t.Month(), t.Day(), openHour, 0, 0, 0, wib)
	if !t.Before(day) {
		day = day.AddDate(0, 0, 1)
	}
	for range 366 {
		if h.workingDay(day) {
			return day
		}
		day = day.AddDate(0, 0, 1)
	}
	return day
}

// dayStart returns the midnight (WIB) that starts t's day: the day's bound
// on new questions counts from it.
func dayStart(t time.Time) time.Time {
	t = t.In(wib)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, wib)
}
