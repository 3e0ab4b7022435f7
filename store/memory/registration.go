package memory

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

var _ store.RegistrationStore = (*Store)(nil)

// wib is the zone of the year in registration numbers (Asia/Jakarta has no
// daylight saving).
var wib = time.FixedZone("WIB", 7*60*60)

// anonymisedName replaces the owner's name when their data is deleted.
const anonymisedName = "(dihapus)"

// regState holds registrations, consents and the audit trail of one Store.
// It is guarded by the Store's mutex.
type regState struct {
	regs     []*regEntry // in ID order
	byKey    map[string]*regEntry
	counters map[int]int // last number given, by WIB year
	consents []store.Consent
	audit    []store.AuditEntry
}

type regEntry struct {
	r          store.Registration
	key        string // "" once anonymised
	anonymised bool
}

// reg returns s's registration state.
func (s *Store) reg() *regState { return &s.regs }

// live finds the registration of nik and business key that is not
// anonymised. s.mu must be held.
func (st *regState) live(nik, bkey string) *regEntry {
	for _, e := range st.regs {
		if !e.anonymised && e.r.NIK == nik && store.BusinessKey(e.r.BusinessName) == bkey {
			return e
		}
	}
	return nil
}

// appendAudit stamps and appends an entry. s.mu must be held.
func (st *regState) appendAudit(e store.AuditEntry, now time.Time) {
	e.ID = int64(len(st.audit) + 1)
	e.At = now
	st.audit = append(st.audit, e)
}

// CreateRegistration implements store.RegistrationStore. The key wins over
// the duplicate rule: a retry of a call that succeeded gets its record. An
// empty key is refused.
func (s *Store) CreateRegistration(ctx context.Context, key string, r store.Registration) (store.Registration, bool, error) {
	if err := ctx.Err(); err != nil {
		return store.Registration{}, false, err
	}
	if key == "" {
		return store.Registration{}, false, errors.New("create registration: empty idempotency key")
	}
	st := s.reg()
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := st.byKey[key]; e != nil {
		return e.r, false, nil
	}
	if e := st.live(r.NIK, store.BusinessKey(r.BusinessName)); e != nil {
		return e.r, false, fmt.Errorf("create registration of user %d: business already registered as %s: %w",
			r.UserID, e.r.Number, store.ErrConflict)
	}
	now := s.now().UTC().Round(0)
	year := now.In(wib).Year()
	st.counters[year]++
	r.ID = int64(len(st.regs) + 1)
	r.Number = fmt.Sprintf("UMKM-3603-%d-%06d", year, st.counters[year])
	r.CreatedAt, r.UpdatedAt = now, now
	e := &regEntry{r: r, key: key}
	st.regs = append(st.regs, e)
	st.byKey[key] = e
	st.appendAudit(store.AuditEntry{Actor: r.UserID, Action: "register", Object: "registration:" + r.Number,
		Detail: fmt.Sprintf("sector=%s kecamatan=%s class=%s", r.Sector, r.Kecamatan, r.Class)}, now)
	return r, true, nil
}

// FindRegistration implements store.RegistrationStore; anonymised
// registrations are not found.
func (s *Store) FindRegistration(ctx context.Context, nik, businessName string) (store.Registration, error) {
	if err := ctx.Err(); err != nil {
		return store.Registration{}, err
	}
	st := s.reg()
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := st.live(nik, store.BusinessKey(businessName)); e != nil && nik != "" {
		return e.r, nil
	}
	return store.Registration{}, fmt.Errorf("registration: %w", store.ErrNotFound)
}

// Registration implements store.RegistrationStore. An anonymised
// registration is returned as it is kept: business aggregates only.
func (s *Store) Registration(ctx context.Context, number string) (store.Registration, error) {
	if err := ctx.Err(); err != nil {
		return store.Registration{}, err
	}
	st := s.reg()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range st.regs {
		if e.r.Number == number {
			return e.r, nil
		}
	}
	return store.Registration{}, fmt.Errorf("registration %s: %w", number, store.ErrNotFound)
}

// RegistrationsOf implements store.RegistrationStore.
func (s *Store) RegistrationsOf(ctx context.Context, userID int64) ([]store.Registration, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st := s.reg()
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []store.Registration
	for _, e := range st.regs {
		if !e.anonymised && e.r.UserID == userID {
			list = append(list, e.r)
		}
	}
	return list, nil
}

