package training

import (
	"errors"
	"strconv"
	"strings"

	"github.com/looplab/fsm"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/store"
)

// States of the owners' flow.
const (
	stList   = "list"
	stDetail = "detail"
	stWait   = "wait"
)

// Data keys shared by the flows.
const (
	kItems    = "items"    // the list page shown (JSON []store.TrainingSeats)
	kTotal    = "total"    // how many trainings the list has
	kPage     = "page"     // the page shown, from 0
	kTopicF   = "filter"   // the topic filter, "" for all
	kTraining = "training" // the training shown (JSON store.TrainingSeats)
	kMine     = "mine"     // the owner's place in it (JSON store.Booking)
)

// ownerFlow is /pelatihan: the list, a training's detail, and the booking.
// "/pelatihan 12" opens training 12 (deep links), "/pelatihan daftar 12"
// books it (after a registration), "/pelatihan keuangan" filters.
func (b *tr) ownerFlow() *flows.Flow {
	return &flows.Flow{
		Name:     Name,
		Version:  1,
		Title:    flows.T("train_title"),
		Start:    stList,
		Commands: []string{cmdList},
		Events: fsm.Events{
			{Name: "open", Src: []string{stList}, Dst: stDetail},
			{Name: "tolist", Src: []string{stDetail, stWait}, Dst: stList},
			{Name: "full", Src: []string{stDetail}, Dst: stWait},
		},
		Steps: map[string]*flows.Step{
			stList: {
				Prompt: b.listPrompt,
				Help:   flows.T("train_help_list"),
				Text:   true,
				Handle: b.readList,
			},
			stDetail: {
				Prompt: b.detailPrompt,
				Help:   flows.T("train_help_detail"),
				Text:   true,
				Handle: b.readDetail,
			},
			stWait: {
				Prompt: b.waitPrompt,
				Help:   flows.T("train_help_wait"),
				Text:   true,
				Handle: b.readWait,
			},
		},
		Enter: b.enterOwner,
	}
}

func (b *tr) enterOwner(c *flows.Ctx) (string, error) {
	args := ""
	if c.Update.Command == cmdList {
		args = c.Update.Args
	}
	words := strings.Fields(strings.ToLower(args))
	switch {
	case len(words) == 2 && words[0] == "daftar":
		if id, ok := parseID(words[1]); ok {
			return b.bookFromCommand(c, id)
		}
	case len(words) == 1 && isNumber(words[0]):
		if id, ok := parseID(words[0]); ok {
			found, err := b.loadDetail(c, id)
			if err != nil || found {
				return stDetail, err
			}
		}
		c.Say("train_not_found", "ID", words[0])
	case len(words) > 0:
		if key, ok := typedTopic(args); ok {
			c.Set(kTopicF, key)
		}
	}
	return stList, b.loadList(c, 0)
}

// loadList keeps page of the upcoming trainings of the chosen topic for
// the list's prompt.
func (b *tr) loadList(c *flows.Ctx, page int) error {
	page = max(page, 0)
	list, total, err := b.ts.Upcoming(c, c.Now, c.Get(kTopicF), page*PageSize, PageSize)
	if err != nil {
		return err
	}
	if len(list) == 0 && page > 0 && total > 0 {
		page = pagesOf(total, PageSize) - 1
		if list, total, err = b.ts.Upcoming(c, c.Now, c.Get(kTopicF), page*PageSize, PageSize); err != nil {
			return err
		}
	}
	setJSON(c, kItems, stripped(list))
	c.Set(kTotal, strconv.Itoa(total))
	c.Set(kPage, strconv.Itoa(page))
	return nil
}

func (b *tr) listPrompt(c *flows.Ctx) flows.Reply {
	var list []store.TrainingSeats
	getJSON(c, kItems, &list)
	page, total := atoiData(c, kPage), atoiData(c, kTotal)
	filter := c.Get(kTopicF)
	var r flows.Reply
	if len(list) == 0 {
		msg := "train_list_empty"
		if filter != "" {
			msg = "train_list_empty_topic"
		}
		r = flows.Say(msg, "Topic", filterText(filter))
	} else {
		lines := make([]flows.Text, len(list))
		for i, t := range list {
			lines[i] = lineText(page*PageSize+i+1, t, c.Now)
		}
		pages := pagesOf(total, PageSize)
		r = flows.Say("train_list", "Topic", filterText(filter), "Lines", lines, "Page", page+1, "Pages", pages,
			"Total", total)
		r = r.WithRow(numberButtons(page*PageSize, list)...)
		if nav := navRow(page, pages); nav != nil {
			r = r.WithRow(nav...)
		}
	}
	return r.WithRow(topicButton(""), topicButton(store.TopicFinance), topicButton(store.TopicLegal)).
		WithRow(topicButton(store.TopicMarketing), topicButton(store.TopicExport))
}

