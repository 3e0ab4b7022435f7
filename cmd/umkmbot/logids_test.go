package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/bot/telegramtest"
)

func TestHideIDs(t *testing.T) {
	key := logKey(&config{Token: "123456:TEST-token-abcdefghijklmnopqrstuvwxyz"})
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: hideIDs(key)}))
	log.With("chat_id", int64(987654321)).Info("a", "user_id", 987654321, "chat", "987654321", "update_id", 42)
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatal(err)
	}
	want := logHash(key, 987654321)
	if len(want) != 12 || rec["chat"] != want || rec["user"] != want || rec["update_id"] != float64(42) {
		t.Errorf("logged %s, want chat and user %s and the update id", buf.String(), want)
	}
	if strings.Contains(buf.String(), "987654321") || strings.Contains(buf.String(), "chat_id") {
		t.Errorf("the raw id is logged: %s", buf.String())
	}
	if other := logKey(&config{Token: "654321:OTHER-token-abcdefghijklmnopqrstuvw"}); logHash(other, 987654321) == want {
		t.Error("two bots hash a chat the same")
	}
	if salted := logKey(&config{Token: "123456:TEST-token-abcdefghijklmnopqrstuvwxyz", LogSalt: "a-secret-of-this-deployment"}); logHash(salted, 987654321) == want {
		t.Error("LOG_SALT does not change the hash")
	}
}

// TestServeLogHoldsNoPersonalData runs a registration, with a lost
// reply, through serve at debug level: the log holds neither the NIK nor
// the phone number typed, nor the raw chat id, and its chat lines carry
// the chat's hash.
func TestServeLogHoldsNoPersonalData(t *testing.T) {
	fake := telegramtest.Start(t)
	fake.SetMaxWait(200 * time.Millisecond)
	env := serveEnv(t, fake)
	env["LOG_LEVEL"] = "debug"
	env["LOG_SALT"] = "salt-of-this-test-deployment"
	const user = 987654321
	p, logs := startServeSync(t, env)
	c := &conversation{t: t, fake: fake, user: user}
	c.registerUpToCapital()
	fake.FailSequence("sendMessage", telegramtest.APIError{Code: 400})
	c.fake.PushText(c.user, "50 juta", "id")
	fake.WaitCount("sendMessage", len(fake.Calls("sendMessage"))+1, 10*time.Second)
	c.say("50 juta", "omzet")
	for _, step := range [][2]string{
		{"20 juta per bulan", "NIB"}, {"belum punya", "halal"}, {"belum", "Ringkasan"},
	} {
		c.say(step[0], step[1])
	}
	data, msg := buttonData(t, fake, c.user, "Simpan")
	fake.PushCallback(c.user, data, msg)
	c.await("Simpan", "UMKM-3603-")
	p.stop(t)

	out := logs.String()
	for _, secret := range []string{"3603124507900003", "0812-3456-7890", "081234567890", "6281234567890",
		"81234567890", "987654321", "Siti Aminah", "Warung Bu Siti"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
	hash := logHash([]byte(env["LOG_SALT"]), user)
	if !strings.Contains(out, `"chat":"`+hash+`"`) || !strings.Contains(out, `"update_id":`) {
		t.Errorf("no line names the chat by its hash %s with an update id", hash)
	}
	if t.Failed() {
		t.Logf("log:\n%s", out)
	}
}
