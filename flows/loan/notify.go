package loan

import (
	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// PaymentEvent is the event the stores pass to a store.LoanNotify for a
// recorded payment; a stage change passes the new stage's code.
const PaymentEvent = "payment"

// NoticeKind is the outbox kind of loan notices.
const NoticeKind = "loan"

// NewNotify returns the store.LoanNotify that tells a linked owner about a
// change of their loan: the new stage with what to do now, or that a
// payment was recorded (without its amount), with a button that opens
// /pinjaman. lang gives the owner's language ("" or a nil lang
// means Indonesian); it is called inside the store's transaction, so it
// must not use the store.
func NewNotify(lang func(userID int64) string) store.LoanNotify {
	return func(l store.Loan, userID int64, event string) (store.OutboxItem, error) {
		t := flows.T("loan_notice_stage", "Number", l.Number, "Stage", StageText(l.Stage), "Todo", todoText(l))
		if event == PaymentEvent {
			t = flows.T("loan_notice_payment", "Number", l.Number)
		}
		r := flows.Reply{Text: t}.WithButtons(flows.Btn("loan_btn_open", "/"+Command))
		if lang != nil {
			r.Lang = lang(userID)
		}
		payload, err := flows.EncodeReply(r)
		if err != nil {
			return store.OutboxItem{}, err
		}
		return store.OutboxItem{ChatID: userID, Kind: NoticeKind, Payload: payload}, nil
	}
}
