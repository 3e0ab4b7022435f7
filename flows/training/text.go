package training

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/store"
)

// topics are the training topics in the order the keyboards show them,
// with their labels.
var topics = []struct{ key, label string }{
	{store.TopicFinance, "train_topic_keuangan"},
	{store.TopicMarketing, "train_topic_pemasaran"},
	{store.TopicLegal, "train_topic_legalitas"},
	{store.TopicExport, "train_topic_ekspor"},
}

// topicWords are the words people type for each topic.
var topicWords = map[string]string{
	"keuangan": store.TopicFinance, "finance": store.TopicFinance, "manajemen keuangan": store.TopicFinance,
	"pembukuan": store.TopicFinance, "uang": store.TopicFinance,
	"pemasaran": store.TopicMarketing, "pemasaran digital": store.TopicMarketing, "digital": store.TopicMarketing,
	"marketing": store.TopicMarketing, "jualan online": store.TopicMarketing, "online": store.TopicMarketing,
	"legalitas": store.TopicLegal, "legal": store.TopicLegal, "nib": store.TopicLegal, "halal": store.TopicLegal,
	"pirt": store.TopicLegal, "izin": store.TopicLegal, "perizinan": store.TopicLegal,
	"ekspor": store.TopicExport, "export": store.TopicExport, "eksport": store.TopicExport,
}

// allWords mean "every topic".
var allWords = map[string]bool{"semua": true, "semua topik": true, "all": true, "semuanya": true}

// typedTopic reads a topic from typed text: its key, or "" with ok for
// "semua".
func typedTopic(s string) (key string, ok bool) {
	t := field.Normalize(s)
	t = strings.TrimPrefix(t, "topik ")
	if allWords[t] {
		return "", true
	}
	key, ok = topicWords[t]
	return key, ok
}

// topicText is a topic's label.
func topicText(key string) flows.Text {
	for _, t := range topics {
		if t.key == key {
			return flows.T(t.label)
		}
	}
	return flows.Raw(key)
}

// filterText names the topic filter: a topic, or "Semua topik".
func filterText(key string) flows.Text {
	if key == "" {
		return flows.T("train_topic_all")
	}
	return topicText(key)
}

// whereText is where the training happens: the place, or online with the
// link for those who booked and without it for the rest.
func whereText(t store.Training, showLink bool) flows.Text {
	switch {
	case t.Place != "":
		return flows.T("train_where_place", "Place", t.Place)
	case showLink && t.Link != "":
		return flows.T("train_where_link", "Link", t.Link)
	}
	return flows.T("train_where_online")
}

// endText is when the training ends: a time of day when it ends the day it
// starts, a full date otherwise.
func endText(t store.Training) any {
	s, e := t.StartAt.In(wib), t.EndAt.In(wib)
	if s.Year() == e.Year() && s.YearDay() == e.YearDay() {
		return flows.Clock(t.EndAt)
	}
	return flows.DateTime(t.EndAt)
}

// bookable reports whether the training takes bookings at now.
func bookable(t store.Training, now time.Time) bool {
	return t.Status == store.TrainingOpen && now.Before(t.Deadline) && now.Before(t.StartAt)
}

// full reports whether a booking of t would go to the waitlist: no seat
// left, or owners waiting before the newcomer.
func full(t store.TrainingSeats) bool { return t.SeatsLeft() == 0 || t.Waitlisted > 0 }

// seatsText says how many seats are left, or why none can be booked.
func seatsText(t store.TrainingSeats, now time.Time) flows.Text {
	switch {
	case t.Status == store.TrainingCancelled:
		return flows.T("train_seats_cancelled")
	case !now.Before(t.StartAt):
		return flows.T("train_seats_started")
	case !now.Before(t.Deadline):
		return flows.T("train_seats_closed")
	case full(t):
		return flows.T("train_seats_full")
	}
	return flows.T("train_seats_left", "N", t.SeatsLeft())
}

// lineText is training t as line n of a list.
func lineText(n int, t store.TrainingSeats, now time.Time) flows.Text {
	return flows.T("train_line", "N", n, "Title", t.Title, "Topic", topicText(t.Topic),
		"Start", flows.DateTime(t.StartAt), "Where", whereText(t.Training, false),
		"Seats", seatsText(t, now), "Deadline", flows.DateTime(t.Deadline))
}

