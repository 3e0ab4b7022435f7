package domain

import (
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Standing is where a borrower stands against a schedule at one moment.
type Standing struct {
	// PaidTotal is the sum of the payments received.
	PaidTotal int64
	// PaidInstalments counts the instalments the payments cover in full.
	PaidInstalments int
	// Outstanding is what the schedule still asks for: its total less the
	// payments, never below zero.
	Outstanding int64
	// Balance is the principal still owed. Within each instalment a
	// payment covers the interest first.
	Balance int64
	// ArrearsCount counts the instalments past their due day and not paid
	// in full; ArrearsAmount is what they still lack.
	ArrearsCount  int
	ArrearsAmount int64
	// NextDue is the due day of the first instalment not paid in full and
	// not yet past due, and NextAmount what it still lacks; zero when no
	// such instalment is left.
	NextDue    time.Time
	NextAmount int64
	// Overpaid is what the payments exceed the schedule's total by.
	Overpaid int64
}

// Settled tells whether the schedule is paid in full.
func (s Standing) Settled() bool { return s.Outstanding == 0 }

// Status applies the payments to the schedule in order of due date (a
// payment is a fact once recorded, so every one counts, whatever its date)
// and reports the standing at now. An instalment falls into arrears once
// its due day has ended, in the due date's location: it is due on the day
// itself.
func Status(s []Instalment, payments []store.Payment, now time.Time) Standing {
	var st Standing
	for _, p := range payments {
		st.PaidTotal += max(p.Amount, 0)
	}
	left := st.PaidTotal
	for _, in := range s {
		covered := min(left, in.Total)
		left -= covered
		st.Balance += in.Principal - max(covered-in.Interest, 0)
		lacking := in.Total - covered
		st.Outstanding += lacking
		switch {
		case lacking == 0:
			st.PaidInstalments++
		case !now.Before(in.Due.AddDate(0, 0, 1)):
			st.ArrearsCount++
			st.ArrearsAmount += lacking
		case st.NextDue.IsZero():
			st.NextDue, st.NextAmount = in.Due, lacking
		}
	}
	st.Overpaid = left
	return st
}
