package field

import "errors"

// Error is a parse failure the user can fix. Code is a stable reason; Data
// holds the values its message needs (ints, strings, time.Time).
type Error struct {
	Code string
	Data map[string]any
}

// Error returns "field: <code>"; it never contains the input.
func (e *Error) Error() string { return "field: " + e.Code }

// MessageID is the locale message that explains the error: "field_<code>".
func (e *Error) MessageID() string { return "field_" + e.Code }

// CodeOf returns the Code of a *Error in err's chain, or "" when there is none.
func CodeOf(err error) string {
	var fe *Error
	if errors.As(err, &fe) {
		return fe.Code
	}
	return ""
}

func fail(code string, kv ...any) *Error {
	e := &Error{Code: code}
	if len(kv) > 0 {
		e.Data = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			k, _ := kv[i].(string)
			e.Data[k] = kv[i+1]
		}
	}
	return e
}

// Error codes. Each has a message "field_<code>" in locales/; the Data keys
// it carries are listed next to it.
const (
	CodeNIKChars     = "nik_chars"     // a character other than digits, spaces, dots, dashes
	CodeNIKLength    = "nik_length"    // Count: digits typed
	CodeNIKRegion    = "nik_region"    // Code: first 6 digits; From, To: the 1-based positions at fault
	CodeNIKBirthdate = "nik_birthdate" // Day (women: minus 40), Month, Year: the impossible date
	CodeNIKFuture    = "nik_future"    // BirthDate (time.Time): a date that has not come yet
	CodeNIKSerial    = "nik_serial"    // the last 4 digits are 0000

	CodePhoneChars    = "phone_chars"    // letters or other characters
	CodePhoneForeign  = "phone_foreign"  // a country code other than +62
	CodePhoneLandline = "phone_landline" // not a mobile number (021…, 0254…, 0800…)
	CodePhoneShort    = "phone_short"    // Count: digits with the leading 0
	CodePhoneLong     = "phone_long"     // Count: digits with the leading 0

	CodeMoneyEmpty    = "money_empty"     // nothing but "Rp"
	CodeMoneyFormat   = "money_format"    // not an amount, or ambiguous ("1.5.3", "1,500")
	CodeMoneyNegative = "money_negative"  // a minus sign
	CodeMoneyTooLarge = "money_too_large" // Max (int64): above 10^15
	CodeMoneyPeriod   = "money_period"    // Amount (int64): per day or per week; ask per month or year

	CodeNIBChars  = "nib_chars"  // a character other than digits, spaces, dots, dashes
	CodeNIBLength = "nib_length" // Count: digits typed

	CodeYearFormat = "year_format" // not a 4-digit year
	CodeYearRange  = "year_range"  // Min, Max: allowed years

	CodeCountFormat = "count_format" // not a whole number
	CodeCountRange  = "count_range"  // Min, Max: allowed counts

	CodeKecamatanOutside = "kecamatan_outside" // Name, Region, Office: a kecamatan of another region
	CodeKecamatanUnknown = "kecamatan_unknown" // no (unique) match
	CodeDesaElsewhere    = "desa_elsewhere"    // Name, Kecamatan: the desa lies in another kecamatan (names joined by ", ")
	CodeDesaUnknown      = "desa_unknown"      // Kecamatan: name of the kecamatan searched

	CodeSectorUnknown = "sector_unknown" // no sector, or words of several sectors
)

// Codes lists every Code a parser in this package returns.
var Codes = []string{
	CodeNIKChars, CodeNIKLength, CodeNIKRegion, CodeNIKBirthdate, CodeNIKFuture, CodeNIKSerial,
	CodePhoneChars, CodePhoneForeign, CodePhoneLandline, CodePhoneShort, CodePhoneLong,
	CodeMoneyEmpty, CodeMoneyFormat, CodeMoneyNegative, CodeMoneyTooLarge, CodeMoneyPeriod,
	CodeNIBChars, CodeNIBLength,
	CodeYearFormat, CodeYearRange,
	CodeCountFormat, CodeCountRange,
	CodeKecamatanOutside, CodeKecamatanUnknown, CodeDesaElsewhere, CodeDesaUnknown,
	CodeSectorUnknown,
}
