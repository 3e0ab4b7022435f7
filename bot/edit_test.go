package bot

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/bot/telegramtest"
	"github.com/diskum-tangerang/umkmbot/flows"
)

func TestSendEdits(t *testing.T) {
	inline := map[string]any{"inline_keyboard": []any{[]any{
		map[string]any{"text": "label:id:bc_btn_pause", "callback_data": "/siaranjeda 7"}}}}
	tests := []struct {
		name       string
		reply      flows.Reply
		fail       *telegramtest.APIError
		wantErr    bool
		wantMarkup map[string]any
	}{
		{name: "text and keyboard", reply: flows.Say("bc_progress").WithRow(flows.Btn("bc_btn_pause", "/siaranjeda 7")),
			wantMarkup: inline},
		{name: "no buttons removes the keyboard", reply: flows.Say("bc_report_done")},
		{name: "a reply keyboard cannot go on an edit", reply: flows.Reply{Text: flows.T("x"), AskContact: true}},
		{name: "not modified is success", reply: flows.Say("bc_progress"),
			fail: &telegramtest.APIError{Code: 400, Description: "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"}},
		{name: "message gone", reply: flows.Say("bc_progress"), wantErr: true,
			fail: &telegramtest.APIError{Code: 400, Description: "Bad Request: message to edit not found"}},
		{name: "flood", reply: flows.Say("bc_progress"), wantErr: true,
			fail: &telegramtest.APIError{Code: 429, RetryAfter: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, fake, _ := newBot(t, nil, Config{})
			if tt.fail != nil {
				fake.Fail("editMessageText", *tt.fail)
			}
			tt.reply.Lang, tt.reply.Edit = "id", 555
			id, err := b.Send(context.Background(), 42, tt.reply)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Send = %d, %v", id, err)
			}
			if !tt.wantErr && id != 555 {
				t.Fatalf("Send returned id %d, want the edited message's 555", id)
			}
			if n := fake.Count("sendMessage"); n != 0 {
				t.Fatalf("%d sendMessage calls for an edit", n)
			}
			calls := fake.Calls("editMessageText")
			if len(calls) != 1 {
				t.Fatalf("%d editMessageText calls", len(calls))
			}
			p := calls[0].Params
			if p["chat_id"] != "42" || p["message_id"] != "555" || p["parse_mode"] != "HTML" || p["text"] != "id:"+tt.reply.ID {
				t.Errorf("params %v", p)
			}
			raw, has := p["reply_markup"]
			switch {
			case tt.wantMarkup == nil && has:
				t.Errorf("unexpected reply_markup %s", raw)
			case tt.wantMarkup != nil && !reflect.DeepEqual(keyboardOf(t, raw), tt.wantMarkup):
				t.Errorf("reply_markup %s", raw)
			}
		})
	}
}

// TestHandlerRepliesEdit: a reply with Edit and no To edits a message of
// the update's chat; one with To edits in that chat.
func TestHandlerRepliesEdit(t *testing.T) {
	h := start(t, handlerFunc(func(_ context.Context, u flows.Update) []flows.Reply {
		return []flows.Reply{{Text: flows.Raw("figures"), Edit: 31}, {Text: flows.Raw("elsewhere"), Edit: 32, To: 900}}
	}), Config{})
	h.fake.PushCallback(7, "/siaranjeda 1", 31)
	calls := h.fake.WaitCalls("editMessageText", 2, 5*time.Second)
	if len(calls) != 2 {
		t.Fatalf("%d edits", len(calls))
	}
	got := map[string]string{}
	for _, c := range calls {
		got[c.Params["message_id"]] = c.Params["chat_id"] + ":" + c.Params["text"]
	}
	want := map[string]string{"31": "7:figures", "32": "900:elsewhere"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("edits %v, want %v", got, want)
	}
	if n := h.fake.Count("sendMessage"); n != 0 {
		t.Errorf("%d messages sent", n)
	}
}
