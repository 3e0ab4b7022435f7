// Package store declares the records umkmbot keeps, the sentinel errors its
// stores return, and the store interfaces that every implementation
// (store/memory, store/redis, store/postgres) satisfies and that the
// contract suite in store/storetest checks.
//
// The dashboard adds WebAuthStore (login links, browser sessions),
// StatsStore (aggregates) and Dataset (bulk demo data). TicketStore keeps
// the owners' questions to the Dinas ("Tanya petugas") and the answers.
//
// It imports nothing from the project and no driver: flows and cmd may import
// it; implementations live in its sub-packages.
package store

import (
	"context"
	"errors"
	"time"
)

// Sentinel errors. Implementations wrap them; callers test with errors.Is.
var (
	// ErrNotFound: the record does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a compare-and-set lost (the session changed, or the lock
	// was lost) or a uniqueness rule was violated.
	ErrConflict = errors.New("store: conflict")
	// ErrDuplicate: this update id was already handled for its chat.
	ErrDuplicate = errors.New("store: duplicate update")
	// ErrBusy: another worker holds the chat's lock.
	ErrBusy = errors.New("store: chat busy")
	// ErrFull: a capacity was reached (seats, quotas).
	ErrFull = errors.New("store: full")
)

// SessionTTL is how long a silent conversation is kept: a half-filled form
// survives weeks of silence.
const SessionTTL = 30 * 24 * time.Hour

// LockTTL is the lease of a chat's lock. The holder renews it (Renew)
// while it works, so a lock left by a crashed process or cut off by a
// Redis hiccup is free again within LockTTL of the server answering.
const LockTTL = 2 * time.Second

// OwedKeep is how long the record of delivered replies is kept: long
// enough to recognise an answer the user repeated while the reply was on
// its way.
const OwedKeep = 10 * time.Minute

// Session is the state of one chat's conversation. It is small and flat;
// the stores keep it in a compact form (EncodeSession). The JSON tags read
// sessions stored as JSON before that form.
type Session struct {
	ChatID int64  `json:"chat"`
	UserID int64  `json:"user"`
	Lang   string `json:"lang"`
	// ClientLang is the bot language the user's Telegram reported, as last
	// kept in the user store (UserStore.SetClientLanguage).
	ClientLang  string            `json:"cl,omitempty"`
	Flow        string            `json:"flow,omitempty"`
	FlowVersion int               `json:"fv,omitempty"`
	State       string            `json:"state,omitempty"`
	Data        map[string]string `json:"data,omitempty"`
	// History holds the states visited in the current flow, for "kembali".
	History []string `json:"hist,omitempty"`
	// Tries counts failed answers at the current state.
	Tries int `json:"tries,omitempty"`
	// Then is a command to run when the current flow completes (a booking
	// that waits for the owner to register first); "" when none.
	Then string `json:"then,omitempty"`
	// Drafts keeps a flow's data when the owner leaves it half-way, by flow
	// name, so that it can be resumed later.
	Drafts map[string]Draft `json:"drafts,omitempty"`
	// LastUpdate is the highest update id committed for the chat; stores set
	// it on commit and refuse a claim of an id not above it (ErrDuplicate).
	// Telegram's update ids increase, so this is the chat's dedup record.
	LastUpdate int64 `json:"last,omitempty"`
	// Version is the compare-and-set counter; stores bump it on each save.
	Version   int64     `json:"v"`
	UpdatedAt time.Time `json:"at"`
}

// Draft is a flow left half-way.
type Draft struct {
	FlowVersion int               `json:"fv"`
	State       string            `json:"state"`
	Data        map[string]string `json:"data,omitempty"`
	History     []string          `json:"hist,omitempty"`
	SavedAt     time.Time         `json:"at"`
}

// OwedStatus says where the replies of an update stand.
type OwedStatus string

const (
	// OwedPending: committed and not yet known to be delivered (in flight,
	// or the process died before sending them).
	OwedPending OwedStatus = "pending"
	// OwedDelivered: every reply reached Telegram.
	OwedDelivered OwedStatus = "delivered"
	// OwedLost: Telegram refused a reply for good (400, 403) or it could
	// not be sent in time; the user never saw it.
	OwedLost OwedStatus = "lost"
)

