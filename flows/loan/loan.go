// Package loan holds the conversations about the UPDB's revolving-fund
// loans (dana bergulir): the owner's /pinjaman (link an application to the
// Telegram account by its number and the NIK, then its timeline, what is
// needed now, the next instalment, outstanding and arrears, the full
// schedule, unlinking), the staff's /pinjamanstaf (find, view, move to an
// allowed stage with a note and, for DISETUJUI, the approved amount the
// schedule is computed on, record a payment, see failed link attempts),
// the outbox notice sent to linked owners when a loan changes (NewNotify),
// the import of the UPDB's spreadsheet (ImportCSV) and the lines /datasaya
// shows (DataLines).
//
// Loan data is personal financial data (UU PDP): an owner sees only the
// loans linked to their own account. Buttons carry nothing but an index
// into the owner's own linked list, the session keeps the chosen loan's id,
// and every step checks it against LinkedLoans again, so that neither an
// old button nor forged callback data can show another loan.
//
// The stage rules and the schedule are flows/loan/domain's. This package is
// a leaf of flows: it imports flows, flows/field, flows/registration (for
// its field error messages), flows/loan/domain and store; cmd wires it with
// real stores, and flows/datarights may call DataLines.
package loan

import (
	"context"
	"strconv"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/loan/domain"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Flow names.
const (
	Name      = "loan"
	StaffName = "loanstaff"
)

// Commands.
const (
	Command      = "pinjaman"
	StaffCommand = "pinjamanstaf"
)

// Auditor appends audit entries; store.RegistrationStore satisfies it.
type Auditor interface {
	Audit(ctx context.Context, e store.AuditEntry) error
}

// Options configures the loan flows.
type Options struct {
	// Menu is the flow shown when a flow ends; default "menu".
	Menu string
	// MaxTries is how many failed link attempts the AttemptLimiter allows
	// before it locks; the owner is told how many are left. Default 5.
	MaxTries int
	// Users, when set, gives the language of each linked owner's notice;
	// without it notices are in Indonesian.
	Users store.UserStore
}

func (o Options) menu() string {
	if o.Menu == "" {
		return "menu"
	}
	return o.Menu
}

func (o Options) maxTries() int {
	if o.MaxTries <= 0 {
		return 5
	}
	return o.MaxTries
}

// wib is Western Indonesia Time, the zone of every date owners and staff
// read or type.
var wib = domain.WIB

// today is the engine's clock in WIB.
func today(c *flows.Ctx) time.Time { return c.Now.In(wib) }

// running stages have a schedule: the money is out.
func running(stage string) bool {
	return stage == domain.Dicairkan || stage == domain.Berjalan || stage == domain.Menunggak
}

// object names a loan in the audit trail.
func object(l store.Loan) string { return "loan:" + l.Number }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}
