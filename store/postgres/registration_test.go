package postgres_test

import (
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/postgres"
	"github.com/diskum-tangerang/umkmbot/store/postgres/pgtest"
	"github.com/diskum-tangerang/umkmbot/store/storetest"
)

func TestRegistrationStore(t *testing.T) {
	storetest.RunRegistrationStore(t, func(t *testing.T) store.RegistrationStore { return pgtest.New(t) })
}

// regPerson is the personal data of one test owner.
type regPerson struct {
	user                             int64
	name, nik, phone, business, addr string
}

func (p regPerson) secrets() []string { return []string{p.name, p.nik, p.phone, p.business, p.addr} }

// registerPerson gives p a language, consents, two registrations (one edited)
// and a staff view in the audit log.
func registerPerson(t *testing.T, db *postgres.DB, p regPerson) {
	t.Helper()
	ctx := t.Context()
	if err := db.SetLanguage(ctx, p.user, "id"); err != nil {
		t.Fatal(err)
	}
	for _, purpose := range []string{"registration", "broadcast"} {
		c := store.Consent{UserID: p.user, Purpose: purpose, NoticeVersion: "2026-01", Granted: true}
		if err := db.RecordConsent(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	for i, business := range []string{p.business, p.business + " Dua"} {
		r := store.Registration{UserID: p.user, OwnerName: p.name, NIK: p.nik, Phone: p.phone,
			BirthDate: time.Date(1980, 1, 2, 0, 0, 0, 0, time.UTC), BusinessName: business,
			Address: p.addr + " (lama)", Sector: "kuliner", Kecamatan: "360312", Class: "mikro"}
		saved, _, err := db.CreateRegistration(ctx, fmt.Sprintf("%d-%d", p.user, i), r)
		if err != nil {
			t.Fatal(err)
		}
		saved.Address = p.addr
		if err := db.UpdateRegistration(ctx, p.user, saved); err != nil {
			t.Fatal(err)
		}
		view := store.AuditEntry{Actor: 9001, Action: "view", Object: "registration:" + saved.Number}
		if err := db.Audit(ctx, view); err != nil {
			t.Fatal(err)
		}
	}
}

// columnsContaining lists the table.column places, over every column of
// every table in the database (cast to text; bytea searched as bytes), that
// contain s.
func columnsContaining(t *testing.T, db *postgres.DB, s string) []string {
	t.Helper()
	ctx := t.Context()
	rows, _ := db.Pool().Query(ctx, `SELECT table_name, column_name, data_type FROM information_schema.columns
		WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY table_name, ordinal_position`)
	cols, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct{ Table, Column, Type string }])
	if err != nil {
		t.Fatal(err)
	}
	if len(cols) < 20 {
		t.Fatalf("only %d columns found: the scan would prove nothing", len(cols))
	}
	var places []string
	for _, c := range cols {
		var n int
		match := "strpos(%s::text, $1) > 0"
		if c.Type == "bytea" { // ::text would give hex
			match = "position(convert_to($1, 'UTF8') in %s) > 0"
		}
		q := fmt.Sprintf(`SELECT count(*) FROM %s WHERE `+match,
			pgx.Identifier{c.Table}.Sanitize(), pgx.Identifier{c.Column}.Sanitize())
		if err := db.Pool().QueryRow(ctx, q, s).Scan(&n); err != nil {
			t.Fatalf("%s.%s: %v", c.Table, c.Column, err)
		}
		if n > 0 {
			places = append(places, c.Table+"."+c.Column)
		}
	}
	return places
}

