package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// TicketStores are what the ticket suite runs against: the tickets, the
// outbox that carries answers and the registrations (audit log, data
// deletion), all views of one store.
type TicketStores struct {
	Tickets       store.TicketStore
	Outbox        store.OutboxStore
	Registrations store.RegistrationStore
}

type newTicketStores = func(t *testing.T) TicketStores

// RunTicketStore runs the contract tests of store.TicketStore.
func RunTicketStore(t *testing.T, newStores func(t *testing.T) TicketStores) {
	tests := []struct {
		name string
		run  func(t *testing.T, newStores newTicketStores)
	}{
		{"ask opens then joins", testTicketAsk},
		{"day limit", testTicketDayLimit},
		{"answer queues the notice", testTicketAnswer},
		{"close", testTicketClose},
		{"queue oldest first", testTicketQueue},
		{"deletion", testTicketDeletion},
		{"concurrent asks open one", testTicketConcurrentAsk},
		{"forum topic", testTicketTopic},
		{"files", testTicketFiles},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newStores)
		})
	}
}

// tkAt is a Tuesday, 09.00 WIB.
var tkAt = time.Date(2026, 3, 3, 2, 0, 0, 0, time.UTC)

func mustAsk(t *testing.T, s store.TicketStore, user int64, text string, at time.Time, wantOpened bool) store.Ticket {
	t.Helper()
	tk, opened, err := s.Ask(bg(t), store.TicketAsk{UserID: user, Lang: "id", Text: text, At: at})
	if err != nil {
		t.Fatalf("Ask(%d, %q): %v", user, text, err)
	}
	if opened != wantOpened {
		t.Fatalf("Ask(%d, %q): opened %t, want %t", user, text, opened, wantOpened)
	}
	return tk
}

// tkNotify builds a notice whose payload names the ticket and the answer.
func tkNotify(calls *int) store.TicketNotify {
	return func(tk store.Ticket, m store.TicketMessage) (store.OutboxItem, error) {
		*calls++
		return store.OutboxItem{ChatID: tk.UserID, Kind: "ticket",
			Payload: fmt.Appendf(nil, `{"n":%q,"a":%q,"l":%q}`, tk.Number, m.Text, tk.Lang)}, nil
	}
}

func testTicketAsk(t *testing.T, newStores newTicketStores) {
	st := newStores(t)
	s := st.Tickets
	wantErr(t, "OpenTicket of nobody", func() error { _, err := s.OpenTicket(bg(t), 8001); return err }(), store.ErrNotFound)
	a := mustAsk(t, s, 8001, "kapan dana saya cair?", tkAt, true)
	if a.Number != fmt.Sprintf("TNY-2026-%06d", a.ID) || a.Status != store.TicketNew || a.UserID != 8001 ||
		len(a.Messages) != 1 || a.Messages[0].Text != "kapan dana saya cair?" || a.Messages[0].StaffID != 0 ||
		!a.Messages[0].At.Equal(tkAt) || !a.CreatedAt.Equal(tkAt) {
		t.Fatalf("opened %+v", a)
	}
	b := mustAsk(t, s, 8001, "nomor pinjaman UPDB-2026-0042", tkAt.Add(time.Minute), false)
	if b.ID != a.ID || len(b.Messages) != 2 || b.Messages[1].Text != "nomor pinjaman UPDB-2026-0042" {
		t.Fatalf("joined %+v, want ticket %d with two messages", b, a.ID)
	}
	other := mustAsk(t, s, 8002, "syarat pelatihan ekspor?", tkAt, true)
	if other.ID == a.ID {
		t.Fatal("two owners share a ticket")
	}
	got, err := s.OpenTicket(bg(t), 8001)
	if err != nil || got.ID != a.ID || len(got.Messages) != 2 {
		t.Fatalf("OpenTicket = %+v, %v", got, err)
	}
	log, err := st.Registrations.AuditLog(bg(t), store.TicketObject(a.Number))
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action)
		if e.Actor != 8001 || e.Detail != "" {
			t.Errorf("audit entry %+v: want actor 8001 and no detail (no text)", e)
		}
	}
	if !slices.Equal(actions, []string{"ticket.open", "ticket.ask"}) {
		t.Errorf("audit actions %v", actions)
	}
	_, _, err = s.Ask(bg(t), store.TicketAsk{UserID: 8001, Text: ""})
	if err == nil {
		t.Error("an empty question was accepted")
	}
}

