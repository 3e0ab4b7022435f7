package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

type envelope struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// post sends an urlencoded call and decodes the answer.
func post(t *testing.T, s *Server, method string, form url.Values) envelope {
	t.Helper()
	return do(t, s, method, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

func do(t *testing.T, s *Server, method, contentType string, body io.Reader) envelope {
	t.Helper()
	resp, err := http.Post(s.URL+"/bot1:T/"+method, contentType, body)
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	defer resp.Body.Close()
	var e envelope
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		t.Fatalf("%s: decode: %v", method, err)
	}
	if !e.OK && resp.StatusCode != e.ErrorCode {
		t.Errorf("%s: HTTP status %d, error_code %d", method, resp.StatusCode, e.ErrorCode)
	}
	return e
}

func updateIDs(t *testing.T, e envelope) []int64 {
	t.Helper()
	if !e.OK {
		t.Fatalf("getUpdates failed: %d %s", e.ErrorCode, e.Description)
	}
	var us []models.Update
	if err := json.Unmarshal(e.Result, &us); err != nil {
		t.Fatalf("decode updates %s: %v", e.Result, err)
	}
	ids := []int64{}
	for _, u := range us {
		ids = append(ids, u.ID)
	}
	return ids
}

func TestGetUpdatesOffsets(t *testing.T) {
	s := Start(t)
	s.SetMaxWait(20 * time.Millisecond)
	a, b, c := s.PushText(7, "a", "id"), s.PushText(7, "b", ""), s.PushText(8, "c", "en")
	steps := []struct {
		offset int64
		limit  int
		want   []int64
	}{
		{offset: 0, want: []int64{a, b, c}},
		{offset: 1, limit: 2, want: []int64{a, b}},
		{offset: b, want: []int64{b, c}}, // confirms a
		{offset: 0, want: []int64{b, c}}, // a is gone for good
		{offset: c + 1, want: []int64{}},
		{offset: 0, want: []int64{}},
	}
	for i, st := range steps {
		form := url.Values{"offset": {strconv.FormatInt(st.offset, 10)}, "timeout": {"5"}}
		if st.limit > 0 {
			form.Set("limit", strconv.Itoa(st.limit))
		}
		if got := updateIDs(t, post(t, s, "getUpdates", form)); !slices.Equal(got, st.want) {
			t.Errorf("step %d offset %d: got %v, want %v", i, st.offset, got, st.want)
		}
	}
}

func TestGetUpdatesLongPoll(t *testing.T) {
	s := Start(t)
	s.SetMaxWait(150 * time.Millisecond)

	start := time.Now()
	e := post(t, s, "getUpdates", url.Values{"timeout": {"30"}})
	if took := time.Since(start); took < 140*time.Millisecond {
		t.Errorf("empty poll returned after %v, want it to wait about 150ms", took)
	}
	if string(bytes.TrimSpace(e.Result)) != "[]" {
		t.Errorf("empty result = %s, want []", e.Result)
	}

	start = time.Now()
	e = post(t, s, "getUpdates", url.Values{"timeout": {"0"}})
	if took := time.Since(start); took > 50*time.Millisecond || string(e.Result) != "[]" {
		t.Errorf("timeout=0 took %v and gave %s, want an immediate []", took, e.Result)
	}

	s.SetMaxWait(5 * time.Second)
	time.AfterFunc(50*time.Millisecond, func() { s.PushSticker(9) })
	start = time.Now()
	ids := updateIDs(t, post(t, s, "getUpdates", url.Values{"timeout": {"30"}}))
	if took := time.Since(start); len(ids) != 1 || took > 2*time.Second {
		t.Errorf("poll woke after %v with %v, want one update soon after the push", took, ids)
	}
}

func multipartBody(t *testing.T, fields map[string]string, fileField, fileName string, data []byte) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	if fileField != "" {
		fw, err := w.CreateFormFile(fileField, fileName)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(data)
	}
	_ = w.Close()
	return w.FormDataContentType(), &buf
}

