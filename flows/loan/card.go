package loan

import (
	"slices"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/loan/domain"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Extra lists the message IDs built at run time: a label (StageMessageID)
// and a "what to do now" (loan_todo_<stage>) for every stage.
var Extra = []string{
	"loan_stage_diajukan", "loan_stage_verifikasi", "loan_stage_perlu_lengkapi", "loan_stage_survei",
	"loan_stage_rapat_komite", "loan_stage_disetujui", "loan_stage_ditolak", "loan_stage_akad",
	"loan_stage_dicairkan", "loan_stage_berjalan", "loan_stage_menunggak", "loan_stage_lunas",
	"loan_stage_dibatalkan",
	"loan_todo_diajukan", "loan_todo_verifikasi", "loan_todo_perlu_lengkapi", "loan_todo_survei",
	"loan_todo_rapat_komite", "loan_todo_disetujui", "loan_todo_ditolak", "loan_todo_akad",
	"loan_todo_dicairkan", "loan_todo_berjalan", "loan_todo_menunggak", "loan_todo_lunas",
	"loan_todo_dibatalkan",
}

// SchedulePerPage is how many instalments one page of the full schedule
// shows.
const SchedulePerPage = 12

// StageText is the label of a stage ("Survei lapangan"); an unknown code
// is shown as it is.
func StageText(stage string) flows.Text {
	if !domain.Known(stage) {
		return flows.Raw(stage)
	}
	return flows.T(domain.StageMessageID(stage))
}

// todoText says what the owner should do now, with the stage's note (the
// missing documents, the reason of a rejection, anything staff wrote) and,
// once approved, the approved amount.
func todoText(l store.Loan) flows.Text {
	if !domain.Known(l.Stage) {
		return flows.T("loan_todo_unknown")
	}
	var approved any = ""
	if l.Approved > 0 {
		approved = flows.Rupiah(l.Approved)
	}
	return flows.T("loan_todo_"+strings.ToLower(l.Stage), "Note", l.Note, "Approved", approved)
}

// anchors place the stages off the happy path in the timeline: each comes
// right after its anchor, which is shown as reached. DIBATALKAN's anchor is
// the stage it was withdrawn from, read from the history.
var anchors = map[string]string{
	domain.PerluLengkapi: domain.Verifikasi,
	domain.Menunggak:     domain.Berjalan,
	domain.Ditolak:       domain.RapatKomite,
}

// timeline lists the stages along domain.Order with the current one
// marked: reached stages ✅, the current ⏳ (⚠️ when something is wrong,
// ❌ when the application stopped), those ahead ▫️. A stopped
// application shows nothing ahead.
func timeline(l store.Loan, hist []store.LoanEvent) []flows.Text {
	line := func(id, stage string) flows.Text {
		label := StageText(stage)
		if stage == domain.Disetujui && l.Approved > 0 {
			label = flows.T("loan_stage_with_amount", "Stage", label, "Amount", flows.Rupiah(l.Approved))
		}
		return flows.T(id, "Stage", label)
	}
	cur := l.Stage
	if i := slices.Index(domain.Order, cur); i >= 0 {
		out := make([]flows.Text, 0, len(domain.Order))
		for j, s := range domain.Order {
			switch {
			case j < i:
				out = append(out, line("loan_tl_done", s))
			case j == i && domain.Terminal(s):
				out = append(out, line("loan_tl_finished", s))
			case j == i:
				out = append(out, line("loan_tl_current", s))
			default:
				out = append(out, line("loan_tl_todo", s))
			}
		}
		return out
	}
	anchor, ok := anchors[cur]
	if !ok {
		anchor = domain.Diajukan
		for k := len(hist) - 1; k >= 0; k-- {
			if hist[k].To != cur {
				continue
			}
			from := hist[k].From
			if a, ok := anchors[from]; ok {
				from = a
			}
			if slices.Contains(domain.Order, from) {
				anchor = from
			}
			break
		}
	}
	a := max(slices.Index(domain.Order, anchor), 0)
	var out []flows.Text
	for _, s := range domain.Order[:a+1] {
		out = append(out, line("loan_tl_done", s))
	}
	if domain.Terminal(cur) || !domain.Known(cur) {
		return append(out, line("loan_tl_stopped", cur))
	}
	out = append(out, line("loan_tl_problem", cur))
	for _, s := range domain.Order[a+1:] {
		out = append(out, line("loan_tl_todo", s))
	}
	return out
}

// amountText is the approved amount, or the requested one before approval.
func amountText(l store.Loan) flows.Text {
	if l.Approved > 0 {
		return flows.T("loan_amount_approved", "Amount", flows.Rupiah(l.Approved))
	}
	return flows.T("loan_amount_requested", "Amount", flows.Rupiah(l.Requested))
}

// schedule returns the loan's instalments, computed on the approved
// amount, or ok=false when it has none (not disbursed, no approved amount,
// or terms no schedule can be computed from).
func schedule(l store.Loan) ([]domain.Instalment, bool) {
	if l.DisbursedAt.IsZero() || l.Approved <= 0 {
		return nil, false
	}
	s, err := domain.Schedule(domain.TermsOf(l))
	return s, err == nil && len(s) > 0
}

// ownerCard describes a loan to its owner: the timeline, what to do now,
// and for a running loan the next instalment, what is outstanding and the
// arrears.
func ownerCard(l store.Loan, hist []store.LoanEvent, pays []store.Payment, now time.Time) flows.Text {
	var run any = ""
	if running(l.Stage) {
		run = runningText(l, pays, now)
	}
	return flows.T("loan_card", "Number", l.Number, "Business", l.BusinessName, "Amount", amountText(l),
		"Stage", StageText(l.Stage), "Timeline", timeline(l, hist), "Todo", todoText(l), "Running", run)
}

// runningText is the standing of a running loan.
func runningText(l store.Loan, pays []store.Payment, now time.Time) flows.Text {
	s, ok := schedule(l)
	if !ok {
		return flows.T("loan_running_unknown")
	}
	st := domain.Status(s, pays, now)
	next := flows.T("loan_next_none")
	if !st.NextDue.IsZero() {
		next = flows.T("loan_next_due", "Amount", flows.Rupiah(st.NextAmount), "Date", flows.Date(st.NextDue))
	}
	arrears := flows.T("loan_arrears_none")
	if st.ArrearsCount > 0 {
		arrears = flows.T("loan_arrears", "Count", st.ArrearsCount, "One", st.ArrearsCount == 1, "Amount", flows.Rupiah(st.ArrearsAmount))
	}
	return flows.T("loan_running", "Next", next, "Outstanding", flows.Rupiah(st.Outstanding),
		"Balance", flows.Rupiah(st.Balance), "Paid", st.PaidInstalments, "Total", len(s), "Arrears", arrears)
}

// pages is the number of schedule pages for n instalments.
func pages(n int) int { return max(1, (n+SchedulePerPage-1)/SchedulePerPage) }

// schedulePage is page p (from 0, clamped) of the full schedule, each
// instalment marked paid, late or due from the payments applied in order.
func schedulePage(l store.Loan, s []domain.Instalment, pays []store.Payment, now time.Time, p int) (flows.Text, int) {
	n := pages(len(s))
	p = max(0, min(p, n-1))
	var left int64
	for _, pay := range pays {
		left += max(pay.Amount, 0)
	}
	rows := make([]flows.Text, 0, SchedulePerPage)
	for i, in := range s {
		covered := min(left, in.Total)
		left -= covered
		if i < p*SchedulePerPage || i >= (p+1)*SchedulePerPage {
			continue
		}
		id := "loan_sched_row_due"
		switch {
		case covered == in.Total:
			id = "loan_sched_row_paid"
		case !now.Before(in.Due.AddDate(0, 0, 1)):
			id = "loan_sched_row_late"
		}
		rows = append(rows, flows.T(id, "N", in.N, "Date", flows.Date(in.Due), "Amount", flows.Rupiah(in.Total),
			"Principal", flows.Rupiah(in.Principal), "Interest", flows.Rupiah(in.Interest)))
	}
	return flows.T("loan_sched_page", "Number", l.Number, "Page", p+1, "Pages", n, "Rows", rows), p
}
