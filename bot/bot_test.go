package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/bot/telegramtest"
	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store/memory"
)

func TestRunStartsWithWebhookDeletedAndCommandsSet(t *testing.T) {
	h := start(t, echo, Config{Commands: map[string][]Command{
		"id": {{Name: "start", Description: "Mulai"}, {Name: "batal", Description: "Batalkan"}},
		"en": {{Name: "start", Description: "Start"}},
	}})
	if err := h.stop(t); err != nil {
		t.Fatalf("Run = %v", err)
	}
	calls := h.fake.Calls("")
	var methods []string
	for _, c := range calls[:4] {
		methods = append(methods, c.Method)
	}
	if want := []string{"deleteWebhook", "setMyCommands", "setMyCommands", "getUpdates"}; !slices.Equal(methods, want) {
		t.Fatalf("first calls = %v, want %v", methods, want)
	}
	tests := []struct {
		lang, wantCode, wantCommands string
	}{
		{lang: "en", wantCode: "en", wantCommands: `[{"command":"start","description":"Start"}]`},
		{lang: "id", wantCode: "", wantCommands: `[{"command":"start","description":"Mulai"},{"command":"batal","description":"Batalkan"}]`},
	}
	for i, tt := range tests {
		p := calls[1+i].Params
		if p["language_code"] != tt.wantCode || p["commands"] != tt.wantCommands || p["scope"] != `{"type":"default"}` {
			t.Errorf("%s menu: params %v", tt.lang, p)
		}
	}
	poll := calls[3].Params
	if poll["allowed_updates"] != `["message","callback_query","my_chat_member"]` || poll["timeout"] != "29" {
		t.Errorf("getUpdates params = %v", poll)
	}
}

func TestRunFailsWhenWebhookCannotBeDeleted(t *testing.T) {
	b, fake, _ := newBot(t, echo, Config{})
	fake.Fail("deleteWebhook", apiError(401))
	if err := b.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "refuses the token") {
		t.Fatalf("Run = %v, want a refused token", err)
	}
}

func TestPerChatOrderKept(t *testing.T) {
	const chats, perChat = 3, 40
	var mu sync.Mutex
	seen := map[int64][]string{}
	active := map[int64]int{}
	h := start(t, handlerFunc(func(_ context.Context, u flows.Update) []flows.Reply {
		mu.Lock()
		active[u.ChatID]++
		if active[u.ChatID] > 1 {
			t.Errorf("chat %d: two updates handled at once", u.ChatID)
		}
		mu.Unlock()
		time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
		mu.Lock()
		seen[u.ChatID] = append(seen[u.ChatID], u.Text)
		active[u.ChatID]--
		mu.Unlock()
		return []flows.Reply{{Text: flows.Raw(u.Text)}}
	}), Config{Workers: 4, FloodBurst: 1000})
	want := map[int64][]string{}
	for i := range perChat {
		for c := range int64(chats) {
			text := strconv.Itoa(i)
			h.fake.PushText(100+c, text, "id")
			want[100+c] = append(want[100+c], text)
		}
	}
	h.waitSent(t, chats*perChat)
	_ = h.stop(t)
	for c, w := range want {
		if !slices.Equal(seen[c], w) {
			t.Errorf("chat %d handled in order %v", c, seen[c])
		}
		if got := h.fake.Texts(c); !slices.Equal(got, w) {
			t.Errorf("chat %d replies in order %v", c, got)
		}
	}
}

func TestDifferentChatsRunInParallel(t *testing.T) {
	const workers = 4
	a, b := int64(7), int64(8)
	var arrived sync.WaitGroup
	arrived.Add(2)
	h := start(t, handlerFunc(func(_ context.Context, u flows.Update) []flows.Reply {
		arrived.Done()
		both := make(chan struct{})
		go func() { arrived.Wait(); close(both) }()
		select {
		case <-both:
			return []flows.Reply{{Text: flows.Raw("parallel")}}
		case <-time.After(3 * time.Second):
			return []flows.Reply{{Text: flows.Raw("serial")}}
		}
	}), Config{Workers: workers})
	h.fake.PushText(a, "x", "id")
	h.fake.PushText(b, "x", "id")
	h.waitSent(t, 2)
	for _, c := range []int64{a, b} {
		if got := h.fake.Texts(c); !slices.Equal(got, []string{"parallel"}) {
			t.Errorf("chat %d: %v, want the two chats handled at the same time", c, got)
		}
	}
}

