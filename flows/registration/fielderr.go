package registration

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
)

// Extra lists the message IDs this package builds at run time, so that the
// locales tests check they exist: one field_<code> per field.Codes entry
// and one sector_<key> per field.Sectors entry (a test keeps the list
// complete).
var Extra = []string{
	"field_nik_chars", "field_nik_length", "field_nik_region", "field_nik_birthdate",
	"field_nik_future", "field_nik_serial",
	"field_phone_chars", "field_phone_foreign", "field_phone_landline", "field_phone_short",
	"field_phone_long",
	"field_money_empty", "field_money_format", "field_money_negative", "field_money_too_large",
	"field_money_period",
	"field_nib_chars", "field_nib_length",
	"field_year_format", "field_year_range",
	"field_count_format", "field_count_range",
	"field_kecamatan_outside", "field_kecamatan_unknown", "field_desa_elsewhere", "field_desa_unknown",
	"field_sector_unknown",
	"sector_kuliner", "sector_fesyen", "sector_kriya", "sector_agribisnis", "sector_perdagangan",
	"sector_jasa", "sector_digital_kreatif", "sector_industri", "sector_lainnya",
}

// FieldError turns a parser's *field.Error into the UserError that shows the
// message field_<code> with the error's data: times become flows.Date and
// money amounts flows.Rupiah, so that they are written the Indonesian way,
// and years become text, so that they are not grouped like counts.
// Other errors are returned as they are.
func FieldError(err error) error {
	var fe *field.Error
	if !errors.As(err, &fe) {
		return err
	}
	kv := make([]any, 0, 2*len(fe.Data))
	for k, v := range fe.Data {
		switch x := v.(type) {
		case time.Time:
			v = flows.Date(x)
		case int64:
			if strings.HasPrefix(fe.Code, "money_") {
				v = flows.Rupiah(x)
			}
		case int:
			if strings.HasPrefix(fe.Code, "year_") {
				v = strconv.Itoa(x)
			}
		}
		kv = append(kv, k, v)
	}
	return &flows.UserError{Msg: flows.T(fe.MessageID(), kv...), Err: err}
}
