// Package tanya is "Tanya petugas": an owner's question reaches a person of
// the Dinas and the answer comes back in the same chat.
//
// Owners ask with /tanya, the menu's "Tanya Petugas" entry, or by answering
// "Ya" when the bot offers to pass on a message it did not understand (the
// engine's NotUnderstood flow). A close entry of the FAQ (in the locales) is
// offered first. An owner has at most one open question (a ticket); later
// messages join it, and at most DayLimit tickets are opened a day. Outside
// office hours (Hours) the owner is told when to expect an answer, and the
// owner closes the ticket with "sudah, terima kasih".
//
// Photos and documents join a question by Telegram's file id, never
// downloaded.
//
// Staff answer in one of two ways. In their private chat with the bot:
// /antrean lists the open tickets oldest first, /jawab N teks answers
// ticket N, /selesai N closes it and /faq lists the FAQ. Or, when a staff
// group is configured (Options.Group), in the ticket's own forum topic
// there (Room, room.go): the owner's messages appear in it, and what staff
// write in it goes to the owner. An answer reaches the owner through the
// outbox, rendered in the owner's language and signed "Petugas Dinas",
// never with the staff member's own account; a close is told to the owner
// with how to ask again.
//
// It is a leaf of flows: it imports flows, flows/field and store; cmd wires
// it.
package tanya

import (
	"context"
	"errors"
	"log/slog"

	"github.com/looplab/fsm"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Flow names, which are also their commands.
const (
	Name       = "tanya"
	QueueName  = "antrean"
	AnswerName = "jawab"
	CloseName  = "selesai"
	FAQName    = "faq"
)

// Command is the owner's command; "/tanya selesai" closes their question.
const (
	Command  = Name
	closeArg = "selesai"
)

// NoticeKind is the outbox kind of staff answers.
const NoticeKind = "ticket"

// Defaults of Options.
const (
	defaultDay  = 3
	defaultMenu = "menu"
)

// Options configures the flows.
type Options struct {
	Tickets store.TicketStore
	// Labels renders the FAQ in the owner's language for matching
	// (locales.Catalog).
	Labels flows.Labeler
	// Menu is the flow shown when a flow ends; default "menu".
	Menu string
	// Hours are the office hours; zero means DefaultHours.
	Hours Hours
	// DayLimit is how many tickets an owner opens a day; 0 means 3.
	DayLimit int
	// Group is the staff group (a supergroup with forum topics) where each
	// ticket gets a topic; 0 means staff answer in private chats only.
	Group int64
	// GroupLang is the language of the messages into the group; default
	// "id".
	GroupLang string
	// Business names an owner's business for the topic's name; nil or ""
	// names the topic with the ticket number alone.
	Business func(ctx context.Context, userID int64) (string, error)
	// Log records what the group's Room ignores (never a message's text).
	Log *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Menu == "" {
		o.Menu = defaultMenu
	}
	if o.Hours.Holidays == nil {
		o.Hours = DefaultHours()
	}
	if o.DayLimit == 0 {
		o.DayLimit = defaultDay
	}
	if o.GroupLang == "" {
		o.GroupLang = "id"
	}
	if o.Log == nil {
		o.Log = discardLog
	}
	return o
}

// Session data keys.
const (
	kQuestion = "q"
	kFAQ      = "faq"
	kOpen     = "open" // number of the owner's open ticket, if any
	// kMediaKind and kMediaID are the photo or document sent with the
	// question.
	kMediaKind = "mk"
	kMediaID   = "mf"
)

// New returns the owner's flow and the staff's flows.
func New(opt Options) []*flows.Flow {
	opt = opt.withDefaults()
	return []*flows.Flow{newOwner(opt), newQueue(opt), newAnswer(opt), newClose(opt), newFAQList(opt)}
}

func newOwner(opt Options) *flows.Flow {
	return &flows.Flow{
		Name:     Name,
		Version:  1,
		Title:    flows.T("tanya_title"),
		Start:    "ask",
		Commands: []string{Command},
		Phrases:  closePhrases,
		Events: fsm.Events{
			{Name: "faq", Src: []string{"ask", "offer"}, Dst: "faq"},
		},
		Enter: func(c *flows.Ctx) (string, error) { return enter(c, opt, false) },
		Steps: map[string]*flows.Step{
			"ask": {
				Prompt: func(c *flows.Ctx) flows.Reply {
					if n := c.Get(kOpen); n != "" {
						return flows.Say("tanya_ask_join", "Number", n)
					}
					return flows.Say("tanya_ask")
				},
				Help:  flows.T("tanya_ask_help"),
				Text:  true,
				Media: true,
				Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
					if _, done := closePhrases[field.Normalize(in.Text)]; done && c.Get(kOpen) != "" && in.Media == nil {
						return enter(c, opt, true)
					}
					c.Set(kQuestion, in.Text)
					setMedia(c, in.Media)
					if in.Media != nil {
						return submit(c, opt)
					}
					return suggestOrSubmit(c, opt)
				},
			},
			"offer": {
				Prompt: func(c *flows.Ctx) flows.Reply {
					r := flows.Say("tanya_offer")
					if n := c.Get(kOpen); n != "" {
						r = flows.Say("tanya_offer_join", "Number", n)
					}
					return r.WithRow(flows.Btn("tanya_btn_yes", "ya"), flows.Btn("tanya_btn_no", "tidak"))
				},
				Help: flows.T("tanya_offer_help"),
				Text: true,
				Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
					switch {
					case in.Choice == "ya" || field.IsYes(in.Text):
						return suggestOrSubmit(c, opt)
					case in.Choice == "tidak" || field.IsNo(in.Text):
						c.Say("tanya_offer_no")
						c.Switch(opt.Menu, "")
						return flows.End, nil
					}
					return flows.Stay, flows.Invalid("tanya_offer_help")
				},
			},
			"faq": {
				Prompt: func(c *flows.Ctx) flows.Reply {
					key := c.Get(kFAQ)
					return flows.Say("tanya_faq", "Question", faqQuestion(key), "Answer", faqAnswer(key)).
						WithButtons(flows.Btn("tanya_btn_faq_yes", "ya"), flows.Btn("tanya_btn_faq_no", "tidak"))
				},
				Help: flows.T("tanya_faq_help"),
				Text: true,
				Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
					switch {
					case in.Choice == "ya" || field.IsYes(in.Text):
						c.Say("tanya_faq_thanks")
						c.Switch(opt.Menu, "")
						return flows.End, nil
					case in.Choice == "tidak" || field.IsNo(in.Text):
						return submit(c, opt)
					}
					return flows.Stay, flows.Invalid("tanya_faq_help")
				},
			},
		},
	}
}

