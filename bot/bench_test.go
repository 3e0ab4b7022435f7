package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	tgm "github.com/go-telegram/bot/models"

	"github.com/diskum-tangerang/umkmbot/flows"
)

// BenchmarkUpdateRoundTrip measures one update end to end on loopback: the
// fake's long poll wakes, the bot decodes, serializes and handles the
// update, and the reply's sendMessage reaches the fake.
func BenchmarkUpdateRoundTrip(b *testing.B) {
	reply := []flows.Reply{{Text: flows.Raw("ok")}}
	h := start(b, handlerFunc(func(context.Context, flows.Update) []flows.Reply { return reply }), Config{FloodBurst: 1 << 30})
	h.fake.SetMaxWait(time.Second)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		h.fake.PushText(7, "halo", "id")
		if got := h.fake.WaitCount("sendMessage", n, 5*time.Second); got < n {
			b.Fatalf("update %d: no reply", n)
		}
	}
}

// BenchmarkSendPath prices one sendMessage on the client side against a
// loopback server that answers at once (run with -cpu 1: client and server
// share the one P, so ns/op is their CPU): through the library, as the bot
// sends (a multipart form written by a goroutine into a pipe, buffered by
// bufferedClient, the whole Message decoded); as a plain JSON POST decoding
// only message_id (what leaving the library would save); and an empty POST
// (the floor of net/http on loopback).
func BenchmarkSendPath(b *testing.B) {
	const answer = `{"ok":true,"result":{"message_id":42,"date":1700000000,"chat":{"id":410001,"type":"private","first_name":"Siti"},` +
		`"from":{"id":1,"is_bot":true,"first_name":"bot"},"text":"Apakah ini sudah benar?",` +
		`"reply_markup":{"inline_keyboard":[[{"text":"Ya, benar","callback_data":"v1:yes"},{"text":"Ubah","callback_data":"v1:no"}]]}}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, answer)
	}))
	defer srv.Close()
	text := "Dari NIK 3603********0001 kami membaca:\n📅 Tanggal lahir: Selasa, 5 Agustus 1980\nJenis kelamin: Perempuan\n\nApakah ini sudah benar?"
	markup := &tgm.InlineKeyboardMarkup{InlineKeyboard: [][]tgm.InlineKeyboardButton{{
		{Text: "Ya, benar", CallbackData: "v1:yes"}, {Text: "Ubah", CallbackData: "v1:no"}}}}
	ctx := context.Background()

	b.Run("library", func(b *testing.B) {
		api, err := tg.New("123:abc", tg.WithServerURL(srv.URL), tg.WithSkipGetMe(),
			tg.WithHTTPClient(0, newHTTPClient(Config{HTTPTimeout: 10 * time.Second})))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			p := &tg.SendMessageParams{ChatID: int64(410001), Text: text, ParseMode: tgm.ParseModeHTML, ReplyMarkup: markup}
			if _, err := api.SendMessage(ctx, p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json", func(b *testing.B) {
		c := &http.Client{}
		var buf bytes.Buffer
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			err := json.NewEncoder(&buf).Encode(struct {
				ChatID      int64  `json:"chat_id"`
				Text        string `json:"text"`
				ParseMode   string `json:"parse_mode"`
				ReplyMarkup any    `json:"reply_markup"`
			}{410001, text, "HTML", markup})
			if err != nil {
				b.Fatal(err)
			}
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/bot123:abc/sendMessage", bytes.NewReader(buf.Bytes()))
			req.Header.Set("Content-Type", "application/json")
			resp, err := c.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			var r struct {
				OK     bool `json:"ok"`
				Result struct {
					ID int `json:"message_id"`
				} `json:"result"`
			}
			if err := json.Unmarshal(body, &r); err != nil || !r.OK || r.Result.ID != 42 {
				b.Fatalf("answer %s: %v", body, err)
			}
		}
	})
	b.Run("empty", func(b *testing.B) {
		c := &http.Client{}
		b.ReportAllocs()
		for b.Loop() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/x", strings.NewReader("{}"))
			resp, err := c.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
		}
	})
}
