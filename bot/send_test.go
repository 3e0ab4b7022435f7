package bot

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
)

func TestSendRendersKeyboards(t *testing.T) {
	tests := []struct {
		name       string
		reply      flows.Reply
		wantText   string
		wantMarkup map[string]any // nil: no reply_markup
	}{
		{name: "plain", reply: flows.Say("hello", "name", "Budi"), wantText: "id:hello name=Budi"},
		{name: "inline buttons", reply: flows.Say("ask").WithRow(flows.Btn("btn_yes", "reg:1:y"), flows.Btn("btn_no", "reg:1:n")).
			WithButtons(flows.Button{Label: flows.T("btn_map"), URL: "https://maps.example/x"}),
			wantText: "id:ask",
			wantMarkup: map[string]any{"inline_keyboard": []any{
				[]any{
					map[string]any{"text": "label:id:btn_yes", "callback_data": "reg:1:y"},
					map[string]any{"text": "label:id:btn_no", "callback_data": "reg:1:n"},
				},
				[]any{map[string]any{"text": "label:id:btn_map", "url": "https://maps.example/x"}},
			}}},
		{name: "ask contact", reply: flows.Reply{Text: flows.T("ask_phone"), AskContact: true}, wantText: "id:ask_phone",
			wantMarkup: map[string]any{"keyboard": []any{[]any{
				map[string]any{"text": "label:id:btn_share_phone", "request_contact": true}}},
				"resize_keyboard": true, "one_time_keyboard": true}},
		{name: "remove keyboard", reply: flows.Reply{Text: flows.T("thanks"), RemoveKeyboard: true}, wantText: "id:thanks",
			wantMarkup: map[string]any{"remove_keyboard": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, fake, _ := newBot(t, nil, Config{})
			tt.reply.Lang = "id"
			id, err := b.Send(context.Background(), 42, tt.reply)
			if err != nil || id == 0 {
				t.Fatalf("Send = %d, %v", id, err)
			}
			calls := fake.Calls("sendMessage")
			if len(calls) != 1 {
				t.Fatalf("%d sendMessage calls", len(calls))
			}
			p := calls[0].Params
			if p["chat_id"] != "42" || p["parse_mode"] != "HTML" || p["text"] != tt.wantText {
				t.Errorf("params = %v", p)
			}
			raw, has := p["reply_markup"]
			if strings.Contains(raw, "copy_text") {
				t.Errorf("keyboard carries copy_text: %s", raw)
			}
			switch {
			case tt.wantMarkup == nil && has:
				t.Errorf("unexpected reply_markup %s", raw)
			case tt.wantMarkup != nil && !reflect.DeepEqual(keyboardOf(t, raw), tt.wantMarkup):
				t.Errorf("reply_markup = %s\nwant %v", raw, tt.wantMarkup)
			}
		})
	}
}

func TestSendDocument(t *testing.T) {
	long := strings.Repeat("kolom ", 300) // over the 1,024 caption limit
	tests := []struct {
		name         string
		text         flows.Text
		wantCaption  string
		wantMessages []string
	}{
		{name: "caption", text: flows.T("export_ready", "n", 3), wantCaption: "en:export_ready n=3"},
		{name: "no text", text: flows.Text{}},
		{name: "long caption goes first as a message", text: flows.Raw(long), wantMessages: []string{long}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, fake, _ := newBot(t, nil, Config{})
			r := flows.Reply{Text: tt.text, Lang: "en", Document: &flows.Document{Name: "peserta.csv", Content: []byte("nik;nama\n1;A\n")}}
			if _, err := b.Send(context.Background(), 42, r); err != nil {
				t.Fatalf("Send: %v", err)
			}
			docs := fake.Calls("sendDocument")
			if len(docs) != 1 || len(docs[0].Files) != 1 {
				t.Fatalf("sendDocument calls %+v", docs)
			}
			f := docs[0].Files[0]
			if f.Field != "document" || f.Name != "peserta.csv" || string(f.Data) != "nik;nama\n1;A\n" {
				t.Errorf("file = %+v", f)
			}
			if docs[0].Params["caption"] != tt.wantCaption {
				t.Errorf("caption = %q, want %q", docs[0].Params["caption"], tt.wantCaption)
			}
			var msgs []string
			for _, c := range fake.Calls("sendMessage") {
				msgs = append(msgs, c.Params["text"])
			}
			if fmt.Sprint(msgs) != fmt.Sprint(tt.wantMessages) {
				t.Errorf("messages = %q, want %q", msgs, tt.wantMessages)
			}
		})
	}
}