func TestRequestBodies(t *testing.T) {
	s := Start(t)
	ctMultipart, bodyMultipart := multipartBody(t, map[string]string{"chat_id": "42", "caption": "<b>Ekspor</b>", "parse_mode": "HTML"},
		"document", "peserta.csv", []byte("nik,nama\n"))
	tests := []struct {
		name        string
		method      string
		contentType string
		body        io.Reader
		want        map[string]string
		wantFile    string
	}{
		{name: "urlencoded", method: "sendMessage", contentType: "application/x-www-form-urlencoded",
			body: strings.NewReader("chat_id=42&text=Halo+%3Cb%3Ex%3C%2Fb%3E&parse_mode=HTML"),
			want: map[string]string{"chat_id": "42", "text": "Halo <b>x</b>", "parse_mode": "HTML"}},
		{name: "json", method: "sendMessage", contentType: "application/json; charset=utf-8",
			body: strings.NewReader(`{"chat_id":42,"text":"Halo","reply_markup":{"inline_keyboard":[[{"text":"Ya","callback_data":"y"}]]},"disable_notification":true}`),
			want: map[string]string{"chat_id": "42", "text": "Halo", "disable_notification": "true",
				"reply_markup": `{"inline_keyboard":[[{"text":"Ya","callback_data":"y"}]]}`}},
		{name: "multipart with file", method: "sendDocument", contentType: ctMultipart, body: bodyMultipart,
			want: map[string]string{"chat_id": "42", "caption": "<b>Ekspor</b>", "parse_mode": "HTML"}, wantFile: "peserta.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.Reset()
			if e := do(t, s, tt.method, tt.contentType, tt.body); !e.OK {
				t.Fatalf("call failed: %d %s", e.ErrorCode, e.Description)
			}
			calls := s.Calls(tt.method)
			if len(calls) != 1 {
				t.Fatalf("recorded %d calls, want 1", len(calls))
			}
			for k, v := range tt.want {
				if got := calls[0].Params[k]; got != v {
					t.Errorf("param %s = %q, want %q", k, got, v)
				}
			}
			if tt.wantFile != "" {
				if len(calls[0].Files) != 1 || calls[0].Files[0].Name != tt.wantFile || string(calls[0].Files[0].Data) != "nik,nama\n" {
					t.Errorf("files = %+v, want %s with its bytes", calls[0].Files, tt.wantFile)
				}
				if sent := s.Sent(42); len(sent) != 1 || sent[0].Document == nil || sent[0].Text != "<b>Ekspor</b>" {
					t.Errorf("sent = %+v, want the document with its caption", sent)
				}
			}
		})
	}
}

func TestErrorInjection(t *testing.T) {
	s := Start(t)
	msg := url.Values{"chat_id": {"7"}, "text": {"hi"}}
	s.Fail("sendMessage", APIError{Code: 429, RetryAfter: 3, Times: 2})
	for i := range 2 {
		if e := post(t, s, "sendMessage", msg); e.ErrorCode != 429 || e.Parameters.RetryAfter != 3 ||
			e.Description != "Too Many Requests: retry after 3" {
			t.Errorf("call %d: got %+v, want 429 retry after 3", i, e)
		}
	}
	if e := post(t, s, "sendMessage", msg); !e.OK {
		t.Errorf("third call failed: %+v", e)
	}

	s.Fail("answerCallbackQuery", APIError{Code: 500, Description: "Internal Server Error"})
	for range 3 {
		if e := post(t, s, "answerCallbackQuery", url.Values{"callback_query_id": {"x"}}); e.ErrorCode != 500 {
			t.Errorf("forever failure answered %+v", e)
		}
	}
	s.Fail("answerCallbackQuery", APIError{})
	if e := post(t, s, "answerCallbackQuery", url.Values{"callback_query_id": {"x"}}); e.ErrorCode != 400 {
		t.Errorf("after clearing, unknown query answered %+v, want 400", e)
	}

	s.FailChat(8, 403)
	if e := post(t, s, "sendMessage", url.Values{"chat_id": {"8"}, "text": {"hi"}}); e.ErrorCode != 403 ||
		e.Description != "Forbidden: bot was blocked by the user" {
		t.Errorf("blocked chat answered %+v", e)
	}
	if e := post(t, s, "sendMessage", msg); !e.OK {
		t.Errorf("other chat failed: %+v", e)
	}
	if got := s.Texts(8); len(got) != 0 {
		t.Errorf("blocked chat received %v", got)
	}
	if got := len(s.Calls("sendMessage")); got != 5 {
		t.Errorf("recorded %d sendMessage calls, want 5 (failed ones too)", got)
	}
}

func TestRateLimits(t *testing.T) {
	s := Start(t)
	s.SetLimits(Limits{Global: 3, PerChat: 2})
	send := func(chat int) envelope {
		return post(t, s, "sendMessage", url.Values{"chat_id": {strconv.Itoa(chat)}, "text": {"x"}})
	}
	steps := []struct {
		chat   int
		wantOK bool
	}{{1, true}, {1, true}, {1, false}, {2, true}, {3, false}, {2, false}}
	for i, st := range steps {
		e := send(st.chat)
		if e.OK != st.wantOK {
			t.Errorf("step %d chat %d: ok=%v (%s), want %v", i, st.chat, e.OK, e.Description, st.wantOK)
		}
		if !e.OK && (e.ErrorCode != 429 || e.Parameters.RetryAfter < 1) {
			t.Errorf("step %d: got %+v, want 429 with retry_after", i, e)
		}
	}
	if got := s.Violations(); got != 3 {
		t.Errorf("violations = %d, want 3", got)
	}
	if got := s.SentCounts(); got[1] != 2 || got[2] != 1 || got[3] != 0 {
		t.Errorf("sent counts = %v", got)
	}
	time.Sleep(1050 * time.Millisecond) // the window slides
	if e := send(1); !e.OK {
		t.Errorf("after a second: %+v", e)
	}
}

