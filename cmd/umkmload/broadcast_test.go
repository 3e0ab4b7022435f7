package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/diskum-tangerang/umkmbot/store/postgres/pgtest"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
)

// TestBroadcastEndToEnd runs `umkmload broadcast` against the real bot:
// the staff member's /siaran to 150 seeded owners at BROADCAST_RATE=30,
// against a fake that answers 429 above 30/s and above 1/s per chat, must
// reach every owner once, from one bot process and from two sharing the
// stores. The rate and the duration are printed, never asserted: they
// depend on the machine.
func TestBroadcastEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the bot (-short)")
	}
	bin := needBot(t)
	for _, replicas := range []string{"1", "2"} {
		t.Run("replicas="+replicas, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), []string{"broadcast", "--bot", bin, "--owners", "150", "--rate", "30",
				"--replicas", replicas, "--database-url", pgtest.URL(), "--redis-url", redistest.URL(), "--seed", "42"}, &out, &out)
			t.Logf("%s", out.String())
			if err != nil {
				t.Fatalf("broadcast: %v", err)
			}
			if !strings.Contains(out.String(), "150 of 150 expected (missing 0, doubled 0,") {
				t.Error("the report does not say 150 of 150 reached, none missing or doubled")
			}
			if replicas == "2" && !strings.Contains(out.String(), "2 bot processes on the same stores, each with SEND_LIMIT 15") {
				t.Error("the report does not say two replicas ran, each with half the send limit")
			}
		})
	}
}

// TestLoadScripts runs `umkmload load` with each script, a handful of
// owners for a moment: every conversation started must complete, and the
// database must hold what they did.
func TestLoadScripts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the bot (-short)")
	}
	bin := needBot(t)
	for _, script := range []string{"training", "loan"} {
		t.Run(script, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), []string{"load", "--script", script, "--bot", bin, "--owners", "3",
				"--duration", "1s", "--timeout", "20s", "--database-url", pgtest.URL(),
				"--redis-url", redistest.URL(), "--seed", "42"}, &out, &out)
			t.Logf("%s", out.String())
			if err != nil {
				t.Fatalf("load --script %s: %v", script, err)
			}
			if !strings.Contains(out.String(), "(stuck 0, failed 0)") || !strings.Contains(out.String(), "PASS") {
				t.Error("the report does not say PASS with none stuck or failed")
			}
		})
	}
}
