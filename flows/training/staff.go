package training

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/looplab/fsm"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// stConfirm asks the staff to confirm a training's cancellation.
const stConfirm = "confirm"

// loader loads training id into a staff flow's data; it reports false
// after telling the staff why the training cannot be used.
type loader func(c *flows.Ctx, id int64) (bool, error)

// since is where a staff list of trainings begins.
type since func(c *flows.Ctx) time.Time

// fromNow lists the trainings that have not started.
func fromNow(c *flows.Ctx) time.Time { return c.Now }

// enterPick starts a staff flow: "/<cmd> 12" loads training 12 and goes to
// target; "/<cmd>" lists trainings to pick from.
func (b *tr) enterPick(cmd string, from since, target string, load loader) func(c *flows.Ctx) (string, error) {
	return func(c *flows.Ctx) (string, error) {
		if args := strings.TrimSpace(c.Update.Args); c.Update.Command == cmd && args != "" {
			id, ok := parseID(args)
			if !ok {
				c.Say("train_bad_id", "Cmd", "/"+cmd)
				return flows.End, nil
			}
			ok, err := load(c, id)
			if err != nil || !ok {
				return flows.End, err
			}
			return target, nil
		}
		n, err := b.loadPick(c, from(c), 0)
		if err != nil {
			return "", err
		}
		if n == 0 {
			c.Say("train_pick_empty")
			return flows.End, nil
		}
		return stPick, nil
	}
}

// loadPick keeps page of the trainings starting after from and returns
// how many there are.
func (b *tr) loadPick(c *flows.Ctx, from time.Time, page int) (int, error) {
	page = max(page, 0)
	list, total, err := b.ts.Upcoming(c, from, "", page*PageSize, PageSize)
	if err != nil {
		return 0, err
	}
	setJSON(c, kItems, stripped(list))
	c.Set(kTotal, strconv.Itoa(total))
	c.Set(kPage, strconv.Itoa(page))
	return total, nil
}

// pickStep lists trainings for the staff to choose one; load takes the
// chosen one, and the step fires "chosen".
func (b *tr) pickStep(from since, load loader) *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			var list []store.TrainingSeats
			getJSON(c, kItems, &list)
			page, total := atoiData(c, kPage), atoiData(c, kTotal)
			lines := make([]flows.Text, len(list))
			for i, t := range list {
				lines[i] = flows.T("train_staff_line", "N", page*PageSize+i+1, "ID", t.ID, "Title", t.Title,
					"Start", flows.DateTime(t.StartAt), "Booked", t.Booked, "Capacity", t.Capacity,
					"Waiting", t.Waitlisted)
			}
			pages := pagesOf(total, PageSize)
			r := flows.Say("train_pick", "Lines", lines, "Page", page+1, "Pages", pages).
				WithRow(numberButtons(page*PageSize, list)...)
			if nav := navRow(page, pages); nav != nil {
				r = r.WithRow(nav...)
			}
			return r
		},
		Help: flows.T("train_help_pick"),
		Text: true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			if id, ok := idChoice(in.Choice, "d"); ok {
				ok, err := load(c, id)
				if err != nil || !ok {
					return flows.Stay, err
				}
				return "chosen", nil
			}
			if p, ok := strings.CutPrefix(in.Choice, "p"); ok {
				if n, err := strconv.Atoi(p); err == nil {
					_, err := b.loadPick(c, from(c), n)
					return flows.Stay, b.reprompt(c, err)
				}
			}
			if id, ok := parseID(in.Text); ok {
				ok, err := load(c, id)
				if err != nil || !ok {
					return flows.Stay, err
				}
				return "chosen", nil
			}
			return flows.Stay, flows.Invalid("train_pick_choose")
		},
	}
}

// editFlow is /pelatihanedit [id]: the saved training in the form's
// preview, a field changed, and UpdateTraining.
func (b *tr) editFlow() *flows.Flow {
	steps := b.formSteps(true)
	steps[stPick] = b.pickStep(fromNow, b.loadEdit)
	return &flows.Flow{
		Name:      EditName,
		Version:   1,
		Title:     flows.T("train_edit_title"),
		Start:     stPick,
		Commands:  []string{cmdEdit},
		StaffOnly: true,
		Events:    formEvents(true),
		Steps:     steps,
		Enter:     b.enterPick(cmdEdit, fromNow, stPreview, b.loadEdit),
	}
}

func (b *tr) loadEdit(c *flows.Ctx, id int64) (bool, error) {
	t, err := b.ts.Training(c, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		c.Say("train_not_found", "ID", id)
		return false, nil
	case err != nil:
		return false, err
	case t.Status == store.TrainingCancelled:
		c.Say("train_edit_cancelled", "Title", t.Title)
		return false, nil
	case !c.Now.Before(t.StartAt):
		c.Say("train_edit_started", "Title", t.Title)
		return false, nil
	}
	load(c, t.Training)
	keepOriginal(c, t)
	if t.Deadline.Equal(defaultDeadline(t.StartAt, c.Now)) {
		c.Set(kDLAuto, "1")
	}
	return true, nil
}

