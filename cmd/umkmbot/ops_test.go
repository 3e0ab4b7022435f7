package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/diskum-tangerang/umkmbot/bot/telegramtest"
	"github.com/diskum-tangerang/umkmbot/store/postgres/pgtest"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
)

// closedPort returns an address where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// opsApp is an app with the stores readiness asks about: Postgres
// migrated, and Redis at rdb.
func opsApp(t *testing.T, rdb goredis.UniversalClient, pprofOn bool) *app {
	t.Helper()
	return &app{cfg: &config{Pprof: pprofOn}, log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		db: pgtest.New(t), rdb: rdb, metrics: newMetrics()}
}

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

func TestReadyz(t *testing.T) {
	up, _ := redistest.New(t)
	down := goredis.NewClient(&goredis.Options{Addr: closedPort(t), MaxRetries: -1})
	t.Cleanup(func() { _ = down.Close() })
	now := func() time.Time { return time.Now() }
	for _, tt := range []struct {
		name     string
		rdb      goredis.UniversalClient
		lastAPI  func() time.Time
		wantCode int
		want     []string
		notWant  []string
	}{
		{"all up", up, now, 200, []string{"ready"}, []string{"redis", "postgres", "telegram"}},
		{"redis down", down, now, 503, []string{"redis: ", "connection refused"}, []string{"postgres", "telegram"}},
		{"telegram silent", up, func() time.Time { return time.Now().Add(-3 * time.Minute) }, 503,
			[]string{"telegram: last successful Bot API call 3m0s ago"}, []string{"redis", "postgres"}},
		{"telegram never", up, func() time.Time { return time.Time{} }, 503,
			[]string{"telegram: no Bot API call has succeeded yet"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := opsApp(t, tt.rdb, false)
			code, body := get(t, a.opsHandler(nil, a.metrics, a.readyChecks(tt.lastAPI)), "/readyz")
			if code != tt.wantCode {
				t.Errorf("code %d, want %d; body %q", code, tt.wantCode, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body %q lacks %q", body, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(body, w) {
					t.Errorf("body %q names %q, which is up", body, w)
				}
			}
		})
	}
}

func TestReadyzMigrationMissing(t *testing.T) {
	up, _ := redistest.New(t)
	a := opsApp(t, up, false)
	if _, err := a.db.Pool().Exec(t.Context(),
		`DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)`); err != nil {
		t.Fatal(err)
	}
	code, body := get(t, a.opsHandler(nil, a.metrics, a.readyChecks(time.Now)), "/readyz")
	if code != 503 || !strings.Contains(body, "postgres: schema: migration ") || !strings.Contains(body, "is not applied") {
		t.Errorf("readyz: %d %q", code, body)
	}
}

func TestPprofOnlyWhenOn(t *testing.T) {
	up, _ := redistest.New(t)
	dash := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { http.NotFound(w, nil) })
	for _, on := range []bool{false, true} {
		a := opsApp(t, up, on)
		h := a.opsHandler(dash, a.metrics, a.readyChecks(time.Now))
		code, body := get(t, h, "/debug/pprof/")
		if on && (code != 200 || !strings.Contains(body, "goroutine")) {
			t.Errorf("PPROF=on: /debug/pprof/ answers %d", code)
		}
		if !on && code != 404 {
			t.Errorf("PPROF unset: /debug/pprof/ answers %d", code)
		}
		if code, body := get(t, h, "/healthz"); code != 200 || body != "ok\n" {
			t.Errorf("healthz: %d %q", code, body)
		}
	}
}

func TestConfigPprof(t *testing.T) {
	for _, tt := range []struct {
		v    string
		want bool
		err  bool
	}{{"", false, false}, {"on", true, false}, {"off", false, false}, {"maybe", false, true}} {
		cfg, err := parseConfig("chat", nil, func(k string) string {
			if k == "PPROF" {
				return tt.v
			}
			return ""
		}, io.Discard)
		if (err != nil) != tt.err || (err == nil && cfg.Pprof != tt.want) {
			t.Errorf("PPROF=%q: %v, %v", tt.v, cfg, err)
		}
	}
}

