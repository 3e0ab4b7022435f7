package loan

import (
	"errors"
	"strconv"
	"strings"

	"github.com/looplab/fsm"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/store"
)

// States of the owner's flow.
const (
	stNumber = "number" // the application number, to link
	stNIK    = "nik"    // the NIK, to link
	stPick   = "pick"   // one of several linked loans
	stView   = "view"   // a loan was shown; what next
	stSched  = "sched"  // a page of the full schedule
	stUnlink = "unlink" // confirm unlinking
)

// Events of the owner's flow.
const (
	evNIK    = "nik"
	evRetry  = "retry"
	evView   = "view"
	evPick   = "pick"
	evLink   = "link"
	evSched  = "sched"
	evUnlink = "unlink"
)

// Data keys of the owner's flow. The NIK is never kept.
const (
	kNumber = "number" // the number typed, while linking
	kLoan   = "loan"   // id of the loan shown
	kShown  = "shown"  // its number, for prompts
	kList   = "list"   // numbers of the linked loans offered by pick, comma-separated
	kSched  = "hassched"
	kMany   = "many"
	kPage   = "page"
	kPages  = "pages"
)

// owner holds what the owner's steps need.
type owner struct {
	loans store.LoanStore
	tries store.AttemptLimiter
	opt   Options
}

// New returns the owner's flow (/pinjaman). The store audits linking and
// unlinking; tries counts failed lookups.
func New(loans store.LoanStore, tries store.AttemptLimiter, opt Options) *flows.Flow {
	o := &owner{loans: loans, tries: tries, opt: opt}
	return &flows.Flow{
		Name:     Name,
		Version:  1,
		Title:    flows.T("loan_title"),
		Start:    stNumber,
		Commands: []string{Command},
		Events: fsm.Events{
			{Name: evNIK, Src: []string{stNumber}, Dst: stNIK},
			{Name: evRetry, Src: []string{stNIK}, Dst: stNumber},
			{Name: evView, Src: []string{stNIK, stPick, stView, stSched, stUnlink}, Dst: stView},
			{Name: evPick, Src: []string{stView}, Dst: stPick},
			{Name: evLink, Src: []string{stPick, stView}, Dst: stNumber},
			{Name: evSched, Src: []string{stView}, Dst: stSched},
			{Name: evUnlink, Src: []string{stView}, Dst: stUnlink},
		},
		Steps: map[string]*flows.Step{
			stNumber: o.numberStep(),
			stNIK:    o.nikStep(),
			stPick:   o.pickStep(),
			stView:   o.viewStep(),
			stSched:  o.schedStep(),
			stUnlink: o.unlinkStep(),
		},
		Enter: o.enter,
	}
}

// enter shows the owner's only linked loan, offers a choice among several,
// or asks for an application number to link, unless lookups are locked.
func (o *owner) enter(c *flows.Ctx) (string, error) {
	list, err := o.loans.LinkedLoans(c, c.UserID())
	if err != nil {
		return "", err
	}
	switch len(list) {
	case 0:
		if locked, err := o.sayIfLocked(c); err != nil || locked {
			return flows.End, err
		}
		c.Say("loan_link_intro")
		return stNumber, nil
	case 1:
		return stView, o.show(c, list[0], list)
	}
	o.offer(c, list)
	return stPick, nil
}

// sayIfLocked tells a locked-out owner until when, and ends the flow.
func (o *owner) sayIfLocked(c *flows.Ctx) (bool, error) {
	locked, until, err := o.tries.Locked(c, c.UserID())
	if err != nil || !locked {
		return false, err
	}
	o.sayLocked(c, until)
	return true, nil
}

// offer keeps the numbers the pick step shows as buttons.
func (o *owner) offer(c *flows.Ctx, list []store.Loan) {
	nums := make([]string, len(list))
	for i, l := range list {
		nums[i] = l.Number
	}
	c.Set(kList, strings.Join(nums, ","))
}

