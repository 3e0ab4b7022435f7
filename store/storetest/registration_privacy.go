package storetest

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// staffActor is a staff member's Telegram id.
const staffActor = 9001

// withSector returns r in another sector and kecamatan.
func withSector(r store.Registration, sector, kecamatan string) store.Registration {
	r.Sector, r.Kecamatan = sector, kecamatan
	return r
}

func testDeleteUserData(t *testing.T, newStore newRegistrationStore) {
	s := newStore(t)
	users, hasUsers := s.(store.UserStore)
	warung := mustCreate(t, s, "k1", reg(siti, "Warung Bu Siti"))
	butik := mustCreate(t, s, "k2", withSector(reg(siti, "Butik Siti"), "fesyen", "360305"))
	bengkel := mustCreate(t, s, "k3", withSector(reg(budi, "Bengkel Budi"), "jasa", "360305"))
	for _, c := range []store.Consent{
		{UserID: siti.user, Purpose: "registration", NoticeVersion: "2026-01", Granted: true},
		{UserID: siti.user, Purpose: "broadcast", NoticeVersion: "2026-01", Granted: true},
		{UserID: budi.user, Purpose: "registration", NoticeVersion: "2026-01", Granted: true},
	} {
		wantErr(t, "RecordConsent", s.RecordConsent(bg(t), c), nil)
	}
	if hasUsers {
		wantErr(t, "SetLanguage", users.SetLanguage(bg(t), siti.user, "en"), nil)
		wantErr(t, "SetLanguage", users.SetLanguage(bg(t), budi.user, "id"), nil)
	}

	report, err := s.DeleteUserData(bg(t), siti.user)
	wantErr(t, "DeleteUserData", err, nil)
	if report.Registrations != 2 || report.Consents != 2 || len(report.Kept) != 0 {
		t.Errorf("DeletionReport = %+v, want 2 registrations, 2 consents, nothing kept", report)
	}

	list, err := s.RegistrationsOf(bg(t), siti.user)
	wantErr(t, "RegistrationsOf", err, nil)
	consents, err := s.ConsentsOf(bg(t), siti.user)
	wantErr(t, "ConsentsOf", err, nil)
	if len(list) != 0 || len(consents) != 0 {
		t.Errorf("after deletion: registrations %+v, consents %+v; want none", list, consents)
	}
	_, err = s.LatestConsent(bg(t), siti.user, "registration")
	wantErr(t, "LatestConsent after deletion", err, store.ErrNotFound)
	for _, name := range []string{"Warung Bu Siti", "Butik Siti"} {
		_, err = s.FindRegistration(bg(t), siti.nik, name)
		wantErr(t, "FindRegistration of a deleted owner's business", err, store.ErrNotFound)
	}
	for _, before := range []store.Registration{warung, butik} {
		anonymised(t, s, before)
		edited := before
		edited.Phone = newPhone
		err := s.UpdateRegistration(bg(t), siti.user, edited)
		wantErr(t, "UpdateRegistration of an anonymised registration", err, store.ErrNotFound)
	}
	exported, err := s.ExportRegistrations(bg(t), staffActor, store.RegistrationFilter{})
	wantErr(t, "ExportRegistrations", err, nil)
	if len(exported) != 1 || exported[0].Number != bengkel.Number {
		t.Errorf("export after deletion lists %d registrations, want only %s", len(exported), bengkel.Number)
	}

	// The other user keeps everything.
	got, err := s.Registration(bg(t), bengkel.Number)
	wantErr(t, "Registration of another user", err, nil)
	sameReg(t, "another user's registration", got, bengkel)
	consents, err = s.ConsentsOf(bg(t), budi.user)
	wantErr(t, "ConsentsOf another user", err, nil)
	if len(consents) != 1 {
		t.Errorf("another user's consents: %+v, want 1", consents)
	}
	if hasUsers {
		_, err := users.User(bg(t), siti.user)
		wantErr(t, "User after deletion", err, store.ErrNotFound)
		_, err = users.User(bg(t), budi.user)
		wantErr(t, "User of another user", err, nil)
	}

	deletes := entries(t, s, "user:"+strconv.FormatInt(siti.user, 10), "delete")
	if len(deletes) != 1 || deletes[0].At.IsZero() {
		t.Errorf("delete audit entries %+v: want one on user:%d", deletes, siti.user)
	}

	again, err := s.DeleteUserData(bg(t), siti.user)
	wantErr(t, "DeleteUserData again", err, nil)
	if again.Registrations != 0 || again.Consents != 0 {
		t.Errorf("second DeletionReport = %+v, want nothing left to delete", again)
	}
	// The owner may register the same business afresh.
	fresh := mustCreate(t, s, "k4", reg(siti, "Warung Bu Siti"))
	if fresh.Number == warung.Number {
		t.Errorf("re-registration got the anonymised number %s", fresh.Number)
	}
	noPersonalData(t, s)
}

