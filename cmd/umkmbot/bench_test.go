package main

import (
	"context"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/bot/telegramtest"
	"github.com/diskum-tangerang/umkmbot/store/postgres/pgtest"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
)

// BenchmarkUpdateEndToEnd measures one update through the whole wiring:
// the fake Bot API's getUpdates, the adapter, the engine with sessions in
// real Redis, and the reply's sendMessage. The step (a tap on Bantuan in
// the menu) reads and writes no record, so Postgres is not queried.
func BenchmarkUpdateEndToEnd(b *testing.B) {
	fake := telegramtest.Start(b)
	fake.SetMaxWait(100 * time.Millisecond)
	_, prefix := redistest.New(b)
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN": "123456:BENCH-token-abcdefghijklmnopqrstuvwxyz",
		"TELEGRAM_API_URL":   fake.URL, "DATABASE_URL": pgtest.NewEmpty(b), "LISTEN_ADDR": "127.0.0.1:0",
		"REDIS_URL": redistest.URL(), "REDIS_PREFIX": prefix, "LOG_LEVEL": "error",
		"FLOOD_BURST": "10000", "FLOOD_RATE": "1000", // one user tapping as fast as the bot answers
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }) }()
	defer func() {
		cancel()
		<-done
	}()
	const user = 500
	fake.PushText(user, "/start", "id")
	if fake.WaitCount("sendMessage", 2, 10*time.Second) < 2 {
		b.Fatal("no menu")
	}
	data, msg := buttonData(b, fake, user, "Bantuan")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fake.PushCallback(user, data, msg)
		if fake.WaitCount("sendMessage", 2+2*(i+1), 10*time.Second) < 2+2*(i+1) {
			b.Fatalf("update %d got no answer", i)
		}
	}
}