// detailText describes a training to an owner; mine is the owner's place
// in it, if any.
func detailText(t store.TrainingSeats, mine *store.Booking, now time.Time) flows.Text {
	var status flows.Text
	if mine != nil {
		status = bookingStatus(*mine)
	}
	return flows.T("train_detail", "Title", t.Title, "Topic", topicText(t.Topic), "Desc", t.Description,
		"Start", flows.DateTime(t.StartAt), "End", endText(t.Training),
		"Where", whereText(t.Training, mine != nil && mine.Status != store.BookingWaitlisted),
		"Seats", seatsText(t, now), "Deadline", flows.DateTime(t.Deadline), "Mine", status)
}

// bookingStatus is an owner's place as the owner reads it.
func bookingStatus(b store.Booking) flows.Text {
	switch b.Status {
	case store.BookingWaitlisted:
		return flows.T("train_st_waiting", "Position", b.Position)
	case store.BookingOffered:
		return flows.T("train_st_offered", "Deadline", flows.DateTime(b.OfferDeadline))
	case store.BookingAttended:
		return flows.T("train_st_attended", "Code", b.Code)
	case store.BookingAbsent:
		return flows.T("train_st_absent", "Code", b.Code)
	case store.BookingCancelled:
		return flows.T("train_st_cancelled", "Code", b.Code)
	}
	return flows.T("train_st_booked", "Code", b.Code)
}

// numberButtons are buttons "1", "2", ... that open the trainings of a
// list page, first numbered from+1.
func numberButtons(from int, list []store.TrainingSeats) []flows.Button {
	row := make([]flows.Button, 0, len(list))
	for i, t := range list {
		row = append(row, flows.Button{Label: flows.Raw(strconv.Itoa(from + i + 1)), Data: "d" + strconv.FormatInt(t.ID, 10)})
	}
	return row
}

// navRow is the "‹ Sebelumnya" / "Berikutnya ›" row of a paged list, or
// nil when there is one page.
func navRow(page, pages int) []flows.Button {
	var nav []flows.Button
	if page > 0 {
		nav = append(nav, flows.Btn("btn_prev", "p"+strconv.Itoa(page-1)))
	}
	if page < pages-1 {
		nav = append(nav, flows.Btn("btn_next", "p"+strconv.Itoa(page+1)))
	}
	return nav
}

// pagesOf is the number of pages total items fill (at least one).
func pagesOf(total, size int) int { return max(1, (total+size-1)/size) }

// idChoice reads a choice prefix+id ("d12").
func idChoice(choice, prefix string) (int64, bool) {
	rest, ok := strings.CutPrefix(choice, prefix)
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	return id, err == nil && id > 0
}

// parseID reads a training number typed after a command: "12" or "#12".
func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(s), "#"), 10, 64)
	return id, err == nil && id > 0
}

// setJSON keeps v in the session's data under key: what a step's prompt
// shows is loaded by the handler before it, so that prompts never read
// the store.
func setJSON(c *flows.Ctx, key string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		c.Del(key)
		return
	}
	c.Set(key, string(b))
}

// getJSON reads what setJSON kept; it reports false when there is nothing.
func getJSON(c *flows.Ctx, key string, v any) bool {
	s := c.Get(key)
	return s != "" && json.Unmarshal([]byte(s), v) == nil
}

// atoiData reads a number kept in the session's data.
func atoiData(c *flows.Ctx, key string) int {
	n, _ := strconv.Atoi(c.Get(key))
	return n
}

// msgID is the message of a *flows.UserError, or "".
func msgID(err error) string {
	var ue *flows.UserError
	if errors.As(err, &ue) {
		return ue.Msg.ID
	}
	return ""
}

// yesNo reads an answer to a two-button question: the button's choice, or
// a typed yes or no.
func yesNo(in flows.Input, yes, no string) string {
	switch {
	case in.Choice != "":
		return in.Choice
	case field.IsYes(in.Text):
		return yes
	case field.IsNo(in.Text):
		return no
	}
	return ""
}

// stripped is t without its description, for lists kept in the session.
func stripped(list []store.TrainingSeats) []store.TrainingSeats {
	out := make([]store.TrainingSeats, len(list))
	for i, t := range list {
		t.Description = ""
		out[i] = t
	}
	return out
}

// isNumber reports whether s is a training number ("12", "#12").
func isNumber(s string) bool {
	s = strings.TrimPrefix(s, "#")
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
