package storetest

import (
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// testTicketTopic: a ticket's forum topic is recorded once (the first of
// two wins), found again by its id, and cannot belong to two tickets.
func testTicketTopic(t *testing.T, newStores newTicketStores) {
	s := newStores(t).Tickets
	a := mustAsk(t, s, 8101, "pertanyaan satu", tkAt, true)
	b := mustAsk(t, s, 8102, "pertanyaan dua", tkAt, true)
	if a.TopicID != 0 {
		t.Fatalf("new ticket has topic %d", a.TopicID)
	}
	if _, err := s.TicketByTopic(bg(t), 501); err == nil {
		t.Fatal("TicketByTopic(501) before any topic: no error")
	}
	got, err := s.SetTicketTopic(bg(t), a.ID, 501)
	if err != nil || got != 501 {
		t.Fatalf("SetTicketTopic(a, 501) = %d, %v", got, err)
	}
	if got, err = s.SetTicketTopic(bg(t), a.ID, 502); err != nil || got != 501 {
		t.Errorf("second SetTicketTopic(a, 502) = %d, %v; want the first topic, 501", got, err)
	}
	_, err = s.SetTicketTopic(bg(t), b.ID, 501)
	wantErr(t, "a topic taken by another ticket", err, store.ErrConflict)
	_, err = s.SetTicketTopic(bg(t), b.ID+100, 503)
	wantErr(t, "topic of an unknown ticket", err, store.ErrNotFound)
	tk, err := s.TicketByTopic(bg(t), 501)
	if err != nil || tk.ID != a.ID || tk.TopicID != 501 || len(tk.Messages) != 1 {
		t.Errorf("TicketByTopic(501) = %+v, %v; want ticket %d with its message", tk, err, a.ID)
	}
	_, err = s.TicketByTopic(bg(t), 0)
	wantErr(t, "topic 0", err, store.ErrNotFound)
}

// testTicketFiles: photos and documents are kept by file id, with or
// without a caption, both ways; a message with neither text nor file is
// refused.
func testTicketFiles(t *testing.T, newStores newTicketStores) {
	s := newStores(t).Tickets
	photo := store.TicketFile{Kind: store.FilePhoto, ID: "AgACphoto"}
	tk, opened, err := s.Ask(bg(t), store.TicketAsk{UserID: 8201, Lang: "id", File: photo, At: tkAt})
	if err != nil || !opened {
		t.Fatalf("Ask with a photo only = %v, opened %t", err, opened)
	}
	doc := store.TicketFile{Kind: store.FileDocument, ID: "BQACdoc"}
	if _, err := s.Answer(bg(t), store.TicketAnswer{Staff: 9001, TicketID: tk.ID, Text: "Formulirnya", File: doc,
		At: tkAt.Add(time.Minute)}, nil); err != nil {
		t.Fatal(err)
	}
	got, err := s.Ticket(bg(t), tk.ID)
	if err != nil || len(got.Messages) != 2 || got.Messages[0].File != photo || got.Messages[0].Text != "" ||
		got.Messages[1].File != doc || got.Messages[1].Text != "Formulirnya" {
		t.Fatalf("messages %+v, %v", got.Messages, err)
	}
	if _, _, err := s.Ask(bg(t), store.TicketAsk{UserID: 8201, Lang: "id"}); err == nil {
		t.Error("Ask without text or file: no error")
	}
	if _, _, err := s.Ask(bg(t), store.TicketAsk{UserID: 8201, Lang: "id",
		File: store.TicketFile{Kind: "voice", ID: "x"}}); err == nil {
		t.Error("Ask with a voice note: no error")
	}
	if _, err := s.Answer(bg(t), store.TicketAnswer{Staff: 9001, TicketID: tk.ID}, nil); err == nil {
		t.Error("Answer without text or file: no error")
	}
}
