package store

import (
	"context"
	"strings"
	"time"
)

// Registration is one business registered with the Dinas by its owner.
type Registration struct {
	ID int64
	// Number is shown to the owner: UMKM-3603-<year>-<6 digits>.
	Number string
	// UserID is the owner's Telegram user id.
	UserID int64

	OwnerName string
	NIK       string // 16 digits; shown masked
	BirthDate time.Time
	Female    bool
	Phone     string // E.164, +62...

	BusinessName string
	Sector       string // key from flows/field (kuliner, fesyen, ...)
	Products     string
	Kecamatan    string // 6-digit code, e.g. 360312
	Desa         string // 10-digit code or ""
	Address      string
	YearStarted  int
	Workers      int

	Capital         int64 // modal usaha, whole rupiah
	Turnover        int64 // omzet per year, whole rupiah
	TurnoverMonthly bool  // the owner gave a monthly figure (× 12)
	Class           string
	ClassBasis      string // "omzet" or "modal"

	NIB   string // 13 digits or ""
	Halal string // "sudah", "proses", "belum" or ""

	ConsentVersion string
	ConsentAt      time.Time

	CreatedAt time.Time
	UpdatedAt time.Time
}

// Consent is one answer of a user to a privacy notice.
type Consent struct {
	UserID        int64
	Purpose       string // "registration", "broadcast", ...
	NoticeVersion string
	Granted       bool
	At            time.Time
}

// AuditEntry records who did what to which record, and when.
type AuditEntry struct {
	ID     int64
	Actor  int64  // Telegram user id, 0 for the system
	Action string // consent, register, edit, delete, export, ...
	Object string // "registration:UMKM-3603-2026-000123", "user:1001"
	Detail string // what changed; never a NIK or phone in clear
	At     time.Time
}

// RegistrationFilter narrows an export.
type RegistrationFilter struct {
	Kecamatan string // code, or "" for all
	Sector    string // key, or "" for all
}

// DeletionReport says what a data deletion removed and what the law makes
// the Dinas keep.
type DeletionReport struct {
	Registrations int // registrations anonymised
	Consents      int
	// Bookings are the booked or offered training seats given up,
	// Waitlist the training waitlist places.
	Bookings, Waitlist int
	// LoanLinks are the loans the account is unlinked from (the loan
	// records stay: Kept).
	LoanLinks int
	// Tickets are the owner's questions to the Dinas ("Tanya petugas"),
	// deleted with their messages.
	Tickets int
	// Subscription: the owner receives the Dinas's announcements (as a
	// registered owner) or has a choice about them on record; both go.
	Subscription bool
	// Kept lists records kept by law (loan records), by kind.
	Kept map[string]int
}

// RegistrationStore keeps registrations, consents and the audit trail.
type RegistrationStore interface {
	// CreateRegistration stores r once per key: a second call with the same
	// key (a double tap, a retry, a redelivered update) returns the first
	// record and created=false. The same NIK with the same business name
	// (compared case- and space-insensitively) returns the existing record
	// and ErrConflict. The store fills ID, Number, CreatedAt and UpdatedAt,
	// and writes the audit entry in the same transaction.
	CreateRegistration(ctx context.Context, key string, r Registration) (saved Registration, created bool, err error)
	// FindRegistration returns the registration of nik with the business
	// name, or ErrNotFound.
	FindRegistration(ctx context.Context, nik, businessName string) (Registration, error)
	// Registration returns one registration by number, or ErrNotFound.
	Registration(ctx context.Context, number string) (Registration, error)
	// RegistrationsOf lists the user's registrations, oldest first.
	RegistrationsOf(ctx context.Context, userID int64) ([]Registration, error)
	// UpdateRegistration saves a corrected registration of its owner and
	// audits which fields changed (by name, not value).
	UpdateRegistration(ctx context.Context, actor int64, r Registration) error
	// RecordConsent stores a consent answer and audits it. The same answer
	// again (same user, purpose, notice version, answer and At) is not
	// recorded twice: a step run again after a crash gives the same At.
	RecordConsent(ctx context.Context, c Consent) error
	// ConsentsOf lists the user's consent answers, oldest first.
	ConsentsOf(ctx context.Context, userID int64) ([]Consent, error)
	// LatestConsent is the user's latest answer for purpose (the last of
	// ConsentsOf's order), or ErrNotFound.
	LatestConsent(ctx context.Context, userID int64, purpose string) (Consent, error)
	// DeleteUserData deletes or anonymises every personal datum of the
	// user (name, NIK, phone, birth date, address, consents, language) and
	// audits the deletion without personal data.
	DeleteUserData(ctx context.Context, userID int64) (DeletionReport, error)
	// DeletionPreview reports what DeleteUserData would delete now, without
	// changing anything.
	DeletionPreview(ctx context.Context, userID int64) (DeletionReport, error)
	// ExportRegistrations lists registrations matching f (anonymised ones
	// left out), oldest first, and audits the export by actor.
	ExportRegistrations(ctx context.Context, actor int64, f RegistrationFilter) ([]Registration, error)
	// Audit appends an entry.
	Audit(ctx context.Context, e AuditEntry) error
	// AuditLog lists the entries about object ("" for all), oldest first.
	AuditLog(ctx context.Context, object string) ([]AuditEntry, error)
}

// BusinessKey is the form of a business name that the one-record-per-NIK-
// and-business rule compares: lower case, runs of white space collapsed.
func BusinessKey(name string) string {
	return strings.Join(strings.Fields(strings.ToLower(name)), " ")
}

// ChangedFields names, by column, the editable fields that differ. Birth
// dates compare by day, times by instant.
func ChangedFields(old, r Registration) []string {
	fields := []struct {
		name string
		same bool
	}{
		{"owner_name", old.OwnerName == r.OwnerName},
		{"nik", old.NIK == r.NIK},
		{"birth_date", SameDay(old.BirthDate, r.BirthDate)},
		{"female", old.Female == r.Female},
		{"phone", old.Phone == r.Phone},
		{"business_name", old.BusinessName == r.BusinessName},
		{"sector", old.Sector == r.Sector},
		{"products", old.Products == r.Products},
		{"kecamatan", old.Kecamatan == r.Kecamatan},
		{"desa", old.Desa == r.Desa},
		{"address", old.Address == r.Address},
		{"year_started", old.YearStarted == r.YearStarted},
		{"workers", old.Workers == r.Workers},
		{"capital", old.Capital == r.Capital},
		{"turnover", old.Turnover == r.Turnover},
		{"turnover_monthly", old.TurnoverMonthly == r.TurnoverMonthly},
		{"class", old.Class == r.Class},
		{"class_basis", old.ClassBasis == r.ClassBasis},
		{"nib", old.NIB == r.NIB},
		{"halal", old.Halal == r.Halal},
		{"consent_version", old.ConsentVersion == r.ConsentVersion},
		{"consent_at", old.ConsentAt.Equal(r.ConsentAt)},
	}
	var names []string
	for _, f := range fields {
		if !f.same {
			names = append(names, f.name)
		}
	}
	return names
}

// SameDay says whether a and b fall on the same calendar day, each in its
// own location, or are both unknown.
func SameDay(a, b time.Time) bool {
	if a.IsZero() || b.IsZero() {
		return a.IsZero() == b.IsZero()
	}
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
