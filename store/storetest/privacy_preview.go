package storetest

import (
	"testing"

	"github.com/diskum-tangerang/umkmbot/store"
)

// testDeletionPreview: DeletionPreview reports what DeleteUserData then
// deletes (registrations, consents, seats, waitlist places, loan links,
// the announcements), changing nothing itself; an owner with nothing
// previews nothing.
func testDeletionPreview(t *testing.T, newStores newTrainingStores) {
	ss := newStores(t)
	s, regs := ss.Trainings, ss.Registrations
	const user = 3601
	preview := func() store.DeletionReport {
		t.Helper()
		r, err := regs.DeletionPreview(bg(t), user)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := preview(); r.Registrations+r.Consents+r.Bookings+r.Waitlist+r.LoanLinks != 0 || r.Subscription {
		t.Fatalf("the preview of an owner with nothing: %+v", r)
	}

	o := owner{user, "Siti Aminah", "3603014507850001", "+6281234567890"}
	mustCreate(t, regs, "pv1", reg(o, "Warung Bu Siti"))
	mustCreate(t, regs, "pv2", withSector(reg(o, "Butik Siti"), "fesyen", "360305"))
	wantErr(t, "RecordConsent", regs.RecordConsent(bg(t), store.Consent{UserID: user, Purpose: "registration",
		NoticeVersion: "2026-01", Granted: true}), nil)
	full := mustTraining(t, s, trTraining("Legalitas", 12, 1))
	open := mustTraining(t, s, trTraining("Pemasaran", 13, 5))
	mustBook(t, s, full.ID, 3602, store.BookingBooked)
	mustBook(t, s, full.ID, user, store.BookingWaitlisted)
	mustBook(t, s, open.ID, user, store.BookingBooked)
	wantLinks := 0
	if loans, ok := regs.(store.LoanStore); ok {
		l := lnLoan("UPDB-2026-0601", "Siti Aminah")
		if _, _, err := loans.UpsertLoan(bg(t), 9001, l); err != nil {
			t.Fatal(err)
		}
		if _, err := loans.Link(bg(t), user, l.Number, lnNIK); err != nil {
			t.Fatal(err)
		}
		wantLinks = 1
	}
	if subs, ok := regs.(store.CampaignStore); ok {
		wantErr(t, "SetSubscribed", subs.SetSubscribed(bg(t), user, false), nil)
	}

	want := store.DeletionReport{Registrations: 2, Consents: 1, Bookings: 1, Waitlist: 1, LoanLinks: wantLinks,
		Subscription: true}
	same := func(what string, got store.DeletionReport) {
		t.Helper()
		if got.Registrations != want.Registrations || got.Consents != want.Consents || got.Bookings != want.Bookings ||
			got.Waitlist != want.Waitlist || got.LoanLinks != want.LoanLinks || got.Subscription != want.Subscription ||
			got.Kept["loans"] != want.LoanLinks {
			t.Errorf("%s = %+v, want %+v", what, got, want)
		}
	}
	same("DeletionPreview", preview())
	same("DeletionPreview again", preview()) // the preview changes nothing
	report, err := regs.DeleteUserData(bg(t), user)
	wantErr(t, "DeleteUserData", err, nil)
	same("DeleteUserData", report)
	if r := preview(); r.Registrations+r.Consents+r.Bookings+r.Waitlist+r.LoanLinks != 0 || r.Subscription {
		t.Errorf("the preview after the deletion: %+v", r)
	}
}
