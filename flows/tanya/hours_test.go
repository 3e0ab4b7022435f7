package tanya

import (
	"testing"
	"time"
)

func TestHours(t *testing.T) {
	h := DefaultHours()
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, wib)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		now  string
		open bool
		next string
	}{
		{"2026-11-27 09:00", true, "2026-11-27 09:00"},  // Friday
		{"2026-11-27 07:59", false, "2026-11-27 08:00"}, // before opening
		{"2026-11-27 16:00", false, "2026-11-30 08:00"}, // Friday after closing: Monday
		{"2026-11-28 10:00", false, "2026-11-30 08:00"}, // Saturday
		{"2026-12-24 16:30", false, "2026-12-28 08:00"}, // Christmas, then the weekend
		{"2026-08-17 10:00", false, "2026-08-18 08:00"}, // Independence Day, a Monday
	}
	for _, tt := range tests {
		now := at(tt.now)
		if got := h.Open(now); got != tt.open {
			t.Errorf("Open(%s) = %t", tt.now, got)
		}
		if got := h.Next(now); !got.Equal(at(tt.next)) {
			t.Errorf("Next(%s) = %s, want %s", tt.now, got.In(wib).Format("2006-01-02 15:04"), tt.next)
		}
	}
}

func TestParseHolidays(t *testing.T) {
	got, err := ParseHolidays("# komentar\n\n2026-08-17 Hari Kemerdekaan\n")
	if err != nil || len(got) != 1 || got["2026-08-17"] != "Hari Kemerdekaan" {
		t.Fatalf("ParseHolidays = %v, %v", got, err)
	}
	if _, err := ParseHolidays("17-08-2026 Hari Kemerdekaan\n"); err == nil {
		t.Error("a day in the wrong format was accepted")
	}
	if len(DefaultHours().Holidays) < 10 {
		t.Error("libur.txt holds fewer than 10 holidays")
	}
}

func TestMatchFAQ(t *testing.T) {
	labels := fakeLabels{
		"tanya_faq_cair_kw":      "cair, pencairan, dana, kapan, dana bergulir",
		"tanya_faq_pelatihan_kw": "pelatihan, ikut, syarat",
		"tanya_faq_nib_kw":       "nib, cara, membuat",
		"tanya_faq_halal_kw":     "halal, sertifikat halal",
		"tanya_faq_data_kw":      "data, ubah",
	}
	tests := map[string]string{
		"Kapan dana saya cair?":                 "cair",
		"syarat ikut pelatihan ekspor apa saja": "pelatihan",
		"cara membuat NIB":                      "nib",
		"Sertifikat halal gimana?":              "halal",
		"apakah ada bazar bulan depan":          "",
		"dana":                                  "", // one word is not enough
		"pencairannya kapan":                    "", // whole words only
	}
	for q, want := range tests {
		if got := matchFAQ(labels, "id", q); got != want {
			t.Errorf("matchFAQ(%q) = %q, want %q", q, got, want)
		}
	}
}
