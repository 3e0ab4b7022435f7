package storetest

import (
	"bytes"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// RunCampaignStore runs the store.CampaignStore contract against the
// stores newStores returns (fresh ones per subtest).
//
// Beyond the interface's comments it pins down: an audience holds each
// owner once, leaves out anonymised registrations, is frozen when the
// campaign is created, and leaves out whoever blocked the bot (until they
// subscribe again) or stopped announcements; rows are keyed
// "bc:<campaign>:<user>" and addressed to the user's private chat; a
// campaign without recipients is created done; running and paused go
// either way, cancelled and done are final (ErrConflict), done needs every
// row finished; the audit object is "campaign:<id>".
func RunCampaignStore(t *testing.T, newStores func(t *testing.T) OutboxStores) {
	tests := []struct {
		name string
		run  func(t *testing.T, newStores newOutboxStores)
	}{
		{"Audience", testCampaignAudience},
		{"PausedNotClaimed", testCampaignPaused},
		{"Cancel", testCampaignCancel},
		{"Done", testCampaignDone},
		{"BlockedLeftOut", testBlockedLeftOut},
		{"Subscriptions", testSubscriptions},
		{"ProgressMessage", testProgressMessage},
		{"TrainingAudience", testTrainingAudience},
		{"Key", testCampaignKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newStores)
		})
	}
}

// Kecamatan codes and sector keys of the campaign tests.
const (
	obCikupa   = "360312"
	obBalaraja = "360301"
	obKuliner  = "kuliner"
	obFesyen   = "fesyen"
)

var obPayload = []byte(`{"t":{"raw":"Pelatihan pemasaran digital, Senin 09.00"}}`)

// obOwner registers a business of user in kecamatan and sector.
func obOwner(t *testing.T, s store.RegistrationStore, user int64, business, kecamatan, sector string) {
	t.Helper()
	mustCreate(t, s, fmt.Sprintf("ob:%d:%s", user, business), store.Registration{
		UserID: user, OwnerName: "Pemilik " + strconv.FormatInt(user, 10), NIK: fmt.Sprintf("3603%012d", user),
		Phone: fmt.Sprintf("+62812%08d", user), BusinessName: business, Sector: sector, Kecamatan: kecamatan,
		Class: "mikro", ClassBasis: "omzet", ConsentVersion: "2026-01",
	})
}

// obOwners registers one business for each user, all in Cikupa and kuliner.
func obOwners(t *testing.T, s store.RegistrationStore, users ...int64) {
	t.Helper()
	for _, u := range users {
		obOwner(t, s, u, "Warung "+strconv.FormatInt(u, 10), obCikupa, obKuliner)
	}
}

func mustCampaign(t *testing.T, s store.CampaignStore, a store.Audience, want int) store.Campaign {
	t.Helper()
	c, n, err := s.CreateCampaign(bg(t), store.Campaign{CreatedBy: 9001, Payload: obPayload, Audience: a,
		StartAt: obT0, ProgressChat: 9001})
	if err != nil || n != want {
		t.Fatalf("CreateCampaign(%+v) = %d recipients, %v; want %d", a, n, err, want)
	}
	return c
}

func bcKey(campaign, user int64) string { return fmt.Sprintf("bc:%d:%d", campaign, user) }

func wantStats(t *testing.T, s store.CampaignStore, id int64, want store.CampaignStats) {
	t.Helper()
	got, err := s.CampaignStats(bg(t), id)
	if err != nil || got != want {
		t.Errorf("CampaignStats(%d) = %+v, %v; want %+v", id, got, err, want)
	}
}

func setStatus(t *testing.T, s store.CampaignStore, id int64, status string, want error) {
	t.Helper()
	wantErr(t, "SetCampaignStatus("+status+")", s.SetCampaignStatus(bg(t), 9001, id, status), want)
}

