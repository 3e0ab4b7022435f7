package locales

import (
	"strconv"
	"time"
	_ "time/tzdata" // Asia/Jakarta must load in minimal containers too.
)

// WIB is Asia/Jakarta (UTC+07:00, no daylight saving), the time zone of
// Kabupaten Tangerang. Times are stored in UTC and shown in WIB.
var WIB = loadWIB()

func loadWIB() *time.Location {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		return time.FixedZone("WIB", 7*60*60)
	}
	return loc
}

var (
	hari   = [...]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}
	bulan  = [...]string{"", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}
	days   = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	months = [...]string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// digits2 writes n (0–59) with two digits.
func digits2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// FormatNumber writes a count in lang with its thousands grouped:
// "100.000" in Indonesian, "100,000" in English.
func FormatNumber(lang string, n int64) string {
	sep := byte('.')
	if NormalizeLang(lang) == "en" {
		sep = ','
	}
	return group(n, sep)
}

// group writes n with sep between groups of three digits.
func group(n int64, sep byte) string {
	u := uint64(n)
	sign := ""
	if n < 0 {
		u = ^u + 1 // two's complement; also right for math.MinInt64
		sign = "-"
	}
	return sign + groupDigits(u, sep)
}

// groupDigits writes u with sep between groups of three digits.
func groupDigits(u uint64, sep byte) string {
	s := strconv.FormatUint(u, 10)
	b := make([]byte, 0, len(s)+len(s)/3)
	for i := 0; i < len(s); i++ {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, sep)
		}
		b = append(b, s[i])
	}
	return string(b)
}

// Rupiah writes n the PUEBI way: "Rp1.500.000", "-Rp1.500", "Rp0".
func Rupiah(n int64) string {
	u := uint64(n)
	sign := ""
	if n < 0 {
		u = ^u + 1 // two's complement; also right for math.MinInt64
		sign = "-"
	}
	return sign + "Rp" + groupDigits(u, '.')
}

// Tanggal writes the WIB calendar day of t: "Selasa, 12 Juli 2022".
func Tanggal(t time.Time) string {
	t = t.In(WIB)
	return hari[t.Weekday()] + ", " + strconv.Itoa(t.Day()) + " " + bulan[t.Month()] + " " + strconv.Itoa(t.Year())
}

// Pukul writes the WIB time of day of t: "pukul 09.30 WIB".
func Pukul(t time.Time) string {
	return "pukul " + clock(t)
}

// TanggalPukul writes t in WIB: "Kamis, 14 Januari 2027 pukul 09.00 WIB".
func TanggalPukul(t time.Time) string {
	return Tanggal(t) + " " + Pukul(t)
}

// clock writes "09.30 WIB": PUEBI separates hours and minutes with a dot.
func clock(t time.Time) string {
	t = t.In(WIB)
	return digits2(t.Hour()) + "." + digits2(t.Minute()) + " WIB"
}

// dateEN writes "Tuesday, 12 July 2022" in WIB.
func dateEN(t time.Time) string {
	t = t.In(WIB)
	return days[t.Weekday()] + ", " + strconv.Itoa(t.Day()) + " " + months[t.Month()] + " " + strconv.Itoa(t.Year())
}

// FormatMoney writes n in lang; both languages use "Rp1.500.000".
func FormatMoney(lang string, n int64) string {
	return Rupiah(n)
}

// FormatDate writes the WIB day of t in lang: "Selasa, 12 Juli 2022" or
// "Tuesday, 12 July 2022".
func FormatDate(lang string, t time.Time) string {
	if NormalizeLang(lang) == "en" {
		return dateEN(t)
	}
	return Tanggal(t)
}

// FormatClock writes the WIB time of t in lang: "pukul 09.30 WIB" or
// "09.30 WIB" (English templates say "at" or "until" themselves).
func FormatClock(lang string, t time.Time) string {
	if NormalizeLang(lang) == "en" {
		return clock(t)
	}
	return Pukul(t)
}

// FormatDateTime writes t in WIB in lang: "Selasa, 12 Juli 2022 pukul
// 09.30 WIB" or "Tuesday, 12 July 2022 at 09.30 WIB".
func FormatDateTime(lang string, t time.Time) string {
	if NormalizeLang(lang) == "en" {
		return dateEN(t) + " at " + clock(t)
	}
	return Tanggal(t) + " " + Pukul(t)
}
