package training

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
)

// wib is Western Indonesia Time (UTC+7, no daylight saving): staff type
// times in WIB and owners read them in WIB.
var wib = time.FixedZone("WIB", 7*60*60)

// maxAhead is how far ahead a training may be planned; a date beyond it is
// almost always a typing slip ("2072").
const maxAhead = 2 * 365 * 24 * time.Hour

// maxLength is the longest a training may last.
const maxLength = 7 * 24 * time.Hour

var (
	bulan  = [...]string{"", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}
	months = [...]string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	hari   = [...]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}
	days   = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

// monthWords are the month names and short forms people type, Indonesian
// and English.
var monthWords = map[string]time.Month{
	"januari": 1, "jan": 1, "january": 1,
	"februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
	"maret": 3, "mar": 3, "march": 3,
	"april": 4, "apr": 4,
	"mei": 5, "may": 5,
	"juni": 6, "jun": 6, "june": 6,
	"juli": 7, "jul": 7, "july": 7,
	"agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
	"september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "okt": 10, "oct": 10, "october": 10,
	"november": 11, "nov": 11, "nop": 11, "nopember": 11,
	"desember": 12, "des": 12, "dec": 12, "december": 12,
}

// weekdayWords are the day names people type.
var weekdayWords = map[string]time.Weekday{
	"minggu": time.Sunday, "ahad": time.Sunday, "sunday": time.Sunday,
	"senin": time.Monday, "monday": time.Monday,
	"selasa": time.Tuesday, "tuesday": time.Tuesday,
	"rabu": time.Wednesday, "wednesday": time.Wednesday,
	"kamis": time.Thursday, "thursday": time.Thursday,
	"jumat": time.Friday, "friday": time.Friday,
	"sabtu": time.Saturday, "saturday": time.Saturday,
}

// fillers are words around a date that carry nothing: "hari Kamis",
// "tanggal 14", "pukul 09.00 WIB".
var fillers = map[string]bool{"hari": true, "tanggal": true, "tgl": true, "pada": true, "wib": true, "mulai": true,
	"on": true, "at": true, "the": true}

// hourWords announce the hour that follows: "jam 9", "pukul 13.30".
var hourWords = map[string]bool{"jam": true, "pukul": true, "pkl": true}

