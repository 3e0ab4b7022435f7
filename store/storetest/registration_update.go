package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// fieldKey folds an audit detail or field name so that Go (BusinessName)
// and column (business_name) spellings compare equal.
func fieldKey(s string) string {
	return strings.NewReplacer("_", "", " ", "", "-", "").Replace(strings.ToLower(s))
}

// auditedFields are the field names an edit audit must mention exactly when
// the field changed.
var auditedFields = []string{"ownername", "nik", "birthdate", "phone", "businessname", "sector",
	"address", "workers", "capital", "class"}

func testUpdateRegistration(t *testing.T, newStore newRegistrationStore) {
	tests := []struct {
		name  string
		actor int64
		edit  func(r *store.Registration)
		want  error
		// fields are the changed fields, as in auditedFields.
		fields []string
	}{
		{"phone and address", siti.user, func(r *store.Registration) {
			r.Phone, r.Address = newPhone, "Jl. Melati 4, Cikupa"
		}, nil, []string{"phone", "address"}},
		{"NIK corrected", siti.user, func(r *store.Registration) { r.NIK = newNIK }, nil, []string{"nik"}},
		{"owner name and birth date", siti.user, func(r *store.Registration) {
			r.OwnerName, r.BirthDate = "Siti Aminah Lubis", time.Date(1986, 7, 5, 0, 0, 0, 0, time.UTC)
		}, nil, []string{"ownername", "birthdate"}},
		{"business renamed", siti.user, func(r *store.Registration) { r.BusinessName = "Warung Siti Barokah" },
			nil, []string{"businessname"}},
		{"case of its own name", siti.user, func(r *store.Registration) { r.BusinessName = "WARUNG BU SITI" },
			nil, []string{"businessname"}},
		{"aggregates", siti.user, func(r *store.Registration) {
			r.Sector, r.Workers, r.Capital, r.Class = "fesyen", 12, 600_000_000, "kecil"
		}, nil, []string{"sector", "workers", "capital", "class"}},
		{"nothing changed", siti.user, func(*store.Registration) {}, nil, nil},
		{"onto another business of the owner", siti.user, func(r *store.Registration) {
			r.BusinessName = " katering  SITI"
		}, store.ErrConflict, nil},
		{"onto another NIK's business", siti.user, func(r *store.Registration) {
			r.NIK, r.BusinessName = budi.nik, "Bengkel Budi"
		}, store.ErrConflict, nil},
		{"by another user", budi.user, func(r *store.Registration) { r.Phone = newPhone }, store.ErrNotFound, nil},
		{"by the system", 0, func(r *store.Registration) { r.Phone = newPhone }, store.ErrNotFound, nil},
		{"unknown number", siti.user, func(r *store.Registration) {
			r.Number, r.Phone = "UMKM-3603-2000-000999", newPhone
		}, store.ErrNotFound, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			warung := mustCreate(t, s, "k1", reg(siti, "Warung Bu Siti"))
			mustCreate(t, s, "k2", reg(siti, "Katering Siti"))
			mustCreate(t, s, "k3", reg(budi, "Bengkel Budi"))
			edited := warung
			tt.edit(&edited)
			err := s.UpdateRegistration(bg(t), tt.actor, edited)
			noPersonalData(t, s, err)
			wantErr(t, "UpdateRegistration", err, tt.want)

			got, gerr := s.Registration(bg(t), warung.Number)
			wantErr(t, "Registration", gerr, nil)
			edits := entries(t, s, "registration:"+warung.Number, "edit")
			if tt.want != nil {
				sameReg(t, "after a refused update", got, warung)
				if len(edits) != 0 {
					t.Errorf("refused update audited: %+v", edits)
				}
				return
			}
			want := edited
			want.UpdatedAt = got.UpdatedAt
			sameReg(t, "after update", got, want)
			if got.UpdatedAt.Before(warung.UpdatedAt) {
				t.Errorf("UpdatedAt went back from %v to %v", warung.UpdatedAt, got.UpdatedAt)
			}
			found, ferr := s.FindRegistration(bg(t), edited.NIK, edited.BusinessName)
			if ferr != nil || found.Number != warung.Number {
				t.Errorf("FindRegistration with the new NIK and name: %s, %v", found.Number, ferr)
			}
			if len(tt.fields) == 0 {
				return
			}
			if len(edits) != 1 {
				t.Fatalf("edit audit entries %+v, want one", edits)
			}
			if edits[0].Actor != tt.actor || edits[0].At.IsZero() {
				t.Errorf("edit audit %+v: want actor %d and a time", edits[0], tt.actor)
			}
			detail := fieldKey(edits[0].Detail)
			for _, f := range auditedFields {
				if changed := slices.Contains(tt.fields, f); strings.Contains(detail, f) != changed {
					t.Errorf("edit audit %q: mentions %s %v, want %v", edits[0].Detail, f, !changed, changed)
				}
			}
			newValues := map[string]string{
				"address": edited.Address, "ownername": edited.OwnerName, "businessname": edited.BusinessName,
			}
			for f, v := range newValues {
				if slices.Contains(tt.fields, f) && strings.Contains(edits[0].Detail, v) {
					t.Errorf("edit audit %q holds the new value %q", edits[0].Detail, v)
				}
			}
		})
	}
}