func TestSendClassifiesErrors(t *testing.T) {
	tests := []struct {
		name        string
		code        int
		wantBlocked bool
		wantWait    time.Duration
	}{
		{name: "ok"},
		{name: "blocked", code: 403, wantBlocked: true},
		{name: "flood", code: 429, wantWait: 3 * time.Second},
		{name: "bad request", code: 400},
		{name: "server error", code: 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, fake, _ := newBot(t, nil, Config{})
			if tt.code != 0 {
				e := apiError(tt.code)
				if tt.code == 429 {
					e.RetryAfter = 3
				}
				fake.Fail("sendMessage", e)
			}
			id, err := b.Send(context.Background(), 42, flows.Say("x"))
			if (err == nil) != (tt.code == 0) || (err == nil && id == 0) {
				t.Fatalf("Send = %d, %v", id, err)
			}
			wait, isFlood := RetryAfter(err)
			if IsBlocked(err) != tt.wantBlocked || isFlood != (tt.wantWait > 0) || wait != tt.wantWait {
				t.Errorf("IsBlocked = %v, RetryAfter = %v %v; err %v", IsBlocked(err), wait, isFlood, err)
			}
			if wrapped := fmt.Errorf("outbox: %w", err); IsBlocked(wrapped) != tt.wantBlocked {
				t.Error("IsBlocked fails on a wrapped error")
			}
			if n := len(fake.Calls("sendMessage")); n != 1 {
				t.Errorf("Send made %d calls, want 1 (no retries)", n)
			}
		})
	}
}

func TestSendEmptyReply(t *testing.T) {
	b, fake, _ := newBot(t, nil, Config{})
	if _, err := b.Send(context.Background(), 42, flows.Reply{RemoveKeyboard: true}); !errors.Is(err, ErrEmptyReply) {
		t.Errorf("Send = %v, want ErrEmptyReply", err)
	}
	if n := len(fake.Calls("")); n != 0 {
		t.Errorf("%d calls for an empty reply", n)
	}
}

func TestSplitText(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		limit int
		want  []string
	}{
		{name: "short", in: "abc", limit: 10, want: []string{"abc"}},
		{name: "empty", in: "", limit: 10, want: []string{""}},
		{name: "exact", in: "abcdefghij", limit: 10, want: []string{"abcdefghij"}},
		{name: "lines", in: "aaa\nbbb\nccc", limit: 8, want: []string{"aaa\nbbb", "ccc"}},
		{name: "blank lines dropped at the cut", in: "aaa\n\n\nbbb", limit: 5, want: []string{"aaa", "bbb"}},
		{name: "words", in: "aaa bbb ccc", limit: 8, want: []string{"aaa bbb ", "ccc"}},
		{name: "no spaces", in: "abcdefghij", limit: 4, want: []string{"abcd", "efgh", "ij"}},
		{name: "tag not cut", in: "abcde<b>x</b>", limit: 7, want: []string{"abcde", "<b>x", "</b>"}},
		{name: "entity not cut", in: "abc&amp;def", limit: 6, want: []string{"abc", "&amp;d", "ef"}},
		{name: "surrogate pairs count twice", in: "🙂🙂🙂", limit: 4, want: []string{"🙂🙂", "🙂"}},
		{name: "limit below a rune", in: "🙂a", limit: 1, want: []string{"🙂", "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitText(tt.in, tt.limit)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("splitText(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
			}
		})
	}
}
