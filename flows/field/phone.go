package field

import "strings"

// ParsePhone reads an Indonesian mobile number as people type it or as a
// Telegram contact carries it ("0812-3456-7890", "+62 812 3456 7890",
// "6281234567890", "(0812) 3456 7890", "+62 (0) 812…", "0062812…") and
// returns it in E.164 form, "+6281234567890". Only the shape is checked
// (domain.md §2.4): after the country code the number starts with 8, then
// a digit 1–9, and has 9–12 digits in all. Operator prefixes are not
// checked, because they change.
func ParsePhone(s string) (string, error) {
	s = strings.TrimSpace(trimInvisible(strings.TrimSpace(s)))
	plus := false
	if rest, ok := strings.CutPrefix(s, "+"); ok {
		plus, s = true, rest
	}
	digits, ok := stripSeparators(s, "()")
	if !ok {
		return "", fail(CodePhoneChars)
	}

	var nsn string
	switch {
	case plus || strings.HasPrefix(digits, "00"):
		if !plus {
			digits = digits[2:]
		}
		cc, found := strings.CutPrefix(digits, "62")
		if !found {
			if digits == "" || digits == "6" {
				return "", fail(CodePhoneShort, "Count", len(digits))
			}
			return "", fail(CodePhoneForeign)
		}
		nsn = strings.TrimPrefix(cc, "0")
	case strings.HasPrefix(digits, "62"):
		nsn = strings.TrimPrefix(digits[2:], "0")
	case strings.HasPrefix(digits, "0"):
		nsn = digits[1:]
	case strings.HasPrefix(digits, "8"):
		nsn = digits
	case len(digits) >= 10:
		return "", fail(CodePhoneForeign)
	default:
		return "", fail(CodePhoneShort, "Count", len(digits))
	}

	count := len(nsn) + 1 // as the owner sees it, with the leading 0
	switch {
	case nsn == "":
		return "", fail(CodePhoneShort, "Count", count)
	case nsn[0] != '8' || (len(nsn) > 1 && nsn[1] == '0'):
		return "", fail(CodePhoneLandline)
	case len(nsn) < 9:
		return "", fail(CodePhoneShort, "Count", count)
	case len(nsn) > 12:
		return "", fail(CodePhoneLong, "Count", count)
	}
	return "+62" + nsn, nil
}

// trimInvisible drops leading format characters (direction marks) so that a
// "+" after them is still seen.
func trimInvisible(s string) string {
	return strings.TrimLeft(s, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u200b")
}

// FormatPhone writes an E.164 Indonesian mobile number the way owners know
// it, with a leading 0 and dashes: "+6281234567890" → "0812-3456-7890". The
// first group has four digits, the second four ("0857-1234-567",
// "0812-3456-78901") or, for the shortest numbers, three ("0811-234-567").
// Anything that is not such a number is returned as is.
func FormatPhone(e164 string) string {
	nsn, ok := strings.CutPrefix(e164, "+62")
	if !ok || len(nsn) < 9 || len(nsn) > 12 || !allDigits(nsn) {
		return e164
	}
	national := "0" + nsn
	head, tail := national[:4], national[4:]
	cut := 4
	if len(tail) == 6 {
		cut = 3
	}
	return head + "-" + tail[:cut] + "-" + tail[cut:]
}
