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
}

// TicketMessage is one message of a thread.
type TicketMessage struct {
	// StaffID is the staff member who answered; 0 for the owner's message.
	StaffID int64
	Text    string
	At      time.Time
}

// TicketAsk is an owner's message to the Dinas.
type TicketAsk struct {
	UserID int64
	Lang   string
	Text   string
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
	Text     string
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
