package training

import (
	"strconv"
	"time"

	"github.com/looplab/fsm"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// States of the staff's form (/pelatihanbaru, /pelatihanedit).
const (
	stTopic    = "topic"
	stTitle    = "title"
	stDesc     = "desc"
	stStart    = "start"
	stEnd      = "end"
	stPlace    = "place"
	stCap      = "cap"
	stCap0     = "cap0"
	stDeadline = "deadline"
	stPreview  = "preview"
	stFields   = "fields"
	stPick     = "pick"
)

// Data keys of the form. Times are RFC 3339 in UTC.
const (
	kTopic    = "topic"
	kTitle    = "title"
	kDesc     = "desc"
	kStart    = "start"
	kEnd      = "end"
	kPlace    = "place"
	kLink     = "link"
	kCap      = "cap"
	kDeadline = "deadline"
	kDLAuto   = "dlauto"  // "1" while the deadline is the default one
	kEditing  = "editing" // "1" once the preview was reached
	kID       = "id"      // the training being edited
)

// formOrder is the sequence of the form; "next" moves along it.
var formOrder = []string{stTopic, stTitle, stDesc, stStart, stEnd, stPlace, stCap, stDeadline, stPreview}

// formFields are the fields "Ubah" offers, with their button labels.
var formFields = []struct{ state, label string }{
	{stTopic, "train_btn_f_topic"}, {stTitle, "train_btn_f_title"}, {stDesc, "train_btn_f_desc"},
	{stStart, "train_btn_f_start"}, {stEnd, "train_btn_f_end"}, {stPlace, "train_btn_f_place"},
	{stCap, "train_btn_f_cap"}, {stDeadline, "train_btn_f_deadline"},
}

// createFlow is /pelatihanbaru: the form, the preview and the save.
func (b *tr) createFlow() *flows.Flow {
	return &flows.Flow{
		Name:      CreateName,
		Version:   1,
		Title:     flows.T("train_new_title_flow"),
		Start:     stTopic,
		Commands:  []string{cmdCreate},
		StaffOnly: true,
		KeepDraft: true,
		Events:    formEvents(false),
		Steps:     b.formSteps(false),
	}
}

// formEvents is the form's transition table; edit adds the pick that
// starts /pelatihanedit.
func formEvents(edit bool) fsm.Events {
	var evs fsm.Events
	for i := 0; i+1 < len(formOrder); i++ {
		evs = append(evs, fsm.EventDesc{Name: "next", Src: []string{formOrder[i]}, Dst: formOrder[i+1]})
	}
	back := []string{stCap0, stFields}
	for _, f := range formFields {
		back = append(back, f.state)
		evs = append(evs, fsm.EventDesc{Name: "to_" + f.state, Src: []string{stFields}, Dst: f.state})
	}
	evs = append(evs,
		fsm.EventDesc{Name: "summary", Src: back, Dst: stPreview},
		fsm.EventDesc{Name: "edit", Src: []string{stPreview}, Dst: stFields},
		fsm.EventDesc{Name: "zero", Src: []string{stCap}, Dst: stCap0},
		fsm.EventDesc{Name: "recap", Src: []string{stCap0}, Dst: stCap},
		fsm.EventDesc{Name: "next", Src: []string{stCap0}, Dst: stDeadline},
	)
	if edit {
		evs = append(evs, fsm.EventDesc{Name: "chosen", Src: []string{stPick}, Dst: stPreview})
	}
	return evs
}

// formSteps are the steps of the form; edit saves with UpdateTraining.
func (b *tr) formSteps(edit bool) map[string]*flows.Step {
	return map[string]*flows.Step{
		stTopic:    b.topicStep(),
		stTitle:    b.titleStep(),
		stDesc:     b.descStep(),
		stStart:    b.startStep(),
		stEnd:      b.endStep(),
		stPlace:    b.placeStep(),
		stCap:      b.capStep(),
		stCap0:     b.cap0Step(),
		stDeadline: b.deadlineStep(),
		stPreview:  b.previewStep(edit),
		stFields:   b.fieldsStep(),
	}
}

// next is the event after a field was answered: the next question while
// the form is being filled in, the preview once it was reached.
func next(c *flows.Ctx) string {
	if c.Get(kEditing) == "1" {
		return "summary"
	}
	return "next"
}

// timeData reads a time kept in the form.
func timeData(c *flows.Ctx, key string) time.Time {
	t, _ := time.Parse(time.RFC3339, c.Get(key))
	return t
}

func setTime(c *flows.Ctx, key string, t time.Time) { c.Set(key, t.UTC().Format(time.RFC3339)) }

// record is the training the form describes.
func record(c *flows.Ctx) store.Training {
	id, _ := strconv.ParseInt(c.Get(kID), 10, 64)
	return store.Training{
		ID:          id,
		Topic:       c.Get(kTopic),
		Title:       c.Get(kTitle),
		Description: c.Get(kDesc),
		StartAt:     timeData(c, kStart),
		EndAt:       timeData(c, kEnd),
		Place:       c.Get(kPlace),
		Link:        c.Get(kLink),
		Capacity:    atoiData(c, kCap),
		Deadline:    timeData(c, kDeadline),
		Status:      store.TrainingOpen,
	}
}

// load puts a saved training into the form, for a change.
func load(c *flows.Ctx, t store.Training) {
	c.Set(kID, strconv.FormatInt(t.ID, 10))
	c.Set(kTopic, t.Topic)
	c.Set(kTitle, t.Title)
	c.Set(kDesc, t.Description)
	setTime(c, kStart, t.StartAt)
	setTime(c, kEnd, t.EndAt)
	c.Set(kPlace, t.Place)
	c.Set(kLink, t.Link)
	c.Set(kCap, strconv.Itoa(t.Capacity))
	setTime(c, kDeadline, t.Deadline)
	c.Set(kEditing, "1")
}

// summaryText lists the form's fields for the staff.
func summaryText(t store.Training) flows.Text {
	desc := flows.T("train_value_empty")
	if t.Description != "" {
		desc = flows.Raw(t.Description)
	}
	return flows.T("train_summary", "Topic", topicText(t.Topic), "Title", t.Title, "Desc", desc,
		"Start", flows.DateTime(t.StartAt), "End", endText(t), "Where", whereText(t, true),
		"Capacity", t.Capacity, "Deadline", flows.DateTime(t.Deadline))
}

func (b *tr) previewStep(edit bool) *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			t := record(c)
			msg := "train_preview"
			if edit {
				msg = "train_edit_preview"
			}
			r := flows.Say(msg, "ID", t.ID, "Details", summaryText(t))
			if t.Capacity == 0 {
				r.Text.Data["Zero"] = flows.T("train_preview_zero")
			} else {
				r.Text.Data["Zero"] = ""
			}
			r.Text.Data["Moved"] = ""
			if edit {
				r.Text.Data["Moved"] = b.movedPreview(c, t)
			}
			return r.WithRow(flows.Btn("btn_save", "save"), flows.Btn("btn_change", "edit"))
		},
		Help: flows.T("train_help_preview"),
		Text: true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			switch yesNo(in, "save", "edit") {
			case "save":
				if edit {
					return b.update(c)
				}
				return b.create(c)
			case "edit":
				return "edit", nil
			}
			return flows.Stay, flows.Invalid("train_preview_choose")
		},
	}
}