// claimAll claims every due row now.
func claimAll(t *testing.T, s store.OutboxStore) map[string]int64 {
	t.Helper()
	items, err := s.Claim(bg(t), "w", 1000, time.Minute, time.Now())
	if err != nil {
		t.Fatalf("Claim: %v", err)
	}
	ids := map[string]int64{}
	for _, it := range items {
		ids[it.Key] = it.ID
	}
	return ids
}

func testCampaignAudience(t *testing.T, newStores newOutboxStores) {
	st := newStores(t)
	obOwner(t, st.Registrations, 1001, "Warung Siti", obCikupa, obKuliner)
	obOwner(t, st.Registrations, 1001, "Katering Siti", obCikupa, obKuliner)
	obOwner(t, st.Registrations, 1002, "Butik Budi", obCikupa, obFesyen)
	obOwner(t, st.Registrations, 1003, "Bakso Dewi", obBalaraja, obKuliner)
	obOwner(t, st.Registrations, 1004, "Kopi Eko", obCikupa, obKuliner)
	obOwner(t, st.Registrations, 1005, "Roti Fitri", obCikupa, obKuliner)
	if _, err := st.Registrations.DeleteUserData(bg(t), 1004); err != nil {
		t.Fatal(err)
	}
	if err := st.Campaigns.SetSubscribed(bg(t), 1005, false); err != nil {
		t.Fatal(err)
	}
	sizes := []struct {
		a    store.Audience
		want int
	}{
		{store.Audience{}, 3},
		{store.Audience{Kecamatan: obCikupa}, 2},
		{store.Audience{Sector: obKuliner}, 2},
		{store.Audience{Kecamatan: obCikupa, Sector: obKuliner}, 1},
		{store.Audience{Kecamatan: "360399"}, 0},
	}
	for _, tt := range sizes {
		if n, err := st.Campaigns.AudienceSize(bg(t), tt.a); err != nil || n != tt.want {
			t.Errorf("AudienceSize(%+v) = %d, %v; want %d", tt.a, n, err, tt.want)
		}
	}

	c := mustCampaign(t, st.Campaigns, store.Audience{Kecamatan: obCikupa}, 2)
	if c.ID == 0 || c.Status != store.CampaignRunning || c.CreatedAt.IsZero() || !c.StartAt.Equal(obT0) {
		t.Errorf("CreateCampaign = %+v; want an ID, running, created, starting at %s", c, obT0)
	}
	for _, u := range []int64{1001, 1002} {
		it := mustItem(t, st.Outbox, bcKey(c.ID, u))
		if it.ChatID != u || it.Kind != "broadcast" || it.CampaignID != c.ID || !bytes.Equal(it.Payload, obPayload) ||
			!it.NotBefore.Equal(obT0) || it.Status != store.OutboxPending {
			t.Errorf("row of %d = %+v; want a pending broadcast to chat %d due at the start", u, it, u)
		}
	}
	// The audience was frozen: a later registration is not in it.
	obOwner(t, st.Registrations, 1006, "Sate Gita", obCikupa, obFesyen)
	_, err := st.Outbox.OutboxItem(bg(t), bcKey(c.ID, 1006))
	wantErr(t, "row of a later owner", err, store.ErrNotFound)
	wantStats(t, st.Campaigns, c.ID, store.CampaignStats{Total: 2, Pending: 2})

	got, err := st.Campaigns.Campaign(bg(t), c.ID)
	if err != nil || got.CreatedBy != 9001 || !bytes.Equal(got.Payload, obPayload) || got.Audience != c.Audience ||
		got.Status != store.CampaignRunning || !got.StartAt.Equal(obT0) || got.ProgressChat != 9001 {
		t.Errorf("Campaign(%d) = %+v, %v; want it as created", c.ID, got, err)
	}
	_, err = st.Campaigns.Campaign(bg(t), c.ID+100)
	wantErr(t, "Campaign(unknown)", err, store.ErrNotFound)
	log, err := st.Registrations.AuditLog(bg(t), "campaign:"+strconv.FormatInt(c.ID, 10))
	if err != nil || len(log) != 1 || log[0].Actor != 9001 || log[0].Action != "broadcast" {
		t.Errorf("audit of the campaign = %+v, %v; want one broadcast entry by 9001", log, err)
	}

	empty := mustCampaign(t, st.Campaigns, store.Audience{Kecamatan: "360399"}, 0)
	if empty.Status != store.CampaignDone {
		t.Errorf("campaign without recipients is %s, want done", empty.Status)
	}
	list, err := st.Campaigns.Campaigns(bg(t), 10)
	if err != nil || len(list) != 2 || list[0].ID != empty.ID || list[1].ID != c.ID {
		t.Errorf("Campaigns(10) = %d campaigns, %v; want the empty one, then the first", len(list), err)
	}
	if list, err := st.Campaigns.Campaigns(bg(t), 1); err != nil || len(list) != 1 {
		t.Errorf("Campaigns(1) = %d campaigns, %v; want 1", len(list), err)
	}
}