// show remembers l as the loan shown and describes it. list is the owner's
// linked loans, l among them.
func (o *owner) show(c *flows.Ctx, l store.Loan, list []store.Loan) error {
	hist, err := o.loans.History(c, l.ID)
	if err != nil {
		return err
	}
	pays, err := o.loans.Payments(c, l.ID)
	if err != nil {
		return err
	}
	c.Set(kLoan, itoa(l.ID))
	c.Set(kShown, l.Number)
	c.Set(kSched, boolStr(hasSchedule(l)))
	c.Set(kMany, boolStr(len(list) > 1))
	c.Reply(flows.Reply{Text: ownerCard(l, hist, pays, c.Now)})
	return nil
}

// current returns the loan the session shows, after checking that it is
// still linked to this owner. ok=false means it is not (unlinked meanwhile,
// or never): the caller starts over.
func (o *owner) current(c *flows.Ctx) (store.Loan, []store.Loan, bool, error) {
	list, err := o.loans.LinkedLoans(c, c.UserID())
	if err != nil {
		return store.Loan{}, nil, false, err
	}
	id := atoi(c.Get(kLoan))
	for _, l := range list {
		if id != 0 && l.ID == id {
			return l, list, true, nil
		}
	}
	return store.Loan{}, list, false, nil
}

// restart answers a step whose loan is no longer the owner's: the flow
// starts again from what is linked now.
func (o *owner) restart(c *flows.Ctx) (string, error) {
	c.Say("loan_not_linked")
	c.Switch(Name, "")
	return flows.End, nil
}

func (o *owner) pickStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			r := flows.Say("loan_pick")
			for i, n := range strings.Split(c.Get(kList), ",") {
				if n != "" {
					r = r.WithButtons(flows.Button{Label: flows.Raw(n), Data: "i" + strconv.Itoa(i)})
				}
			}
			return r.WithButtons(flows.Btn("loan_btn_link_more", "link"))
		},
		Help: flows.T("loan_help_pick"),
		Text: true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			if in.Choice == "link" {
				return o.linkMore(c)
			}
			list, err := o.loans.LinkedLoans(c, c.UserID())
			if err != nil {
				return "", err
			}
			offered := strings.Split(c.Get(kList), ",")
			want := ""
			if i, ok := indexChoice(in.Choice); ok && i < len(offered) {
				want = offered[i]
			} else if n, ok := ParseNumber(in.Text); ok && in.Choice == "" {
				want = n
			}
			for _, l := range list {
				if want != "" && l.Number == want {
					return evView, o.show(c, l, list)
				}
			}
			if len(list) == 0 {
				return o.restart(c)
			}
			o.offer(c, list)
			return flows.Stay, flows.Invalid("loan_pick_choose")
		},
	}
}

// linkMore goes to linking another application, unless lookups are
// locked.
func (o *owner) linkMore(c *flows.Ctx) (string, error) {
	if locked, err := o.sayIfLocked(c); err != nil || locked {
		return flows.End, err
	}
	return evLink, nil
}

func (o *owner) viewStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			r := flows.Say("loan_view_prompt", "Number", c.Get(kShown))
			if c.Get(kSched) == "1" {
				r = r.WithButtons(flows.Btn("loan_btn_schedule", "sched"))
			}
			if c.Get(kMany) == "1" {
				r = r.WithButtons(flows.Btn("loan_btn_other", "other"))
			}
			return r.WithRow(flows.Btn("loan_btn_link_more", "link"), flows.Btn("loan_btn_unlink", "unlink"))
		},
		Help: flows.T("loan_help_view"),
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			l, list, ok, err := o.current(c)
			if err != nil || !ok {
				if err != nil {
					return "", err
				}
				return o.restart(c)
			}
			switch in.Choice {
			case "sched":
				return o.openSchedule(c, l)
			case "other":
				o.offer(c, list)
				return evPick, nil
			case "link":
				return o.linkMore(c)
			case "unlink":
				return evUnlink, nil
			}
			return flows.Stay, flows.Invalid("err_choose_button")
		},
	}
}