// anonymised checks that the registration before has lost every personal
// datum of its owner and kept its business aggregates.
func anonymised(t *testing.T, s store.RegistrationStore, before store.Registration) {
	t.Helper()
	got, err := s.Registration(bg(t), before.Number)
	wantErr(t, "Registration of an anonymised record", err, nil)
	text := fmt.Sprintf("%+v", got)
	for _, v := range []string{before.OwnerName, before.NIK, before.Phone, before.Address} {
		if strings.Contains(text, v) {
			t.Errorf("anonymised %s still holds %q: %s", before.Number, v, text)
		}
	}
	if got.UserID == before.UserID || (!got.BirthDate.IsZero() && norm(got).BirthDate == norm(before).BirthDate) {
		t.Errorf("anonymised %s keeps user %d or birth date %v", before.Number, got.UserID, got.BirthDate)
	}
	if aggregatesOf(got) != aggregatesOf(before) || !got.CreatedAt.Equal(before.CreatedAt) {
		t.Errorf("anonymised %s lost business aggregates:\n got %+v\nwant %+v", before.Number, got, before)
	}
}

// aggregates are the fields of a registration that statistics need and
// that survive the owner's data deletion.
type aggregates struct {
	number, sector, kecamatan, class string
	yearStarted, workers             int
	capital, turnover                int64
}

func aggregatesOf(r store.Registration) aggregates {
	return aggregates{r.Number, r.Sector, r.Kecamatan, r.Class, r.YearStarted, r.Workers, r.Capital, r.Turnover}
}

func testExport(t *testing.T, newStore newRegistrationStore) {
	s := newStore(t)
	a := mustCreate(t, s, "a", reg(siti, "Warung Bu Siti"))
	b := mustCreate(t, s, "b", withSector(reg(siti, "Butik Siti"), "fesyen", "360312"))
	c := mustCreate(t, s, "c", withSector(reg(budi, "Bengkel Budi"), "jasa", "360305"))
	d := mustCreate(t, s, "d", withSector(reg(budi, "Kedai Kopi Budi"), "kuliner", "360305"))
	mustCreate(t, s, "e", reg(dewi, "Dapur Dewi"))
	if _, err := s.DeleteUserData(bg(t), dewi.user); err != nil {
		t.Fatalf("DeleteUserData: %v", err)
	}
	tests := []struct {
		f    store.RegistrationFilter
		want []store.Registration
	}{
		{store.RegistrationFilter{}, []store.Registration{a, b, c, d}},
		{store.RegistrationFilter{Kecamatan: "360312"}, []store.Registration{a, b}},
		{store.RegistrationFilter{Sector: "kuliner"}, []store.Registration{a, d}},
		{store.RegistrationFilter{Kecamatan: "360305", Sector: "kuliner"}, []store.Registration{d}},
		{store.RegistrationFilter{Kecamatan: "360312", Sector: "jasa"}, nil},
		{store.RegistrationFilter{Kecamatan: "999999"}, nil},
	}
	for _, tt := range tests {
		got, err := s.ExportRegistrations(bg(t), staffActor, tt.f)
		wantErr(t, "ExportRegistrations", err, nil)
		if len(got) != len(tt.want) {
			t.Errorf("ExportRegistrations(%+v): %d registrations, want %d", tt.f, len(got), len(tt.want))
			continue
		}
		for i := range got {
			sameReg(t, fmt.Sprintf("ExportRegistrations(%+v)[%d]", tt.f, i), got[i], tt.want[i])
		}
	}
	exports := entries(t, s, "", "export")
	if len(exports) != len(tests) {
		t.Fatalf("%d export audit entries, want %d", len(exports), len(tests))
	}
	for i, e := range exports {
		f := tests[i].f
		if e.Actor != staffActor || e.At.IsZero() ||
			!strings.Contains(e.Detail, f.Kecamatan) || !strings.Contains(e.Detail, f.Sector) {
			t.Errorf("export audit %+v: want actor %d, a time and the filter %+v in the detail", e, staffActor, f)
		}
	}
	noPersonalData(t, s)
}