func testCampaignPaused(t *testing.T, newStores newOutboxStores) {
	st := newStores(t)
	obOwners(t, st.Registrations, 1001, 1002, 1003)
	mustEnqueue(t, st.Outbox, 1, obItem("remind:1:d-1", 1001, obT0))
	c := mustCampaign(t, st.Campaigns, store.Audience{}, 3)
	setStatus(t, st.Campaigns, c.ID, store.CampaignPaused, nil)
	got := claimAll(t, st.Outbox)
	if len(got) != 1 || got["remind:1:d-1"] == 0 {
		t.Errorf("claimed %v while the campaign is paused; want the reminder only", got)
	}
	setStatus(t, st.Campaigns, c.ID, store.CampaignRunning, nil)
	got = claimAll(t, st.Outbox)
	if len(got) != 3 || got[bcKey(c.ID, 1002)] == 0 {
		t.Errorf("claimed %v after resuming; want the 3 rows of the campaign", got)
	}
	setStatus(t, st.Campaigns, c.ID+100, store.CampaignPaused, store.ErrNotFound)
}

func testCampaignCancel(t *testing.T, newStores newOutboxStores) {
	st := newStores(t)
	obOwners(t, st.Registrations, 1001, 1002, 1003, 1004)
	c := mustCampaign(t, st.Campaigns, store.Audience{}, 4)
	inFlight, err := st.Outbox.Claim(bg(t), "w", 1, time.Minute, time.Now())
	if err != nil || len(inFlight) != 1 {
		t.Fatalf("Claim(1) = %v, %v", inFlight, err)
	}
	setStatus(t, st.Campaigns, c.ID, store.CampaignCancelled, nil)
	wantStats(t, st.Campaigns, c.ID, store.CampaignStats{Total: 4, Pending: 1, Cancelled: 3})
	if got := claimAll(t, st.Outbox); len(got) != 0 {
		t.Errorf("claimed %v after the cancel", got)
	}
	// The row in flight finishes.
	if err := st.Outbox.MarkSent(bg(t), inFlight[0].ID, 5, time.Now()); err != nil {
		t.Fatal(err)
	}
	wantStats(t, st.Campaigns, c.ID, store.CampaignStats{Total: 4, Sent: 1, Cancelled: 3})
	setStatus(t, st.Campaigns, c.ID, store.CampaignCancelled, nil)
	setStatus(t, st.Campaigns, c.ID, store.CampaignRunning, store.ErrConflict)
	setStatus(t, st.Campaigns, c.ID, store.CampaignDone, store.ErrConflict)
}

