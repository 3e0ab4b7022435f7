package field

import "testing"

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in       string
		want     int64
		perMonth bool
	}{
		{"Rp 50.000.000", 50_000_000, false},
		{"Rp1.500.000", 1_500_000, false},
		{"Rp. 1.500.000", 1_500_000, false},
		{"rp1500000", 1_500_000, false},
		{"1500000", 1_500_000, false},
		{"1 500 000", 1_500_000, false},
		{"1.500", 1_500, false},
		{"1,500,000", 1_500_000, false},
		{"Rp2.950.000,00", 2_950_000, false},
		{"50.000.000,-", 50_000_000, false},
		{"Rp 50.000,-", 50_000, false},
		{"50 juta", 50_000_000, false},
		{"50 JUTA", 50_000_000, false},
		{"50jt", 50_000_000, false},
		{"50jt.", 50_000_000, false},
		{"50 jutaan", 50_000_000, false},
		{"1,5 M", 1_500_000_000, false},
		{"1,5M", 1_500_000_000, false},
		{"1.5 miliar", 1_500_000_000, false},
		{"2 milyar", 2_000_000_000, false},
		{"1,5 jt", 1_500_000, false},
		{"1.5jt", 1_500_000, false},
		{"1,25 juta", 1_250_000, false},
		{"1.500 juta", 1_500_000_000, false},
		{"500rb", 500_000, false},
		{"500 ribu", 500_000, false},
		{"50k", 50_000, false},
		{"2 T", 2_000_000_000_000, false},
		{"1000 T", MaxMoney, false},
		{"1 juta 500 ribu", 1_500_000, false},
		{"2 juta 5 ratus ribu", 2_500_000, false},
		{"5 ratus ribu", 500_000, false},
		{"sejuta", 1_000_000, false},
		{"setengah juta", 500_000, false},
		{"seratus ribu", 100_000, false},
		{"sekitar 50 juta", 50_000_000, false},
		{"kurang lebih Rp 50 juta", 50_000_000, false},
		{"± 50jt", 50_000_000, false},
		{"modal saya 10 juta", 10_000_000, false},
		{"Rp 50.000 👍", 50_000, false},
		{"50 juta rupiah", 50_000_000, false},
		{"0", 0, false},
		{"Rp0", 0, false},
		{"0 juta", 0, false},
		{"0,5 jt", 500_000, false},
		{"1,2345 rb", 1_235, false}, // rounded to the rupiah
		{"50rb per bulan", 50_000, true},
		{"50rb sebulan", 50_000, true},
		{"50rb/bln", 50_000, true},
		{"50rb / bulan", 50_000, true},
		{"2,5jt perbulan", 2_500_000, true},
		{"omzet 10 juta sebulan", 10_000_000, true},
		{"sebulan 10 juta", 10_000_000, true},
		{"10 juta tiap bulan", 10_000_000, true},
		{"15 juta per tahun", 15_000_000, false},
		{"Rp 600.000.000 setahun", 600_000_000, false},
		{"600jt/thn", 600_000_000, false},
	}
	for _, tt := range tests {
		got, perMonth, err := ParseMoney(tt.in)
		if err != nil || got != tt.want || perMonth != tt.perMonth {
			t.Errorf("ParseMoney(%q) = %d, %v, %v; want %d, %v", tt.in, got, perMonth, err, tt.want, tt.perMonth)
		}
	}
}