func TestPanicRecovered(t *testing.T) {
	h := start(t, handlerFunc(func(_ context.Context, u flows.Update) []flows.Reply {
		if u.Text == "boom" || u.Button == "boom" {
			panic("kaboom")
		}
		return []flows.Reply{{Text: flows.Raw("after " + u.Text)}}
	}), Config{})
	h.fake.PushText(7, "boom", "id")
	h.fake.PushCallback(7, "boom", 3)
	h.fake.PushText(7, "ok", "id")
	h.waitSent(t, 1)
	_ = h.stop(t)
	if got := h.fake.Texts(7); !slices.Equal(got, []string{"after ok"}) {
		t.Errorf("sent %v, want only the reply to the update after the panics", got)
	}
	if n := len(h.fake.Calls("answerCallbackQuery")); n != 1 {
		t.Errorf("callback answered %d times after a panic, want 1", n)
	}
	logs := h.logs.String()
	for _, want := range []string{"panic while handling update", "panic=string", "chat_id=7", "goroutine", "work.go"} {
		if strings.Count(logs, want) < 1 {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	if n := strings.Count(logs, "panic while handling update"); n != 2 {
		t.Errorf("logged %d panics, want 2", n)
	}
	if strings.Contains(logs, "kaboom") {
		t.Errorf("log quotes the panic value, which may hold a message:\n%s", logs)
	}
}

func TestCallbackAnsweredOnce(t *testing.T) {
	tests := []struct {
		name      string
		replies   []flows.Reply
		failSend  bool
		wantToast string
		wantSent  map[int64][]string
	}{
		{name: "no reply"},
		{name: "message", replies: []flows.Reply{flows.Say("ok")}, wantSent: map[int64][]string{7: {"id:ok"}}},
		{name: "toast", replies: []flows.Reply{{Text: flows.T("btn_stale"), Toast: true}}, wantToast: "label:id:btn_stale"},
		{name: "toast and message", replies: []flows.Reply{flows.Say("next"), {Text: flows.T("saved"), Toast: true}},
			wantToast: "label:id:saved", wantSent: map[int64][]string{7: {"id:next"}}},
		{name: "toast for another chat is a message", replies: []flows.Reply{{Text: flows.T("note"), Toast: true, To: 99}},
			wantSent: map[int64][]string{99: {"id:note"}}},
		{name: "send fails", replies: []flows.Reply{flows.Say("ok")}, failSend: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got flows.Update
			h := start(t, handlerFunc(func(_ context.Context, u flows.Update) []flows.Reply {
				if u.Kind == flows.KindText {
					return []flows.Reply{{Text: flows.Raw("welcome")}}
				}
				got = u
				return slices.Clone(tt.replies)
			}), Config{})
			h.fake.PushText(7, "hi", "id") // sets the user's language
			h.waitSent(t, 1)
			h.fake.Reset()
			if tt.failSend {
				h.fake.Fail("sendMessage", apiError(400))
			}
			forged := `reg:9:yes"<x>&` // stale or forged data reaches the engine untouched
			h.fake.PushCallback(7, forged, 42)
			h.fake.WaitCalls("answerCallbackQuery", 1, 5*time.Second)
			_ = h.stop(t)
			answers := h.fake.Calls("answerCallbackQuery")
			if len(answers) != 1 {
				t.Fatalf("answered %d times, want 1", len(answers))
			}
			if answers[0].Params["callback_query_id"] == "" || answers[0].Params["text"] != tt.wantToast {
				t.Errorf("answer params = %v, want toast %q", answers[0].Params, tt.wantToast)
			}
			if got.Kind != flows.KindButton || got.Button != forged || got.ChatID != 7 || got.UserID != 7 || got.LanguageCode != "id" {
				t.Errorf("handler got %+v", got)
			}
			for _, chat := range []int64{7, 99} {
				if s := h.fake.Texts(chat); !slices.Equal(s, tt.wantSent[chat]) {
					t.Errorf("chat %d got %v, want %v", chat, s, tt.wantSent[chat])
				}
			}
		})
	}
}

func TestUpdatesReachTheHandler(t *testing.T) {
	got := make(chan flows.Update, 10)
	h := start(t, handlerFunc(func(_ context.Context, u flows.Update) []flows.Reply {
		got <- u
		return nil
	}), Config{})
	tests := []struct {
		name string
		push func() int64
		want flows.Update
	}{
		{name: "command", push: func() int64 { return h.fake.PushText(7, " /Daftar@test_bot  ref 12 ", "en") },
			want: flows.Update{UserID: 7, ChatID: 7, FirstName: "User7", LanguageCode: "en", Kind: flows.KindText,
				Text: "/Daftar@test_bot  ref 12", HTML: "/Daftar@test_bot  ref 12", Command: "daftar", Args: "ref 12"}},
		{name: "own contact", push: func() int64 { return h.fake.PushContact(7, "+628123", 7) },
			want: flows.Update{UserID: 7, ChatID: 7, FirstName: "User7", LanguageCode: "en", Kind: flows.KindContact,
				Contact: &flows.Contact{Phone: "+628123", UserID: 7}}},
		{name: "someone else's contact", push: func() int64 { return h.fake.PushContact(7, "+628999", 55) },
			want: flows.Update{UserID: 7, ChatID: 7, FirstName: "User7", LanguageCode: "en", Kind: flows.KindContact,
				Contact: &flows.Contact{Phone: "+628999", UserID: 55}}},
		{name: "sticker", push: func() int64 { return h.fake.PushSticker(7) },
			want: flows.Update{UserID: 7, ChatID: 7, FirstName: "User7", LanguageCode: "en", Kind: flows.KindUnsupported}},
	}
	for _, tt := range tests {
		tt.want.ID = tt.push()
		select {
		case u := <-got:
			if u.Received.IsZero() {
				t.Errorf("%s: no time received", tt.name)
			}
			u.Received = time.Time{}
			if !reflect.DeepEqual(u, tt.want) {
				t.Errorf("%s: got %+v %+v\nwant %+v %+v", tt.name, u, u.Contact, tt.want, tt.want.Contact)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: never handled", tt.name)
		}
	}
}

func TestShutdownFinishesUpdateInProgress(t *testing.T) {
	started := make(chan struct{})
	var ctxErr error
	h := start(t, handlerFunc(func(ctx context.Context, u flows.Update) []flows.Reply {
		close(started)
		time.Sleep(300 * time.Millisecond)
		ctxErr = ctx.Err()
		return []flows.Reply{{Text: flows.Raw("done")}}
	}), Config{})
	h.fake.PushText(7, "slow", "id")
	<-started
	begin := time.Now()
	if err := h.stop(t); err != nil {
		t.Fatalf("Run = %v", err)
	}
	if took := time.Since(begin); took < 200*time.Millisecond {
		t.Errorf("Run returned after %v, before the handler finished", took)
	}
	if ctxErr != nil {
		t.Errorf("handler context was cancelled by shutdown: %v", ctxErr)
	}
	if got := h.fake.Texts(7); !slices.Equal(got, []string{"done"}) {
		t.Errorf("sent %v, want the reply of the update in progress", got)
	}
}

// TestShutdownLosesNoConfirmedUpdate checks the delivery promise of the
// package doc: every update confirmed to Telegram (update_id below the last
// offset polled) has been handled when Run returns, or is still recorded in
// the ingest for the next start.
func TestShutdownLosesNoConfirmedUpdate(t *testing.T) {
	var mu sync.Mutex
	handled := map[int64]bool{}
	started := make(chan struct{}, 10)
	gate := make(chan struct{})
	ingest := memory.NewIngest()
	b, fake, logs := newBot(t, handlerFunc(func(_ context.Context, u flows.Update) []flows.Reply {
		started <- struct{}{}
		<-gate // the first update is in progress when the bot is stopped
		mu.Lock()
		handled[u.ID] = true
		mu.Unlock()
		return nil
	}), Config{Workers: 1, Ingest: ingest})
	b.stopped = make(chan struct{})
	h := runBot(t, b, fake, logs)
	var ids []int64
	for i := range 6 {
		ids = append(ids, h.fake.PushText(7, strconv.Itoa(i), "id"))
	}
	<-started
	if !h.fake.AwaitConfirmed(ids[len(ids)-1], 10*time.Second) {
		t.Fatal("the bot never confirmed the batch")
	}
	h.cancel()
	<-b.stopped // no more work is handed out
	close(gate)
	_ = h.stop(t)
	var offset int64
	for _, c := range h.fake.Calls("getUpdates") {
		o, _ := strconv.ParseInt(c.Params["offset"], 10, 64)
		offset = max(offset, o)
	}
	pending, _ := ingest.Pending(t.Context())
	kept := map[int64]bool{}
	for _, in := range pending {
		kept[in.UpdateID] = true
	}
	if offset <= ids[len(ids)-1] {
		t.Fatalf("offset %d: the bot did not confirm the batch", offset)
	}
	for _, id := range ids {
		if !handled[id] && !kept[id] {
			t.Errorf("update %d confirmed (offset %d), neither handled nor kept", id, offset)
		}
		if handled[id] && kept[id] {
			t.Errorf("update %d handled and still kept", id)
		}
	}
	if len(kept) == 0 {
		t.Error("every update was handled: the test did not stop mid-batch")
	}
}

func TestRequestsCarryContentLength(t *testing.T) {
	h := start(t, echo, Config{})
	h.fake.PushText(7, "x", "id")
	h.waitSent(t, 1)
	_ = h.stop(t)
	for _, c := range h.fake.Calls("") {
		if c.ContentLength < 0 {
			t.Errorf("%s sent chunked", c.Method)
		}
	}
}

func TestReplyToAnotherChat(t *testing.T) {
	h := start(t, handlerFunc(func(_ context.Context, u flows.Update) []flows.Reply {
		return []flows.Reply{{Text: flows.Raw("to staff"), To: 555}, {Text: flows.Raw("to user")}}
	}), Config{})
	h.fake.PushText(7, "x", "id")
	h.waitSent(t, 2)
	if a, b := h.fake.Texts(555), h.fake.Texts(7); !slices.Equal(a, []string{"to staff"}) || !slices.Equal(b, []string{"to user"}) {
		t.Errorf("chat 555 got %v, chat 7 got %v", a, b)
	}
}

func TestLongReplySplit(t *testing.T) {
	var lines []string
	for i := range 300 {
		lines = append(lines, fmt.Sprintf("%03d <b>baris</b> yang cukup panjang untuk memenuhi pesan 🙂", i))
	}
	long := strings.Join(lines, "\n")
	h := start(t, handlerFunc(func(_ context.Context, u flows.Update) []flows.Reply {
		return []flows.Reply{flows.Reply{Text: flows.Raw(long)}.WithButtons(flows.Btn("btn_ok", "ok"))}
	}), Config{})
	h.fake.PushText(7, "x", "id")
	h.fake.WaitCalls("sendMessage", 5, 5*time.Second)
	_ = h.stop(t)
	calls := h.fake.Calls("sendMessage")
	if len(calls) < 5 {
		t.Fatalf("sent %d parts of a %d-unit text", len(calls), utf16Len(long))
	}
	var parts []string
	for i, c := range calls {
		if n := utf16Len(c.Params["text"]); n > maxMessageLen {
			t.Errorf("part %d has %d units", i, n)
		}
		if _, has := c.Params["reply_markup"]; has != (i == len(calls)-1) {
			t.Errorf("part %d: keyboard present = %v, want it on the last part only", i, has)
		}
		parts = append(parts, c.Params["text"])
	}
	if strings.Join(parts, "\n") != long {
		t.Error("the parts joined by line breaks differ from the text")
	}
}

func TestRepliesRetried(t *testing.T) {
	tests := []struct {
		name      string
		inject    func(f *telegramtest.Server)
		wantCalls int
	}{
		{name: "429 then sent", inject: func(f *telegramtest.Server) { f.Fail("sendMessage", apiError(429, 1)) }, wantCalls: 2},
		{name: "429 twice then sent", inject: func(f *telegramtest.Server) { f.Fail("sendMessage", apiError(429, 2)) }, wantCalls: 3},
		{name: "500, 429, then sent", inject: func(f *telegramtest.Server) {
			f.FailSequence("sendMessage", apiError(500), apiError(429))
		}, wantCalls: 3},
		{name: "502 twice then sent", inject: func(f *telegramtest.Server) { f.Fail("sendMessage", apiError(502, 2)) }, wantCalls: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, fake, logs := newBot(t, echo, Config{})
			var mu sync.Mutex
			var waits []time.Duration
			b.retryWait = func(d time.Duration) { mu.Lock(); waits = append(waits, d); mu.Unlock() }
			h := runBot(t, b, fake, logs)
			tt.inject(h.fake)
			h.fake.PushText(7, "x", "id")
			h.fake.Await(10*time.Second, func() bool { return len(h.fake.Sent(7)) > 0 })
			_ = h.stop(t)
			calls := h.fake.Calls("sendMessage")
			if len(calls) != tt.wantCalls || len(h.fake.Sent(7)) != 1 {
				t.Fatalf("%d calls and %d sent, want %d calls and the reply delivered once", len(calls), len(h.fake.Sent(7)), tt.wantCalls)
			}
			// Each failed call was followed by a wait: retry_after (1 s) for a
			// 429, a backoff for a 5xx.
			mu.Lock()
			defer mu.Unlock()
			if len(waits) != tt.wantCalls-1 {
				t.Fatalf("waited %d times before retrying, want %d", len(waits), tt.wantCalls-1)
			}
			for i, w := range waits {
				if w <= 0 {
					t.Errorf("retry %d without a wait", i+1)
				}
			}
			if tt.name == "429 twice then sent" && (waits[0] < time.Second || waits[1] < time.Second) {
				t.Errorf("waits %v, want retry_after (1 s) each", waits)
			}
		})
	}
}

func TestSendErrorsLoggedNotRetried(t *testing.T) {
	const secret = "NIK 3603011234567890"
	tests := []struct {
		name    string
		inject  func(f *telegramtest.Server)
		retried bool
	}{
		{name: "blocked", inject: func(f *telegramtest.Server) { f.FailChat(7, 403) }},
		{name: "chat not found", inject: func(f *telegramtest.Server) { f.FailChat(7, 400) }},
		{name: "server error until the deadline", inject: func(f *telegramtest.Server) { f.Fail("sendMessage", apiError(502)) }, retried: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t, handlerFunc(func(_ context.Context, u flows.Update) []flows.Reply {
				return []flows.Reply{{Text: flows.Raw(secret)}}
			}), Config{DeliverTimeout: 1500 * time.Millisecond})
			tt.inject(h.fake)
			id := h.fake.PushText(7, secret, "id")
			h.waitSent(t, 1)
			h.fake.Await(10*time.Second, func() bool { return h.bot.Stats().RepliesLost.Load() > 0 })
			_ = h.stop(t)
			n := len(h.fake.Calls("sendMessage"))
			if tt.retried && n < 2 || !tt.retried && n != 1 {
				t.Errorf("sendMessage called %d times (retried: %v)", n, tt.retried)
			}
			if lost := h.bot.Stats().RepliesLost.Load(); lost != 1 {
				t.Errorf("%d replies counted lost, want 1", lost)
			}
			logs := h.logs.String()
			if !strings.Contains(logs, fmt.Sprintf("update_id=%d chat_id=7", id)) {
				t.Errorf("log lacks update and chat id:\n%s", logs)
			}
			if strings.Contains(logs, "3603011234567890") {
				t.Errorf("log holds the message text:\n%s", logs)
			}
		})
	}
}

// keyboardOf decodes a reply_markup parameter.
func keyboardOf(t *testing.T, raw string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatalf("reply_markup %q: %v", raw, err)
	}
	return m
}
