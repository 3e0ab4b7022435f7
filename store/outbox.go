package store

import (
	"context"
	"time"
)

// Outbox statuses.
const (
	OutboxPending   = "pending"
	OutboxSending   = "sending" // claimed under a lease
	OutboxSent      = "sent"
	OutboxBlocked   = "blocked" // the recipient blocked the bot (403)
	OutboxFailed    = "failed"  // gave up; LastError says why
	OutboxCancelled = "cancelled"
)

// OutboxItem is one proactive message: a broadcast to one owner, a
// reminder, a notice. Its Key makes it impossible to queue twice.
type OutboxItem struct {
	ID int64
	// Key is unique: "bc:<campaign>:<user>", "remind:<booking>:d-1", ...
	Key    string
	ChatID int64
	Kind   string // "broadcast", "reminder", "waitlist", "loan", ...
	// CampaignID links a broadcast row to its campaign; 0 otherwise.
	CampaignID int64
	// Payload is the encoded message (flows.EncodeReply); opaque here.
	Payload   []byte
	NotBefore time.Time
	Status    string
	Attempts  int
	// LeaseUntil is when a claimed row may be claimed again by another
	// sender (the claimer died), at the latest: a sender whose heartbeat
	// expired loses its rows sooner (OutboxStore.Beat).
	LeaseUntil time.Time
	// Fence is new with every claim of the row; StartSend accepts only the
	// fence of the latest claim.
	Fence int64
	// SendUntil, while a send is in flight, is until when the row stays
	// its sender's whatever its heartbeat says (StartSend).
	SendUntil time.Time
	MessageID int // Telegram's message id once sent
	LastError string
	CreatedAt time.Time
	SentAt    time.Time
}

// OutboxStore queues proactive messages and hands them to senders.
type OutboxStore interface {
	// Enqueue adds items whose Key is new and returns how many were added;
	// items with a known Key are left as they are.
	Enqueue(ctx context.Context, items ...OutboxItem) (int, error)
	// Claim leases up to n due items to worker until now+lease, each with
	// a new Fence: pending items whose NotBefore has passed (and whose
	// campaign, if any, is running), and sending items whose lease
	// expired or whose worker's heartbeat (Beat) expired, unless their
	// send is in flight (SendUntil not passed). Several senders may claim
	// at once; no item goes to two of them.
	Claim(ctx context.Context, worker string, n int, lease time.Duration, now time.Time) ([]OutboxItem, error)
	// Beat records that worker is alive until until; a worker that never
	// beat keeps its rows for their whole lease. Beating with an until
	// already past (a sender stopping) gives its rows not in flight up at
	// once.
	Beat(ctx context.Context, worker string, until time.Time) error
	// StartSend begins the send of a claimed item: it succeeds only while
	// the row is sending under the fence it was claimed with (no other
	// sender took it over), and keeps it from being claimed again until
	// until (the send and the recording of its outcome must end by then).
	// A row claimed again, or finished, gives ErrConflict; an unknown id
	// ErrNotFound.
	StartSend(ctx context.Context, id, fence int64, until time.Time) error
	// MarkSent records the Telegram message id.
	MarkSent(ctx context.Context, id int64, messageID int, at time.Time) error
	// MarkBlocked records a 403 and marks the recipient as blocked, so that
	// later audiences leave them out.
	MarkBlocked(ctx context.Context, id int64, reason string) error
	// Retry puts a claimed item back as pending until at, counting the
	// attempt.
	Retry(ctx context.Context, id int64, at time.Time, reason string) error
	// MarkFailed gives up on an item.
	MarkFailed(ctx context.Context, id int64, reason string) error
	// OutboxItem returns one item by key, or ErrNotFound.
	OutboxItem(ctx context.Context, key string) (OutboxItem, error)
}

// Campaign statuses.
const (
	CampaignRunning   = "running"
	CampaignPaused    = "paused"
	CampaignCancelled = "cancelled"
	CampaignDone      = "done"
)

// Audience says who receives a broadcast: every registered owner who has
// not stopped announcements and has not blocked the bot, narrowed by one
// kecamatan or sector.
type Audience struct {
	Kecamatan string // code, or ""
	Sector    string // key, or ""
	// Training limits the audience to owners booked on a training (id), 0
	// for any.
	Training int64
}