// create saves the new training and gives its deep link.
func (b *tr) create(c *flows.Ctx) (string, error) {
	t := record(c)
	if err := checkForm(t, c.Now); err != nil {
		return flows.Stay, err
	}
	t.CreatedBy = c.UserID()
	saved, err := b.ts.CreateTraining(c, c.UserID(), t)
	if err != nil {
		return flows.Stay, err
	}
	c.Say("train_created", "ID", saved.ID, "Title", saved.Title, "Link", b.opt.DeepLink(saved.ID))
	return flows.End, nil
}

// checkForm checks what may have gone stale while the form waited: the
// start and the deadline must still be ahead.
func checkForm(t store.Training, now time.Time) error {
	if err := checkStart(t.StartAt, now); err != nil {
		return err
	}
	return checkDeadline(t.Deadline, t.StartAt, now)
}

func (b *tr) fieldsStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			r := flows.Say("train_fields")
			for i := 0; i < len(formFields); i += 2 {
				var row []flows.Button
				for _, f := range formFields[i:min(len(formFields), i+2)] {
					row = append(row, flows.Btn(f.label, f.state))
				}
				r = r.WithRow(row...)
			}
			return r.WithRow(flows.Btn("train_btn_to_preview", "back"))
		},
		Help: flows.T("train_help_fields"),
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			if in.Choice == "back" {
				return "summary", nil
			}
			for _, f := range formFields {
				if f.state == in.Choice {
					c.Set(kEditing, "1")
					return "to_" + f.state, nil
				}
			}
			return flows.Stay, flows.Invalid("err_choose_button")
		},
	}
}