func testCampaignDone(t *testing.T, newStores newOutboxStores) {
	st := newStores(t)
	obOwners(t, st.Registrations, 1001, 1002)
	c := mustCampaign(t, st.Campaigns, store.Audience{}, 2)
	setStatus(t, st.Campaigns, c.ID, store.CampaignDone, store.ErrConflict)
	ids := claimAll(t, st.Outbox)
	setStatus(t, st.Campaigns, c.ID, store.CampaignDone, store.ErrConflict) // rows in flight
	if err := st.Outbox.MarkSent(bg(t), ids[bcKey(c.ID, 1001)], 10, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := st.Outbox.MarkBlocked(bg(t), ids[bcKey(c.ID, 1002)], "403"); err != nil {
		t.Fatal(err)
	}
	wantStats(t, st.Campaigns, c.ID, store.CampaignStats{Total: 2, Sent: 1, Blocked: 1})
	setStatus(t, st.Campaigns, c.ID, store.CampaignDone, nil)
	if got, err := st.Campaigns.Campaign(bg(t), c.ID); err != nil || got.Status != store.CampaignDone {
		t.Errorf("Campaign = %+v, %v; want done", got, err)
	}
	setStatus(t, st.Campaigns, c.ID, store.CampaignPaused, store.ErrConflict)
}

func testBlockedLeftOut(t *testing.T, newStores newOutboxStores) {
	st := newStores(t)
	obOwners(t, st.Registrations, 1001, 1002, 1003)
	a := mustCampaign(t, st.Campaigns, store.Audience{}, 3)
	ids := claimAll(t, st.Outbox)
	for _, u := range []int64{1001, 1003} {
		if err := st.Outbox.MarkSent(bg(t), ids[bcKey(a.ID, u)], int(u), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Outbox.MarkBlocked(bg(t), ids[bcKey(a.ID, 1002)], "Forbidden: bot was blocked by the user"); err != nil {
		t.Fatal(err)
	}
	b := mustCampaign(t, st.Campaigns, store.Audience{}, 2)
	_, err := st.Outbox.OutboxItem(bg(t), bcKey(b.ID, 1002))
	wantErr(t, "row of the blocked owner", err, store.ErrNotFound)
	// Blocking is not unsubscribing; subscribing again clears the block.
	if on, err := st.Campaigns.Subscribed(bg(t), 1002); err != nil || !on {
		t.Errorf("Subscribed(blocked owner) = %v, %v; want true", on, err)
	}
	if err := st.Campaigns.SetSubscribed(bg(t), 1002, true); err != nil {
		t.Fatal(err)
	}
	if n, err := st.Campaigns.AudienceSize(bg(t), store.Audience{}); err != nil || n != 3 {
		t.Errorf("AudienceSize after /langganan = %d, %v; want 3", n, err)
	}
}

func testSubscriptions(t *testing.T, newStores newOutboxStores) {
	st := newStores(t)
	obOwners(t, st.Registrations, 1001, 1002)
	steps := []struct {
		user     int64
		set      *bool
		wantOn   bool
		audience int
	}{
		{user: 1001, wantOn: true, audience: 2},
		{user: 5555, wantOn: true, audience: 2}, // no choice recorded
		{user: 1001, set: new(false), wantOn: false, audience: 1},
		{user: 1001, set: new(false), wantOn: false, audience: 1},
		{user: 1001, set: new(true), wantOn: true, audience: 2},
	}
	for i, s := range steps {
		if s.set != nil {
			if err := st.Campaigns.SetSubscribed(bg(t), s.user, *s.set); err != nil {
				t.Fatalf("step %d: SetSubscribed: %v", i, err)
			}
		}
		on, err := st.Campaigns.Subscribed(bg(t), s.user)
		if err != nil || on != s.wantOn {
			t.Errorf("step %d: Subscribed(%d) = %v, %v; want %v", i, s.user, on, err, s.wantOn)
		}
		if n, err := st.Campaigns.AudienceSize(bg(t), store.Audience{}); err != nil || n != s.audience {
			t.Errorf("step %d: AudienceSize = %d, %v; want %d", i, n, err, s.audience)
		}
		if i == 2 {
			c := mustCampaign(t, st.Campaigns, store.Audience{}, 1)
			_, err := st.Outbox.OutboxItem(bg(t), bcKey(c.ID, 1001))
			wantErr(t, "row of the unsubscribed owner", err, store.ErrNotFound)
		}
	}
}

func testProgressMessage(t *testing.T, newStores newOutboxStores) {
	st := newStores(t)
	obOwners(t, st.Registrations, 1001)
	c := mustCampaign(t, st.Campaigns, store.Audience{}, 1)
	if err := st.Campaigns.SetProgressMessage(bg(t), c.ID, 9002, 4242); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Campaigns.Campaign(bg(t), c.ID); err != nil || got.ProgressChat != 9002 || got.ProgressMessage != 4242 {
		t.Errorf("Campaign = %+v, %v; want progress message 9002/4242", got, err)
	}
	wantErr(t, "SetProgressMessage(unknown)", st.Campaigns.SetProgressMessage(bg(t), c.ID+100, 1, 1), store.ErrNotFound)
	_, err := st.Campaigns.CampaignStats(bg(t), c.ID+100)
	wantErr(t, "CampaignStats(unknown)", err, store.ErrNotFound)
}

// testTrainingAudience books owners on a training of two seats: its
// audience is the owners holding a seat, not the waitlisted one.
func testTrainingAudience(t *testing.T, newStores newOutboxStores) {
	st := newStores(t)
	if st.Trainings == nil {
		t.Skip("no TrainingStore given")
	}
	obOwners(t, st.Registrations, 1001, 1002, 1003, 1004)
	obOwner(t, st.Registrations, 1005, "Butik 1005", obBalaraja, obFesyen)
	now := time.Now().UTC().Truncate(time.Second)
	tr, err := st.Trainings.CreateTraining(bg(t), 9001, store.Training{Topic: store.TopicMarketing,
		Title: "Pemasaran digital", StartAt: now.Add(48 * time.Hour), EndAt: now.Add(50 * time.Hour),
		Place: "Aula Dinas", Capacity: 3, Deadline: now.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []int64{1001, 1002, 1005, 1003} { // 1003 is waitlisted
		if _, err := st.Trainings.Book(bg(t), tr.ID, u, now); err != nil {
			t.Fatalf("Book(%d): %v", u, err)
		}
	}
	sizes := []struct {
		a    store.Audience
		want int
	}{
		{store.Audience{Training: tr.ID}, 3},
		{store.Audience{Training: tr.ID, Kecamatan: obCikupa}, 2},
		{store.Audience{Training: tr.ID + 100}, 0},
	}
	for _, tt := range sizes {
		if n, err := st.Campaigns.AudienceSize(bg(t), tt.a); err != nil || n != tt.want {
			t.Errorf("AudienceSize(%+v) = %d, %v; want %d", tt.a, n, err, tt.want)
		}
	}
	c := mustCampaign(t, st.Campaigns, store.Audience{Training: tr.ID}, 3)
	_, err = st.Outbox.OutboxItem(bg(t), bcKey(c.ID, 1003))
	wantErr(t, "row of the waitlisted owner", err, store.ErrNotFound)
}

// testCampaignKey: a retried creation with the same key returns the first
// campaign and queues nothing more.
func testCampaignKey(t *testing.T, newStores newOutboxStores) {
	ss := newStores(t)
	obOwners(t, ss.Registrations, 4101, 4102, 4103)
	c := store.Campaign{Key: "siaran:abc", CreatedBy: 9001, Payload: obPayload}
	first, n1, err := ss.Campaigns.CreateCampaign(bg(t), c)
	if err != nil || n1 != 3 {
		t.Fatalf("first creation: %d rows, %v", n1, err)
	}
	again, n2, err := ss.Campaigns.CreateCampaign(bg(t), c)
	if err != nil || again.ID != first.ID || n2 != 3 {
		t.Fatalf("retried creation: campaign %d (first %d), %d rows, %v", again.ID, first.ID, n2, err)
	}
	list, err := ss.Campaigns.Campaigns(bg(t), 10)
	if err != nil || len(list) != 1 {
		t.Fatalf("campaigns after a retry: %d, %v; want 1", len(list), err)
	}
	other, _, err := ss.Campaigns.CreateCampaign(bg(t), store.Campaign{CreatedBy: 9001, Payload: c.Payload})
	if err != nil || other.ID == first.ID {
		t.Fatalf("a campaign without a key: %d, %v", other.ID, err)
	}
}
