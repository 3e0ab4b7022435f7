package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/diskum-tangerang/umkmbot/store/postgres/pgtest"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
)

// raceBuild holds the flags that make the bot binary share the test
// binary's build cache (-race under go test -race).
var raceBuild []string

// TestFaultsEndToEnd runs `umkmload faults` against the real bot, built
// here, with real Postgres and Redis: five owners without faults, then
// five owners while the bot is killed with SIGKILL twice, must all pass.
// It costs a link of umkmbot and some seconds, so it runs in CI, but not
// under -short.
func TestFaultsEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the bot (-short)")
	}
	ctx := context.Background()
	bin := needBot(t)
	cases := []struct {
		name  string
		kills string
	}{{"no faults", "0"}, {"two kills", "2"}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(ctx, []string{"faults", "--bot", bin, "--owners", "5", "--kills", tc.kills, "--timeout", "20s",
				"--database-url", pgtest.URL(), "--redis-url", redistest.URL(), "--seed", "42"}, &out, &out)
			t.Logf("%s", out.String())
			if err != nil {
				t.Fatalf("faults: %v", err)
			}
			if !strings.Contains(out.String(), "PASS") || !strings.Contains(out.String(), "completed                    5") {
				t.Error("the report does not say PASS with 5 completed")
			}
		})
	}
}

var (
	botOnce sync.Once
	botPath string
	botErr  error
)

// needBot checks that Postgres and Redis answer and returns the bot binary,
// built once per test binary (with -race under go test -race) and removed
// by TestMain.
func needBot(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.URL())
	if err != nil {
		pgtest.Unavailable(t, err)
	}
	conn.Close(ctx)
	if err := pingRedis(ctx, redistest.URL()); err != nil {
		redistest.Unavailable(t, err)
	}
	botOnce.Do(func() {
		dir, err := os.MkdirTemp("", "umkmload-test-")
		if err != nil {
			botErr = err
			return
		}
		botDir = dir
		botPath = filepath.Join(dir, "umkmbot")
		args := append(append([]string{"build"}, raceBuild...), "-o", botPath, "github.com/diskum-tangerang/umkmbot/cmd/umkmbot")
		if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
			botErr = fmt.Errorf("build umkmbot: %v\n%s", err, out)
		}
	})
	if botErr != nil {
		t.Fatal(botErr)
	}
	return botPath
}

// botDir holds the binary needBot built.
var botDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if botDir != "" {
		os.RemoveAll(botDir)
	}
	os.Exit(code)
}
