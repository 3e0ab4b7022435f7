// Package training holds umkmbot's training conversations. Owners browse
// the upcoming trainings (/pelatihan, with a topic filter and pages), open
// one, book a seat or a waitlist place, and see, cancel or confirm their
// places (/pelatihansaya, where one tap or a typed "ambil" takes an offered
// seat). Staff create trainings (/pelatihanbaru), change them
// (/pelatihanedit; a new date, time or place is told to every owner with a
// place), cancel them (/pelatihanbatal), and list the
// participants as a message and a CSV file and mark attendance (/peserta).
//
// Outside the chat, ImportCSV reads a season's schedule for cmd's
// "import trainings", and QueueDue, which cmd runs every minute, queues the
// reminders and the offers of seats whose previous offer expired. Every
// notice goes through the outbox (store.OutboxItem with a payload from
// flows.EncodeReply), queued by the store in the transaction that causes it.
//
// It is a leaf of flows: it imports flows, flows/field, store (the
// TrainingStore and RegistrationStore interfaces) and looplab/fsm, never a
// store driver or a transport. cmd wires it; only cmd and tests import it.
package training

import (
	"strconv"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Flow names.
const (
	Name             = "train"     // /pelatihan
	MineName         = "trainmine" // /pelatihansaya
	CreateName       = "trainnew"  // /pelatihanbaru
	EditName         = "trainedit" // /pelatihanedit
	CancelName       = "trainstop" // /pelatihanbatal
	ParticipantsName = "peserta"   // /peserta
)

// Commands, without the slash.
const (
	cmdList         = "pelatihan"
	cmdMine         = "pelatihansaya"
	cmdCreate       = "pelatihanbaru"
	cmdEdit         = "pelatihanedit"
	cmdCancel       = "pelatihanbatal"
	cmdParticipants = "peserta"
)

// DeepLinkPrefix is the /start payload prefix of a training's link:
// t.me/<bot>?start=pelatihan_12 opens training 12. cmd maps it to
// "/pelatihan" in menu.Options.DeepLinks.
const DeepLinkPrefix = "pelatihan_"

// PageSize is how many trainings one page of a list shows.
const PageSize = 5

// Options configures the training flows and QueueDue. Zero values get the
// defaults noted.
type Options struct {
	// BotUsername is the bot's Telegram username, for deep links (default
	// "umkmbot").
	BotUsername string
	// OfferHold is how long a seat freed by a cancellation is held for the
	// first on the waitlist (default 24 h).
	OfferHold time.Duration
	// DayBefore and SameDay are the times of day (from midnight WIB) of the
	// reminder the day before (default 08.00) and on the day itself
	// (default 06.00).
	DayBefore, SameDay time.Duration
	// Registration is the business registration flow that an owner who has
	// not registered is taken through before a booking (default "reg").
	Registration string
}

func (o Options) withDefaults() Options {
	if o.BotUsername == "" {
		o.BotUsername = "umkmbot"
	}
	if o.OfferHold <= 0 {
		o.OfferHold = 24 * time.Hour
	}
	if o.DayBefore <= 0 {
		o.DayBefore = 8 * time.Hour
	}
	if o.SameDay <= 0 {
		o.SameDay = 6 * time.Hour
	}
	if o.Registration == "" {
		o.Registration = "reg"
	}
	return o
}

// DeepLink is the link that opens training id in the bot.
func (o Options) DeepLink(id int64) string {
	return "https://t.me/" + o.withDefaults().BotUsername + "?start=" + DeepLinkPrefix + strconv.FormatInt(id, 10)
}

// tr holds what every flow of the package shares.
type tr struct {
	ts   store.TrainingStore
	regs store.RegistrationStore
	opt  Options
}

// New returns every training flow: the owners' /pelatihan and
// /pelatihansaya, and the staff's /pelatihanbaru, /pelatihanedit,
// /pelatihanbatal and /peserta. regs tells whether an owner has
// registered a business.
func New(ts store.TrainingStore, regs store.RegistrationStore, opt Options) []*flows.Flow {
	b := &tr{ts: ts, regs: regs, opt: opt.withDefaults()}
	return []*flows.Flow{
		b.ownerFlow(),
		b.mineFlow(),
		b.createFlow(),
		b.editFlow(),
		b.cancelFlow(),
		b.participantsFlow(),
	}
}
