package training_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/flows/menu"
	"github.com/diskum-tangerang/umkmbot/flows/registration"
	"github.com/diskum-tangerang/umkmbot/flows/training"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Users of the transcripts.
const (
	staff = 9001
	siti  = 1001
	budi  = 1002
	ani   = 1003
	dewi  = 1004
)

var wib = time.FixedZone("WIB", 7*60*60)

// wibTime is a WIB wall-clock time.
func wibTime(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, wib).UTC()
}

// jan14 is the start of the trainings the transcripts book: Kamis, 14
// Januari 2027 pukul 09.00 WIB.
var jan14 = wibTime(2027, 1, 14, 9, 0)

var regOpt = registration.Options{ConsentVersion: "2026-11"}

// newHarness builds a harness with the registration and training flows on
// its memory store, with staff as staff and the training deep links on.
func newHarness(t *testing.T) *ft.Harness {
	t.Helper()
	h := ft.New(t, ft.Options{
		Menu: menu.Options{Registration: registration.Name, Training: training.Name,
			DeepLinks: map[string]string{training.DeepLinkPrefix: "/pelatihan"}},
		Flows: func(h *ft.Harness) []*flows.Flow {
			return append([]*flows.Flow{registration.New(h.Store, regOpt)},
				training.New(h.Store, h.Store, training.Options{BotUsername: "umkm_tangerang_bot"})...)
		},
	})
	h.Staff[staff] = true
	return h
}

// seed stores a training; zero fields get a place, three hours, 20 seats
// and the default deadline (a negative capacity stands for 0 seats).
func seed(t *testing.T, h *ft.Harness, tr store.Training) store.Training {
	t.Helper()
	if tr.Topic == "" {
		tr.Topic = store.TopicFinance
	}
	if tr.Title == "" {
		tr.Title = "Pencatatan Keuangan Sederhana"
	}
	if tr.StartAt.IsZero() {
		tr.StartAt = jan14
	}
	if tr.EndAt.IsZero() {
		tr.EndAt = tr.StartAt.Add(3 * time.Hour)
	}
	if tr.Place == "" && tr.Link == "" {
		tr.Place = "Aula Kecamatan Tigaraksa"
	}
	if tr.Capacity == 0 {
		tr.Capacity = 20
	}
	if tr.Capacity < 0 {
		tr.Capacity = 0
	}
	if tr.Deadline.IsZero() {
		s := tr.StartAt.In(wib)
		tr.Deadline = time.Date(s.Year(), s.Month(), s.Day()-1, 23, 59, 0, 0, wib).UTC()
	}
	saved, err := h.Store.CreateTraining(context.Background(), staff, tr)
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

// register gives user a registered business straight in the store.
func register(t *testing.T, h *ft.Harness, user int64, name, business string) {
	t.Helper()
	_, _, err := h.Store.CreateRegistration(context.Background(), fmt.Sprint("key-", user), store.Registration{
		UserID: user, OwnerName: name, NIK: fmt.Sprintf("36031245079%05d", user), Phone: "+6281234567890",
		BusinessName: business, Sector: "kuliner", Kecamatan: "360312", Class: "mikro",
	})
	if err != nil {
		t.Fatal(err)
	}
}

// bookings returns user's active places.
func bookings(t *testing.T, h *ft.Harness, user int64) []store.Booking {
	t.Helper()
	list, err := h.Store.BookingsOf(context.Background(), user, h.Now())
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// outbox returns the outbox row of key, failing when there is none.
func outbox(t *testing.T, h *ft.Harness, key string) store.OutboxItem {
	t.Helper()
	it, err := h.Store.Outbox().OutboxItem(context.Background(), key)
	if err != nil {
		t.Fatalf("outbox %s: %v", key, err)
	}
	return it
}

// hasOutbox reports whether the outbox has a row with key.
func hasOutbox(h *ft.Harness, key string) bool {
	_, err := h.Store.Outbox().OutboxItem(context.Background(), key)
	return err == nil
}

// decode returns the reply an outbox row carries.
func decode(t *testing.T, it store.OutboxItem) flows.Reply {
	t.Helper()
	r, err := flows.DecodeReply(it.Payload)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// say sends text, checks the replies' IDs and renders them.
func say(t *testing.T, h *ft.Harness, user int64, text string, want ...string) []flows.Reply {
	t.Helper()
	rs := h.Send(user, text)
	ft.Want(t, rs, want...)
	checkRendered(t, h, rs)
	return rs
}

// tap taps the button labelled label, checks the replies' IDs and renders
// them.
func tap(t *testing.T, h *ft.Harness, user int64, label string, want ...string) []flows.Reply {
	t.Helper()
	rs := h.TapLabel(user, label)
	ft.Want(t, rs, want...)
	checkRendered(t, h, rs)
	return rs
}

// labels lists the labels of the latest buttons in user's chat.
func labels(h *ft.Harness, user int64) []string {
	var out []string
	for _, b := range h.Buttons(user) {
		out = append(out, h.Catalog.Label("id", b.Label))
	}
	return out
}

// plain renders replies in Indonesian as one text.
func plain(h *ft.Harness, rs []flows.Reply) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(h.Catalog.Plain("id", r.Text))
		b.WriteString("\n")
	}
	return b.String()
}

// contains fails unless text holds every string of want.
func contains(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q:\n%s", w, text)
		}
	}
}

// checkRendered renders replies in both languages and fails on anything a
// user should not see (flowstest.Harness.CheckRendered).
func checkRendered(t *testing.T, h *ft.Harness, rs []flows.Reply) {
	t.Helper()
	h.CheckRendered(t, rs)
}
