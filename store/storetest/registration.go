package storetest

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// newRegistrationStore returns a fresh, empty store for one (sub)test.
type newRegistrationStore = func(t *testing.T) store.RegistrationStore

// RunRegistrationStore runs the store.RegistrationStore contract against the
// stores newStore returns (one fresh store per subtest).
//
// Beyond the interface's comments it pins down: business names compare
// after lower-casing, trimming and collapsing runs of white space; numbers
// count from 000001 in a fresh store and increase; an anonymised
// registration is still found by number, with no personal datum left in it
// (owner's user id included) and its business aggregates kept; audit
// details of edits name the changed fields (Go or column spelling); no
// audit entry and no error message holds a NIK or phone number.
func RunRegistrationStore(t *testing.T, newStore func(t *testing.T) store.RegistrationStore) {
	tests := []struct {
		name string
		run  func(t *testing.T, newStore newRegistrationStore)
	}{
		{"CreateAndRead", testCreateAndRead},
		{"Numbers", testNumbers},
		{"IdempotentKey", testIdempotentKey},
		{"DuplicateBusiness", testDuplicateBusiness},
		{"ConcurrentSameKey", testConcurrentSameKey},
		{"ConcurrentSameBusiness", testConcurrentSameBusiness},
		{"RegistrationsOf", testRegistrationsOf},
		{"FindRegistration", testFindRegistration},
		{"UpdateRegistration", testUpdateRegistration},
		{"Consents", testConsents},
		{"ConsentOnce", testConsentOnce},
		{"DeleteUserData", testDeleteUserData},
		{"Export", testExport},
		{"AuditLog", testAuditLog},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newStore)
		})
	}
}

// wib is Western Indonesia Time (Asia/Jakarta has had no DST since 1964),
// fixed so that the suite needs no time zone database.
var wib = time.FixedZone("WIB", 7*60*60)

// owner is a test person.
type owner struct {
	user             int64
	name, nik, phone string
}

var (
	siti = owner{1001, "Siti Aminah", "3603014507850001", "+6281234567890"}
	budi = owner{1002, "Budi Santoso", "3603021203900002", "+6285712345678"}
	dewi = owner{1003, "Dewi Lestari", "3603035811920003", "+6287788990011"}
	// newPhone and newNIK are values set by edits.
	newPhone = "+6281399998888"
	newNIK   = "3603014507850009"
)

// personal lists every NIK and phone number of the test data, in each form a
// careless log line could print it.
var personal = func() []string {
	list := []string{siti.nik, budi.nik, dewi.nik, newNIK}
	for _, p := range []string{siti.phone, budi.phone, dewi.phone, newPhone} {
		list = append(list, p, strings.TrimPrefix(p, "+"), "0"+strings.TrimPrefix(p, "+62"))
	}
	return list
}()

// reg returns a registration of o with every field set.
func reg(o owner, business string) store.Registration {
	return store.Registration{
		UserID:          o.user,
		OwnerName:       o.name,
		NIK:             o.nik,
		BirthDate:       time.Date(1985, 7, 5, 0, 0, 0, 0, time.UTC),
		Female:          o == siti,
		Phone:           o.phone,
		BusinessName:    business,
		Sector:          "kuliner",
		Products:        "nasi uduk, gorengan",
		Kecamatan:       "360312",
		Desa:            "3603122001",
		Address:         "Jl. Raya Serang Km 12 RT 02/03, " + o.name,
		YearStarted:     2015,
		Workers:         3,
		Capital:         15_000_000,
		Turnover:        180_000_000,
		TurnoverMonthly: true,
		Class:           "mikro",
		ClassBasis:      "omzet",
		NIB:             "1234567890123",
		Halal:           "proses",
		ConsentVersion:  "2026-01",
		ConsentAt:       time.Date(2026, 1, 15, 9, 30, 12, 345678000, wib),
	}
}

// numberRE is the format of registration numbers.
var numberRE = regexp.MustCompile(`^UMKM-3603-(\d{4})-(\d{6,})$`)

