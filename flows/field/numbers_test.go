package field

import "testing"

func TestParseNIB(t *testing.T) {
	tests := []struct {
		in, want string
		code     string
		data     map[string]any
	}{
		{in: "1234567890123", want: "1234567890123"},
		{in: "12.3456.7890.123", want: "1234567890123"},
		{in: "1234 5678 90123", want: "1234567890123"},
		{in: " 1234-5678-90123 ", want: "1234567890123"},
		{in: "", code: CodeNIBLength, data: map[string]any{"Count": 0}},
		{in: "123", code: CodeNIBLength, data: map[string]any{"Count": 3}},
		{in: "12345678901234", code: CodeNIBLength, data: map[string]any{"Count": 14}},
		{in: "NIB 1234567890123", code: CodeNIBChars},
		{in: "12345abc", code: CodeNIBChars},
	}
	for _, tt := range tests {
		got, err := ParseNIB(tt.in)
		if tt.code != "" {
			t.Run(tt.in, func(t *testing.T) { checkErr(t, err, tt.code, tt.data) })
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseNIB(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestParseYear(t *testing.T) {
	rng := map[string]any{"Min": 1950, "Max": 2026}
	tests := []struct {
		in   string
		want int
		code string
		data map[string]any
	}{
		{in: "2015", want: 2015},
		{in: " 2015. ", want: 2015},
		{in: "tahun 2015", want: 2015},
		{in: "Thn. 2010", want: 2010},
		{in: "sejak tahun 2015", want: 2015},
		{in: "1950", want: 1950},
		{in: "2026", want: 2026},
		{in: "tahun lalu", want: 2025},
		{in: "Tahun lalu pak", want: 2025},
		{in: "3 tahun lalu", want: 2023},
		{in: "sejak 5 tahun yang lalu", want: 2021},
		{in: "10 thn yg lalu", want: 2016},
		{in: "3tahun lalu", want: 2023},
		{in: "tahun ini", want: 2026},
		{in: "setahun lalu", want: 2025},
		{in: "last year", want: 2025},
		{in: "3 years ago", want: 2023},
		{in: "since 2015", want: 2015},
		{in: "90 tahun lalu", code: CodeYearRange, data: rng},
		{in: "lalu", code: CodeYearFormat},
		{in: "banyak tahun lalu", code: CodeYearFormat},
		{in: "1949", code: CodeYearRange, data: rng},
		{in: "2027", code: CodeYearRange, data: rng},
		{in: "0000", code: CodeYearRange, data: rng},
		{in: "", code: CodeYearFormat},
		{in: "15", code: CodeYearFormat},
		{in: "'98", code: CodeYearFormat},
		{in: "abc", code: CodeYearFormat},
		{in: "2.015", code: CodeYearFormat},
		{in: "20155", code: CodeYearFormat},
		{in: "-2010", code: CodeYearFormat},
		{in: "2015 2016", code: CodeYearFormat},
		{in: "tahun", code: CodeYearFormat},
	}
	for _, tt := range tests {
		got, err := ParseYear(tt.in, now)
		if tt.code != "" {
			t.Run(tt.in, func(t *testing.T) { checkErr(t, err, tt.code, tt.data) })
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseYear(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestParseCount(t *testing.T) {
	rng := map[string]any{"Min": 1, "Max": MaxWorkers}
	tests := []struct {
		in   string
		want int
		code string
		data map[string]any
	}{
		{in: "5", want: 5},
		{in: "5 orang", want: 5},
		{in: "alone", want: 1},
		{in: "Just me", want: 1},
		{in: "myself", want: 1},
		{in: "3 people", want: 3},
		{in: "about 4 workers including me", want: 4},
		{in: "5 employees", want: 5},
		{in: "5org", want: 5},
		{in: "5orang.", want: 5},
		{in: "5 org", want: 5},
		{in: "12 pekerja", want: 12},
		{in: "ada 3 karyawan termasuk saya", want: 3},
		{in: "3 orang dengan saya", want: 3},
		{in: "1", want: 1},
		{in: "sendiri", want: 1},
		{in: "Saya sendiri.", want: 1},
		{in: "hanya saya", want: 1},
		{in: "1.000", want: 1000},
		{in: "1.000 orang", want: 1000},
		{in: "007", want: 7},
		{in: "100000", want: MaxWorkers},
		{in: "0", code: CodeCountRange, data: rng},
		{in: "-3", code: CodeCountRange, data: rng},
		{in: "100001", code: CodeCountRange, data: rng},
		{in: "1.000.000", code: CodeCountRange, data: rng},
		{in: "99999999999999999999", code: CodeCountRange, data: rng},
		{in: "", code: CodeCountFormat},
		{in: "abc", code: CodeCountFormat},
		{in: "banyak", code: CodeCountFormat},
		{in: "lima", code: CodeCountFormat},
		{in: "1,5", code: CodeCountFormat},
		{in: "5 atau 6", code: CodeCountFormat},
		{in: "10 20", code: CodeCountFormat},
		{in: "1000.000", code: CodeCountFormat},
		{in: "orang", code: CodeCountFormat},
	}
	for _, tt := range tests {
		got, err := ParseCount(tt.in)
		if tt.code != "" {
			t.Run(tt.in, func(t *testing.T) { checkErr(t, err, tt.code, tt.data) })
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseCount(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}
