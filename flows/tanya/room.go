package tanya

import (
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// topicNameLen is the longest forum topic name Telegram takes, in
// characters.
const topicNameLen = 128

// Room answers the staff group (Options.Group), a supergroup with forum
// topics: each ticket has its topic there, where the owner's messages
// appear. What a staff member writes in a topic, not starting with "/",
// goes to the owner signed "Petugas Dinas" (through the outbox, as
// /jawab); photos and documents too. /selesai in a topic closes its
// ticket. Messages of anyone who is not staff, and outside a ticket's
// topic, are ignored.
type Room struct {
	opt     Options
	ignored atomic.Int64
}

// NewRoom returns the staff group's handler (flows.Config.Room).
func NewRoom(opt Options) *Room {
	return &Room{opt: opt.withDefaults()}
}

// Ignored is how many messages of non-staff members in the staff group
// were ignored since start.
func (r *Room) Ignored() int64 { return r.ignored.Load() }

// Handle implements flows.Config.Room.
func (r *Room) Handle(c *flows.Ctx) error {
	opt, u := r.opt, c.Update
	if opt.Group == 0 || u.ChatID != opt.Group {
		return nil
	}
	if !c.IsStaff() {
		r.ignored.Add(1)
		opt.Log.Info("staff group: message of a non-staff member ignored", "user_id", u.UserID,
			"thread", u.Thread, "update_id", u.ID)
		return nil
	}
	if u.Thread == 0 {
		return nil // the group's general topic: staff talk among themselves
	}
	t, err := opt.Tickets.TicketByTopic(c, u.Thread)
	if errors.Is(err, store.ErrNotFound) {
		return nil // a topic the staff opened themselves
	}
	if err != nil {
		return err
	}
	inTopic := func(id string, kv ...any) {
		rep := flows.Say(id, kv...)
		rep.Topic = &flows.Topic{Thread: u.Thread}
		c.Reply(rep)
	}
	switch {
	case u.Command == CloseName:
		return closeByStaff(c, opt, t.ID, inTopic, false)
	case u.Command != "":
		inTopic("tanya_group_help", "Number", t.Number)
		return nil
	case u.Kind != flows.KindText && u.Kind != flows.KindMedia:
		return nil // stickers, service messages
	case u.Kind == flows.KindText && u.Text == "":
		return nil
	}
	a := store.TicketAnswer{Staff: u.UserID, TicketID: t.ID, Text: u.Text, At: c.Now}
	if u.Media != nil {
		a.File = store.TicketFile{Kind: u.Media.Kind, ID: u.Media.FileID}
	}
	_, err = opt.Tickets.Answer(c, a, Notify)
	if errors.Is(err, store.ErrConflict) {
		inTopic("tanya_group_closed", "Number", t.Number)
		return nil
	}
	return err
}

// toGroup builds a reply into ticket t's topic of the staff group, in the
// staff's language; the topic is created, named after the ticket and the
// owner's business, the first time.
func toGroup(c *flows.Ctx, opt Options, t store.Ticket, r flows.Reply) flows.Reply {
	r.To, r.Lang = opt.Group, opt.GroupLang
	r.Topic = &flows.Topic{Thread: t.TopicID, Key: t.ID}
	if t.TopicID == 0 {
		r.Topic.Name = topicName(c, opt, t)
	}
	return r
}

// topicName is "TNY-2026-000123 · Warung Bu Siti", or the number alone
// when the owner's business is not known.
func topicName(c *flows.Ctx, opt Options, t store.Ticket) string {
	name := t.Number
	if opt.Business != nil {
		biz, err := opt.Business(c, t.UserID)
		if err != nil {
			opt.Log.Warn("business name for the ticket's topic", "ticket", t.ID, "err", err)
		}
		if biz = strings.Join(strings.Fields(biz), " "); biz != "" {
			name += " · " + biz
		}
	}
	if r := []rune(name); len(r) > topicNameLen {
		name = string(r[:topicNameLen-1]) + "…"
	}
	return name
}

// relayOwner puts the owner's message (text, photo or document) into the
// ticket's topic of the staff group, when there is one.
func relayOwner(c *flows.Ctx, opt Options, t store.Ticket, opened bool, text string, media *flows.Media) {
	if opt.Group == 0 {
		return
	}
	id := "tanya_group_owner"
	if opened {
		id = "tanya_group_new"
	}
	r := toGroup(c, opt, t, flows.Say(id, "Number", t.Number, "N", t.ID, "User", t.UserID, "Text", text))
	r.Media = media
	c.Reply(r)
}

// mediaOf returns the session's photo or document of the question, if any.
func mediaOf(c *flows.Ctx) *flows.Media {
	if id := c.Get(kMediaID); id != "" {
		return &flows.Media{Kind: c.Get(kMediaKind), FileID: id}
	}
	return nil
}

// fileOf is the ticket file of a message's media.
func fileOf(m *flows.Media) store.TicketFile {
	if m == nil {
		return store.TicketFile{}
	}
	return store.TicketFile{Kind: m.Kind, ID: m.FileID}
}

// mediaOfFile is the reply media of a ticket file.
func mediaOfFile(f store.TicketFile) *flows.Media {
	if f.IsZero() {
		return nil
	}
	return &flows.Media{Kind: f.Kind, FileID: f.ID}
}

// messageText shows a message of a ticket: its text, marked when it came
// with a photo or document.
func messageText(m store.TicketMessage) flows.Text {
	if m.File.IsZero() {
		return flows.Raw(m.Text)
	}
	return flows.T("tanya_with_file", "File", flows.T("tanya_file_"+m.File.Kind), "Text", m.Text)
}

// discardLog is the logger of a Room without one.
var discardLog = slog.New(slog.DiscardHandler)