func testTicketDayLimit(t *testing.T, newStores newTicketStores) {
	s := newStores(t).Tickets
	day := tkAt.Add(-2 * time.Hour)
	ask := func(at time.Time, since time.Time) (store.Ticket, bool, error) {
		return s.Ask(bg(t), store.TicketAsk{UserID: 8001, Lang: "id", Text: "tanya", At: at, DaySince: since, DayLimit: 3})
	}
	for i := range 3 {
		tk, opened, err := ask(tkAt.Add(time.Duration(i)*time.Minute), day)
		if err != nil || !opened {
			t.Fatalf("ask %d: opened %t, %v", i, opened, err)
		}
		// A message to the open ticket is not a new ticket.
		if _, opened, err := ask(tkAt.Add(time.Duration(i)*time.Minute), day); err != nil || opened {
			t.Fatalf("follow-up %d: opened %t, %v", i, opened, err)
		}
		if _, err := s.CloseTicket(bg(t), 8001, tk.ID, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := ask(tkAt.Add(time.Hour), day)
	wantErr(t, "fourth ticket of the day", err, store.ErrFull)
	if _, err := s.OpenTicket(bg(t), 8001); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a refused ask left an open ticket: %v", err)
	}
	if _, opened, err := ask(tkAt.Add(24*time.Hour), day.Add(24*time.Hour)); err != nil || !opened {
		t.Fatalf("next day: opened %t, %v", opened, err)
	}
}

func testTicketAnswer(t *testing.T, newStores newTicketStores) {
	st := newStores(t)
	s := st.Tickets
	tk := mustAsk(t, s, 8001, "kapan dana saya cair?", tkAt, true)
	calls := 0
	ans, err := s.Answer(bg(t), store.TicketAnswer{Staff: 9001, TicketID: tk.ID, Text: "Minggu depan, Bu.",
		At: tkAt.Add(time.Hour)}, tkNotify(&calls))
	if err != nil {
		t.Fatal(err)
	}
	if ans.Status != store.TicketAnswered || !ans.FirstResponseAt.Equal(tkAt.Add(time.Hour)) ||
		len(ans.Messages) != 2 || ans.Messages[1].StaffID != 9001 || ans.Messages[1].Text != "Minggu depan, Bu." {
		t.Fatalf("answered %+v", ans)
	}
	key := fmt.Sprintf("ticket:%d:2", tk.ID)
	it := mustItem(t, st.Outbox, key)
	want := fmt.Sprintf(`{"n":%q,"a":"Minggu depan, Bu.","l":"id"}`, tk.Number)
	if it.ChatID != 8001 || it.Kind != "ticket" || it.Status != store.OutboxPending || string(it.Payload) != want {
		t.Errorf("notice %+v, payload %s; want a pending row to 8001 with %s", it, it.Payload, want)
	}

	// The owner writes again: waiting for the Dinas again; a second
	// answer keeps the first-response time.
	mustAsk(t, s, 8001, "terima kasih, kalau ditolak bagaimana?", tkAt.Add(2*time.Hour), false)
	if got, _ := s.Ticket(bg(t), tk.ID); got.Status != store.TicketNew {
		t.Errorf("after the owner's follow-up: status %s, want %s", got.Status, store.TicketNew)
	}
	ans, err = s.Answer(bg(t), store.TicketAnswer{Staff: 9002, TicketID: tk.ID, Text: "Bisa mengajukan lagi.",
		At: tkAt.Add(3 * time.Hour)}, tkNotify(&calls))
	if err != nil || !ans.FirstResponseAt.Equal(tkAt.Add(time.Hour)) || calls != 2 {
		t.Fatalf("second answer %+v, %v, %d notify calls", ans, err, calls)
	}
	mustItem(t, st.Outbox, fmt.Sprintf("ticket:%d:4", tk.ID))

	// A notify that fails writes nothing.
	_, err = s.Answer(bg(t), store.TicketAnswer{Staff: 9001, TicketID: tk.ID, Text: "x"},
		func(store.Ticket, store.TicketMessage) (store.OutboxItem, error) {
			return store.OutboxItem{}, errors.New("boom")
		})
	if err == nil {
		t.Fatal("a failing notify did not fail the answer")
	}
	if got, _ := s.Ticket(bg(t), tk.ID); len(got.Messages) != 4 {
		t.Errorf("a failed answer left %d messages, want 4", len(got.Messages))
	}
	if _, err := st.Outbox.OutboxItem(bg(t), fmt.Sprintf("ticket:%d:5", tk.ID)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a failed answer queued a notice: %v", err)
	}
	_, err = s.Answer(bg(t), store.TicketAnswer{Staff: 9001, TicketID: tk.ID + 100, Text: "x"}, nil)
	wantErr(t, "answer to an unknown ticket", err, store.ErrNotFound)
	log, _ := st.Registrations.AuditLog(bg(t), store.TicketObject(tk.Number))
	if n := len(log); n != 4 || log[1].Action != "ticket.answer" || log[1].Actor != 9001 {
		t.Errorf("audit log %+v; want open, answer by 9001, ask, answer", log)
	}
}

func testTicketClose(t *testing.T, newStores newTicketStores) {
	s := newStores(t).Tickets
	tk := mustAsk(t, s, 8001, "tanya", tkAt, true)
	closed, err := s.CloseTicket(bg(t), 8001, tk.ID, tkAt.Add(time.Hour))
	if err != nil || closed.Status != store.TicketClosed || !closed.ClosedAt.Equal(tkAt.Add(time.Hour)) || closed.ClosedBy != 8001 {
		t.Fatalf("closed %+v, %v", closed, err)
	}
	_, err = s.CloseTicket(bg(t), 9001, tk.ID, time.Time{})
	wantErr(t, "close twice", err, store.ErrConflict)
	_, err = s.Answer(bg(t), store.TicketAnswer{Staff: 9001, TicketID: tk.ID, Text: "x"}, nil)
	wantErr(t, "answer a closed ticket", err, store.ErrConflict)
	_, err = s.CloseTicket(bg(t), 9001, tk.ID+100, time.Time{})
	wantErr(t, "close an unknown ticket", err, store.ErrNotFound)
	_, err = s.Ticket(bg(t), tk.ID+100)
	wantErr(t, "Ticket of an unknown id", err, store.ErrNotFound)
	if _, err := s.OpenTicket(bg(t), 8001); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("OpenTicket after close: %v", err)
	}
	next := mustAsk(t, s, 8001, "pertanyaan baru", tkAt.Add(2*time.Hour), true)
	if next.ID == tk.ID {
		t.Error("a message after the close joined the closed ticket")
	}
}

