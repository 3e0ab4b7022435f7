package loan

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/looplab/fsm"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/loan/domain"
	"github.com/diskum-tangerang/umkmbot/store"
)

// States of the staff flow.
const (
	stSearch   = "search"
	stSPick    = "spick"
	stSView    = "sview"
	stStage    = "stage"
	stNote     = "note"
	stConfirm  = "confirm"
	stAmount   = "amount"
	stDate     = "date"
	stPayOK    = "payok"
	stAttempts = "attempts"
	stApprove  = "approve"
)

// Events of the staff flow.
const (
	evFound    = "found"
	evList     = "list"
	evStage    = "stage"
	evNote     = "note"
	evConfirm  = "confirm"
	evBack     = "back"
	evPay      = "pay"
	evDate     = "date"
	evPayOK    = "payok"
	evAttempts = "attempts"
	evSearch   = "search"
	evApprove  = "approve"
)

// Data keys of the staff flow.
const (
	kIDs    = "ids"    // loan ids of the search results, comma-separated
	kLabels = "labels" // their button labels, separated by kSep
	kStage  = "stage"  // the stage the move starts from
	kTo     = "to"
	kNote   = "note"
	kAmount = "amount"
	kDate   = "date" // 2006-01-02, WIB
	kDisb   = "disb" // disbursement day, 2006-01-02, or ""
	kRef    = "ref"  // idempotency reference of the payment being recorded
	kRun    = "run"  // "1" when the loan is running
	// kReq is the requested amount of a loan being approved, kApproved
	// the amount approved.
	kReq      = "req"
	kApproved = "approved"
)

// kSep separates button labels in the session data.
const kSep = "\x1f"

// Bounds of the staff's input.
const (
	maxResults = 10
	maxNote    = 500
	minQuery   = 2
)

// staff holds what the staff's steps need.
type staff struct {
	loans store.LoanStore
	tries store.AttemptLimiter
	audit Auditor
	opt   Options
}

// NewStaff returns the staff flow (/pinjamanstaf): find an application by
// number or name, view it (audited), move it to an allowed stage with a
// note (and, for DISETUJUI, the approved amount), record a payment, and see
// an account's failed link attempts.
// "/pinjamanstaf <number or name>" searches at once. Non-staff get the
// unknown-command answer from the engine.
func NewStaff(loans store.LoanStore, tries store.AttemptLimiter, audit Auditor, opt Options) *flows.Flow {
	s := &staff{loans: loans, tries: tries, audit: audit, opt: opt}
	edit := []string{stStage, stApprove, stNote, stConfirm, stAmount, stDate, stPayOK, stAttempts}
	return &flows.Flow{
		Name:      StaffName,
		Version:   1,
		Title:     flows.T("loan_staff_title"),
		Start:     stSearch,
		Commands:  []string{StaffCommand},
		StaffOnly: true,
		Events: fsm.Events{
			{Name: evFound, Src: []string{stSearch, stSPick}, Dst: stSView},
			{Name: evList, Src: []string{stSearch}, Dst: stSPick},
			{Name: evStage, Src: []string{stSView}, Dst: stStage},
			{Name: evApprove, Src: []string{stStage}, Dst: stApprove},
			{Name: evNote, Src: []string{stStage, stApprove}, Dst: stNote},
			{Name: evConfirm, Src: []string{stNote}, Dst: stConfirm},
			{Name: evBack, Src: edit, Dst: stSView},
			{Name: evPay, Src: []string{stSView}, Dst: stAmount},
			{Name: evDate, Src: []string{stAmount}, Dst: stDate},
			{Name: evPayOK, Src: []string{stDate}, Dst: stPayOK},
			{Name: evAttempts, Src: []string{stSView, stSearch}, Dst: stAttempts},
			{Name: evSearch, Src: []string{stSView, stSPick, stAttempts}, Dst: stSearch},
		},
		Steps: map[string]*flows.Step{
			stSearch:   s.searchStep(),
			stSPick:    s.pickStep(),
			stSView:    s.viewStep(),
			stStage:    s.stageStep(),
			stApprove:  s.approvedStep(),
			stNote:     s.noteStep(),
			stConfirm:  s.confirmStep(),
			stAmount:   s.amountStep(),
			stDate:     s.dateStep(),
			stPayOK:    s.payStep(),
			stAttempts: s.attemptsStep(),
		},
		Enter: s.enter,
	}
}

// enter searches at once for "/pinjamanstaf <query>".
func (s *staff) enter(c *flows.Ctx) (string, error) {
	q := strings.TrimSpace(c.Update.Args)
	if c.Update.Command != StaffCommand || utf8.RuneCountInString(q) < minQuery {
		return "", nil
	}
	n, err := s.find(c, q)
	switch {
	case err != nil:
		return "", err
	case n == 0:
		c.Say("loan_staff_none", "Query", q)
		return "", nil
	case n == 1:
		return stSView, nil
	}
	return stSPick, nil
}

