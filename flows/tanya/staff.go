package tanya

import (
	"errors"
	"strings"
	"time"
	"unicode"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// queueLimit is how many open tickets /antrean shows.
const queueLimit = 20

// snippetLen is how much of a question /antrean shows, in characters.
const snippetLen = 200

// command builds a staff-only flow that answers in its Enter and ends.
func command(name string, title flows.Text, run func(c *flows.Ctx) error) *flows.Flow {
	return &flows.Flow{
		Name: name, Version: 1, Title: title, Start: "done",
		Commands: []string{name}, StaffOnly: true,
		Steps: map[string]*flows.Step{"done": {
			Prompt: func(*flows.Ctx) flows.Reply { return flows.Reply{Text: title} },
			Handle: func(*flows.Ctx, flows.Input) (string, error) { return flows.End, nil },
		}},
		Enter: func(c *flows.Ctx) (string, error) { return flows.End, run(c) },
	}
}

// newQueue is /antrean: the open tickets, oldest first.
func newQueue(opt Options) *flows.Flow {
	return command(QueueName, flows.T("tanya_queue_title"), func(c *flows.Ctx) error {
		list, err := opt.Tickets.OpenTickets(c, queueLimit)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			c.Say("tanya_queue_empty")
			return nil
		}
		lines := make([]flows.Text, 0, len(list))
		for _, t := range list {
			first := flows.Raw("")
			if len(t.Messages) > 0 {
				m := t.Messages[0]
				m.Text = snippet(m.Text)
				first = messageText(m)
			}
			lines = append(lines, flows.T("tanya_queue_line", "N", t.ID, "Number", t.Number,
				"Status", statusText(t.Status), "Since", flows.DateTime(t.CreatedAt), "Text", first))
		}
		c.Say("tanya_queue", "Count", len(list), "Lines", lines)
		return nil
	})
}

// newAnswer is /jawab N teks.
func newAnswer(opt Options) *flows.Flow {
	return command(AnswerName, flows.T("tanya_answer_title"), func(c *flows.Ctx) error {
		id, text := splitArgs(c.Update.Args)
		if id == 0 || text == "" {
			c.Say("tanya_answer_usage")
			return nil
		}
		t, err := opt.Tickets.Answer(c, store.TicketAnswer{Staff: c.UserID(), TicketID: id, Text: text, At: c.Now},
			Notify)
		if refused, err := ticketRefused(c.Say, id, err); refused || err != nil {
			return err
		}
		if opt.Group != 0 {
			// Colleagues following the ticket's topic see the answer too.
			c.Reply(toGroup(c, opt, t, flows.Say("tanya_group_answered", "Number", t.Number, "Text", text)))
		}
		c.Say("tanya_answered", "Number", t.Number)
		return nil
	})
}

// newClose is /selesai N.
func newClose(opt Options) *flows.Flow {
	return command(CloseName, flows.T("tanya_close_title"), func(c *flows.Ctx) error {
		id, _ := splitArgs(c.Update.Args)
		if id == 0 {
			c.Say("tanya_close_usage")
			return nil
		}
		return closeByStaff(c, opt, id, c.Say, true)
	})
}

// closeByStaff closes ticket id for a staff member: say (to the staff's
// private chat, or into the ticket's topic) tells how long it took; the
// owner is told, politely and in their language, that the question is
// closed and how to ask again; from a private chat the ticket's topic in
// the staff group is told too.
func closeByStaff(c *flows.Ctx, opt Options, id int64, say func(string, ...any), private bool) error {
	t, err := opt.Tickets.CloseTicket(c, c.UserID(), id, c.Now)
	if refused, err := ticketRefused(say, id, err); refused || err != nil {
		return err
	}
	first := flows.T("tanya_unanswered")
	if !t.FirstResponseAt.IsZero() {
		first = duration(t.FirstResponseAt.Sub(t.CreatedAt))
	}
	say("tanya_closed_staff", "Number", t.Number, "First", first, "Total", duration(t.ClosedAt.Sub(t.CreatedAt)))
	c.Reply(flows.Reply{To: t.UserID, Lang: t.Lang, Text: flows.T("tanya_closed_by_staff", "Number", t.Number)})
	if private && opt.Group != 0 && t.TopicID != 0 {
		c.Reply(toGroup(c, opt, t, flows.Say("tanya_group_closed_private", "Number", t.Number)))
	}
	return nil
}

// duration says how long something took, in days, hours and minutes.
func duration(d time.Duration) flows.Text {
	m := int64(d.Round(time.Minute) / time.Minute)
	return flows.T("tanya_duration", "D", m/(24*60), "H", m/60%24, "M", m%60)
}

// newFAQList is /faq: the FAQ as owners are offered it, in the staff
// member's language, with the words that point to each entry.
func newFAQList(opt Options) *flows.Flow {
	return command(FAQName, flows.T("tanya_faq_title"), func(c *flows.Ctx) error {
		lines := make([]flows.Text, 0, len(faqKeys))
		for _, key := range faqKeys {
			lines = append(lines, flows.T("tanya_faq_line", "Question", faqQuestion(key),
				"Answer", faqAnswer(key), "Words", faqWords(key)))
		}
		c.Say("tanya_faq_list", "Lines", lines)
		return nil
	})
}

// Notify is the store.TicketNotify of staff answers: the answer, signed
// "Petugas Dinas" and rendered in the owner's language, with a button that
// closes the question.
func Notify(t store.Ticket, m store.TicketMessage) (store.OutboxItem, error) {
	r := flows.Say("tanya_reply", "Number", t.Number, "Answer", m.Text).
		WithButtons(flows.Btn("tanya_btn_done", "/"+Command+" "+closeArg))
	r.Lang, r.Media = t.Lang, mediaOfFile(m.File)
	payload, err := flows.EncodeReply(r)
	if err != nil {
		return store.OutboxItem{}, err
	}
	return store.OutboxItem{ChatID: t.UserID, Kind: NoticeKind, Payload: payload}, nil
}

// splitArgs reads "N rest" into the ticket id and the rest (new lines
// kept).
func splitArgs(args string) (int64, string) {
	args = strings.TrimSpace(args)
	head, rest := args, ""
	if i := strings.IndexFunc(args, unicode.IsSpace); i >= 0 {
		head, rest = args[:i], strings.TrimSpace(args[i:])
	}
	return store.ParseTicketID(head), rest
}

// snippet shortens a question for the queue.
func snippet(s string) string {
	r := []rune(s)
	if len(r) <= snippetLen {
		return s
	}
	return string(r[:snippetLen]) + "…"
}

// statusText names a ticket status.
func statusText(status string) flows.Text {
	switch status {
	case store.TicketAnswered:
		return flows.T("tanya_status_answered")
	case store.TicketClosed:
		return flows.T("tanya_status_closed")
	}
	return flows.T("tanya_status_new")
}

// ticketRefused tells staff (with say) why ticket id could not be answered or closed
// (unknown, or closed already) and reports whether it did; any other error
// is returned.
func ticketRefused(say func(string, ...any), id int64, err error) (bool, error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		say("tanya_not_found", "N", id)
		return true, nil
	case errors.Is(err, store.ErrConflict):
		say("tanya_already_closed", "N", id)
		return true, nil
	}
	return false, err
}