func TestCallbackAnsweredOnce(t *testing.T) {
	s := Start(t)
	s.PushCallback(7, "x", 3)
	answer := url.Values{"callback_query_id": {"cb1"}}
	if e := post(t, s, "answerCallbackQuery", answer); !e.OK {
		t.Fatalf("first answer: %+v", e)
	}
	if e := post(t, s, "answerCallbackQuery", answer); e.ErrorCode != 400 {
		t.Errorf("second answer: %+v, want 400", e)
	}
}

func TestPushDuplicateAndWebhook(t *testing.T) {
	s := Start(t)
	s.SetMaxWait(10 * time.Millisecond)
	id := s.PushText(7, "/start", "id")
	next := s.PushText(7, "halo", "")
	poll := func(offset int64) []int64 {
		return updateIDs(t, post(t, s, "getUpdates", url.Values{"offset": {strconv.FormatInt(offset, 10)}, "timeout": {"1"}}))
	}
	if got := poll(next + 1); len(got) != 0 {
		t.Fatalf("after confirming: %v", got)
	}
	if !s.PushDuplicate(id) || s.PushDuplicate(99) {
		t.Fatal("PushDuplicate: wrong known/unknown answer")
	}
	later := s.PushText(7, "lagi", "")
	if got, want := poll(next+1), []int64{id, later}; !slices.Equal(got, want) {
		t.Errorf("with duplicate: %v, want %v", got, want)
	}
	if got := poll(later + 1); len(got) != 0 {
		t.Errorf("duplicate delivered twice: %v", got)
	}

	post(t, s, "setWebhook", url.Values{"url": {"https://example.org/tg"}})
	if e := post(t, s, "getUpdates", nil); e.ErrorCode != 409 {
		t.Errorf("getUpdates with webhook: %+v, want 409", e)
	}
	s.PushText(7, "x", "")
	post(t, s, "deleteWebhook", url.Values{"drop_pending_updates": {"true"}})
	if got := poll(0); len(got) != 0 {
		t.Errorf("pending updates survived drop_pending_updates: %v", got)
	}
}

// TestWithGoTelegramClient checks the fake against the client it stands in
// for: empty multipart bodies, file uploads, error decoding, update decoding.
func TestWithGoTelegramClient(t *testing.T) {
	s := Start(t)
	ctx := context.Background()
	b, err := tg.New("1:T", tg.WithServerURL(s.URL))
	if err != nil {
		t.Fatalf("New (calls getMe): %v", err)
	}
	m, err := b.SendDocument(ctx, &tg.SendDocumentParams{ChatID: int64(42), Caption: "Ekspor",
		Document: &models.InputFileUpload{Filename: "a.csv", Data: strings.NewReader("1,2\n")}})
	if err != nil || m.Document == nil || m.Document.FileName != "a.csv" || m.Chat.ID != 42 {
		t.Fatalf("SendDocument = %+v, %v", m, err)
	}
	s.Fail("sendMessage", APIError{Code: 429, RetryAfter: 2, Times: 1})
	_, err = b.SendMessage(ctx, &tg.SendMessageParams{ChatID: int64(42), Text: "x"})
	var tmr *tg.TooManyRequestsError
	if !errors.As(err, &tmr) || tmr.RetryAfter != 2 {
		t.Errorf("429 decoded as %v", err)
	}
	s.FailChat(43, 403)
	if _, err = b.SendMessage(ctx, &tg.SendMessageParams{ChatID: int64(43), Text: "x"}); !errors.Is(err, tg.ErrorForbidden) {
		t.Errorf("403 decoded as %v", err)
	}

	s.PushText(7, "/start@test_bot", "en")
	s.PushCallback(7, "flow:step:yes", 5)
	var us []models.Update
	if err := json.Unmarshal(post(t, s, "getUpdates", nil).Result, &us); err != nil || len(us) != 2 {
		t.Fatalf("decode updates: %v, %d", err, len(us))
	}
	msg := us[0].Message
	if msg.Date == 0 || msg.From.LanguageCode != "en" || len(msg.Entities) != 1 || msg.Entities[0].Length != 15 {
		t.Errorf("text update = %+v", msg)
	}
	cq := us[1].CallbackQuery
	if cq.Message.Message == nil || cq.Message.Message.ID != 5 || cq.Message.Message.Chat.ID != 7 || cq.From.LanguageCode != "en" {
		t.Errorf("callback message decoded as inaccessible or wrong: %+v", cq.Message)
	}
}