// find searches loans by number or name: one result is selected and shown,
// several are kept for the pick step. It returns how many were found.
func (s *staff) find(c *flows.Ctx, q string) (int, error) {
	if n, ok := ParseNumber(q); ok {
		q = n
	}
	list, err := s.loans.FindLoans(c, q, maxResults)
	if err != nil || len(list) == 0 {
		return 0, err
	}
	if len(list) == 1 {
		return 1, s.selectLoan(c, list[0])
	}
	ids := make([]string, len(list))
	labels := make([]string, len(list))
	for i, l := range list {
		ids[i] = itoa(l.ID)
		labels[i] = l.Number + " · " + l.ApplicantName
	}
	c.Set(kIDs, strings.Join(ids, ","))
	c.Set(kLabels, strings.Join(labels, kSep))
	return len(list), nil
}

// selectLoan makes l the loan the steps work on and shows it.
func (s *staff) selectLoan(c *flows.Ctx, l store.Loan) error {
	c.Set(kLoan, itoa(l.ID))
	c.Set(kShown, l.Number)
	c.Set(kStage, l.Stage)
	c.Set(kRun, boolStr(running(l.Stage)))
	c.Del(kDisb)
	if !l.DisbursedAt.IsZero() {
		c.Set(kDisb, l.DisbursedAt.In(wib).Format("2006-01-02"))
	}
	return s.showCard(c, l)
}

// showCard shows the staff's view of l and audits it.
func (s *staff) showCard(c *flows.Ctx, l store.Loan) error {
	card, err := s.card(c, l)
	if err != nil {
		return err
	}
	if err := s.audit.Audit(c, store.AuditEntry{Actor: c.UserID(), Action: "view", Object: object(l),
		At: c.Now}); err != nil {
		return err
	}
	c.Reply(flows.Reply{Text: card})
	return nil
}

// reload reads the selected loan again and selects it.
func (s *staff) reload(c *flows.Ctx) (store.Loan, error) {
	l, err := s.loans.LoanByID(c, atoi(c.Get(kLoan)))
	if err != nil {
		return store.Loan{}, err
	}
	return l, s.selectLoan(c, l)
}

func (s *staff) searchStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			return flows.Say("loan_staff_ask_search").WithButtons(flows.Btn("loan_btn_attempts", "attempts"))
		},
		Help:    flows.T("loan_staff_help_search"),
		Example: flows.T("loan_staff_ex_search"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			if in.Choice == "attempts" {
				return evAttempts, nil
			}
			q := strings.TrimSpace(in.Text)
			if utf8.RuneCountInString(q) < minQuery {
				return flows.Stay, flows.Invalid("loan_staff_query_short")
			}
			n, err := s.find(c, q)
			switch {
			case err != nil:
				return "", err
			case n == 0:
				return flows.Stay, flows.Invalid("loan_staff_none", "Query", q)
			case n == 1:
				return evFound, nil
			}
			return evList, nil
		},
	}
}

func (s *staff) pickStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			labels := strings.Split(c.Get(kLabels), kSep)
			r := flows.Say("loan_staff_pick", "Count", len(labels))
			for i, label := range labels {
				r = r.WithButtons(flows.Button{Label: flows.Raw(label), Data: "i" + strconv.Itoa(i)})
			}
			return r.WithButtons(flows.Btn("loan_btn_search_again", "search"))
		},
		Help: flows.T("loan_staff_help_pick"),
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			if in.Choice == "search" {
				return evSearch, nil
			}
			ids := strings.Split(c.Get(kIDs), ",")
			i, ok := indexChoice(in.Choice)
			if !ok || i >= len(ids) {
				return flows.Stay, flows.Invalid("err_choose_button")
			}
			l, err := s.loans.LoanByID(c, atoi(ids[i]))
			if err != nil {
				return "", err
			}
			return evFound, s.selectLoan(c, l)
		},
	}
}

func (s *staff) viewStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			r := flows.Say("loan_staff_view_prompt", "Number", c.Get(kShown))
			var row []flows.Button
			if len(domain.Allowed(c.Get(kStage))) > 0 {
				row = append(row, flows.Btn("loan_btn_move", "stage"))
			}
			if c.Get(kRun) == "1" {
				row = append(row, flows.Btn("loan_btn_pay", "pay"))
			}
			if len(row) > 0 {
				r = r.WithRow(row...)
			}
			return r.WithRow(flows.Btn("loan_btn_attempts", "attempts"), flows.Btn("loan_btn_search_again", "search"))
		},
		Help: flows.T("loan_staff_help_view"),
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			switch in.Choice {
			case "stage":
				l, err := s.loans.LoanByID(c, atoi(c.Get(kLoan)))
				if err != nil {
					return "", err
				}
				c.Set(kStage, l.Stage)
				if len(domain.Allowed(l.Stage)) == 0 {
					return flows.Stay, flows.Invalid("loan_staff_stage_final", "Stage", StageText(l.Stage))
				}
				return evStage, nil
			case "pay":
				if c.Get(kRun) != "1" {
					return flows.Stay, flows.Invalid("loan_staff_pay_stage")
				}
				c.Set(kRef, "bot:"+randomRef())
				return evPay, nil
			case "attempts":
				return evAttempts, nil
			case "search":
				return evSearch, nil
			}
			return flows.Stay, flows.Invalid("err_choose_button")
		},
	}
}