// startServeSync is startServe with the process's log in the returned
// buffer, which may be read while serve runs.
func startServeSync(t *testing.T, env map[string]string) (*process, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{buf: &bytes.Buffer{}}
	ctx, cancel := context.WithCancel(context.Background())
	p := &process{cancel: cancel, done: make(chan error, 1)}
	sio := stdio{in: strings.NewReader(""), out: &bytes.Buffer{}, errOut: logs}
	go func() { p.done <- runIO(ctx, []string{"serve"}, func(k string) string { return env[k] }, sio) }()
	return p, logs
}

// listenAddr waits for serve's "listening" log line and returns its address.
func listenAddr(t *testing.T, logs *syncBuffer) string {
	t.Helper()
	addr := ""
	logs.Await(20*time.Second, func(s string) bool {
		for _, line := range strings.Split(s, "\n") {
			var rec struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "listening" {
				addr = rec.Addr
				return true
			}
		}
		return false
	})
	if addr == "" {
		t.Fatalf("serve never logged listening:\n%s", logs.String())
	}
	return addr
}

// httpGet fetches url and returns its status and body.
func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestServeMetrics: after a short conversation through serve, and one
// update that does not decode, /readyz says ready and /metrics shows the
// umkmbot series.
func TestServeMetrics(t *testing.T) {
	fake := telegramtest.Start(t)
	fake.SetMaxWait(200 * time.Millisecond)
	env := serveEnv(t, fake)
	p, logs := startServeSync(t, env)
	defer p.stop(t)
	base := "http://" + listenAddr(t, logs)
	c := &conversation{t: t, fake: fake, user: 5151}
	c.say("/start", "Silakan pilih menu")
	c.say("/daftar", "Pemberitahuan privasi")
	data, msg := buttonData(t, fake, c.user, "Setuju")
	fake.PushCallback(c.user, data, msg)
	c.await("Setuju", "nama lengkap")
	fake.PushRaw(`{"message":{"message_id":7,"date":1767225600,"chat":{"id":5252,"type":"private"},
		"from":{"id":5252,"is_bot":false,"first_name":"Budi"},"text":"halo",
		"forward_origin":{"type":"story_reply","date":1767225600}}}`)
	waitTexts(t, fake, 5252, 1)

	if code, body := httpGet(t, base+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("healthz: %d %q", code, body)
	}
	if code, body := httpGet(t, base+"/readyz"); code != 200 {
		t.Errorf("readyz: %d %q", code, body)
	}
	if code, _ := httpGet(t, base+"/debug/pprof/"); code == 200 {
		t.Errorf("pprof served without PPROF=on")
	}
	// The counters move right after the replies; the fake's long poll
	// answers again soon after, and the metrics are read again then.
	var body string
	fake.Await(10*time.Second, func() bool {
		_, body = httpGet(t, base+"/metrics")
		return strings.Contains(body, `umkmbot_updates_total{outcome="handled",type="callback_query"} 1`)
	})
	for _, want := range []string{
		// The undecodable one too: its sender is told it could not be read.
		`umkmbot_updates_total{outcome="handled",type="message"} 3`,
		`umkmbot_updates_total{outcome="handled",type="callback_query"} 1`,
		`umkmbot_updates_total{outcome="undecodable",type="message"} 1`,
		`umkmbot_updates_total{outcome="flood_dropped",type="message"} 0`,
		`umkmbot_handling_seconds_count{flow="menu"} 1`,
		`umkmbot_handling_seconds_count{flow="reg"} 2`,
		`umkmbot_telegram_api_calls_total{method="getUpdates",result="ok"}`,
		`umkmbot_telegram_api_calls_total{method="sendMessage",result="ok"}`,
		`umkmbot_telegram_api_calls_total{method="answerCallbackQuery",result="ok"} 1`,
		`umkmbot_replies_lost_total 0`,
		"umkmbot_outbox_backlog 0",
		"umkmbot_dead_letters 1",
		"umkmbot_partitions_owned 16", // the only replica handles every chat
		"umkmbot_polling 1",
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, `"5151"`) || strings.Contains(body, `"5252"`) {
		t.Errorf("/metrics names the chat id:\n%s", body)
	}
	if t.Failed() {
		t.Logf("/metrics:\n%s", body)
	}
}
