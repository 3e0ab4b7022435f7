package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store/postgres"
	"github.com/diskum-tangerang/umkmbot/store/postgres/pgtest"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
)

// dashEnv is the wired app with its dashboard listening on a free port,
// on a fresh database holding the demo data of a scale, and a Redis
// prefix of its own.
type dashEnv struct {
	a      *app
	cfg    *config
	base   string
	pool   *pgxpool.Pool
	prefix string
}

// dashStaff is the staff member of the dashboard tests.
const dashStaff = 9001

func newDashEnv(t testing.TB, scale int) *dashEnv {
	t.Helper()
	dbURL := pgtest.NewEmpty(t)
	_, prefix := redistest.New(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	env := map[string]string{"DATABASE_URL": dbURL, "REDIS_URL": redistest.URL(), "REDIS_PREFIX": prefix,
		"STAFF_IDS": "9001", "PUBLIC_URL": base, "LISTEN_ADDR": ln.Addr().String()}
	// The chat's configuration: serve's, without a Telegram token.
	cfg, err := parseConfig("chat", nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := newApp(ctx, cfg, slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn})), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.close)
	db, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if scale > 0 {
		d, err := genDemo(scale, 7, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := db.LoadDataset(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.serveDashboard(sctx, ln) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("dashboard server: %v", err)
		}
	})
	return &dashEnv{a: a, cfg: cfg, base: base, pool: db.Pool(), prefix: prefix}
}

// send handles one text of user through the engine.
func (e *dashEnv) send(t testing.TB, user int64, text string) []flows.Reply {
	t.Helper()
	return e.a.engine.Handle(context.Background(), flows.NewText(user, user, text))
}

// link asks the bot for a login link as user.
func (e *dashEnv) link(t testing.TB, user int64) string {
	t.Helper()
	replies := e.send(t, user, "/dasbor")
	if len(replies) != 1 || replies[0].ID != "dash_link" {
		t.Fatalf("/dasbor answered %+v, want one dash_link", replies)
	}
	url, _ := replies[0].Data["URL"].(string)
	if !strings.HasPrefix(url, e.base+"/masuk?t=") || len(replies[0].Buttons) != 1 || replies[0].Buttons[0][0].URL != url {
		t.Fatalf("login link %q (buttons %+v), want one under %s/masuk", url, replies[0].Buttons, e.base)
	}
	return url
}

// count runs a counting query.
func (e *dashEnv) count(t *testing.T, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// dots writes n with a dot between groups of three digits, as the pages
// do: 100.000.
func dots(n int64) string {
	digits := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}

// testLog writes the app's log lines to the test's log.
type testLog struct{ t testing.TB }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// pgtestURL is a fresh, empty database.
func pgtestURL(t *testing.T) string { return pgtest.NewEmpty(t) }