// mustCreate creates r under key and fails unless it is new.
func mustCreate(t *testing.T, s store.RegistrationStore, key string, r store.Registration) store.Registration {
	t.Helper()
	saved, created, err := s.CreateRegistration(bg(t), key, r)
	if err != nil || !created {
		t.Fatalf("CreateRegistration(%s, %s): created %v, error %v", key, r.BusinessName, created, err)
	}
	return saved
}

// norm makes registrations comparable with ==: birth dates by day, other
// times by instant.
func norm(r store.Registration) store.Registration {
	if !r.BirthDate.IsZero() {
		y, m, d := r.BirthDate.Date()
		r.BirthDate = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	r.ConsentAt = instant(r.ConsentAt)
	r.CreatedAt = instant(r.CreatedAt)
	r.UpdatedAt = instant(r.UpdatedAt)
	return r
}

func instant(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Round(0)
}

// sameReg fails the test unless got and want are the same registration.
func sameReg(t *testing.T, what string, got, want store.Registration) {
	t.Helper()
	if norm(got) != norm(want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, norm(got), norm(want))
	}
}

// seq returns the counter part of a registration number, failing the test
// when the number is malformed or its year is not the WIB year of
// createdAt.
func seq(t *testing.T, r store.Registration) int {
	t.Helper()
	m := numberRE.FindStringSubmatch(r.Number)
	if m == nil {
		t.Fatalf("number %q: want UMKM-3603-<year>-<6 digits>", r.Number)
	}
	if year := strconv.Itoa(r.CreatedAt.In(wib).Year()); m[1] != year {
		t.Errorf("number %q: year %s, want %s (created %v)", r.Number, m[1], year, r.CreatedAt)
	}
	n, _ := strconv.Atoi(m[2])
	return n
}

