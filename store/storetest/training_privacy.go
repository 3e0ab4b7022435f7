package storetest

import (
	"testing"

	"github.com/diskum-tangerang/umkmbot/store"
)

// testDeleteReleasesPlaces: an owner's data deletion gives up their places
// and drops the messages still queued for them. (The freed seat is not
// offered to the waitlist here: deletion has no notice to send with it.)
func testDeleteReleasesPlaces(t *testing.T, newStores newTrainingStores) {
	ss := newStores(t)
	s, ob := ss.Trainings, ss.Outbox
	tr := mustTraining(t, s, trTraining("Legalitas", 12, 1))
	const owner, other = 3501, 3502
	mustBook(t, s, tr.ID, owner, store.BookingBooked)
	wait := mustBook(t, s, tr.ID, other, store.BookingWaitlisted)
	if _, err := ob.Enqueue(bg(t), store.OutboxItem{Key: "tes:hapus", ChatID: owner, Kind: "reminder",
		Payload: []byte(`{"t":{"raw":"Ibu Siti, besok pelatihan"}}`), NotBefore: trAt(20, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	if _, err := ss.Registrations.DeleteUserData(bg(t), owner); err != nil {
		t.Fatal(err)
	}
	mine, err := s.BookingsOf(bg(t), owner, trBookNow)
	if err != nil || len(mine) != 0 {
		t.Fatalf("after deletion the owner still holds %+v (%v)", mine, err)
	}
	seats := mustSeats(t, s, tr.ID)
	if seats.Booked != 0 || seats.Waitlisted != 1 {
		t.Fatalf("after deletion: %d booked, %d waiting; want the seat given up", seats.Booked, seats.Waitlisted)
	}
	it, err := ob.OutboxItem(bg(t), "tes:hapus")
	if err != nil || it.Status != store.OutboxCancelled || len(it.Payload) > 2 {
		t.Fatalf("queued message after deletion: %s %q %v; want cancelled and erased", it.Status, it.Payload, err)
	}
	if others, _ := s.BookingsOf(bg(t), other, trBookNow); len(others) != 1 || others[0].ID != wait.ID {
		t.Fatalf("the other owner's place changed: %+v", others)
	}
}