// UpdateRegistration implements store.RegistrationStore: only the owner
// (actor) can change a registration that is not anonymised, found by
// number, else ErrNotFound; a business name that another live registration
// of the same NIK has gives ErrConflict. ID, number, owner and creation time
// stay. An update that changes nothing writes nothing.
func (s *Store) UpdateRegistration(ctx context.Context, actor int64, r store.Registration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	st := s.reg()
	s.mu.Lock()
	defer s.mu.Unlock()
	var e *regEntry
	for _, x := range st.regs {
		if x.r.Number == r.Number && !x.anonymised && x.r.UserID == actor {
			e = x
		}
	}
	if e == nil {
		return fmt.Errorf("update registration %s by user %d: %w", r.Number, actor, store.ErrNotFound)
	}
	if other := st.live(r.NIK, store.BusinessKey(r.BusinessName)); other != nil && other != e {
		return fmt.Errorf("update registration %s by user %d: business already registered as %s: %w",
			r.Number, actor, other.r.Number, store.ErrConflict)
	}
	fields := store.ChangedFields(e.r, r)
	if len(fields) == 0 {
		return nil
	}
	now := s.now().UTC().Round(0)
	r.ID, r.Number, r.UserID, r.CreatedAt, r.UpdatedAt = e.r.ID, e.r.Number, e.r.UserID, e.r.CreatedAt, now
	e.r = r
	st.appendAudit(store.AuditEntry{Actor: actor, Action: "edit", Object: "registration:" + r.Number,
		Detail: "fields: " + strings.Join(fields, ", ")}, now)
	return nil
}

// RecordConsent implements store.RegistrationStore. c.At is kept when set
// (the moment the user answered), else the store stamps now.
func (s *Store) RecordConsent(ctx context.Context, c store.Consent) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	st := s.reg()
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().UTC().Round(0)
	if c.At.IsZero() {
		c.At = now
	}
	c.At = c.At.UTC().Round(0)
	for _, had := range st.consents {
		if had.UserID == c.UserID && had.Purpose == c.Purpose && had.NoticeVersion == c.NoticeVersion &&
			had.Granted == c.Granted && had.At.Equal(c.At) {
			return nil // the same answer recorded again (store.RegistrationStore)
		}
	}
	st.consents = append(st.consents, c)
	st.appendAudit(store.AuditEntry{Actor: c.UserID, Action: "consent", Object: userObject(c.UserID),
		Detail: fmt.Sprintf("purpose=%s notice=%s granted=%t", c.Purpose, c.NoticeVersion, c.Granted)}, now)
	return nil
}

// ConsentsOf implements store.RegistrationStore.
func (s *Store) ConsentsOf(ctx context.Context, userID int64) ([]store.Consent, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st := s.reg()
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []store.Consent
	for _, c := range st.consents {
		if c.UserID == userID {
			list = append(list, c)
		}
	}
	return list, nil
}

// LatestConsent implements store.RegistrationStore: the latest by At, the
// later recorded of two at the same moment.
func (s *Store) LatestConsent(ctx context.Context, userID int64, purpose string) (store.Consent, error) {
	if err := ctx.Err(); err != nil {
		return store.Consent{}, err
	}
	st := s.reg()
	s.mu.Lock()
	defer s.mu.Unlock()
	var latest store.Consent
	found := false
	for _, c := range st.consents {
		if c.UserID == userID && c.Purpose == purpose && (!found || !c.At.Before(latest.At)) {
			latest, found = c, true
		}
	}
	if !found {
		return store.Consent{}, fmt.Errorf("latest consent of user %d: %w", userID, store.ErrNotFound)
	}
	return latest, nil
}

