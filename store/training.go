package store

import (
	"context"
	"time"
)

// Training topics.
const (
	TopicFinance   = "keuangan"  // manajemen keuangan
	TopicMarketing = "pemasaran" // pemasaran digital
	TopicLegal     = "legalitas" // NIB, halal, PIRT
	TopicExport    = "ekspor"    // kesiapan ekspor
)

// Training statuses.
const (
	TrainingOpen      = "open"
	TrainingCancelled = "cancelled"
)

// Training is one session the Dinas runs.
type Training struct {
	ID          int64
	Topic       string
	Title       string
	Description string
	StartAt     time.Time
	EndAt       time.Time
	// Place is an address, or "" for an online training with Link.
	Place    string
	Link     string
	Capacity int
	// Deadline is the last moment to book.
	Deadline  time.Time
	Status    string
	CreatedBy int64
	// ImportKey identifies a training from an imported schedule, so that an
	// import run twice changes nothing; "" for trainings made in the chat.
	ImportKey string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TrainingSeats is a training with its current counts.
type TrainingSeats struct {
	Training
	Booked     int // booked, offered and attended places
	Waitlisted int
}

// SeatsLeft is how many seats can still be booked.
func (t TrainingSeats) SeatsLeft() int { return max(t.Capacity-t.Booked, 0) }

// Booking statuses.
const (
	BookingBooked     = "booked"
	BookingWaitlisted = "waitlisted"
	// BookingOffered: promoted from the waitlist, the seat is held until
	// OfferDeadline for the owner to confirm.
	BookingOffered   = "offered"
	BookingCancelled = "cancelled"
	BookingAttended  = "attended"
	BookingAbsent    = "absent"
)

// Booking is an owner's place in a training, or on its waitlist.
type Booking struct {
	ID         int64
	Code       string // shown to the owner, e.g. PLT-12-0042
	TrainingID int64
	UserID     int64
	Status     string
	// Position is the place on the waitlist (1 = next), 0 otherwise.
	Position      int
	OfferDeadline time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Participant is a booking with what staff need to reach the owner.
type Participant struct {
	Booking
	OwnerName    string
	Phone        string
	BusinessName string
	Kecamatan    string
}

// Notify builds the outbox message for one booking; flows pass it so that
// the store can queue notices in the transaction that causes them.
type Notify func(b Booking, t Training) (OutboxItem, error)

// MoveNotify builds the outbox message telling the owner of booking b that
// the date, time or place of their training changed: old is the training
// before the change, t after it.
type MoveNotify func(b Booking, old, t Training) (OutboxItem, error)

// TrainingNotices builds the notices an update of a training queues in the
// transaction that makes it.
type TrainingNotices struct {
	// Offer tells a waitlisted owner of a seat a raised capacity freed.
	Offer Notify
	// Moved tells every owner with a booked, offered or waitlisted place,
	// once per change, that the training's date, time or place changed
	// (TrainingMoved).
	Moved MoveNotify
}

// TrainingImport says what ImportTrainings did.
type TrainingImport struct {
	Created, Updated int
	// Told counts the owners told of a new date, time or place.
	Told int
}

// Reminder kinds.
const (
	ReminderDayBefore = "d1"
	ReminderSameDay   = "d0"
)

// TrainingStore keeps trainings and bookings. Every change that tells an
// owner something queues its outbox rows in the same transaction.
type TrainingStore interface {
	CreateTraining(ctx context.Context, actor int64, t Training) (Training, error)
	// UpdateTraining changes a training's details (not its status); a
	// change of date, time or place tells every owner with a place through
	// notices.Moved and returns how many were told; a capacity raised
	// promotes waitlisted owners (offers, told through notices.Offer); a
	// capacity below the booked count is ErrConflict.
	UpdateTraining(ctx context.Context, actor int64, t Training, notices TrainingNotices) (told int, err error)
	// CancelTraining cancels it and every booking, and queues notify for
	// each booked, offered and waitlisted owner; it returns how many were
	// told.
	CancelTraining(ctx context.Context, actor, id int64, notify Notify) (int, error)
	Training(ctx context.Context, id int64) (TrainingSeats, error)
	// Upcoming lists open trainings starting after now, soonest first,
	// of topic ("" for all), from offset; total counts them all.
	Upcoming(ctx context.Context, now time.Time, topic string, offset, limit int) (list []TrainingSeats, total int, err error)
	// Book gives userID a seat, or a waitlist place when the training is
	// full. An owner already holding a place gets it back with ErrConflict.
	// A cancelled or started training, or one past its deadline, is
	// ErrClosed.
	Book(ctx context.Context, trainingID, userID int64, now time.Time) (Booking, error)
	// CancelBooking cancels the owner's booking (only before the start) and,
	// when a seat frees up, offers it to the first on the waitlist until
	// now+hold, queueing notify for them. It returns the promoted booking,
	// if any.
	CancelBooking(ctx context.Context, userID, bookingID int64, now time.Time, hold time.Duration, notify Notify) (*Booking, error)
	// ConfirmOffer turns the owner's offered booking into a booked one, if
	// the offer has not expired.
	ConfirmOffer(ctx context.Context, userID, bookingID int64, now time.Time) (Booking, error)
	// ExpireOffers cancels offers whose deadline passed and offers each
	// seat to the next on the waitlist (notify); it returns how many
	// offers expired.
	ExpireOffers(ctx context.Context, now time.Time, hold time.Duration, notify Notify) (int, error)
	// BookingsOf lists the owner's active bookings and waitlist places
	// (with positions), soonest training first.
	BookingsOf(ctx context.Context, userID int64, now time.Time) ([]Booking, error)
	// Participants lists a training's bookings of every status, with the
	// owners' contact (from their latest registration).
	Participants(ctx context.Context, trainingID int64) ([]Participant, error)
	// MarkAttendance records attended or absent for a booked place, after
	// the training started.
	MarkAttendance(ctx context.Context, actor, bookingID int64, attended bool, now time.Time) error
	// QueueReminders queues, exactly once per booking and kind (key
	// "remind:<booking>:<kind>"), the reminders that are due: kind d1 from
	// dayBefore (a time of day in WIB) on the day before the training, kind
	// d0 from sameDay on the day itself, both only while the training has
	// not started and the booking is booked. It returns how many it queued.
	QueueReminders(ctx context.Context, now time.Time, dayBefore, sameDay time.Duration, notify func(b Booking, t Training, kind string) (OutboxItem, error)) (int, error)
	// ImportTrainings creates or updates trainings by ImportKey; a second
	// run with the same rows changes nothing. A new date, time or place of
	// a training is told to every owner with a place through moved, as
	// UpdateTraining does.
	ImportTrainings(ctx context.Context, actor int64, ts []Training, moved MoveNotify) (TrainingImport, error)
}

// ErrClosed: a training no longer takes bookings (cancelled, started, or
// past its deadline), or an offer expired.
var ErrClosed = errorString("store: closed")

type errorString string

func (e errorString) Error() string { return string(e) }