// closePhrases are what owners type to close their question; they run
// "/tanya selesai" (Flow.Phrases, compared as normalized words).
var closePhrases = map[string]string{
	"sudah terima kasih": closeArg, "sudah makasih": closeArg, "sudah cukup terima kasih": closeArg,
	"done thank you": closeArg, "done thanks": closeArg,
}

// enter starts the owner's flow: /tanya selesai (or closing set) closes
// the open ticket, /tanya with a question goes on with it, text the bot did
// not understand is offered to be passed on, and a bare /tanya (or the menu
// entry) asks for the question.
func enter(c *flows.Ctx, opt Options, closing bool) (string, error) {
	open, err := opt.Tickets.OpenTicket(c, c.UserID())
	switch {
	case err == nil:
		c.Set(kOpen, open.Number)
	case !errors.Is(err, store.ErrNotFound):
		return "", err
	}
	u := c.Update
	switch {
	case closing || u.Command == Command && field.Normalize(u.Args) == closeArg:
		return closeOwn(c, opt, open, err == nil)
	case u.Command == Command && u.Args != "":
		c.Set(kQuestion, u.Args)
		return suggestOrSubmit(c, opt)
	case u.Command == "" && u.Kind == flows.KindText && u.Text != "":
		c.Set(kQuestion, u.Text)
		return "offer", nil
	case u.Kind == flows.KindMedia && u.Media != nil:
		c.Set(kQuestion, u.Text)
		setMedia(c, u.Media)
		if err == nil {
			return submit(c, opt) // a photo for the open question joins it
		}
		return "offer", nil
	}
	return "", nil
}

// setMedia keeps the question's photo or document in the session.
func setMedia(c *flows.Ctx, m *flows.Media) {
	if m == nil {
		c.Del(kMediaKind)
		c.Del(kMediaID)
		return
	}
	c.Set(kMediaKind, m.Kind)
	c.Set(kMediaID, m.FileID)
}

// closeOwn closes the owner's open ticket ("sudah, terima kasih").
func closeOwn(c *flows.Ctx, opt Options, t store.Ticket, open bool) (string, error) {
	if !open {
		c.Say("tanya_nothing_open")
		c.Switch(opt.Menu, "")
		return flows.End, nil
	}
	closed, err := opt.Tickets.CloseTicket(c, c.UserID(), t.ID, c.Now)
	if err != nil && !errors.Is(err, store.ErrConflict) {
		return "", err
	}
	if err == nil && opt.Group != 0 && closed.TopicID != 0 {
		c.Reply(toGroup(c, opt, closed, flows.Say("tanya_group_closed_owner", "Number", t.Number)))
	}
	c.Say("tanya_closed_owner", "Number", t.Number)
	c.Switch(opt.Menu, "")
	return flows.End, nil
}

// suggestOrSubmit offers the closest FAQ entry, if any, before passing the
// question on. A message to an open ticket joins the conversation with a
// person at once.
func suggestOrSubmit(c *flows.Ctx, opt Options) (string, error) {
	if c.Get(kOpen) == "" && c.Get(kQuestion) != "" {
		if key := matchFAQ(opt.Labels, c.Lang(), c.Get(kQuestion)); key != "" {
			c.Set(kFAQ, key)
			return "faq", nil
		}
	}
	return submit(c, opt)
}

// submit passes the question on: it opens a ticket or joins the open one,
// and says when to expect an answer.
func submit(c *flows.Ctx, opt Options) (string, error) {
	media := mediaOf(c)
	t, opened, err := opt.Tickets.Ask(c, store.TicketAsk{UserID: c.UserID(), Lang: c.Lang(),
		Text: c.Get(kQuestion), File: fileOf(media), At: c.Now, DaySince: dayStart(c.Now), DayLimit: opt.DayLimit})
	if errors.Is(err, store.ErrFull) {
		c.Say("tanya_limit", "Limit", opt.DayLimit)
		c.Switch(opt.Menu, "")
		return flows.End, nil
	}
	if err != nil {
		return "", err
	}
	relayOwner(c, opt, t, opened, c.Get(kQuestion), media)
	if opened {
		c.Say("tanya_sent", "Number", t.Number)
	} else {
		c.Say("tanya_joined", "Number", t.Number)
	}
	if !opt.Hours.Open(c.Now) {
		c.Say("tanya_after_hours", "When", flows.DateTime(opt.Hours.Next(c.Now)))
	}
	return flows.End, nil
}