// TestDeleteUserDataLeavesNoTrace looks for the deleted owner's name, NIK,
// phone, business name and address in every column of every table.
func TestDeleteUserDataLeavesNoTrace(t *testing.T) {
	db := pgtest.New(t)
	siti := regPerson{2001, "Siti Aminah", "3603014507850001", "+6281234567890", "Warung Bu Siti", "Gang Mawar 7"}
	budi := regPerson{2002, "Budi Santoso", "3603021203900002", "+6285712345678", "Bengkel Budi", "Jl. Kenari 9"}
	registerPerson(t, db, siti)
	registerPerson(t, db, budi)
	for _, s := range siti.secrets() {
		if places := columnsContaining(t, db, s); len(places) == 0 {
			t.Fatalf("%q found nowhere before the deletion: the scan is broken", s)
		}
	}

	report, err := db.DeleteUserData(t.Context(), siti.user)
	if err != nil {
		t.Fatal(err)
	}
	if report.Registrations != 2 || report.Consents != 2 {
		t.Errorf("report %+v, want 2 registrations and 2 consents", report)
	}
	for _, s := range siti.secrets() {
		if places := columnsContaining(t, db, s); len(places) > 0 {
			t.Errorf("%q still in %v after the deletion", s, places)
		}
	}
	for _, s := range budi.secrets() {
		if places := columnsContaining(t, db, s); len(places) == 0 {
			t.Errorf("another owner's %q deleted too", s)
		}
	}
	if _, err := db.User(t.Context(), siti.user); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("users row after deletion: %v, want ErrNotFound", err)
	}
}

// TestRegistrationNumbersHaveNoGaps: a retry and a refused duplicate give
// their number back, and the refusal carries no database error (whose
// detail would quote the NIK).
func TestRegistrationNumbersHaveNoGaps(t *testing.T) {
	db := pgtest.New(t)
	ctx := t.Context()
	r := store.Registration{UserID: 1, OwnerName: "Siti", NIK: "3603014507850001", BusinessName: "Warung"}
	first, _, err := db.CreateRegistration(ctx, "k1", r)
	if err != nil {
		t.Fatal(err)
	}
	if _, created, err := db.CreateRegistration(ctx, "k1", r); err != nil || created {
		t.Fatalf("retry: created %v, %v", created, err)
	}
	_, _, err = db.CreateRegistration(ctx, "k2", r)
	var pgErr *pgconn.PgError
	if !errors.Is(err, store.ErrConflict) || errors.As(err, &pgErr) {
		t.Fatalf("duplicate: %v, want ErrConflict without the database error", err)
	}
	r.BusinessName = "Katering"
	second, _, err := db.CreateRegistration(ctx, "k3", r)
	if err != nil {
		t.Fatal(err)
	}
	second.BusinessName = "warung"
	err = db.UpdateRegistration(ctx, 1, second)
	if !errors.Is(err, store.ErrConflict) || errors.As(err, &pgErr) {
		t.Fatalf("update onto a duplicate: %v, want ErrConflict without the database error", err)
	}
	number := regexp.MustCompile(`-(\d{6})$`)
	for i, r := range []store.Registration{first, second} {
		if got, want := number.FindStringSubmatch(r.Number), fmt.Sprintf("%06d", i+1); got == nil || got[1] != want {
			t.Errorf("registration %d: number %s, want counter %s", i+1, r.Number, want)
		}
	}
	if _, _, err := db.CreateRegistration(ctx, "", r); err == nil {
		t.Error("CreateRegistration with an empty key: no error")
	}
}

// TestRegistrationYear checks that numbers take the year in WIB.
func TestRegistrationYear(t *testing.T) {
	db := pgtest.New(t)
	tests := []struct {
		at   string
		want int
	}{
		{"2025-12-31 16:59:59.999999+00", 2025},
		{"2025-12-31 17:00:00+00", 2026},
		{"2026-01-01 00:00:00+07", 2026},
		{"2026-12-31 23:59:59+07", 2026},
		{"2027-01-01 00:00:00+07", 2027},
	}
	for _, tt := range tests {
		var got int
		if err := db.Pool().QueryRow(t.Context(), "SELECT registration_year($1::timestamptz)", tt.at).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("registration_year(%s) = %d, want %d", tt.at, got, tt.want)
		}
	}
}
