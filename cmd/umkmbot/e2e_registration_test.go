package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/bot/telegramtest"
	"github.com/diskum-tangerang/umkmbot/store/postgres"
	"github.com/diskum-tangerang/umkmbot/store/postgres/pgtest"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
)

// TestServeRegistrationEndToEnd registers a business through Telegram with
// real Postgres and Redis: the process is stopped half-way and restarted,
// the conversation goes on, two simultaneous taps on Simpan write one
// record, and the export command finds it.
func TestServeRegistrationEndToEnd(t *testing.T) {
	fake := telegramtest.Start(t)
	fake.SetMaxWait(200 * time.Millisecond)
	_, prefix := redistest.New(t)
	dbURL := pgtest.NewEmpty(t)
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN": "123456:TEST-token-abcdefghijklmnopqrstuvwxyz",
		"TELEGRAM_API_URL":   fake.URL, "DATABASE_URL": dbURL, "LISTEN_ADDR": "127.0.0.1:0",
		"REDIS_URL": redistest.URL(), "REDIS_PREFIX": prefix, "LOG_LEVEL": "warn",
	}
	const user = 4242
	sent := 0
	say := func(text string, want string) {
		t.Helper()
		fake.PushText(user, text, "id")
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			got := fake.Texts(user)
			for _, m := range got[sent:] {
				if strings.Contains(m, want) {
					sent = len(got)
					return
				}
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("after %q no message contains %q; got %q", text, want, fake.Texts(user)[sent:])
	}

	p := startServe(t, env)
	say("/daftar", "Pemberitahuan privasi")
	say("setuju", "nama lengkap")
	say("Siti Aminah", "NIK")
	say("3603124507900003", "Apakah ini sudah benar")
	say("ya", "nomor HP")
	p.stop(t)

	p = startServe(t, env)
	defer p.stop(t)
	say("+62 812 3456 7890", "nama usaha")
	for _, step := range [][2]string{
		{"Warung Bu Siti", "sektor"}, {"makanan", "jual"}, {"nasi uduk", "kecamatan"},
		{"Pasar Kemis", "desa"}, {"lewati", "alamat"}, {"Jl. Raya Pasar Kemis 5", "Tahun"},
		{"2015", "tenaga kerja"}, {"3", "modal"}, {"50 juta", "omzet"}, {"20 juta per bulan", "NIB"},
		{"belum punya", "halal"}, {"belum", "Ringkasan"},
	} {
		say(step[0], step[1])
	}
	data, msg := buttonData(t, fake, user, "Simpan")
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { fake.PushCallback(user, data, msg) })
	}
	wg.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && !strings.Contains(strings.Join(fake.Texts(user), "\n"), "UMKM-3603-") {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)

	db, err := postgres.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	regs, err := db.RegistrationsOf(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	if len(regs) != 1 || regs[0].Phone != "+6281234567890" || regs[0].Kecamatan != "360312" || regs[0].Turnover != 240_000_000 {
		t.Fatalf("registrations after two taps on Simpan: %+v", regs)
	}
	successes := 0
	for _, m := range fake.Texts(user) {
		if strings.Contains(m, regs[0].Number) {
			successes++
		}
	}
	if successes != 1 {
		t.Fatalf("the number was announced %d times", successes)
	}

	var out, errOut bytes.Buffer
	err = runIO(context.Background(), []string{"export", "registrations", "--kecamatan", "pasarkemis"},
		func(k string) string { return env[k] }, stdio{in: strings.NewReader(""), out: &out, errOut: &errOut})
	if err != nil {
		t.Fatalf("export: %v (%s)", err, errOut.String())
	}
	if !bytes.HasPrefix(out.Bytes(), []byte("\xef\xbb\xbf")) || !strings.Contains(out.String(), regs[0].Number) {
		t.Fatalf("export output:\n%s", out.String())
	}
	out.Reset()
	if err := runIO(context.Background(), []string{"export", "registrations", "--kecamatan", "Cikupa"},
		func(k string) string { return env[k] }, stdio{in: strings.NewReader(""), out: &out, errOut: &errOut}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), regs[0].Number) {
		t.Fatal("the kecamatan filter let another kecamatan through")
	}
}