func TestParseMoneyErrors(t *testing.T) {
	tests := []struct {
		in   string
		code string
		data map[string]any
	}{
		{"", CodeMoneyEmpty, nil},
		{"   ", CodeMoneyEmpty, nil},
		{"Rp", CodeMoneyEmpty, nil},
		{"rp.", CodeMoneyEmpty, nil},
		{"-5 juta", CodeMoneyNegative, nil},
		{"minus 5 juta", CodeMoneyNegative, nil},
		{"Rp -50.000", CodeMoneyNegative, nil},
		{"Rp-50.000", CodeMoneyNegative, nil},
		{"−5000", CodeMoneyNegative, nil},
		{"-0", CodeMoneyNegative, nil},
		{"abc", CodeMoneyFormat, nil},
		{"-", CodeMoneyFormat, nil},
		{"juta", CodeMoneyFormat, nil},
		{"lima puluh juta", CodeMoneyFormat, nil},
		{"1.5.3", CodeMoneyFormat, nil},
		{"1,500", CodeMoneyFormat, nil},
		{"1,5", CodeMoneyFormat, nil},
		{"1.5", CodeMoneyFormat, nil},
		{"1234.567", CodeMoneyFormat, nil},
		{"Rp500,50", CodeMoneyFormat, nil},
		{"1,500,000.50", CodeMoneyFormat, nil},
		{"1.500.00", CodeMoneyFormat, nil},
		{"12,34,5", CodeMoneyFormat, nil},
		{"1..5 jt", CodeMoneyFormat, nil},
		{".5 juta", CodeMoneyFormat, nil},
		{"1.500,000,00", CodeMoneyFormat, nil},
		{"50 juta 20", CodeMoneyFormat, nil},
		{"1 juta 500", CodeMoneyFormat, nil},
		{"1 juta 2 juta", CodeMoneyFormat, nil},
		{"500 ribu 1 juta", CodeMoneyFormat, nil},
		{"5-10 juta", CodeMoneyFormat, nil},
		{"50 juta -", CodeMoneyFormat, nil},
		{"50%", CodeMoneyFormat, nil},
		{"50 juta ribu", CodeMoneyFormat, nil},
		{"Rp 5O.000", CodeMoneyFormat, nil},
		{"１２３", CodeMoneyFormat, nil},
		{"12 34", CodeMoneyFormat, nil},
		{"50 juta per bulan per tahun", CodeMoneyFormat, nil},
		{"1001 T", CodeMoneyTooLarge, map[string]any{"Max": MaxMoney}},
		{"10000000000000000", CodeMoneyTooLarge, nil},
		{"99999999999999999999999999999999 T", CodeMoneyTooLarge, nil},
		{"9223372036854775808", CodeMoneyTooLarge, nil},
		{"500rb per hari", CodeMoneyPeriod, map[string]any{"Amount": int64(500_000)}},
		{"2 juta seminggu", CodeMoneyPeriod, map[string]any{"Amount": int64(2_000_000)}},
	}
	for _, tt := range tests {
		got, _, err := ParseMoney(tt.in)
		if err == nil {
			t.Errorf("ParseMoney(%q) = %d, want %s", tt.in, got, tt.code)
			continue
		}
		t.Run(tt.in, func(t *testing.T) { checkErr(t, err, tt.code, tt.data) })
	}
}

func TestParseMoneyIn(t *testing.T) {
	tests := []struct {
		lang, in string
		want     int64
		perMonth bool
		code     string
	}{
		{"en", "10m", 10_000_000, false, ""},
		{"en", "10M", 10_000_000, false, ""},
		{"en", "10 mn", 10_000_000, false, ""},
		{"en", "50 million", 50_000_000, false, ""},
		{"en", "1.5 billion", 1_500_000_000, false, ""},
		{"en", "2bn", 2_000_000_000, false, ""},
		{"en", "2 b", 2_000_000_000, false, ""},
		{"en", "500k", 500_000, false, ""},
		{"en", "500 thousand", 500_000, false, ""},
		{"en", "about 50 million a year", 50_000_000, false, ""},
		{"en", "10 million per month", 10_000_000, true, ""},
		{"en", "10m monthly", 10_000_000, true, ""},
		{"en", "Rp 50.000.000", 50_000_000, false, ""},
		{"en", "50 juta", 50_000_000, false, ""},
		{"en", "2 miliar", 2_000_000_000, false, ""},
		{"en", "500k a day", 0, false, CodeMoneyPeriod},
		{"en", "a lot", 0, false, CodeMoneyFormat},
		{"id", "10m", 10_000_000_000, false, ""},
		{"id", "10 M", 10_000_000_000, false, ""},
		{"id", "50 million", 0, false, CodeMoneyFormat},
		{"", "1,5 M", 1_500_000_000, false, ""},
	}
	for _, tt := range tests {
		got, perMonth, err := ParseMoneyIn(tt.lang, tt.in)
		if CodeOf(err) != tt.code || got != tt.want || perMonth != tt.perMonth {
			t.Errorf("ParseMoneyIn(%q, %q) = %d, %v, %v; want %d, %v, %s", tt.lang, tt.in, got, perMonth, err,
				tt.want, tt.perMonth, tt.code)
		}
	}
}
