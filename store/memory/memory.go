// Package memory implements every store interface in process memory:
// sessions, users, staff, registrations, trainings, loans and the owners'
// questions (tickets) on Store, the outbox and campaigns on Store.Outbox(),
// the rate and attempt limiters (NewLimiter, NewAttempts), the intake's
// record of updates (NewIngest) and the dashboard's login links and
// sessions (NewWebAuth). The dashboard's figures (store.StatsStore) have no
// memory implementation: they are SQL aggregates, and `umkmbot chat` serves
// the dashboard only with a database.
//
// It is a real implementation, not a mock: it passes the same contract suite
// (store/storetest) as the Redis and Postgres stores. Sessions are kept
// JSON-encoded, exactly as Redis keeps them, so that a flow sees the same
// values from both (an empty map loads as nil, times lose their monotonic
// reading) and no caller can alias stored state. Locks, owed records and
// sessions expire after store.LockTTL, the TTL given with the record and
// store.SessionTTL on the clock given with WithClock.
//
// cmd uses it for the zero-configuration terminal chat; tests of any package
// may use it. It imports only store.
package memory

import (
	"sync"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Option configures a Store.
type Option func(*Store)

// WithClock makes the store read time from now instead of time.Now, so that
// tests can expire sessions, locks and owed records without sleeping.
func WithClock(now func() time.Time) Option {
	return func(s *Store) {
		if now != nil {
			s.now = now
		}
	}
}

// Store keeps sessions, locks, owed records, users and staff in maps
// guarded by one mutex. The zero value is not usable; call New.
type Store struct {
	now func() time.Time

	mu       sync.Mutex
	sessions map[int64]sessionEntry
	locks    map[int64]lockEntry
	owed     map[int64]owedEntry
	users    map[int64]store.User
	staff    map[int64]string
	regs     regState
	outbox   outState
	trains   trainState
	loans    loanState
	tickets  ticketState
	// claims counts Claim calls since the last sweep of expired entries.
	claims int
}

// New returns an empty store.
func New(opts ...Option) *Store {
	s := &Store{
		now:      time.Now,
		sessions: make(map[int64]sessionEntry),
		locks:    make(map[int64]lockEntry),
		owed:     make(map[int64]owedEntry),
		users:    make(map[int64]store.User),
		staff:    make(map[int64]string),
		regs:     regState{byKey: map[string]*regEntry{}, counters: map[int]int{}},
		outbox:   outState{byKey: map[string]*store.OutboxItem{}, prefs: map[int64]userPrefs{}},
		trains:   trainState{byImport: map[string]*trainEntry{}},
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

var (
	_ store.SessionStore = (*Store)(nil)
	_ store.UserStore    = (*Store)(nil)
	_ store.StaffStore   = (*Store)(nil)
)
