package loan

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/flows/loan/domain"
	"github.com/diskum-tangerang/umkmbot/store"
)

// noteRequired tells whether moving to stage needs a note: the documents
// missing, the reason of a rejection.
func noteRequired(stage string) bool { return stage == domain.PerluLengkapi || stage == domain.Ditolak }

// typedStage reads a stage code typed by staff ("ditolak", "perlu
// lengkapi", "RAPAT_KOMITE"), or "".
func typedStage(s string) string {
	code := strings.ToUpper(strings.ReplaceAll(field.Normalize(s), " ", "_"))
	if domain.Known(code) {
		return code
	}
	return ""
}

// allowedText lists the stages a loan at from may move to.
func allowedText(from string) []flows.Text {
	var out []flows.Text
	for _, s := range domain.Allowed(from) {
		out = append(out, flows.T("loan_staff_allowed_line", "Stage", StageText(s)))
	}
	return out
}

func (s *staff) stageStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			from := c.Get(kStage)
			r := flows.Say("loan_staff_ask_stage", "Number", c.Get(kShown), "Stage", StageText(from))
			for _, to := range domain.Allowed(from) {
				r = r.WithButtons(flows.Button{Label: StageText(to), Data: to})
			}
			return r.WithButtons(flows.Btn("btn_back", "back"))
		},
		Help: flows.T("loan_staff_help_stage"),
		Text: true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			if in.Choice == "back" {
				return evBack, nil
			}
			to := in.Choice
			if to == "" {
				to = typedStage(in.Text)
			}
			from := c.Get(kStage)
			if !domain.Known(to) {
				return flows.Stay, flows.Invalid("loan_staff_stage_unknown", "Allowed", allowedText(from))
			}
			if err := domain.CanMove(from, to); err != nil {
				return flows.Stay, refused(from, to)
			}
			c.Set(kTo, to)
			c.Del(kNote)
			c.Del(kApproved)
			if to != domain.Disetujui {
				return evNote, nil
			}
			l, err := s.loans.LoanByID(c, atoi(c.Get(kLoan)))
			if err != nil {
				return "", err
			}
			c.Set(kReq, itoa(l.Requested))
			return evApprove, nil
		},
	}
}

// refused explains that the domain does not allow a move.
func refused(from, to string) error {
	return flows.Invalid("loan_staff_move_refused", "From", StageText(from), "To", StageText(to),
		"Allowed", allowedText(from))
}

func (s *staff) noteStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			to := c.Get(kTo)
			if noteRequired(to) {
				return flows.Say("loan_staff_ask_note_required", "To", StageText(to))
			}
			return flows.Say("loan_staff_ask_note", "To", StageText(to)).WithButtons(flows.Btn("btn_skip", "skip"))
		},
		Help: flows.T("loan_staff_help_note"),
		Text: true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			to := c.Get(kTo)
			note := strings.TrimSpace(in.Text)
			if in.Choice == "skip" || field.IsSkip(note) {
				note = ""
			}
			switch {
			case note == "" && noteRequired(to):
				return flows.Stay, flows.Invalid("loan_staff_note_required", "To", StageText(to))
			case utf8.RuneCountInString(note) > maxNote:
				return flows.Stay, flows.Invalid("loan_staff_note_long", "Max", maxNote)
			}
			c.Set(kNote, note)
			return evConfirm, nil
		},
	}
}

func (s *staff) confirmStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			var note any = flows.T("loan_staff_note_none")
			if n := c.Get(kNote); n != "" {
				note = n
			}
			return flows.Say("loan_staff_move_confirm", "Number", c.Get(kShown), "From", StageText(c.Get(kStage)),
				"To", StageText(c.Get(kTo)), "Approved", approvedData(c), "Note", note).
				WithRow(flows.Btn("loan_btn_move_yes", "yes"), flows.Btn("btn_no", "no"))
		},
		Help:   flows.T("loan_staff_help_confirm"),
		Text:   true,
		NoBack: true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			switch yesNo(in) {
			case "yes":
				return s.move(c)
			case "no":
				c.Say("loan_staff_move_aborted")
				return evBack, nil
			}
			return flows.Stay, flows.Invalid("err_choose_button")
		},
	}
}

// move changes the stage, unless someone else changed it first: then the
// loan is shown again as it is now.
func (s *staff) move(c *flows.Ctx) (string, error) {
	id, from, to, note := atoi(c.Get(kLoan)), c.Get(kStage), c.Get(kTo), c.Get(kNote)
	if err := domain.CanMove(from, to); err != nil {
		return flows.Stay, refused(from, to)
	}
	var approved int64
	if to == domain.Disetujui {
		if approved = atoi(c.Get(kApproved)); approved <= 0 {
			return flows.Stay, flows.Invalid("loan_staff_approved_zero")
		}
		// The requested amount may have changed (an import) since it was
		// shown.
		l, err := s.loans.LoanByID(c, id)
		if err != nil {
			return "", err
		}
		if l.Requested > 0 && approved > l.Requested {
			return flows.Stay, flows.Invalid("loan_staff_approved_over", "Amount", flows.Rupiah(approved),
				"Requested", flows.Rupiah(l.Requested))
		}
	}
	notify, owners, err := s.notifier(c, id)
	if err != nil {
		return "", err
	}
	err = s.loans.MoveStage(c, store.StageMove{Actor: c.UserID(), LoanID: id, From: from, To: to, Note: note,
		Approved: approved, At: c.Now}, notify)
	if errors.Is(err, store.ErrConflict) {
		l, err := s.loans.LoanByID(c, id)
		if err != nil {
			return "", err
		}
		c.Say("loan_staff_conflict", "Number", l.Number, "Stage", StageText(l.Stage))
		return evBack, s.selectLoan(c, l)
	}
	if err != nil {
		return "", err
	}
	c.Say("loan_staff_moved", "Number", c.Get(kShown), "From", StageText(from), "To", StageText(to),
		"Approved", approvedData(c), "Owners", owners)
	_, err = s.reload(c)
	return evBack, err
}

// notifier returns the notice builder for a change of the loan, with the
// language of each linked owner read beforehand (the store calls it inside
// its transaction), and how many owners will be told.
func (s *staff) notifier(c *flows.Ctx, loanID int64) (store.LoanNotify, int, error) {
	users, err := s.loans.LinkedUsers(c, loanID)
	if err != nil {
		return nil, 0, err
	}
	langs := make(map[int64]string, len(users))
	if s.opt.Users != nil {
		for _, u := range users {
			usr, err := s.opt.Users.User(c, u)
			switch {
			case err == nil:
				langs[u] = usr.Language()
			case !errors.Is(err, store.ErrNotFound):
				return nil, 0, err
			}
		}
	}
	return NewNotify(func(id int64) string { return langs[id] }), len(users), nil
}
