package telegramtest

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"testing"
	"time"
)

func TestListenInboxConfirmed(t *testing.T) {
	l, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := l.Close(time.Second); err != nil {
			t.Errorf("Close: %v", err)
		}
	}()
	in := l.Inbox()
	defer in.Close()
	send := func(chat int, text string) {
		if e := post(t, l.Server, "sendMessage", url.Values{"chat_id": {strconv.Itoa(chat)}, "text": {text}}); !e.OK {
			t.Fatalf("sendMessage: %+v", e)
		}
	}
	send(7, "satu")
	send(8, "lain")
	send(7, "dua")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, want := range []string{"satu", "dua"} {
		if m, err := in.Next(ctx, 7); err != nil || m.Text != want || m.ChatID != 7 || m.ID == 0 {
			t.Fatalf("Next(7) = %+v, %v; want %q", m, err, want)
		}
	}
	time.AfterFunc(50*time.Millisecond, func() { send(9, "nanti") })
	if m, err := in.Next(ctx, 9); err != nil || m.Text != "nanti" {
		t.Errorf("waiting Next(9) = %+v, %v", m, err)
	}
	short, cancelShort := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancelShort()
	if _, err := in.Next(short, 7); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Next on an empty chat: %v, want the deadline", err)
	}

	l.SetMaxWait(10 * time.Millisecond)
	first, second := l.PushText(7, "a", "id"), l.PushText(7, "b", "")
	if l.Confirmed(first) || l.Confirmed(99) {
		t.Error("confirmed before any getUpdates")
	}
	post(t, l.Server, "getUpdates", url.Values{"offset": {strconv.FormatInt(second, 10)}})
	if !l.Confirmed(first) || l.Confirmed(second) {
		t.Errorf("after offset %d: confirmed(first)=%v confirmed(second)=%v", second, l.Confirmed(first), l.Confirmed(second))
	}
}