// Owed is what a chat is owed by the last update committed for it: its
// replies (encoded by the engine), the input that caused them and the
// session as it was before, so that an answer the user gives without
// having seen the replies can be applied to the question they did see.
// Stores keep it beside the session and write it in the same round trip
// as the session (Commit).
type Owed struct {
	// Version is the session version the commit produced; SetOwed compares
	// it.
	Version  int64      `json:"v"`
	UpdateID int64      `json:"u,omitempty"`
	Status   OwedStatus `json:"s"`
	// Input is the engine's fingerprint of the input that was answered.
	Input string `json:"in,omitempty"`
	// Replies are the engine's encoded replies; kept while not delivered.
	Replies []byte `json:"r,omitempty"`
	// Undo is the session before the update, as the store keeps it
	// (Claim.SessionRaw, never encoded again: DecodeSession reads it); nil
	// for a new chat. Kept while not delivered.
	Undo []byte `json:"undo,omitempty"`
	// At is when the replies were delivered or given up.
	At time.Time `json:"at,omitzero"`
}

// OwedItem is one SetOwed of a SetOwedMany.
type OwedItem struct {
	ChatID int64
	Owed   *Owed
	TTL    time.Duration
}

// Claim is the right to process one update of one chat: the chat's lock,
// and the session and owed record as they were when claimed.
type Claim struct {
	ChatID   int64
	UpdateID int64
	Token    string
	// Session is nil when the chat has no session yet.
	Session *Session
	// SessionRaw is Session as stored (EncodeSession's form, or JSON from
	// before it), for an owed record's Undo.
	SessionRaw []byte
	// Owed is nil when the chat owes nothing on record.
	Owed *Owed
}

// SessionStore keeps sessions, per-chat locks and the replies owed.
//
// Claim, then Commit or Abort: the pair is at most two round trips to the
// server per update.
type SessionStore interface {
	// Claim takes the chat's lock (a lease of LockTTL) and loads the
	// session and the owed record. It returns ErrBusy when another worker
	// holds the lock. When updateID is not 0 and not above the session's
	// LastUpdate it returns the claim (Session and Owed filled, no lock
	// held) together with ErrDuplicate.
	Claim(ctx context.Context, chatID, updateID int64) (*Claim, error)
	// Renew extends the claim's lease; ErrConflict when the lock is no
	// longer the claim's.
	Renew(ctx context.Context, c *Claim) error
	// Commit saves s (nil deletes the session) and, when owed is not nil,
	// replaces the owed record (kept for ttl), if the lock is still the
	// claim's and the stored version is still the claimed one. It sets
	// s.Version, s.LastUpdate (to the claim's update id when higher) and
	// s.UpdatedAt, and releases the lock. It returns ErrConflict when the
	// session changed or the lock was lost; nothing is written then.
	Commit(ctx context.Context, c *Claim, s *Session, owed *Owed, ttl time.Duration) error
	// Abort releases the lock if it is still the claim's.
	Abort(ctx context.Context, c *Claim) error
	// SetOwed replaces the chat's owed record, kept for ttl, if its
	// Version is still o.Version; ErrConflict otherwise (a later update
	// owes something else now).
	SetOwed(ctx context.Context, chatID int64, o *Owed, ttl time.Duration) error
	// SetOwedMany does SetOwed for each item in one round trip; an item
	// whose record was replaced meanwhile is skipped, not an error.
	SetOwedMany(ctx context.Context, items []OwedItem) error
	// OwedChats lists the chats that have an owed record.
	OwedChats(ctx context.Context) ([]int64, error)
	// LoadOwed returns the chat's owed record or ErrNotFound.
	LoadOwed(ctx context.Context, chatID int64) (*Owed, error)
	// Load returns the stored session or ErrNotFound.
	Load(ctx context.Context, chatID int64) (*Session, error)
	// Delete removes the chat's session and owed record (data deletion).
	Delete(ctx context.Context, chatID int64) error
}

