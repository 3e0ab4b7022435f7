package field

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// now is the fixed "today" of the tests: 15 July 2026, 12.00 WIB.
var now = time.Date(2026, 7, 15, 12, 0, 0, 0, time.FixedZone("WIB", 7*3600))

// checkErr fails unless err is a *Error with the wanted code (a code listed
// in Codes) and, when want is non-nil, exactly that data.
func checkErr(t *testing.T, err error, code string, want map[string]any) {
	t.Helper()
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want *field.Error %q", err, code)
	}
	if fe.Code != code {
		t.Fatalf("code = %q (data %v), want %q", fe.Code, fe.Data, code)
	}
	if !slices.Contains(Codes, fe.Code) {
		t.Fatalf("code %q is not listed in Codes", fe.Code)
	}
	if want != nil && !reflect.DeepEqual(fe.Data, want) {
		t.Fatalf("data = %#v, want %#v", fe.Data, want)
	}
}

// TestEveryCodeReachable keeps Codes honest: each listed code comes out of
// some input, so no message in locales/ is dead, and each is listed once.
func TestEveryCodeReachable(t *testing.T) {
	examples := map[string]func() error{
		CodeNIKChars:     func() error { _, err := ParseNIK("3603 12ab", now); return err },
		CodeNIKLength:    func() error { _, err := ParseNIK("3603", now); return err },
		CodeNIKRegion:    func() error { _, err := ParseNIK("9903124507900003", now); return err },
		CodeNIKBirthdate: func() error { _, err := ParseNIK("3603123002900001", now); return err },
		CodeNIKFuture:    func() error { _, err := ParseNIK("3603011607260001", now); return err },
		CodeNIKSerial:    func() error { _, err := ParseNIK("3603124507900000", now); return err },

		CodePhoneChars:    func() error { _, err := ParsePhone("0812 abc"); return err },
		CodePhoneForeign:  func() error { _, err := ParsePhone("+1 415 555 2671"); return err },
		CodePhoneLandline: func() error { _, err := ParsePhone("021-5555-1234"); return err },
		CodePhoneShort:    func() error { _, err := ParsePhone("08123"); return err },
		CodePhoneLong:     func() error { _, err := ParsePhone("081234567890123"); return err },

		CodeMoneyEmpty:    func() error { _, _, err := ParseMoney("Rp"); return err },
		CodeMoneyFormat:   func() error { _, _, err := ParseMoney("1.5.3"); return err },
		CodeMoneyNegative: func() error { _, _, err := ParseMoney("-5 juta"); return err },
		CodeMoneyTooLarge: func() error { _, _, err := ParseMoney("2000 T"); return err },
		CodeMoneyPeriod:   func() error { _, _, err := ParseMoney("500rb sehari"); return err },

		CodeNIBChars:  func() error { _, err := ParseNIB("NIB12"); return err },
		CodeNIBLength: func() error { _, err := ParseNIB("12345"); return err },

		CodeYearFormat: func() error { _, err := ParseYear("98", now); return err },
		CodeYearRange:  func() error { _, err := ParseYear("1900", now); return err },

		CodeCountFormat: func() error { _, err := ParseCount("banyak"); return err },
		CodeCountRange:  func() error { _, err := ParseCount("0"); return err },

		CodeKecamatanOutside: func() error { _, err := MatchKecamatan("Serpong"); return err },
		CodeKecamatanUnknown: func() error { _, err := MatchKecamatan("Bandung"); return err },
		CodeDesaElsewhere:    func() error { _, err := MatchDesa("360318", "Sentul"); return err },
		CodeDesaUnknown:      func() error { _, err := MatchDesa("360318", "Atlantis"); return err },

		CodeSectorUnknown: func() error { _, err := MatchSector("entahlah"); return err },
	}
	seen := map[string]bool{}
	for _, code := range Codes {
		if seen[code] {
			t.Errorf("code %q listed twice", code)
		}
		seen[code] = true
		f, ok := examples[code]
		if !ok {
			t.Errorf("code %q has no example here", code)
			continue
		}
		checkErr(t, f(), code, nil)
	}
	if len(examples) != len(Codes) {
		t.Errorf("%d examples for %d codes", len(examples), len(Codes))
	}
}

func TestErrorText(t *testing.T) {
	_, err := ParseNIK("3603 1245 0790 000", now)
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v", err)
	}
	if got := fe.MessageID(); got != "field_nik_length" {
		t.Errorf("MessageID = %q", got)
	}
	if strings.Contains(err.Error(), "3603") {
		t.Errorf("Error() leaks the input: %q", err)
	}
	wrapped := fmt.Errorf("step nik: %w", err)
	if CodeOf(wrapped) != CodeNIKLength || CodeOf(errors.New("x")) != "" || CodeOf(nil) != "" {
		t.Errorf("CodeOf does not see through wrapping or misreports plain errors")
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  Kec. Sepatan-Tim.!! 👍", "kec sepatan tim"},
		{"Jum'at", "jumat"},
		{"BATAL", "batal"},
		{"a\t\nb", "a b"},
		{"36.03.01", "36 03 01"},
		{"(0812) 3456", "0812 3456"},
		{"\xff\xfe", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
