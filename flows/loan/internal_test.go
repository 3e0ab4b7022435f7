package loan

import "testing"

func TestParseRate(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"4", 400, true},
		{"4,5", 450, true},
		{"4.5", 450, true},
		{"4,25%", 425, true},
		{" 0 ", 0, true},
		{"100", 10000, true},
		{"101", 10100, false},
		{"4,125", 0, false},
		{"empat", 0, false},
		{"", 0, false},
		{"-4", 0, false},
	}
	for _, tc := range tests {
		got, ok := parseRate(tc.in)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("parseRate(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestRateText(t *testing.T) {
	for bp, want := range map[int]string{400: "4", 450: "4,5", 425: "4,25", 5: "0,05", 1000: "10", 0: "0"} {
		if got := rateText(bp); got != want {
			t.Errorf("rateText(%d) = %q, want %q", bp, got, want)
		}
	}
}

func TestTypedStage(t *testing.T) {
	for in, want := range map[string]string{
		"ditolak": "DITOLAK", "Perlu lengkapi": "PERLU_LENGKAPI", "RAPAT_KOMITE": "RAPAT_KOMITE",
		"rapat komite!": "RAPAT_KOMITE", "selesai": "", "": "",
	} {
		if got := typedStage(in); got != want {
			t.Errorf("typedStage(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskNIK(t *testing.T) {
	for in, want := range map[string]string{"3603124507900003": "3603********0003", "123": "***", "": ""} {
		if got := maskNIK(in); got != want {
			t.Errorf("maskNIK(%q) = %q, want %q", in, got, want)
		}
	}
}
