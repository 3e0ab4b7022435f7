package main

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/bot/telegramtest"
	"github.com/diskum-tangerang/umkmbot/store/postgres/pgtest"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
)

// process is one `umkmbot serve` run inside the test.
type process struct {
	cancel context.CancelFunc
	done   chan error
}

func startServe(t *testing.T, env map[string]string) *process {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p := &process{cancel: cancel, done: make(chan error, 1)}
	go func() { p.done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }) }()
	return p
}

func (p *process) stop(t *testing.T) {
	t.Helper()
	p.cancel()
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop within 15 s")
	}
}

type button struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

// buttonData finds the callback data of the button labelled label in the
// latest message to chat that has an inline keyboard.
func buttonData(t testing.TB, fake *telegramtest.Server, chat int64, label string) (string, int) {
	t.Helper()
	msgs := fake.Sent(chat)
	for i := len(msgs) - 1; i >= 0; i-- {
		var kb struct {
			InlineKeyboard [][]button `json:"inline_keyboard"`
		}
		if json.Unmarshal([]byte(msgs[i].ReplyMarkup), &kb) != nil || len(kb.InlineKeyboard) == 0 {
			continue
		}
		for _, row := range kb.InlineKeyboard {
			for _, b := range row {
				if b.Text == label {
					return b.CallbackData, msgs[i].ID
				}
			}
		}
		t.Fatalf("latest keyboard has no %q: %s", label, msgs[i].ReplyMarkup)
	}
	t.Fatalf("no keyboard sent to %d", chat)
	return "", 0
}

// waitTexts waits until chat received n messages in all and returns them.
func waitTexts(t *testing.T, fake *telegramtest.Server, chat int64, n int) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if got := fake.Texts(chat); len(got) >= n {
			return got
		}
		time.Sleep(10 * time.Millisecond)
	}
	got := fake.Texts(chat)
	t.Fatalf("chat %d got %d messages, want %d: %q", chat, len(got), n, got)
	return nil
}

func TestServeEndToEnd(t *testing.T) {
	fake := telegramtest.Start(t)
	fake.SetMaxWait(200 * time.Millisecond)
	_, prefix := redistest.New(t)
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN": "123456:TEST-token-abcdefghijklmnopqrstuvwxyz",
		"TELEGRAM_API_URL":   fake.URL,
		"DATABASE_URL":       pgtest.NewEmpty(t),
		"REDIS_URL":          redistest.URL(),
		"REDIS_PREFIX":       prefix,
		"LOG_LEVEL":          "warn",
		"LISTEN_ADDR":        "127.0.0.1:0",
	}
	fake.SetToken(env["TELEGRAM_BOT_TOKEN"])
	const user = 77
	p := startServe(t, env)

	fake.PushText(user, "/start", "id")
	got := waitTexts(t, fake, user, 2)
	if !strings.Contains(got[0], "Dinas Koperasi dan Usaha Mikro Kabupaten Tangerang") ||
		!strings.Contains(got[1], "Silakan pilih menu") {
		t.Fatalf("greeting and menu: %q", got)
	}
	if fake.Count("deleteWebhook") == 0 || fake.Count("setMyCommands") < 2 {
		t.Fatalf("deleteWebhook %d, setMyCommands %d", fake.Count("deleteWebhook"), fake.Count("setMyCommands"))
	}

	data, msg := buttonData(t, fake, user, "Bahasa")
	fake.PushCallback(user, data, msg)
	waitTexts(t, fake, user, 3)
	data, msg = buttonData(t, fake, user, "English")
	fake.PushCallback(user, data, msg)
	got = waitTexts(t, fake, user, 5)
	if !strings.Contains(got[3], "English") || !strings.Contains(got[4], "How can we help") {
		t.Fatalf("after choosing English: %q", got[3:])
	}

	// Stopped in the middle of the language choice, restarted: the old
	// message's buttons still work, so the conversation resumes there.
	fake.PushText(user, "/bahasa", "id")
	waitTexts(t, fake, user, 6)
	data, msg = buttonData(t, fake, user, "Bahasa Indonesia")
	p.stop(t)
	p = startServe(t, env)
	defer p.stop(t)

	// Two taps on the same button in one instant: one effect.
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { fake.PushCallback(user, data, msg) })
	}
	wg.Wait()
	got = waitTexts(t, fake, user, 8)
	time.Sleep(300 * time.Millisecond)
	got = fake.Texts(user)
	if len(got) != 8 || !strings.Contains(got[6], "Bahasa Indonesia") || !strings.Contains(got[7], "Silakan pilih menu") {
		t.Fatalf("after the double tap: %q", got[5:])
	}
	if n := fake.WaitCount("answerCallbackQuery", 4, 5*time.Second); n != 4 {
		t.Fatalf("%d callbacks answered, want 4 (one per tap)", n)
	}
	stale := 0
	for _, c := range fake.Calls("answerCallbackQuery") {
		if strings.Contains(c.Params["text"], "tidak berlaku") {
			stale++
		}
	}
	// The second tap came before the first one's reply was delivered: the
	// same answer given twice, which changes nothing and is not refused.
	if stale != 0 {
		t.Fatalf("%d taps answered as stale, want 0", stale)
	}
}