func testConsents(t *testing.T, newStore newRegistrationStore) {
	s := newStore(t)
	answers := []store.Consent{
		{UserID: siti.user, Purpose: "registration", NoticeVersion: "2026-01", Granted: true},
		{UserID: budi.user, Purpose: "registration", NoticeVersion: "2026-01", Granted: false},
		{UserID: siti.user, Purpose: "broadcast", NoticeVersion: "2026-01", Granted: false},
		{UserID: siti.user, Purpose: "broadcast", NoticeVersion: "2026-02", Granted: true},
	}
	for _, c := range answers {
		wantErr(t, "RecordConsent", s.RecordConsent(bg(t), c), nil)
		time.Sleep(time.Millisecond) // distinct times, so that "oldest first" is observable
	}
	tests := []struct {
		user int64
		want []store.Consent
	}{
		{siti.user, []store.Consent{answers[0], answers[2], answers[3]}},
		{budi.user, []store.Consent{answers[1]}},
		{9999, nil},
	}
	for _, tt := range tests {
		got, err := s.ConsentsOf(bg(t), tt.user)
		wantErr(t, "ConsentsOf", err, nil)
		if len(got) != len(tt.want) {
			t.Errorf("ConsentsOf(%d) = %+v, want %+v", tt.user, got, tt.want)
			continue
		}
		for i := range got {
			g := got[i]
			if g.At.IsZero() || (i > 0 && g.At.Before(got[i-1].At)) {
				t.Errorf("ConsentsOf(%d)[%d].At = %v: want set, oldest first", tt.user, i, g.At)
			}
			g.At = time.Time{}
			if g != tt.want[i] {
				t.Errorf("ConsentsOf(%d)[%d] = %+v, want %+v", tt.user, i, g, tt.want[i])
			}
		}
		var audited int
		for _, e := range entries(t, s, "", "consent") {
			if e.Actor != tt.user {
				continue
			}
			if audited < len(tt.want) {
				c := tt.want[audited]
				if want := fmt.Sprintf("purpose=%s notice=%s granted=%t", c.Purpose, c.NoticeVersion, c.Granted); e.Detail != want {
					t.Errorf("user %d: consent audit detail %q, want %q", tt.user, e.Detail, want)
				}
			}
			audited++
		}
		if audited != len(tt.want) {
			t.Errorf("user %d: %d consent audit entries, want %d", tt.user, audited, len(tt.want))
		}
	}
	latest := []struct {
		user    int64
		purpose string
		want    *store.Consent
	}{
		{siti.user, "registration", &answers[0]},
		{siti.user, "broadcast", &answers[3]}, // the later of two
		{budi.user, "registration", &answers[1]},
		{budi.user, "broadcast", nil},
		{9999, "registration", nil},
	}
	for _, tt := range latest {
		got, err := s.LatestConsent(bg(t), tt.user, tt.purpose)
		if tt.want == nil {
			wantErr(t, "LatestConsent of none", err, store.ErrNotFound)
			continue
		}
		wantErr(t, "LatestConsent", err, nil)
		got.At = time.Time{}
		if got != *tt.want {
			t.Errorf("LatestConsent(%d, %s) = %+v, want %+v", tt.user, tt.purpose, got, *tt.want)
		}
	}
}
