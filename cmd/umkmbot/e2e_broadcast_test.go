package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/bot/telegramtest"
	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/postgres"
	"github.com/diskum-tangerang/umkmbot/store/postgres/pgtest"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
)

// TestServeBroadcastEndToEnd: a staff member broadcasts through Telegram,
// the serve process's outbox sender delivers to every registered owner
// once, and the staff's progress message is sent and then edited into the
// final report.
func TestServeBroadcastEndToEnd(t *testing.T) {
	fake := telegramtest.Start(t)
	fake.SetMaxWait(200 * time.Millisecond)
	_, prefix := redistest.New(t)
	dbURL := pgtest.NewEmpty(t)
	const staff = 9100
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN": "123456:TEST-token-abcdefghijklmnopqrstuvwxyz",
		"TELEGRAM_API_URL":   fake.URL, "DATABASE_URL": dbURL, "LISTEN_ADDR": "127.0.0.1:0",
		"REDIS_URL": redistest.URL(), "REDIS_PREFIX": prefix, "LOG_LEVEL": "warn",
		"STAFF_IDS": fmt.Sprint(staff), "QUIET_HOURS": "off", "BROADCAST_RATE": "1",
	}
	ctx := context.Background()
	db, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	owners := []int64{3001, 3002, 3003, 3004}
	for i, u := range owners {
		nik := fmt.Sprintf("36031245079000%02d", i+1)
		if _, _, err := db.CreateRegistration(ctx, fmt.Sprint("e2e-", u), store.Registration{UserID: u,
			OwnerName: "Pemilik Uji", NIK: nik, Phone: "+6281200000000", BusinessName: fmt.Sprint("Usaha ", u),
			Sector: "kuliner", Kecamatan: "360312", Class: "mikro", ClassBasis: "modal"}); err != nil {
			t.Fatal(err)
		}
	}
	fake.FailChat(3004, 403)
	p := startServe(t, env)
	defer p.stop(t)

	for _, line := range []string{"/siaran", "Ada <b>pelatihan</b> gratis & terbuka untuk umum.", "tanpa tombol", "semua", "kirim"} {
		fake.PushText(staff, line, "id")
		time.Sleep(150 * time.Millisecond)
	}
	// The staff's view: messages sent, and the edits of the progress one.
	staffView := func() string {
		texts := fake.Texts(staff)
		for _, c := range fake.Calls("editMessageText") {
			texts = append(texts, c.Params["text"])
		}
		return strings.Join(texts, "\n")
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) && !strings.Contains(staffView(), "Siaran #1 selesai") {
		time.Sleep(50 * time.Millisecond)
	}
	for _, u := range owners[:3] {
		got := fake.Texts(u)
		if len(got) != 1 || !strings.Contains(got[0], "pelatihan") || !strings.Contains(got[0], "&amp; terbuka") {
			t.Fatalf("owner %d got %q", u, got)
		}
	}
	staffTexts := staffView()
	if !strings.Contains(staffTexts, "Terkirim 3/4") || !strings.Contains(staffTexts, "diblokir 1") {
		t.Fatalf("no final report to staff:\n%s", staffTexts)
	}
	if fake.Count("editMessageText") == 0 {
		t.Fatal("the progress message was never edited in place")
	}
	n, err := db.AudienceSize(ctx, store.Audience{})
	if err != nil || n != 3 {
		t.Fatalf("audience after a 403: %d %v, want the blocked owner left out", n, err)
	}
}
