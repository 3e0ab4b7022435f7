// Package broadcast holds the staff announcement flows of umkmbot (/siaran
// to compose and send, /siaranjeda, /siaranlanjut, /siaranbatal and
// /siaranlist to manage) and the owners' choice to receive announcements
// (/berhenti, /langganan, and the question StopAsk the engine starts when
// someone outside a form types "berhenti" or "stop"). It builds the message every owner gets and the
// progress message the outbox sender keeps up to date (ProgressReply).
//
// It is a leaf of flows: it imports flows, flows/field and store (the
// CampaignStore interface), never a store driver or the transport. cmd
// wires it.
package broadcast

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Flow names; each is also its command.
const (
	Compose     = "siaran"
	Pause       = "siaranjeda"
	Resume      = "siaranlanjut"
	Cancel      = "siaranbatal"
	List        = "siaranlist"
	Unsubscribe = "berhenti"
	Subscribe   = "langganan"
)

// DefaultRate is the sending rate assumed for estimates, in messages per
// second.
const DefaultRate = 25

// maxBody is the longest announcement, in characters: Telegram allows 4,096
// per message, and the header of bc_message needs some of them.
const maxBody = 3500

// listLimit is how many campaigns /siaranlist shows.
const listLimit = 10

// TimeOfDay is a wall-clock time in Options.Loc.
type TimeOfDay struct {
	Hour, Minute int
}

func (t TimeOfDay) minutes() int { return t.Hour*60 + t.Minute }

// Options tunes the flows. Zero values get the defaults noted.
type Options struct {
	// Rate is the sender's rate in messages per second, for the estimated
	// duration (default 25).
	Rate int
	// QuietFrom and QuietTo bound the quiet hours, when no campaign starts
	// (default 21.00–06.00). Both zero means the default; two equal,
	// non-zero times mean no quiet hours.
	QuietFrom, QuietTo TimeOfDay
	// Loc is the time zone of the quiet hours (default WIB, UTC+7).
	Loc *time.Location
	// Trainings, when set, lets staff send to the participants of a
	// training.
	Trainings store.TrainingStore
	// Owners, when set, tells /langganan from someone who has not
	// registered a business that announcements go to registered owners.
	Owners Owners
	// Menu is the flow shown after the stop question (default "menu").
	Menu string
}

// Owners finds the businesses a user registered; store.RegistrationStore
// satisfies it.
type Owners interface {
	RegistrationsOf(ctx context.Context, userID int64) ([]store.Registration, error)
}

func (o Options) withDefaults() Options {
	if o.Rate <= 0 {
		o.Rate = DefaultRate
	}
	if o.QuietFrom == (TimeOfDay{}) && o.QuietTo == (TimeOfDay{}) {
		o.QuietFrom, o.QuietTo = TimeOfDay{Hour: 21}, TimeOfDay{Hour: 6}
	}
	if o.Menu == "" {
		o.Menu = "menu"
	}
	if o.Loc == nil {
		o.Loc = time.FixedZone("WIB", 7*60*60)
	}
	return o
}

// New returns the broadcast flows: compose (staff), pause, resume, cancel
// and list (staff), and stop and start announcements (everyone).
func New(camps store.CampaignStore, opt Options) []*flows.Flow {
	b := &bc{camps: camps, opt: opt.withDefaults()}
	return []*flows.Flow{
		b.composeFlow(),
		b.statusFlow(Pause, store.CampaignPaused),
		b.statusFlow(Resume, store.CampaignRunning),
		b.statusFlow(Cancel, store.CampaignCancelled),
		b.listFlow(),
		b.subscribeFlow(Unsubscribe, false),
		b.subscribeFlow(Subscribe, true),
		b.stopAskFlow(),
	}
}

// bc holds what every flow of the package shares.
type bc struct {
	camps store.CampaignStore
	opt   Options
}

// commandFlow is a flow that does all its work as it starts (Enter returns
// flows.End); its one step is never reached.
func commandFlow(name string, staff bool, title flows.Text, enter func(c *flows.Ctx) error) *flows.Flow {
	return &flows.Flow{
		Name: name, Version: 1, Title: title, Start: "done",
		Commands: []string{name}, StaffOnly: staff,
		Steps: map[string]*flows.Step{"done": {
			Prompt: func(*flows.Ctx) flows.Reply { return flows.Say("bc_done") },
			Handle: func(*flows.Ctx, flows.Input) (string, error) { return flows.End, nil },
		}},
		Enter: func(c *flows.Ctx) (string, error) {
			if err := enter(c); err != nil {
				return "", err
			}
			return flows.End, nil
		},
	}
}

// Num is a count written the way lang writes numbers: "1.200" in
// Indonesian, "1,200" in English.
func Num(n int) flows.Text {
	return flows.T("bc_num", "ID", group(n, "."), "EN", group(n, ","))
}

// group writes n with sep between groups of three digits.
func group(n int, sep string) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Duration is the time n messages take at rate per second, rounded up to
// whole minutes (at least one): "± 3 menit", "± 1 jam 7 menit".
func Duration(n, rate int) flows.Text {
	if rate <= 0 {
		rate = DefaultRate
	}
	mins := max((n+rate*60-1)/(rate*60), 1)
	if mins < 60 {
		return flows.T("bc_dur_min", "M", mins)
	}
	return flows.T("bc_dur_hour", "H", mins/60, "M", mins%60)
}

// audienceText names an audience: "semua pemilik usaha", "pemilik usaha di
// Kecamatan Cikupa", ...
func audienceText(a store.Audience) flows.Text {
	switch {
	case a.Kecamatan != "":
		name := a.Kecamatan
		if k, ok := field.KecamatanByCode(a.Kecamatan); ok {
			name = k.Name
		}
		return flows.T("bc_aud_kec", "Name", name)
	case a.Sector != "":
		return flows.T("bc_aud_sector", "Sector", sectorText(a.Sector))
	case a.Training != 0:
		return flows.T("bc_aud_training", "ID", a.Training)
	}
	return flows.T("bc_aud_all")
}

// sectorText is a sector's label, the message the registration flow uses.
func sectorText(key string) flows.Text { return flows.T("sector_" + key) }

// statusText names a campaign status.
func statusText(status string) flows.Text {
	switch status {
	case store.CampaignPaused:
		return flows.T("bc_status_paused")
	case store.CampaignCancelled:
		return flows.T("bc_status_cancelled")
	case store.CampaignDone:
		return flows.T("bc_status_done")
	}
	return flows.T("bc_status_running")
}

// escaper makes plain text safe inside Telegram HTML.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