// update saves the changed fields over the stored training; a change of
// date, time or place is told to every owner with a place, and a capacity
// raised offers seats to the waitlist (both through the outbox).
func (b *tr) update(c *flows.Ctx) (string, error) {
	form := record(c)
	cur, err := b.ts.Training(c, form.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		c.Say("train_not_found", "ID", form.ID)
		return flows.End, nil
	case err != nil:
		return flows.Stay, err
	case cur.Status == store.TrainingCancelled:
		c.Say("train_edit_cancelled", "Title", cur.Title)
		return flows.End, nil
	}
	if err := checkStart(form.StartAt, c.Now); err != nil {
		return flows.Stay, err
	}
	if !form.Deadline.Before(form.StartAt) || (!form.Deadline.Equal(cur.Deadline) && !form.Deadline.After(c.Now)) {
		return flows.Stay, checkDeadline(form.Deadline, form.StartAt, c.Now)
	}
	t := cur.Training
	t.Topic, t.Title, t.Description = form.Topic, form.Title, form.Description
	t.StartAt, t.EndAt, t.Place, t.Link = form.StartAt, form.EndAt, form.Place, form.Link
	t.Capacity, t.Deadline = form.Capacity, form.Deadline
	told, err := b.ts.UpdateTraining(c, c.UserID(), t, store.TrainingNotices{Offer: b.offerNotify(c.Now),
		Moved: MovedNotify(c.Now)})
	switch {
	case errors.Is(err, store.ErrConflict):
		latest, lerr := b.ts.Training(c, t.ID)
		if lerr != nil {
			return flows.Stay, lerr
		}
		return flows.Stay, flows.Invalid("train_edit_cap_low", "Booked", latest.Booked, "Capacity", t.Capacity)
	case errors.Is(err, store.ErrNotFound):
		c.Say("train_not_found", "ID", t.ID)
		return flows.End, nil
	case errors.Is(err, store.ErrClosed):
		c.Say("train_edit_cancelled", "Title", t.Title)
		return flows.End, nil
	case err != nil:
		return flows.Stay, err
	}
	c.Say("train_updated", "ID", t.ID, "Title", t.Title, "Link", b.opt.DeepLink(t.ID), "Told", told)
	return flows.End, nil
}

// cancelFlow is /pelatihanbatal [id]: confirm, then CancelTraining, which
// tells every booked and waitlisted owner through the outbox.
func (b *tr) cancelFlow() *flows.Flow {
	return &flows.Flow{
		Name:      CancelName,
		Version:   1,
		Title:     flows.T("train_tcancel_title"),
		Start:     stPick,
		Commands:  []string{cmdCancel},
		StaffOnly: true,
		Events:    fsm.Events{{Name: "chosen", Src: []string{stPick}, Dst: stConfirm}},
		Steps: map[string]*flows.Step{
			stPick: b.pickStep(fromNow, b.loadCancel),
			stConfirm: {
				Prompt: func(c *flows.Ctx) flows.Reply {
					t := shown(c)
					return flows.Say("train_tcancel_ask", "ID", t.ID, "Title", t.Title,
						"Start", flows.DateTime(t.StartAt), "Booked", t.Booked, "Waiting", t.Waitlisted).
						WithRow(flows.Btn("train_btn_tcancel_yes", "yes"), flows.Btn("train_btn_tcancel_no", "no"))
				},
				Help:   flows.T("train_help_tcancel"),
				Text:   true,
				Handle: b.readCancelTraining,
			},
		},
		Enter: b.enterPick(cmdCancel, fromNow, stConfirm, b.loadCancel),
	}
}

func (b *tr) loadCancel(c *flows.Ctx, id int64) (bool, error) {
	t, err := b.ts.Training(c, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		c.Say("train_not_found", "ID", id)
		return false, nil
	case err != nil:
		return false, err
	case t.Status == store.TrainingCancelled:
		c.Say("train_already_cancelled", "Title", t.Title)
		return false, nil
	case !c.Now.Before(t.EndAt):
		c.Say("train_tcancel_over", "Title", t.Title)
		return false, nil
	}
	t.Description = ""
	setJSON(c, kTraining, t)
	return true, nil
}

func (b *tr) readCancelTraining(c *flows.Ctx, in flows.Input) (string, error) {
	t := shown(c)
	switch yesNo(in, "yes", "no") {
	case "yes":
		n, err := b.ts.CancelTraining(c, c.UserID(), t.ID, cancelNotify(c.Now))
		switch {
		case errors.Is(err, store.ErrNotFound):
			c.Say("train_not_found", "ID", t.ID)
		case errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrClosed):
			c.Say("train_already_cancelled", "Title", t.Title)
		case err != nil:
			return flows.Stay, err
		default:
			c.Say("train_tcancel_done", "Title", t.Title, "Told", n)
		}
		return flows.End, nil
	case "no":
		c.Say("train_tcancel_kept", "Title", t.Title)
		return flows.End, nil
	}
	return flows.Stay, flows.Invalid("train_tcancel_choose")
}