// User is what umkmbot keeps about a Telegram user outside any registration.
type User struct {
	ID int64 // Telegram user id
	// Lang is the language the user chose with /bahasa; "" when they never
	// chose.
	Lang string
	// ClientLang is the bot language matching the language the user's
	// Telegram reported at their latest update; "" when it never reported
	// one.
	ClientLang string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// UserStore keeps users and their language.
type UserStore interface {
	// User returns the user or ErrNotFound.
	User(ctx context.Context, id int64) (User, error)
	// SetLanguage creates the user if needed and stores the language.
	SetLanguage(ctx context.Context, id int64, lang string) error
	// SetClientLanguage creates the user if needed and stores the language
	// their Telegram reports; the chosen language stays as it is.
	SetClientLanguage(ctx context.Context, id int64, lang string) error
}

// Language is the language to speak to u in: the one they chose, else the
// one their Telegram reports, else "" (the caller's default).
func (u User) Language() string {
	if u.Lang != "" {
		return u.Lang
	}
	return u.ClientLang
}

// StaffStore tells who is staff of the Dinas, besides the ids given in the
// configuration.
type StaffStore interface {
	IsStaff(ctx context.Context, id int64) (bool, error)
	AddStaff(ctx context.Context, id int64, name string) error
}

// Inbound is one update as the intake recorded it.
type Inbound struct {
	// Seq identifies the record in the ingest (opaque to the caller).
	Seq string
	// UpdateID is Telegram's update id.
	UpdateID int64
	// ChatID is the chat the update belongs to (0 when it has none).
	ChatID int64
	// Raw is the update's JSON as Telegram sent it (or, for an update that
	// does not decode, what could be read of its sender).
	Raw []byte
	// Received is when it was recorded.
	Received time.Time
}

// DeadLetter is an update the intake could not decode and skipped. It holds
// no text of the update.
type DeadLetter struct {
	UpdateID int64     `json:"update_id"`
	Type     string    `json:"type"`
	Reason   string    `json:"reason"`
	At       time.Time `json:"at"`
}

// IngestStore is the intake's durable record: an update is recorded before
// Telegram is told it arrived (the getUpdates offset moves past it),
// handled, and acknowledged once done; what was never acknowledged is
// handed out again at the next start.
type IngestStore interface {
	// Offset returns the getUpdates offset that confirms every recorded
	// update; 0 when nothing was recorded yet.
	Offset(ctx context.Context) (int64, error)
	// Record appends, in one atomic step, the updates whose id is not
	// below the stored offset (the others were recorded before) and
	// stores next as the offset. It returns the updates it appended, with
	// Seq and Received set, for the caller to handle.
	Record(ctx context.Context, ups []Inbound, next int64) ([]Inbound, error)
	// Pending returns every update recorded and not acknowledged, in the
	// order of their update ids: at start, what an earlier run took in and
	// did not finish.
	Pending(ctx context.Context) ([]Inbound, error)
	// Ack removes handled updates.
	Ack(ctx context.Context, seqs ...string) error
	// AddDeadLetter keeps d in a bounded list, newest first.
	AddDeadLetter(ctx context.Context, d DeadLetter) error
	// DeadLetters returns up to n dead letters, newest first.
	DeadLetters(ctx context.Context, n int) ([]DeadLetter, error)
}

// SettleAcker is an IngestStore that keeps the replies owed on the same
// server: it settles them (SetOwedMany) and acknowledges updates in one
// round trip.
type SettleAcker interface {
	SettleAck(ctx context.Context, items []OwedItem, seqs []string) error
}

// Partitioned is an IngestStore shared by several replicas of the bot. The
// updates are kept in partitions by chat (PartitionOf); each partition is
// handled by the one live replica holding its lease, and one replica, the
// one holding the polling lease, asks Telegram for updates and records
// them (Record refuses a replica that does not hold it: the offset cannot
// move under two pollers). A replica keeps itself alive and its leases with
// Balance about every second; a dead replica's leases lapse after the ttl
// and the others take its partitions.
//
// Leases spread the work; they are not what keeps an update from being
// handled twice. Two replicas may, for a moment, both think they own a
// partition (one stalled past its lease, one that took it); the sessions
// are the fence: a chat's session is claimed with a token and committed
// only by the claim's holder, and it remembers the last update it took in,
// so whichever replica comes second finds the update handled.
type Partitioned interface {
	IngestStore
	// Partitions is how many partitions there are.
	Partitions() int
	// PartitionOf is the partition of a chat's updates.
	PartitionOf(chat int64) int
	// Balance renews replica's heartbeat and the leases it holds, takes free partitions up to its fair share of the live replicas, and
	// takes or keeps the polling lease when poll is true and no other live
	// replica holds it. It returns the partitions replica owns now, whether
	// it holds the polling lease, and how many replicas are alive.
	Balance(ctx context.Context, replica string, poll bool, ttl time.Duration) (Lease, error)
	// Release gives up partitions (and the polling lease with poll) at
	// once, for another replica to take.
	Release(ctx context.Context, replica string, poll bool, parts ...int) error
	// Leave releases everything replica holds and says it is gone (at
	// shutdown).
	Leave(ctx context.Context, replica string) error
	// Read returns the updates recorded in the partitions after the given
	// Seq ("" for all not acknowledged), in order per partition, waiting up
	// to block for one when there are none.
	Read(ctx context.Context, after map[int]string, block time.Duration) ([]Inbound, error)
}

// Lease is what a replica holds after Balance.
type Lease struct {
	Owned   []int
	Polling bool
	Live    int
}

// ErrReplicaInUse is Balance's error for a process whose replica name
// another live process uses (two replicas with the same REPLICA_ID).
var ErrReplicaInUse = errors.New("ingest: another live process uses this replica name")

// ErrNotPolling is Record's error for a replica that does not hold the
// polling lease.
var ErrNotPolling = errors.New("ingest: another replica holds the polling lease")

// MaxDeadLetters bounds the dead-letter list.
const MaxDeadLetters = 1000