// topicButton filters the list by topic key ("" for all).
func topicButton(key string) flows.Button {
	return flows.Button{Label: filterText(key), Data: "t:" + key}
}

func (b *tr) readList(c *flows.Ctx, in flows.Input) (string, error) {
	choice := in.Choice
	if choice == "" {
		if key, ok := typedTopic(in.Text); ok {
			choice = "t:" + key
		}
	}
	if id, ok := idChoice(choice, "d"); ok {
		found, err := b.loadDetail(c, id)
		if err != nil {
			return flows.Stay, err
		}
		if !found {
			c.Say("train_not_found", "ID", id)
			return flows.Stay, b.reprompt(c, b.loadList(c, atoiData(c, kPage)))
		}
		return "open", nil
	}
	if page, ok := strings.CutPrefix(choice, "p"); ok {
		n, err := strconv.Atoi(page)
		if err == nil {
			return flows.Stay, b.reprompt(c, b.loadList(c, n))
		}
	}
	if key, ok := strings.CutPrefix(choice, "t:"); ok {
		c.Set(kTopicF, key)
		return flows.Stay, b.reprompt(c, b.loadList(c, 0))
	}
	return flows.Stay, flows.Invalid("train_list_choose")
}

// reprompt shows the step's question again after a reload that worked.
func (b *tr) reprompt(c *flows.Ctx, err error) error {
	if err == nil {
		c.Prompt()
	}
	return err
}

// loadDetail keeps training id and the owner's place in it for the
// detail's prompt; found is false when there is no such training.
func (b *tr) loadDetail(c *flows.Ctx, id int64) (found bool, err error) {
	t, err := b.ts.Training(c, id)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	mine, err := b.placeIn(c, id)
	if err != nil {
		return false, err
	}
	setJSON(c, kTraining, t)
	if mine != nil {
		setJSON(c, kMine, mine)
	} else {
		c.Del(kMine)
	}
	return true, nil
}

// placeIn returns the owner's active place in training id, if any.
func (b *tr) placeIn(c *flows.Ctx, id int64) (*store.Booking, error) {
	list, err := b.ts.BookingsOf(c, c.UserID(), c.Now)
	if err != nil {
		return nil, err
	}
	for _, bk := range list {
		if bk.TrainingID == id && bk.Status != store.BookingCancelled {
			return &bk, nil
		}
	}
	return nil, nil
}

// shown is the training the detail shows.
func shown(c *flows.Ctx) store.TrainingSeats {
	var t store.TrainingSeats
	getJSON(c, kTraining, &t)
	return t
}

func (b *tr) detailPrompt(c *flows.Ctx) flows.Reply {
	t := shown(c)
	var mine *store.Booking
	var bk store.Booking
	if getJSON(c, kMine, &bk) {
		mine = &bk
	}
	r := flows.Reply{Text: detailText(t, mine, c.Now)}
	switch {
	case mine != nil:
		r = r.WithRow(flows.Btn("train_btn_mine", "/"+cmdMine))
	case bookable(t.Training, c.Now) && !full(t):
		r = r.WithRow(flows.Btn("train_btn_book", "book"))
	case bookable(t.Training, c.Now):
		r = r.WithRow(flows.Btn("train_btn_waitlist", "book"))
	}
	return r.WithRow(flows.Btn("train_btn_list", "list"))
}

func (b *tr) readDetail(c *flows.Ctx, in flows.Input) (string, error) {
	if in.Choice == "" && bookable(shown(c).Training, c.Now) {
		// "daftar", "mau daftar", "ya": the owner wants the seat (or the
		// waitlist, which book asks about first).
		if t := field.Normalize(in.Text); field.IsYes(t) || strings.Contains(t, "daftar") {
			in.Choice = "book"
		}
	}
	switch in.Choice {
	case "book":
		return b.book(c, shown(c).ID, false)
	case "list":
		return "tolist", b.loadList(c, atoiData(c, kPage))
	}
	return flows.Stay, flows.Invalid("train_detail_choose")
}

func (b *tr) waitPrompt(c *flows.Ctx) flows.Reply {
	t := shown(c)
	return flows.Say("train_full_ask", "Title", t.Title, "Waiting", t.Waitlisted, "Position", t.Waitlisted+1).
		WithRow(flows.Btn("train_btn_waitlist", "yes"), flows.Btn("train_btn_no_wait", "no"))
}

func (b *tr) readWait(c *flows.Ctx, in flows.Input) (string, error) {
	switch yesNo(in, "yes", "no") {
	case "yes":
		return b.book(c, shown(c).ID, true)
	case "no":
		c.Say("train_wait_declined")
		return "tolist", b.loadList(c, atoiData(c, kPage))
	}
	return flows.Stay, flows.Invalid("train_wait_choose")
}
