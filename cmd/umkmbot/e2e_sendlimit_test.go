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
	// 20 replies at 6 a second take about 3.5 s; the deadline is only
	// there so that a broken bot fails instead of hanging.
	deadline := time.Now().Add(60 * time.Second)
	for i := range owners {
		for len(fake.Texts(int64(500+i))) < 2 {
			if time.Now().After(deadline) {
				t.Fatalf("owner %d got %q, want greeting and menu", 500+i, fake.Texts(int64(500+i)))
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if global, _ := fake.LimitViolations(); global != 0 {
		t.Errorf("the fake refused %d sends over %d a second, want 0", global, limit)
	}
}