var (
	numDateRE  = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$`)
	shortDate  = regexp.MustCompile(`^(\d{1,2})[/-](\d{1,2})$`)
	clockRE    = regexp.MustCompile(`^(\d{1,2})[.:](\d{2})$`)
	ampmRE     = regexp.MustCompile(`^(\d{1,2})(?:[.:](\d{2}))?(am|pm)$`)
	numberRE   = regexp.MustCompile(`^\d{1,4}$`)
	durationRE = regexp.MustCompile(`^(\d{1,3}(?:[.,]\d{1,2})?) ?(?:jam|j|hours?|h)(?: ?(\d{1,2}) ?(?:menit|mnt|m|minutes?))?$`)
	minutesRE  = regexp.MustCompile(`^(\d{1,3}) ?(?:menit|mnt|minutes?)$`)
)

// when is what a typed date and time said, before it is placed on the
// calendar.
type when struct {
	hasDate          bool
	day, month, year int // year 0: not typed
	rel              int // days from today ("besok" = 1); -1 when not said
	weekday          int // -1 when not said
	hasTime          bool
	hour, minute     int
	// period is a part of the day said without a time ("besok pagi") or
	// before it ("pagi jam 9"); "am" and "pm" too.
	period string
	// nextWeek: "senin depan", "next Monday": never today.
	nextWeek bool
}

// periodHours is the time a part of the day said without one means:
// "besok pagi" is 09.00.
var periodHours = map[string]int{"pagi": 9, "siang": 13, "sore": 15, "petang": 16, "malam": 19, "am": 9, "pm": 13}

// tokens splits typed text into lower-case words: commas and spaces
// separate, apostrophes go ("Jum'at"), and a dot ending a word is dropped
// ("pkl.", "Jan.").
func tokens(s string) []string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("'", "", "’", "", ",", " ", "(", " ", ")", " ").Replace(s)
	var out []string
	for _, f := range strings.Fields(s) {
		f = strings.TrimSuffix(f, ".")
		if w, ok := strings.CutSuffix(f, "wib"); ok && w != "" && clockRE.MatchString(w) {
			f = w
		}
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// readWhen reads the parts of a date and time, in any order Indonesians
// write them: "14 Jan 2027 09.00", "14/01/2027 9:00", "14-1-2027 jam 9",
// "besok jam 9", "lusa 13.30", "Kamis 14 Januari 2027 pukul 09.00",
// "jam 2 siang".
func readWhen(s string) (when, error) {
	w := when{rel: -1, weekday: -1}
	toks := tokens(s)
	if len(toks) == 0 {
		return w, flows.Invalid("train_date_format")
	}
	expectHour := false
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		next := ""
		if i+1 < len(toks) {
			next = toks[i+1]
		}
		switch {
		case t == "hari" && next == "ini":
			w.rel = 0
			i++
		case t == "besok" || t == "besuk" || t == "tomorrow":
			w.rel = max(w.rel, 1)
		case t == "lusa":
			w.rel = 2
		case t == "today":
			w.rel = 0
		case t == "depan" && i > 0 && isWeekday(toks[i-1]):
			w.nextWeek = true
		case t == "next" && isWeekday(next):
			w.nextWeek = true
		case ampmRE.MatchString(t):
			m := ampmRE.FindStringSubmatch(t)
			if err := w.setTime(atoi(m[1]), atoi(m[2]), t); err != nil {
				return w, err
			}
			if err := w.setAmPm(m[3], t); err != nil {
				return w, err
			}
		case hourWords[t]:
			expectHour = true
			continue
		case fillers[t]:
		case isWeekday(t):
			w.weekday = int(weekdayWords[t])
		case numDateRE.MatchString(t):
			m := numDateRE.FindStringSubmatch(t)
			if w.hasDate {
				return w, flows.Invalid("train_date_format")
			}
			w.hasDate, w.day, w.month, w.year = true, atoi(m[1]), atoi(m[2]), fullYear(m[3])
		case shortDate.MatchString(t) && !expectHour:
			m := shortDate.FindStringSubmatch(t)
			if w.hasDate {
				return w, flows.Invalid("train_date_format")
			}
			w.hasDate, w.day, w.month = true, atoi(m[1]), atoi(m[2])
		case clockRE.MatchString(t):
			m := clockRE.FindStringSubmatch(t)
			if err := w.setTime(atoi(m[1]), atoi(m[2]), t); err != nil {
				return w, err
			}
		case numberRE.MatchString(t) && (expectHour || isPeriod(next) || next == "am" || next == "pm"):
			if err := w.setTime(atoi(t), 0, t); err != nil {
				return w, err
			}
		case numberRE.MatchString(t) && isMonth(next) && !w.hasDate:
			w.hasDate, w.day, w.month = true, atoi(t), int(monthWords[next])
			i++
			if i+1 < len(toks) && numberRE.MatchString(toks[i+1]) && (len(toks[i+1]) == 4 || len(toks[i+1]) == 2) &&
				!(i+2 < len(toks) && isPeriod(toks[i+2])) {
				w.year = fullYear(toks[i+1])
				i++
			}
		case (t == "am" || t == "pm") && w.hasTime:
			if err := w.setAmPm(t, t); err != nil {
				return w, err
			}
		case isPeriod(t) && w.hasTime:
			w.hour = withPeriod(w.hour, t)
		case isPeriod(t) && w.period == "":
			w.period = t
		default:
			return w, flows.Invalid("train_date_format")
		}
		expectHour = false
	}
	if expectHour {
		return w, flows.Invalid("train_date_format")
	}
	if w.period != "" {
		if w.hasTime {
			w.hour = withPeriod(w.hour, w.period)
		} else {
			w.hasTime, w.hour = true, periodHours[w.period]
		}
	}
	return w, nil
}

// setAmPm applies "am" or "pm" to the time read: "9am" is 09.00, "1pm"
// 13.00, "12am" midnight.
func (w *when) setAmPm(ap, typed string) error {
	if w.hour < 1 || w.hour > 12 {
		return flows.Invalid("train_time_invalid", "Time", typed)
	}
	switch {
	case ap == "am" && w.hour == 12:
		w.hour = 0
	case ap == "pm" && w.hour < 12:
		w.hour += 12
	}
	return nil
}

func (w *when) setTime(h, m int, typed string) error {
	if w.hasTime {
		return flows.Invalid("train_date_format")
	}
	if h > 23 || m > 59 {
		return flows.Invalid("train_time_invalid", "Time", typed)
	}
	w.hasTime, w.hour, w.minute = true, h, m
	return nil
}

func isWeekday(s string) bool { _, ok := weekdayWords[s]; return ok }
func isMonth(s string) bool   { _, ok := monthWords[s]; return ok }

func isPeriod(s string) bool {
	return s == "pagi" || s == "siang" || s == "sore" || s == "petang" || s == "malam"
}

// withPeriod turns "jam 2 siang" into 14 and "jam 7 malam" into 19; a
// 24-hour time is left as it is.
func withPeriod(h int, period string) int {
	switch period {
	case "siang":
		if h >= 1 && h <= 10 {
			return h + 12
		}
	case "sore", "petang":
		if h >= 1 && h < 12 {
			return h + 12
		}
	case "malam":
		if h >= 6 && h < 12 {
			return h + 12
		}
		if h == 12 {
			return 0
		}
	}
	return h
}

// fullYear reads "27" as 2027 and "2027" as itself.
func fullYear(s string) int {
	y := atoi(s)
	if len(s) == 2 {
		y += 2000
	}
	return y
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// place puts w on the calendar relative to now: a typed date, or today
// plus rel days, or the nearest given weekday. A date typed without a year
// is the next such date. The time of day is w's, or def when w has none
// and def is not nil.
func (w when) place(now time.Time, def *[2]int) (time.Time, error) {
	today := now.In(wib)
	h, m := w.hour, w.minute
	if !w.hasTime {
		if def == nil {
			return time.Time{}, flows.Invalid("train_date_no_time")
		}
		h, m = def[0], def[1]
	}
	var y, mo, d int
	switch {
	case w.hasDate:
		if w.month < 1 || w.month > 12 {
			return time.Time{}, flows.Invalid("train_date_month", "Month", w.month)
		}
		y, mo, d = w.year, w.month, w.day
		if y == 0 {
			y = today.Year()
			if d <= daysIn(mo, y) && time.Date(y, time.Month(mo), d, h, m, 0, 0, wib).Before(now) {
				y++
			}
		}
		if last := daysIn(mo, y); d < 1 || d > last {
			return time.Time{}, flows.Invalid("train_date_impossible", "Day", d, "Month", bulan[mo],
				"MonthEN", months[mo], "Year", y, "Max", last)
		}
	case w.rel >= 0:
		t := today.AddDate(0, 0, w.rel)
		y, mo, d = t.Year(), int(t.Month()), t.Day()
	case w.weekday >= 0:
		ahead := (w.weekday - int(today.Weekday()) + 7) % 7
		t := today.AddDate(0, 0, ahead)
		if ahead == 0 && (w.nextWeek || !time.Date(t.Year(), t.Month(), t.Day(), h, m, 0, 0, wib).After(now)) {
			t = t.AddDate(0, 0, 7)
		}
		y, mo, d = t.Year(), int(t.Month()), t.Day()
	default:
		return time.Time{}, flows.Invalid("train_date_no_date")
	}
	t := time.Date(y, time.Month(mo), d, h, m, 0, 0, wib)
	if w.weekday >= 0 && int(t.Weekday()) != w.weekday {
		return time.Time{}, flows.Invalid("train_date_weekday", "Date", flows.Date(t),
			"Typed", hari[w.weekday], "TypedEN", days[w.weekday])
	}
	return t.UTC(), nil
}

// daysIn is the number of days of month m of year y.
func daysIn(m, y int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// ParseDateTime reads a date and time of day typed the way Indonesians
// write them ("14 Jan 2027 09.00", "14/01/2027 9:00", "14-1-2027 jam 9",
// "besok jam 9", "lusa 13.30", "Kamis 14 Januari 2027 pukul 09.00"), in
// WIB, relative to now for "besok", weekdays and dates without a year. It
// returns the moment in UTC. Impossible dates ("31 Februari"), a day name
// that does not match the date, and a missing time are each a
// *flows.UserError with their own message; whether the moment is in the
// past is for the caller to judge.
func ParseDateTime(s string, now time.Time) (time.Time, error) {
	w, err := readWhen(s)
	if err != nil {
		return time.Time{}, err
	}
	return w.place(now, nil)
}

// parseDeadline reads a registration deadline: a date alone means 23.59
// WIB of that day.
func parseDeadline(s string, now time.Time) (time.Time, error) {
	w, err := readWhen(s)
	if err != nil {
		return time.Time{}, err
	}
	return w.place(now, &[2]int{23, 59})
}

// endWords may come before an end time: "sampai 12.00", "s.d. 12.00",
// "selesai jam 12".
var endWords = []string{"sampai dengan", "sampai", "hingga", "s.d.", "s.d", "s/d", "sd", "selesai", "until", "to", "-", "–"}

// parseEnd reads when a training starting at start ends: a time of day
// ("12.00", "sampai 12.00", "jam 3 sore", the same day), a duration ("3
// jam", "2,5 jam", "1 jam 30 menit", "90 menit"), or a full date and time
// (a training over several days). It must be after start and at most
// maxLength later.
func parseEnd(s string, start time.Time) (time.Time, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, w := range endWords {
		if rest, ok := strings.CutPrefix(s, w); ok && (rest == "" || rest[0] == ' ' || !isLetter(w[len(w)-1])) {
			s = strings.TrimSpace(rest)
			break
		}
	}
	if d, ok := parseDuration(s); ok {
		if d <= 0 || d > maxLength {
			return time.Time{}, flows.Invalid("train_end_long")
		}
		return start.Add(d), nil
	}
	w, err := readWhen(s)
	if err != nil {
		if msgID(err) == "train_time_invalid" {
			return time.Time{}, err
		}
		return time.Time{}, flows.Invalid("train_end_format")
	}
	if !w.hasTime {
		return time.Time{}, flows.Invalid("train_end_format")
	}
	var end time.Time
	if !w.hasDate && w.rel < 0 && w.weekday < 0 {
		st := start.In(wib)
		end = time.Date(st.Year(), st.Month(), st.Day(), w.hour, w.minute, 0, 0, wib).UTC()
	} else if end, err = w.place(start, nil); err != nil {
		return time.Time{}, err
	}
	switch {
	case !end.After(start):
		return time.Time{}, flows.Invalid("train_end_before", "Start", flows.DateTime(start))
	case end.Sub(start) > maxLength:
		return time.Time{}, flows.Invalid("train_end_long")
	}
	return end, nil
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' }

// parseDuration reads "3 jam", "2,5 jam", "1 jam 30 menit" or "90 menit".
func parseDuration(s string) (time.Duration, bool) {
	s = strings.Join(strings.Fields(s), " ")
	if m := durationRE.FindStringSubmatch(s); m != nil {
		hours, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", "."), 64)
		if err != nil {
			return 0, false
		}
		d := time.Duration(hours * float64(time.Hour)).Round(time.Minute)
		if m[2] != "" {
			d += time.Duration(atoi(m[2])) * time.Minute
		}
		return d, true
	}
	if m := minutesRE.FindStringSubmatch(s); m != nil {
		return time.Duration(atoi(m[1])) * time.Minute, true
	}
	return 0, false
}

// checkStart refuses a start that has passed or is implausibly far off.
func checkStart(start, now time.Time) error {
	switch {
	case !start.After(now):
		return flows.Invalid("train_date_past", "When", flows.DateTime(start))
	case start.Sub(now) > maxAhead:
		return flows.Invalid("train_date_far", "When", flows.DateTime(start))
	}
	return nil
}

// checkDeadline refuses a deadline that has passed or is not before the
// start.
func checkDeadline(deadline, start, now time.Time) error {
	switch {
	case !deadline.Before(start):
		return flows.Invalid("train_deadline_after", "Deadline", flows.DateTime(deadline), "Start", flows.DateTime(start))
	case !deadline.After(now):
		return flows.Invalid("train_deadline_past", "Deadline", flows.DateTime(deadline))
	}
	return nil
}

// defaultEnd is three hours after start.
func defaultEnd(start time.Time) time.Time { return start.Add(3 * time.Hour) }

// defaultDeadline is 23.59 WIB of the day before start, or start itself
// when that moment has passed already.
func defaultDeadline(start, now time.Time) time.Time {
	s := start.In(wib)
	d := time.Date(s.Year(), s.Month(), s.Day()-1, 23, 59, 0, 0, wib).UTC()
	if !d.After(now) {
		return start
	}
	return d
}