// Campaign is a staff broadcast.
type Campaign struct {
	ID        int64
	CreatedBy int64
	// Key, when set, makes CreateCampaign idempotent: a second call with the
	// same key (a retried "Kirim") returns the first campaign and queues
	// nothing more.
	Key string
	// Payload is the encoded message every recipient gets.
	Payload  []byte
	Audience Audience
	Status   string
	// StartAt is when sending may begin (after quiet hours).
	StartAt   time.Time
	CreatedAt time.Time
	// ProgressChat and ProgressMessage locate the staff's progress message,
	// edited in place while the campaign runs.
	ProgressChat    int64
	ProgressMessage int
}

// CampaignStats counts a campaign's rows by status.
type CampaignStats struct {
	Total, Sent, Blocked, Failed, Pending, Cancelled int
}

// CampaignStore keeps campaigns and their audiences.
type CampaignStore interface {
	// AudienceSize counts the recipients a campaign would have now.
	AudienceSize(ctx context.Context, a Audience) (int, error)
	// CreateCampaign stores c and freezes its audience into outbox rows
	// (Key "bc:<id>:<user>", NotBefore c.StartAt) in one transaction, and
	// audits it. It returns the campaign with its ID and the row count.
	CreateCampaign(ctx context.Context, c Campaign) (Campaign, int, error)
	Campaign(ctx context.Context, id int64) (Campaign, error)
	// Campaigns lists the latest campaigns, newest first.
	Campaigns(ctx context.Context, limit int) ([]Campaign, error)
	// SetCampaignStatus pauses, resumes, cancels (pending rows become
	// cancelled) or finishes a campaign, audited by actor.
	SetCampaignStatus(ctx context.Context, actor, id int64, status string) error
	// SetProgressMessage remembers where the progress message is.
	SetProgressMessage(ctx context.Context, id, chat int64, message int) error
	CampaignStats(ctx context.Context, id int64) (CampaignStats, error)
	// SetSubscribed records an owner's choice to receive announcements
	// (/langganan) or not (/berhenti).
	SetSubscribed(ctx context.Context, userID int64, on bool) error
	Subscribed(ctx context.Context, userID int64) (bool, error)
}

// RateLimiter spreads proactive sends within Telegram's limits, shared by
// every sender process.
type RateLimiter interface {
	// Wait blocks until one message may go to chat (within the global
	// budget and at most one per second per chat) or ctx ends.
	Wait(ctx context.Context, chat int64) error
	// Pause stops every sender until now+d (a 429's retry_after).
	Pause(ctx context.Context, d time.Duration) error
}

// TelegramRate is the messages a second Telegram lets one bot send in all
// (about 30).
const TelegramRate = 30

// GrantInterval is the spacing of a limiter's grants for perSecond
// messages a second: 1 s/perSecond, but never closer than (1 s + slack)
// divided by the larger of perSecond and TelegramRate. Messages reach
// Telegram a little after their grant, each with its own delay; at the
// limit, the slack keeps a message delayed up to slack more than the one a
// limit's worth of grants later from crowding one arrival too many into a
// second. Below Telegram's limit the configured rate has room enough, and
// is met. (Rates above it are for fakes with a higher limit, in tests.)
func GrantInterval(perSecond int, slack time.Duration) time.Duration {
	return max(time.Second/time.Duration(perSecond), (time.Second+slack)/time.Duration(max(perSecond, TelegramRate)))
}

// SpentInterval is how far one reply moves the proactive messages' next
// slot: its share of Telegram's own limit, not of the (lower) rate the
// proactive messages are given, so that replies and announcements
// together stay under TelegramRate.
func SpentInterval(slack time.Duration) time.Duration {
	return (time.Second + slack) / TelegramRate
}

// SendBudget is a RateLimiter that also hears of the messages sent without
// waiting for it: the replies to what users write, which go first. Each
// reply takes its slot of the global budget after the fact (the proactive
// messages waiting for slots get fewer) and starts its chat's gap (a
// reminder does not follow a reply within the second).
type SendBudget interface {
	RateLimiter
	// Spent counts one message sent to each of chats just now.
	Spent(ctx context.Context, chats []int64) error
}
