package training

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/looplab/fsm"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/store"
)

// stView shows a training's participants.
const stView = "view"

// kParts holds the participants of the page shown (JSON
// []store.Participant).
const kParts = "parts"

// partsPerPage is how many participants one message lists, so that it
// stays well within Telegram's 4,096 characters.
const partsPerPage = 10

// recentWindow is how far back /peserta lists trainings, for attendance
// after the event.
const recentWindow = 60 * 24 * time.Hour

// recent lists the trainings of the last recentWindow and those to come.
func recent(c *flows.Ctx) time.Time { return c.Now.Add(-recentWindow) }

// participantsFlow is /peserta [id]: the participants and the waitlist as a
// message and a CSV file, and, once the training has started, attendance.
func (b *tr) participantsFlow() *flows.Flow {
	return &flows.Flow{
		Name:      ParticipantsName,
		Version:   1,
		Title:     flows.T("train_parts_title"),
		Start:     stPick,
		Commands:  []string{cmdParticipants},
		StaffOnly: true,
		Events:    fsm.Events{{Name: "chosen", Src: []string{stPick}, Dst: stView}},
		Steps: map[string]*flows.Step{
			stPick: b.pickStep(recent, b.openParticipants),
			stView: {
				Prompt: viewPrompt,
				Help:   flows.T("train_help_view"),
				Text:   true,
				Handle: b.readView,
			},
		},
		Enter: b.enterPick(cmdParticipants, recent, stView, b.openParticipants),
	}
}

// openParticipants sends the CSV file of training id and keeps the first
// page of its participants for the prompt.
func (b *tr) openParticipants(c *flows.Ctx, id int64) (bool, error) {
	t, err := b.ts.Training(c, id)
	if errors.Is(err, store.ErrNotFound) {
		c.Say("train_not_found", "ID", id)
		return false, nil
	}
	if err != nil {
		return false, err
	}
	parts, err := b.ts.Participants(c, id)
	if err != nil {
		return false, err
	}
	var buf bytes.Buffer
	if err := WriteParticipantsCSV(&buf, parts); err != nil {
		return false, err
	}
	c.Reply(flows.Reply{
		Text:     flows.T("train_csv_caption", "ID", id, "Title", t.Title, "Count", len(parts)),
		Document: &flows.Document{Name: "peserta-pelatihan-" + strconv.FormatInt(id, 10) + ".csv", Content: buf.Bytes()},
	})
	keepParticipants(c, t, parts, 0)
	return true, nil
}

// listed orders the participants the message shows: seats first (by
// code), then the waitlist by position; cancelled places are left to the
// CSV file.
func listed(parts []store.Participant) []store.Participant {
	var seats, waiting []store.Participant
	for _, p := range parts {
		switch p.Status {
		case store.BookingWaitlisted:
			waiting = append(waiting, p)
		case store.BookingCancelled:
		default:
			seats = append(seats, p)
		}
	}
	slices.SortStableFunc(seats, func(a, b store.Participant) int { return strings.Compare(a.Code, b.Code) })
	slices.SortStableFunc(waiting, func(a, b store.Participant) int { return a.Position - b.Position })
	return append(seats, waiting...)
}

// keepParticipants keeps page of the listed participants of t.
func keepParticipants(c *flows.Ctx, t store.TrainingSeats, parts []store.Participant, page int) {
	all := listed(parts)
	pages := pagesOf(len(all), partsPerPage)
	page = min(max(page, 0), pages-1)
	t.Description = ""
	setJSON(c, kTraining, t)
	setJSON(c, kParts, all[page*partsPerPage:min(len(all), (page+1)*partsPerPage)])
	c.Set(kPage, strconv.Itoa(page))
	c.Set(kTotal, strconv.Itoa(len(all)))
}

// attendable reports whether attendance can be recorded for p.
func attendable(p store.Participant) bool {
	return p.Status == store.BookingBooked || p.Status == store.BookingAttended || p.Status == store.BookingAbsent
}

