package field

import (
	"regexp"
	"testing"
)

var mobileE164 = regexp.MustCompile(`^\+628[1-9]\d{7,10}$`)

func TestParsePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0812-3456-7890", "+6281234567890"},
		{"+62 812 3456 7890", "+6281234567890"},
		{"62812 3456 7890", "+6281234567890"},
		{"6281234567890", "+6281234567890"},  // contact without "+"
		{"+6281234567890", "+6281234567890"}, // contact with "+"
		{"(0812) 3456 7890", "+6281234567890"},
		{"+62 (0) 812-3456-7890", "+6281234567890"},
		{"0062 812 3456 7890", "+6281234567890"},
		{"0812.3456.7890", "+6281234567890"},
		{"81234567890", "+6281234567890"}, // leading 0 forgotten
		{"\u202a+62 812-3456-7890\u202c", "+6281234567890"},
		{"\u202a +62 812-3456-7890", "+6281234567890"},
		{"085712345678", "+6285712345678"},
		{"0811234567", "+62811234567"},
		{"0812345678901", "+62812345678901"},
		{"0895 1234 5678", "+6289512345678"},
		{" 0812\u00a03456\u00a07890 ", "+6281234567890"},
	}
	for _, tt := range tests {
		got, err := ParsePhone(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParsePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			continue
		}
		if !mobileE164.MatchString(got) {
			t.Errorf("ParsePhone(%q) = %q does not match %s", tt.in, got, mobileE164)
		}
	}
}

func TestParsePhoneErrors(t *testing.T) {
	tests := []struct {
		in   string
		code string
		data map[string]any
	}{
		{"021-5555-1234", CodePhoneLandline, nil},
		{"(021) 5555 1234", CodePhoneLandline, nil},
		{"+62 21 5555 1234", CodePhoneLandline, nil},
		{"0254 123456", CodePhoneLandline, nil},
		{"0800 1234 567", CodePhoneLandline, nil},
		{"08123", CodePhoneShort, map[string]any{"Count": 5}},
		{"0812 3456 7", CodePhoneShort, map[string]any{"Count": 9}},
		{"", CodePhoneShort, map[string]any{"Count": 0}},
		{"0", CodePhoneShort, map[string]any{"Count": 1}},
		{"+", CodePhoneShort, map[string]any{"Count": 0}},
		{"+62", CodePhoneShort, map[string]any{"Count": 1}},
		{"5551234", CodePhoneShort, map[string]any{"Count": 7}},
		{"08123456789012", CodePhoneLong, map[string]any{"Count": 14}},
		{"+62 812 3456 7890 1234", CodePhoneLong, map[string]any{"Count": 16}},
		{"+1 415 555 2671", CodePhoneForeign, nil},
		{"+65 9123 4567", CodePhoneForeign, nil},
		{"0065 9123 4567", CodePhoneForeign, nil},
		{"6591234567", CodePhoneForeign, nil},
		{"0812-abc", CodePhoneChars, nil},
		{"08123456789O", CodePhoneChars, nil},
		{"0812 3456 7890 ext 1", CodePhoneChars, nil},
		{"++6281234567890", CodePhoneChars, nil},
		{"0812+34567890", CodePhoneChars, nil},
		{"0812/3456/7890", CodePhoneChars, nil},
		{"nomor saya 0812", CodePhoneChars, nil},
	}
	for _, tt := range tests {
		got, err := ParsePhone(tt.in)
		if err == nil {
			t.Errorf("ParsePhone(%q) = %q, want %s", tt.in, got, tt.code)
			continue
		}
		t.Run(tt.in, func(t *testing.T) { checkErr(t, err, tt.code, tt.data) })
	}
}

func TestFormatPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+6281234567890", "0812-3456-7890"},
		{"+62811234567", "0811-234-567"},
		{"+628571234567", "0857-1234-567"},
		{"+62812345678901", "0812-3456-78901"},
		{"abc", "abc"},
		{"+15555550123", "+15555550123"},
		{"+62812", "+62812"},
		{"", ""},
	}
	for _, tt := range tests {
		got := FormatPhone(tt.in)
		if got != tt.want {
			t.Errorf("FormatPhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got != tt.in {
			if back, err := ParsePhone(got); err != nil || back != tt.in {
				t.Errorf("ParsePhone(FormatPhone(%q)) = %q, %v", tt.in, back, err)
			}
		}
	}
}
