package loan_test

import (
	"testing"
	"time"

	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
)

// Staff whose Telegram is in English type amounts the English way: "m" is
// million, not miliar.
func TestStaffPaymentInEnglish(t *testing.T) {
	f := newFixture(t)
	f.seed(t, running("UPDB-2026-0042", "BERJALAN"))
	f.Advance(19 * 24 * time.Hour)
	f.SendLang(staffU, "en", "/pinjamanstaf UPDB-2026-0042")
	ft.Want(t, f.tap(t, staffU, "Catat pembayaran"), "loan_staff_ask_amount")
	ft.Want(t, f.SendLang(staffU, "en", "1.5m"), "loan_staff_ask_date")
	rs := f.SendLang(staffU, "en", "15/12/2026")
	ft.Want(t, rs, "loan_staff_pay_confirm")
	contains(t, f.Catalog.Plain("en", rs[0].Text), "Rp1.500.000")
}
