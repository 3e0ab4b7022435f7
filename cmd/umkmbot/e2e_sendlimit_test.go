package main

import (
	"strconv"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/bot/telegramtest"
)

// TestServeKeepsToSendLimit: serve holds its sends to SEND_LIMIT in any
// second. Ten owners say /start at once (two replies each) to a fake that
// answers 429 above 6 sends in a second, and serve runs with SEND_LIMIT=6:
// every reply arrives and the fake never had to refuse one. (SEND_LIMIT was
// once read and never handed to the bot, and nothing noticed.)
func TestServeKeepsToSendLimit(t *testing.T) {
	fake := telegramtest.Start(t)
	fake.SetMaxWait(200 * time.Millisecond)
	const limit, owners = 6, 10
	fake.SetLimits(telegramtest.Limits{Global: limit})
	env := serveEnv(t, fake)
	env["LOG_LEVEL"] = "warn"
	env["SEND_LIMIT"] = strconv.Itoa(limit)
	fake.SetToken(env["TELEGRAM_BOT_TOKEN"])
	p := startServe(t, env)
	defer p.stop(t)

	for i := range owners {
		fake.PushText(int64(500+i), "/start", "id")
	}
	// 20 replies at 6 a second; the fake checks again at each call it
	// answers, and the bound only keeps a broken bot from hanging the test.
	allAnswered := func() bool {
		for i := range owners {
			if len(fake.Texts(int64(500+i))) < 2 {
				return false
			}
		}
		return true
	}
	if !fake.Await(60*time.Second, allAnswered) {
		for i := range owners {
			if got := fake.Texts(int64(500 + i)); len(got) < 2 {
				t.Fatalf("owner %d got %q, want greeting and menu", 500+i, got)
			}
		}
	}
	if global, _ := fake.LimitViolations(); global != 0 {
		t.Errorf("the fake refused %d sends over %d a second, want 0", global, limit)
	}
}