func testAuditLog(t *testing.T, newStore newRegistrationStore) {
	s := newStore(t)
	r := mustCreate(t, s, "k1", reg(siti, "Warung Bu Siti"))
	object := "registration:" + r.Number
	view := store.AuditEntry{Actor: staffActor, Action: "view", Object: object, Detail: "opened by staff"}
	wantErr(t, "Audit", s.Audit(bg(t), view), nil)
	wantErr(t, "Audit", s.Audit(bg(t), store.AuditEntry{Action: "retention", Object: "system", Detail: "nothing due"}), nil)
	wantErr(t, "RecordConsent", s.RecordConsent(bg(t),
		store.Consent{UserID: budi.user, Purpose: "registration", NoticeVersion: "2026-01", Granted: true}), nil)
	edited := r
	edited.Phone, edited.NIK = newPhone, newNIK
	wantErr(t, "UpdateRegistration", s.UpdateRegistration(bg(t), siti.user, edited), nil)
	_, err := s.ExportRegistrations(bg(t), staffActor, store.RegistrationFilter{Kecamatan: "360312"})
	wantErr(t, "ExportRegistrations", err, nil)
	_, err = s.DeleteUserData(bg(t), siti.user)
	wantErr(t, "DeleteUserData", err, nil)

	all, err := s.AuditLog(bg(t), "")
	wantErr(t, "AuditLog", err, nil)
	if len(all) < 7 {
		t.Errorf("AuditLog(\"\") has %d entries, want at least 7", len(all))
	}
	for i, e := range all {
		if e.ID == 0 || e.At.IsZero() || (i > 0 && (e.ID <= all[i-1].ID || e.At.Before(all[i-1].At))) {
			t.Errorf("AuditLog[%d] = %+v: want an increasing ID and time, oldest first", i, e)
		}
	}
	tests := []struct {
		object  string
		actions []string
	}{
		{object, []string{"register", "view", "edit"}},
		{"system", []string{"retention"}},
		{"registration:UMKM-3603-2000-000999", nil},
	}
	for _, tt := range tests {
		log, err := s.AuditLog(bg(t), tt.object)
		wantErr(t, "AuditLog", err, nil)
		var actions []string
		for _, e := range log {
			actions = append(actions, e.Action)
			if e.Object != tt.object {
				t.Errorf("AuditLog(%q) lists an entry on %q", tt.object, e.Object)
			}
		}
		if strings.Join(actions, ",") != strings.Join(tt.actions, ",") {
			t.Errorf("AuditLog(%q) actions %v, want %v", tt.object, actions, tt.actions)
		}
		if tt.object == object && len(log) > 1 {
			got := log[1]
			got.ID, got.At = 0, view.At
			if got != view {
				t.Errorf("appended entry read back as %+v, want %+v", log[1], view)
			}
		}
	}
	noPersonalData(t, s)
}

// testConsentOnce: the same consent answer recorded again (a step run a
// second time after a crash, with the same At) is kept once; another
// moment is another answer.
func testConsentOnce(t *testing.T, newStore newRegistrationStore) {
	s := newStore(t)
	at := time.Date(2026, 12, 2, 3, 4, 5, 678000000, time.UTC)
	c := store.Consent{UserID: siti.user, Purpose: "registration", NoticeVersion: "2026-11", Granted: true, At: at}
	for range 2 {
		wantErr(t, "RecordConsent", s.RecordConsent(bg(t), c), nil)
	}
	if list, err := s.ConsentsOf(bg(t), siti.user); err != nil || len(list) != 1 {
		t.Fatalf("ConsentsOf after the same answer twice = %+v, %v; want one", list, err)
	}
	c.At = at.Add(time.Minute)
	wantErr(t, "RecordConsent", s.RecordConsent(bg(t), c), nil)
	if list, _ := s.ConsentsOf(bg(t), siti.user); len(list) != 2 {
		t.Errorf("ConsentsOf after a later answer = %d, want 2", len(list))
	}
}