// DeletionPreview implements store.RegistrationStore: what DeleteUserData
// would delete now.
func (s *Store) DeletionPreview(ctx context.Context, userID int64) (store.DeletionReport, error) {
	if err := ctx.Err(); err != nil {
		return store.DeletionReport{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deletion(userID), nil
}

// deletion counts what a deletion of userID's data removes, as
// DeleteUserData and DeletionPreview report it. s.mu must be held.
func (s *Store) deletion(userID int64) store.DeletionReport {
	st := s.reg()
	report := store.DeletionReport{Kept: map[string]int{}}
	for _, e := range st.regs {
		if !e.anonymised && e.r.UserID == userID {
			report.Registrations++
		}
	}
	for _, c := range st.consents {
		if c.UserID == userID {
			report.Consents++
		}
	}
	for _, b := range s.trains.bookings {
		if b.UserID != userID {
			continue
		}
		switch b.Status {
		case store.BookingBooked, store.BookingOffered:
			report.Bookings++
		case store.BookingWaitlisted:
			report.Waitlist++
		}
	}
	report.LoanLinks = len(s.loans.byUser[userID])
	if report.LoanLinks > 0 {
		report.Kept["loans"] = report.LoanLinks
	}
	report.Tickets = s.tickets.count(userID)
	_, chose := s.outbox.prefs[userID]
	report.Subscription = chose || report.Registrations > 0
	return report
}

// DeleteUserData implements store.RegistrationStore. The user's
// registrations keep only what statistics need (number, sector, kecamatan,
// class and its basis, year started, workers, capital, turnover and
// creation time); everything else, the owner's user id and the idempotency
// key included, is cleared. Consents and the user's language are deleted.
// The audit entry counts what went, with the user as actor.
func (s *Store) DeleteUserData(ctx context.Context, userID int64) (store.DeletionReport, error) {
	if err := ctx.Err(); err != nil {
		return store.DeletionReport{}, err
	}
	st := s.reg()
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().UTC().Round(0)
	report := s.deletion(userID)
	for _, e := range st.regs {
		if e.anonymised || e.r.UserID != userID {
			continue
		}
		delete(st.byKey, e.key)
		e.key, e.anonymised = "", true
		e.r = anonymise(e.r, now)
	}
	kept := st.consents[:0]
	for _, c := range st.consents {
		if c.UserID == userID {
			continue
		}
		kept = append(kept, c)
	}
	clear(st.consents[len(kept):])
	st.consents = kept
	delete(s.users, userID)
	links := s.loans.forget(userID)
	tickets := s.tickets.forget(userID)
	// As in Postgres: places in trainings are given up (attended ones stay
	// counted, without the account), unsent messages are dropped and the
	// bodies of sent ones erased.
	for _, b := range s.trains.bookings {
		if b.UserID != userID {
			continue
		}
		switch b.Status {
		case store.BookingBooked, store.BookingWaitlisted, store.BookingOffered:
			b.Status = store.BookingCancelled
		}
		b.UserID, b.UpdatedAt = 0, now
	}
	for _, it := range s.outbox.items {
		if it.ChatID != userID || it.Status == store.OutboxSending {
			continue
		}
		if it.Status == store.OutboxPending {
			it.Status = store.OutboxCancelled
		}
		it.Payload = []byte("{}")
	}
	delete(s.outbox.prefs, userID)
	st.appendAudit(store.AuditEntry{Actor: userID, Action: "delete", Object: userObject(userID),
		Detail: fmt.Sprintf("registrations anonymised=%d consents deleted=%d loan links deleted=%d tickets deleted=%d",
			report.Registrations, report.Consents, links, tickets)}, now)
	return report, nil
}

// anonymise keeps the business aggregates of r and drops the rest.
func anonymise(r store.Registration, now time.Time) store.Registration {
	return store.Registration{
		ID: r.ID, Number: r.Number, OwnerName: anonymisedName,
		Sector: r.Sector, Kecamatan: r.Kecamatan, YearStarted: r.YearStarted, Workers: r.Workers,
		Capital: r.Capital, Turnover: r.Turnover, TurnoverMonthly: r.TurnoverMonthly,
		Class: r.Class, ClassBasis: r.ClassBasis, CreatedAt: r.CreatedAt, UpdatedAt: now,
	}
}

// ExportRegistrations implements store.RegistrationStore; the audit detail
// holds the filter and the row count.
func (s *Store) ExportRegistrations(ctx context.Context, actor int64, f store.RegistrationFilter) ([]store.Registration, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st := s.reg()
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []store.Registration
	for _, e := range st.regs {
		if e.anonymised || (f.Kecamatan != "" && e.r.Kecamatan != f.Kecamatan) || (f.Sector != "" && e.r.Sector != f.Sector) {
			continue
		}
		list = append(list, e.r)
	}
	st.appendAudit(store.AuditEntry{Actor: actor, Action: "export", Object: "registrations",
		Detail: fmt.Sprintf("kecamatan=%s sector=%s rows=%d", orAll(f.Kecamatan), orAll(f.Sector), len(list))},
		s.now().UTC().Round(0))
	return list, nil
}

// Audit implements store.RegistrationStore. The store stamps the entry's ID
// and time.
func (s *Store) Audit(ctx context.Context, e store.AuditEntry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	st := s.reg()
	s.mu.Lock()
	defer s.mu.Unlock()
	st.appendAudit(e, s.now().UTC().Round(0))
	return nil
}

// AuditLog implements store.RegistrationStore.
func (s *Store) AuditLog(ctx context.Context, object string) ([]store.AuditEntry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st := s.reg()
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []store.AuditEntry
	for _, e := range st.audit {
		if object == "" || e.Object == object {
			list = append(list, e)
		}
	}
	return list, nil
}

// userObject names a user in the audit log.
func userObject(id int64) string { return "user:" + strconv.FormatInt(id, 10) }

// orAll shows an empty filter value as "*".
func orAll(v string) string {
	if v == "" {
		return "*"
	}
	return v
}