func viewPrompt(c *flows.Ctx) flows.Reply {
	t := shown(c)
	var parts []store.Participant
	getJSON(c, kParts, &parts)
	page, total := atoiData(c, kPage), atoiData(c, kTotal)
	started := !c.Now.Before(t.StartAt)
	lines := make([]flows.Text, 0, len(parts))
	var rows [][]flows.Button
	for i, p := range parts {
		n := page*partsPerPage + i + 1
		lines = append(lines, partLine(n, p))
		if started && attendable(p) {
			id := strconv.FormatInt(p.ID, 10)
			rows = append(rows, []flows.Button{
				{Label: flows.T("train_btn_present", "N", n), Data: "a" + id},
				{Label: flows.T("train_btn_absent", "N", n), Data: "x" + id},
			})
		}
	}
	if len(lines) == 0 {
		lines = append(lines, flows.T("train_parts_none"))
	}
	note := flows.T("train_attend_later", "Start", flows.DateTime(t.StartAt))
	if started {
		note = flows.T("train_attend_now")
	}
	pages := pagesOf(total, partsPerPage)
	r := flows.Say("train_parts", "ID", t.ID, "Title", t.Title, "Start", flows.DateTime(t.StartAt),
		"Booked", t.Booked, "Capacity", t.Capacity, "Waiting", t.Waitlisted, "Lines", lines,
		"Page", page+1, "Pages", pages, "Note", note)
	r.Buttons = rows
	if nav := navRow(page, pages); nav != nil {
		r = r.WithRow(nav...)
	}
	return r
}

// partLine is participant p as line n.
func partLine(n int, p store.Participant) flows.Text {
	name, biz := flows.T("train_value_empty"), flows.T("train_value_empty")
	if p.OwnerName != "" {
		name = flows.Raw(p.OwnerName)
	}
	if p.BusinessName != "" {
		biz = flows.Raw(p.BusinessName)
	}
	return flows.T("train_part_line", "N", n, "Name", name, "Phone", phoneText(p.Phone), "Business", biz,
		"Kecamatan", kecamatanName(p.Kecamatan), "Status", partStatus(p), "Code", p.Code)
}

// phoneText is a phone number as owners write it, or "—".
func phoneText(phone string) flows.Text {
	if phone == "" {
		return flows.T("train_value_empty")
	}
	return flows.Raw(field.FormatPhone(phone))
}

// kecamatanName is the name of a kecamatan code, or the code itself.
func kecamatanName(code string) string {
	if k, ok := field.KecamatanByCode(code); ok {
		return k.Name
	}
	return code
}

// partStatus is a participant's status as staff read it.
func partStatus(p store.Participant) flows.Text {
	switch p.Status {
	case store.BookingWaitlisted:
		return flows.T("train_ps_waiting", "Position", p.Position)
	case store.BookingOffered:
		return flows.T("train_ps_offered", "Deadline", flows.DateTime(p.OfferDeadline))
	case store.BookingAttended:
		return flows.T("train_ps_attended")
	case store.BookingAbsent:
		return flows.T("train_ps_absent")
	case store.BookingCancelled:
		return flows.T("train_ps_cancelled")
	}
	return flows.T("train_ps_booked")
}

func (b *tr) readView(c *flows.Ctx, in flows.Input) (string, error) {
	if id, ok := idChoice(in.Choice, "a"); ok {
		return flows.Stay, b.mark(c, id, true)
	}
	if id, ok := idChoice(in.Choice, "x"); ok {
		return flows.Stay, b.mark(c, id, false)
	}
	if p, ok := strings.CutPrefix(in.Choice, "p"); ok {
		if n, err := strconv.Atoi(p); err == nil {
			return flows.Stay, b.reprompt(c, b.reloadParticipants(c, n))
		}
	}
	return flows.Stay, flows.Invalid("train_view_choose")
}

// reloadParticipants keeps page of the participants as they are now.
func (b *tr) reloadParticipants(c *flows.Ctx, page int) error {
	t, err := b.ts.Training(c, shown(c).ID)
	if err != nil {
		return err
	}
	parts, err := b.ts.Participants(c, t.ID)
	if err != nil {
		return err
	}
	keepParticipants(c, t, parts, page)
	return nil
}

// mark records attendance of booking id, after the start only.
func (b *tr) mark(c *flows.Ctx, id int64, attended bool) error {
	t := shown(c)
	if c.Now.Before(t.StartAt) {
		return flows.Invalid("train_attend_early", "Start", flows.DateTime(t.StartAt))
	}
	err := b.ts.MarkAttendance(c, c.UserID(), id, attended, c.Now)
	switch {
	case errors.Is(err, store.ErrClosed):
		return flows.Invalid("train_attend_early", "Start", flows.DateTime(t.StartAt))
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrConflict):
		return flows.Invalid("train_attend_not_booked")
	case err != nil:
		return err
	}
	if err := b.reloadParticipants(c, atoiData(c, kPage)); err != nil {
		return err
	}
	status := flows.T("train_ps_absent")
	if attended {
		status = flows.T("train_ps_attended")
	}
	var parts []store.Participant
	getJSON(c, kParts, &parts)
	name := flows.T("train_value_empty")
	for _, p := range parts {
		if p.ID == id && p.OwnerName != "" {
			name = flows.Raw(p.OwnerName)
		}
	}
	c.Reply(flows.Reply{Text: flows.T("train_attend_saved", "Name", name, "Status", status), Toast: true})
	c.Prompt()
	return nil
}