// openSchedule shows the first page of the schedule.
func (o *owner) openSchedule(c *flows.Ctx, l store.Loan) (string, error) {
	if !hasSchedule(l) {
		return flows.Stay, flows.Invalid("loan_sched_none")
	}
	if err := o.sayPage(c, l, 0); err != nil {
		return "", err
	}
	return evSched, nil
}

// sayPage shows page p of the loan's schedule and remembers it.
func (o *owner) sayPage(c *flows.Ctx, l store.Loan, p int) error {
	s, _ := schedule(l)
	pays, err := o.loans.Payments(c, l.ID)
	if err != nil {
		return err
	}
	page, p := schedulePage(l, s, pays, c.Now, p)
	c.Set(kPage, strconv.Itoa(p))
	c.Set(kPages, strconv.Itoa(pages(len(s))))
	c.Reply(flows.Reply{Text: page})
	return nil
}

func (o *owner) schedStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			p, _ := strconv.Atoi(c.Get(kPage))
			n, _ := strconv.Atoi(c.Get(kPages))
			r := flows.Say("loan_sched_nav", "Page", p+1, "Pages", max(n, 1))
			var nav []flows.Button
			if p > 0 {
				nav = append(nav, flows.Btn("btn_prev", "p"+strconv.Itoa(p-1)))
			}
			if p+1 < n {
				nav = append(nav, flows.Btn("btn_next", "p"+strconv.Itoa(p+1)))
			}
			if len(nav) > 0 {
				r = r.WithRow(nav...)
			}
			return r.WithButtons(flows.Btn("loan_btn_back_status", "back"))
		},
		Help:   flows.T("loan_help_sched"),
		NoBack: true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			l, list, ok, err := o.current(c)
			if err != nil || !ok {
				if err != nil {
					return "", err
				}
				return o.restart(c)
			}
			if in.Choice == "back" {
				return evView, o.show(c, l, list)
			}
			p, ok := pageChoice(in.Choice)
			if !ok || !hasSchedule(l) {
				return flows.Stay, flows.Invalid("err_choose_button")
			}
			if err := o.sayPage(c, l, p); err != nil {
				return "", err
			}
			c.Prompt()
			return flows.Stay, nil
		},
	}
}

func (o *owner) unlinkStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			return flows.Say("loan_unlink_confirm", "Number", c.Get(kShown)).
				WithRow(flows.Btn("loan_btn_unlink_yes", "yes"), flows.Btn("btn_no", "no"))
		},
		Help:   flows.T("loan_help_unlink"),
		Text:   true,
		NoBack: true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			l, list, ok, err := o.current(c)
			if err != nil || !ok {
				if err != nil {
					return "", err
				}
				return o.restart(c)
			}
			switch yesNo(in) {
			case "yes":
				if err := o.loans.Unlink(c, c.UserID(), l.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
					return "", err
				}
				c.Say("loan_unlinked", "Number", l.Number)
				c.Switch(o.opt.menu(), "")
				return flows.End, nil
			case "no":
				return evView, o.show(c, l, list)
			}
			return flows.Stay, flows.Invalid("loan_unlink_choose")
		},
	}
}

// hasSchedule tells whether the loan has a schedule to show.
func hasSchedule(l store.Loan) bool {
	_, ok := schedule(l)
	return ok
}

// yesNo reads a two-button answer: the button's choice, or a typed yes or
// no.
func yesNo(in flows.Input) string {
	switch {
	case in.Choice != "":
		return in.Choice
	case field.IsYes(in.Text):
		return "yes"
	case field.IsNo(in.Text):
		return "no"
	}
	return ""
}

// indexChoice reads an index button's choice ("i2").
func indexChoice(choice string) (int, bool) {
	rest, ok := strings.CutPrefix(choice, "i")
	if !ok || rest == "" || len(rest) > 3 {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n >= 0
}

// pageChoice reads a page button's choice ("p1").
func pageChoice(choice string) (int, bool) {
	rest, ok := strings.CutPrefix(choice, "p")
	if !ok || rest == "" || len(rest) > 4 {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n >= 0
}

func boolStr(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
