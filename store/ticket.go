package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Ticket statuses: waiting for the Dinas, answered, closed.
const (
	TicketNew      = "baru"
	TicketAnswered = "dibalas"
	TicketClosed   = "selesai"
)

// Ticket is one owner's question thread to the Dinas ("Tanya petugas").
// An owner has at most one ticket that is not closed.
type Ticket struct {
	ID int64
	// Number is TNY-<year>-<id, six digits>: TNY-2026-000123.
	Number string
	UserID int64
	// Lang is the language the owner last wrote in; staff replies are
	// rendered in it.
	Lang   string
	Status string
	// Messages are the thread, oldest first; filled by Ticket, OpenTicket
	// and TicketsOf, left empty in the queue (OpenTickets) beyond the first.
	Messages []TicketMessage
	// FirstResponseAt is the first staff answer; zero until then.
	FirstResponseAt time.Time
	// ClosedAt is when it was closed and ClosedBy who closed it (the owner
	// or a staff member); zero while open.
	ClosedAt  time.Time
	ClosedBy  int64
	CreatedAt time.Time
	UpdatedAt time.Time
	// TopicID is the ticket's forum topic in the staff group (its
	// message_thread_id); 0 until one is created.
	TopicID int64
}

// TicketMessage is one message of a thread.
type TicketMessage struct {
	// StaffID is the staff member who answered; 0 for the owner's message.
	StaffID int64
	// Text is the message, or the caption of File; empty only with a File.
	Text string
	// File is a photo or document sent with the message; zero when none.
	File TicketFile
	At   time.Time
}

// File kinds of a ticket message.
const (
	FilePhoto    = "photo"
	FileDocument = "document"
)

// TicketFile is a photo or a document relayed by Telegram's file_id; the
// file itself is never downloaded.
type TicketFile struct {
	Kind string // FilePhoto or FileDocument
	ID   string
}

// IsZero reports whether there is no file.
func (f TicketFile) IsZero() bool { return f.ID == "" }

// TicketAsk is an owner's message to the Dinas.
type TicketAsk struct {
	UserID int64
	Lang   string
	// Text is the question, or a File's caption; empty only with a File.
	Text string
	File TicketFile
	// At is when it was written; zero means now.
	At time.Time
	// DaySince and DayLimit bound how many tickets the owner opens: when
	// DayLimit tickets were already opened at or after DaySince, opening
	// another is ErrFull. DayLimit 0 means no bound.
	DaySince time.Time
	DayLimit int
}

// TicketAnswer is a staff answer to a ticket.
type TicketAnswer struct {
	Staff    int64
	TicketID int64
	// Text is the answer, or a File's caption; empty only with a File.
	Text string
	File TicketFile
	// At is when it was written; zero means now.
	At time.Time
}

// TicketNotify builds the outbox message carrying a staff answer to the
// owner. It runs inside the store's transaction and must not use the
// store.
type TicketNotify func(t Ticket, answer TicketMessage) (OutboxItem, error)

// TicketStore keeps the owners' questions and the staff's answers. Every
// change is audited (object "ticket:<number>", without the texts).
type TicketStore interface {
	// Ask adds the owner's message to their open ticket (which becomes
	// TicketNew again) or, when none is open, opens one; opened says
	// which. Opening beyond the day's bound is ErrFull.
	Ask(ctx context.Context, q TicketAsk) (t Ticket, opened bool, err error)
	// OpenTicket returns the owner's ticket that is not closed, or
	// ErrNotFound.
	OpenTicket(ctx context.Context, userID int64) (Ticket, error)
	// Ticket returns one ticket by id, or ErrNotFound.
	Ticket(ctx context.Context, id int64) (Ticket, error)
	// OpenTickets lists up to limit tickets that are not closed, oldest
	// first, each with its first message only.
	OpenTickets(ctx context.Context, limit int) ([]Ticket, error)
	// Answer adds a staff answer, marks the ticket TicketAnswered (the
	// first answer sets FirstResponseAt) and queues notify's message, in
	// one transaction. A closed ticket is ErrConflict; an unknown one
	// ErrNotFound.
	Answer(ctx context.Context, a TicketAnswer, notify TicketNotify) (Ticket, error)
	// CloseTicket closes a ticket, by its owner or a staff member (actor).
	// A closed ticket is ErrConflict; an unknown one ErrNotFound.
	CloseTicket(ctx context.Context, actor, id int64, at time.Time) (Ticket, error)
	// TicketsOf lists the owner's tickets with their messages, oldest
	// first (/datasaya).
	TicketsOf(ctx context.Context, userID int64) ([]Ticket, error)
	// SetTicketTopic records the forum topic of a ticket unless one is
	// recorded already, and returns the one recorded: of two topics created
	// at once for a ticket, one wins. An unknown ticket is ErrNotFound; a
	// topic that belongs to another ticket is ErrConflict.
	SetTicketTopic(ctx context.Context, id, topicID int64) (int64, error)
	// TicketByTopic returns the ticket of a forum topic, or ErrNotFound.
	TicketByTopic(ctx context.Context, topicID int64) (Ticket, error)
}

// ticketFileKinds are the file kinds a message may carry.
var ticketFileKinds = map[string]bool{FilePhoto: true, FileDocument: true}

// CheckTicketMessage refuses a message without text or file, or with a
// file of an unknown kind.
func CheckTicketMessage(text string, f TicketFile) error {
	switch {
	case text == "" && f.IsZero():
		return fmt.Errorf("ticket message: empty text and no file")
	case !f.IsZero() && !ticketFileKinds[f.Kind]:
		return fmt.Errorf("ticket message: file kind %q", f.Kind)
	}
	return nil
}

// TicketNumber formats a ticket's number from its id and creation time
// (the year in WIB).
func TicketNumber(id int64, created time.Time) string {
	return fmt.Sprintf("TNY-%d-%06d", created.In(wib).Year(), id)
}

// ParseTicketID reads the id a staff member types: "123", "000123" or
// "TNY-2026-000123". It returns 0 when s is none of these.
func ParseTicketID(s string) int64 {
	s = strings.ToUpper(strings.TrimSpace(s))
	if rest, ok := strings.CutPrefix(s, "TNY-"); ok {
		_, s, ok = strings.Cut(rest, "-")
		if !ok {
			return 0
		}
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// TicketObject names a ticket in the audit log.
func TicketObject(number string) string { return "ticket:" + number }
