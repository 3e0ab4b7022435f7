package loan

import (
	"strconv"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/loan/domain"
	"github.com/diskum-tangerang/umkmbot/store"
)

// cardPayments is how many of the latest payments the staff card lists.
const cardPayments = 5

// card is the staff's view of a loan: stage, terms, history with dates,
// notes and actors, a summary of the schedule, the latest payments and how
// many owner accounts are linked. The NIK is masked: the full one stays in
// the UPDB's records, out of chat histories.
func (s *staff) card(c *flows.Ctx, l store.Loan) (flows.Text, error) {
	hist, err := s.loans.History(c, l.ID)
	if err != nil {
		return flows.Text{}, err
	}
	pays, err := s.loans.Payments(c, l.ID)
	if err != nil {
		return flows.Text{}, err
	}
	users, err := s.loans.LinkedUsers(c, l.ID)
	if err != nil {
		return flows.Text{}, err
	}
	events := make([]flows.Text, 0, len(hist))
	for _, e := range hist {
		events = append(events, eventText(e))
	}
	approved := flows.T("loan_staff_not_approved")
	if l.Approved > 0 {
		approved = flows.T("loan_staff_approved_amount", "Amount", flows.Rupiah(l.Approved))
	}
	var disbursed any = flows.T("loan_staff_not_disbursed")
	if !l.DisbursedAt.IsZero() {
		disbursed = flows.Date(l.DisbursedAt)
	}
	return flows.T("loan_staff_card", "Number", l.Number, "Stage", StageText(l.Stage),
		"Name", l.ApplicantName, "NIK", maskNIK(l.NIK), "Business", l.BusinessName,
		"Requested", flows.Rupiah(l.Requested), "Approved", approved,
		"Tenor", l.TenorMonths, "Grace", l.GraceMonths, "Rate", rateText(l.RateBP), "Method", methodText(l.Method),
		"Disbursed", disbursed, "Linked", len(users), "Note", l.Note, "History", events,
		"Schedule", scheduleSummary(l, pays, c.Now), "Payments", paymentsText(pays)), nil
}

// eventText is one line of the history.
func eventText(e store.LoanEvent) flows.Text {
	actor := flows.T("loan_staff_actor_import")
	if e.Actor != 0 {
		actor = flows.T("loan_staff_actor", "ID", itoa(e.Actor))
	}
	if e.From == "" {
		return flows.T("loan_staff_event_created", "At", flows.DateTime(e.At), "To", StageText(e.To),
			"Actor", actor, "Note", e.Note)
	}
	var approved any = ""
	if e.Approved > 0 {
		approved = flows.Rupiah(e.Approved)
	}
	return flows.T("loan_staff_event", "At", flows.DateTime(e.At), "From", StageText(e.From),
		"To", StageText(e.To), "Approved", approved, "Actor", actor, "Note", e.Note)
}

// scheduleSummary sums the schedule up for staff.
func scheduleSummary(l store.Loan, pays []store.Payment, now time.Time) flows.Text {
	s, ok := schedule(l)
	if !ok {
		return flows.T("loan_staff_sched_none")
	}
	st := domain.Status(s, pays, now)
	next := flows.T("loan_next_none")
	if !st.NextDue.IsZero() {
		next = flows.T("loan_next_due", "Amount", flows.Rupiah(st.NextAmount), "Date", flows.Date(st.NextDue))
	}
	regular := s[0] // the first instalment that repays principal: grace months pay interest only
	for _, in := range s {
		if in.Principal > 0 {
			regular = in
			break
		}
	}
	return flows.T("loan_staff_sched", "Count", len(s), "Amount", flows.Rupiah(regular.Total),
		"First", flows.Date(s[0].Due), "Last", flows.Date(s[len(s)-1].Due), "Paid", st.PaidInstalments,
		"ArrearsCount", st.ArrearsCount, "Arrears", flows.Rupiah(st.ArrearsAmount),
		"Outstanding", flows.Rupiah(st.Outstanding), "Next", next)
}

// paymentsText lists the latest payments and their total.
func paymentsText(pays []store.Payment) flows.Text {
	if len(pays) == 0 {
		return flows.T("loan_staff_payments_none")
	}
	var total int64
	for _, p := range pays {
		total += p.Amount
	}
	lines := make([]flows.Text, 0, cardPayments)
	for _, p := range pays[max(0, len(pays)-cardPayments):] {
		actor := flows.T("loan_staff_actor_import")
		if p.Actor != 0 {
			actor = flows.T("loan_staff_actor", "ID", itoa(p.Actor))
		}
		lines = append(lines, flows.T("loan_staff_payment", "Date", flows.Date(p.PaidAt),
			"Amount", flows.Rupiah(p.Amount), "Actor", actor))
	}
	return flows.T("loan_staff_payments", "Count", len(pays), "One", len(pays) == 1, "Total", flows.Rupiah(total), "Lines", lines)
}

// rateText writes basis points as a percentage the Indonesian way: "4",
// "4,5", "4,25".
func rateText(bp int) string {
	s := strconv.Itoa(bp / 100)
	if frac := bp % 100; frac != 0 {
		s += "," + strings.TrimRight(strconv.Itoa(100 + frac)[1:], "0")
	}
	return s
}

// methodText names a repayment method.
func methodText(m string) flows.Text {
	switch m {
	case domain.MethodFlat:
		return flows.T("loan_method_flat")
	case domain.MethodDeclining:
		return flows.T("loan_method_declining")
	case domain.MethodAnnuity:
		return flows.T("loan_method_annuity")
	}
	return flows.T("loan_method_unknown")
}

// maskNIK shows the first four and last four digits of a NIK.
func maskNIK(nik string) string {
	if len(nik) < 8 {
		return strings.Repeat("*", len(nik))
	}
	return nik[:4] + strings.Repeat("*", len(nik)-8) + nik[len(nik)-4:]
}