func testTicketQueue(t *testing.T, newStores newTicketStores) {
	s := newStores(t).Tickets
	late := mustAsk(t, s, 8003, "ketiga", tkAt.Add(2*time.Hour), true)
	early := mustAsk(t, s, 8001, "pertama", tkAt, true)
	mustAsk(t, s, 8001, "susulan", tkAt.Add(3*time.Hour), false)
	mid := mustAsk(t, s, 8002, "kedua", tkAt.Add(time.Hour), true)
	if _, err := s.CloseTicket(bg(t), 9001, mid.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	list, err := s.OpenTickets(bg(t), 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tk := range list {
		if len(tk.Messages) != 1 {
			t.Errorf("queue entry %s has %d messages, want the first only", tk.Number, len(tk.Messages))
			continue
		}
		got = append(got, tk.Messages[0].Text)
	}
	if !slices.Equal(got, []string{"pertama", "ketiga"}) || list[0].ID != early.ID || list[1].ID != late.ID {
		t.Errorf("queue %v, want [pertama ketiga]", got)
	}
	if list, _ := s.OpenTickets(bg(t), 1); len(list) != 1 {
		t.Errorf("limit 1 gave %d", len(list))
	}
}

func testTicketDeletion(t *testing.T, newStores newTicketStores) {
	st := newStores(t)
	s := st.Tickets
	a := mustAsk(t, s, 8001, "satu", tkAt, true)
	if _, err := s.CloseTicket(bg(t), 8001, a.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	mustAsk(t, s, 8001, "dua", tkAt.Add(time.Hour), true)
	mustAsk(t, s, 8002, "orang lain", tkAt, true)
	preview, err := st.Registrations.DeletionPreview(bg(t), 8001)
	if err != nil || preview.Tickets != 2 {
		t.Fatalf("preview %+v, %v; want 2 tickets", preview, err)
	}
	report, err := st.Registrations.DeleteUserData(bg(t), 8001)
	if err != nil || report.Tickets != 2 {
		t.Fatalf("report %+v, %v; want 2 tickets", report, err)
	}
	if list, err := s.TicketsOf(bg(t), 8001); err != nil || len(list) != 0 {
		t.Errorf("after deletion TicketsOf = %+v, %v", list, err)
	}
	_, err = s.Ticket(bg(t), a.ID)
	wantErr(t, "Ticket after deletion", err, store.ErrNotFound)
	if list, _ := s.OpenTickets(bg(t), 10); len(list) != 1 || list[0].UserID != 8002 {
		t.Errorf("queue after deletion %+v, want the other owner's only", list)
	}
	if list, _ := s.TicketsOf(bg(t), 8002); len(list) != 1 {
		t.Errorf("the other owner's tickets: %+v", list)
	}
}

func testTicketConcurrentAsk(t *testing.T, newStores newTicketStores) {
	s := newStores(t).Tickets
	var wg sync.WaitGroup
	var mu sync.Mutex
	opened := 0
	for i := range 8 {
		wg.Go(func() {
			_, o, err := s.Ask(bg(t), store.TicketAsk{UserID: 8001, Lang: "id", Text: fmt.Sprintf("pesan %d", i),
				DaySince: tkAt.Add(-time.Hour), DayLimit: 3})
			if err != nil {
				t.Errorf("Ask %d: %v", i, err)
			}
			mu.Lock()
			defer mu.Unlock()
			if o {
				opened++
			}
		})
	}
	wg.Wait()
	list, err := s.TicketsOf(bg(t), 8001)
	if err != nil || len(list) != 1 || len(list[0].Messages) != 8 || opened != 1 {
		t.Fatalf("%d opened, tickets %d, %v; want one ticket with 8 messages", opened, len(list), err)
	}
}