// entries returns the audit entries of object with the given action.
func entries(t *testing.T, s store.RegistrationStore, object, action string) []store.AuditEntry {
	t.Helper()
	log, err := s.AuditLog(bg(t), object)
	if err != nil {
		t.Fatalf("AuditLog(%q): %v", object, err)
	}
	var out []store.AuditEntry
	for _, e := range log {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// noPersonalData fails the test if any audit entry, or any of errs, holds
// a NIK or phone number of the test data.
func noPersonalData(t *testing.T, s store.RegistrationStore, errs ...error) {
	t.Helper()
	log, err := s.AuditLog(bg(t), "")
	if err != nil {
		t.Fatalf("AuditLog: %v", err)
	}
	var texts []string
	for _, e := range log {
		texts = append(texts, fmt.Sprintf("audit %s %s: %s", e.Action, e.Object, e.Detail))
	}
	for _, e := range errs {
		if e != nil {
			texts = append(texts, "error: "+e.Error())
		}
	}
	for _, text := range texts {
		for _, p := range personal {
			if strings.Contains(text, p) {
				t.Errorf("%s: holds %s", text, p)
			}
		}
	}
}

func testCreateAndRead(t *testing.T, newStore newRegistrationStore) {
	bare := store.Registration{UserID: budi.user, OwnerName: budi.name, NIK: budi.nik, BusinessName: "Bengkel"}
	unicode := reg(siti, "Warung Bu Éni 🍜 <b>&</b> \"Barokah\"")
	unicode.Products = "kue cubit\nes teh manis\t'jumbo'"
	wibBirth := reg(siti, "Katering Siti")
	wibBirth.BirthDate = time.Date(1990, 12, 31, 0, 0, 0, 0, wib)
	tests := []struct {
		name string
		r    store.Registration
	}{
		{"every field", reg(siti, "Warung Bu Siti")},
		{"bare, no dates", bare},
		{"unicode and markup", unicode},
		{"birth date in WIB", wibBirth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			in := tt.r
			in.ID, in.Number = 777, "UMKM-3603-1999-000777" // the store fills these
			in.CreatedAt = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
			in.UpdatedAt = in.CreatedAt
			before := time.Now()
			saved := mustCreate(t, s, "k1", in)

			if saved.ID == 0 || saved.ID == 777 || saved.Number == in.Number {
				t.Errorf("store kept the caller's ID %d or number %q", saved.ID, saved.Number)
			}
			if saved.CreatedAt.Before(before.Add(-time.Minute)) || saved.CreatedAt.After(time.Now().Add(time.Minute)) {
				t.Errorf("CreatedAt %v: want about now", saved.CreatedAt)
			}
			if saved.UpdatedAt.Before(saved.CreatedAt) {
				t.Errorf("UpdatedAt %v before CreatedAt %v", saved.UpdatedAt, saved.CreatedAt)
			}
			want := tt.r
			want.ID, want.Number, want.CreatedAt, want.UpdatedAt = saved.ID, saved.Number, saved.CreatedAt, saved.UpdatedAt
			sameReg(t, "CreateRegistration returned", saved, want)

			got, err := s.Registration(bg(t), saved.Number)
			wantErr(t, "Registration", err, nil)
			sameReg(t, "Registration", got, want)
			got, err = s.FindRegistration(bg(t), tt.r.NIK, tt.r.BusinessName)
			wantErr(t, "FindRegistration", err, nil)
			sameReg(t, "FindRegistration", got, want)
			list, err := s.RegistrationsOf(bg(t), tt.r.UserID)
			wantErr(t, "RegistrationsOf", err, nil)
			if len(list) != 1 {
				t.Fatalf("RegistrationsOf: %d registrations, want 1", len(list))
			}
			sameReg(t, "RegistrationsOf", list[0], want)

			_, err = s.Registration(bg(t), "UMKM-3603-1999-000777")
			wantErr(t, "Registration of an unknown number", err, store.ErrNotFound)
			audits := entries(t, s, "registration:"+saved.Number, "register")
			if len(audits) != 1 || audits[0].Actor != tt.r.UserID || audits[0].At.IsZero() {
				t.Errorf("register audit entries %+v: want one by %d, with a time", audits, tt.r.UserID)
			}
			noPersonalData(t, s)
		})
	}
}

func testNumbers(t *testing.T, newStore newRegistrationStore) {
	s := newStore(t)
	businesses := []string{"Warung Bu Siti", "Katering Siti", "Butik Siti", "Laundry Siti"}
	seen := map[string]bool{}
	for i, b := range businesses {
		r := mustCreate(t, s, "k"+strconv.Itoa(i), reg(siti, b))
		if n := seq(t, r); n != i+1 {
			t.Errorf("registration %d: number %s, want counter %06d", i+1, r.Number, i+1)
		}
		if seen[r.Number] {
			t.Errorf("number %s given twice", r.Number)
		}
		seen[r.Number] = true
	}
}

func testIdempotentKey(t *testing.T, newStore newRegistrationStore) {
	s := newStore(t)
	first := mustCreate(t, s, "tap-1", reg(siti, "Warung Bu Siti"))
	retries := []struct {
		name string
		r    store.Registration
	}{
		{"same registration", reg(siti, "Warung Bu Siti")},
		{"another business", reg(siti, "Katering Siti")},
		{"another owner", reg(budi, "Bengkel Budi")},
	}
	for _, rt := range retries {
		got, created, err := s.CreateRegistration(bg(t), "tap-1", rt.r)
		wantErr(t, "retry with "+rt.name, err, nil)
		if created {
			t.Errorf("retry with %s: created a new registration %s", rt.name, got.Number)
		}
		sameReg(t, "retry with "+rt.name, got, first)
	}
	for _, o := range []owner{siti, budi} {
		list, err := s.RegistrationsOf(bg(t), o.user)
		wantErr(t, "RegistrationsOf", err, nil)
		if want := map[owner]int{siti: 1, budi: 0}[o]; len(list) != want {
			t.Errorf("user %d has %d registrations after retries, want %d", o.user, len(list), want)
		}
	}
	if n := len(entries(t, s, "", "register")); n != 1 {
		t.Errorf("%d register audit entries, want 1", n)
	}
	next := mustCreate(t, s, "tap-2", reg(siti, "Katering Siti"))
	if seq(t, next) <= seq(t, first) {
		t.Errorf("number after retries %s, first %s: want increasing", next.Number, first.Number)
	}
}

func testDuplicateBusiness(t *testing.T, newStore newRegistrationStore) {
	tests := []struct {
		name     string
		r        store.Registration
		conflict bool
	}{
		{"same name", reg(siti, "Warung Bu Siti"), true},
		{"upper case", reg(siti, "WARUNG BU SITI"), true},
		{"extra white space", reg(siti, "  warung   Bu\tSiti \n"), true},
		{"same NIK from another Telegram account", func() store.Registration {
			r := reg(siti, "warung bu siti")
			r.UserID = 4242
			return r
		}(), true},
		{"another business of the same NIK", reg(siti, "Katering Bu Siti"), false},
		{"same name, another NIK", reg(budi, "Warung Bu Siti"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			first := mustCreate(t, s, "k1", reg(siti, "Warung Bu Siti"))
			for attempt := range 2 { // a retry of a refused call is refused again
				got, created, err := s.CreateRegistration(bg(t), "k2", tt.r)
				noPersonalData(t, s, err)
				if !tt.conflict {
					wantErr(t, "CreateRegistration", err, nil)
					if created != (attempt == 0) || got.Number == first.Number {
						t.Errorf("attempt %d: created %v, number %s (first %s)", attempt, created, got.Number, first.Number)
					}
					continue
				}
				wantErr(t, "CreateRegistration of a duplicate", err, store.ErrConflict)
				if created {
					t.Error("duplicate reported as created")
				}
				sameReg(t, "duplicate returns the existing record", got, first)
			}
			want := 1
			if !tt.conflict {
				want = 2
			}
			if n := len(entries(t, s, "", "register")); n != want {
				t.Errorf("%d register audit entries, want %d", n, want)
			}
			users := []int64{siti.user}
			if tt.r.UserID != siti.user {
				users = append(users, tt.r.UserID)
			}
			total := 0
			for _, u := range users {
				list, err := s.RegistrationsOf(bg(t), u)
				wantErr(t, "RegistrationsOf", err, nil)
				total += len(list)
			}
			if total != want {
				t.Errorf("%d registrations stored, want %d", total, want)
			}
		})
	}
}

func testRegistrationsOf(t *testing.T, newStore newRegistrationStore) {
	s := newStore(t)
	var sitis, budis []string
	for i, b := range []string{"Warung Bu Siti", "Katering Siti", "Butik Siti"} {
		sitis = append(sitis, mustCreate(t, s, "s"+strconv.Itoa(i), reg(siti, b)).Number)
		if i == 0 { // interleaved with another user's
			budis = append(budis, mustCreate(t, s, "b", reg(budi, "Bengkel Budi")).Number)
		}
	}
	tests := []struct {
		user int64
		want []string
	}{
		{siti.user, sitis},
		{budi.user, budis},
		{9999, nil},
	}
	for _, tt := range tests {
		list, err := s.RegistrationsOf(bg(t), tt.user)
		wantErr(t, "RegistrationsOf", err, nil)
		var got []string
		for _, r := range list {
			got = append(got, r.Number)
			if r.UserID != tt.user {
				t.Errorf("RegistrationsOf(%d) lists %s of user %d", tt.user, r.Number, r.UserID)
			}
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("RegistrationsOf(%d) = %v, want %v (oldest first)", tt.user, got, tt.want)
		}
	}
}

func testFindRegistration(t *testing.T, newStore newRegistrationStore) {
	s := newStore(t)
	warung := mustCreate(t, s, "k1", reg(siti, "Warung Bu Siti"))
	katering := mustCreate(t, s, "k2", reg(siti, "Katering Siti"))
	bengkel := mustCreate(t, s, "k3", reg(budi, "Bengkel Budi"))
	tests := []struct {
		nik, name string
		want      string // number, or "" for ErrNotFound
	}{
		{siti.nik, "Warung Bu Siti", warung.Number},
		{siti.nik, " WARUNG  bu siti ", warung.Number},
		{siti.nik, "Katering Siti", katering.Number},
		{budi.nik, "bengkel budi", bengkel.Number},
		{siti.nik, "Bengkel Budi", ""},
		{budi.nik, "Warung Bu Siti", ""},
		{siti.nik, "Warung Bu", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		got, err := s.FindRegistration(bg(t), tt.nik, tt.name)
		if tt.want == "" {
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("FindRegistration(%q): %s, %v; want ErrNotFound", tt.name, got.Number, err)
			}
			continue
		}
		if err != nil || got.Number != tt.want {
			t.Errorf("FindRegistration(%q) = %s, %v; want %s", tt.name, got.Number, err, tt.want)
		}
	}
}
