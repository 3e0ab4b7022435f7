package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func runWith(t *testing.T, env map[string]string, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := runIO(context.Background(), args, func(k string) string { return env[k] },
		stdio{in: strings.NewReader(stdin), out: &out, errOut: &errOut})
	return out.String(), errOut.String(), err
}

func TestConfigErrorsNameTheVariable(t *testing.T) {
	const token = "123456:SECRET-abcdefghijklmnopqrstuvwxyz"
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no command", nil, nil, "no command"},
		{"unknown command", nil, []string{"fly"}, `unknown command "fly"`},
		{"serve without token", map[string]string{}, []string{"serve"}, "TELEGRAM_BOT_TOKEN is not set"},
		{"serve without database", map[string]string{"TELEGRAM_BOT_TOKEN": token}, []string{"serve"}, "DATABASE_URL is not set"},
		{"serve without redis", map[string]string{"TELEGRAM_BOT_TOKEN": token, "DATABASE_URL": "postgres://x@h/db"},
			[]string{"serve"}, "REDIS_URL is not set"},
		{"malformed token", map[string]string{"TELEGRAM_BOT_TOKEN": "SECRET-oops", "DATABASE_URL": "postgres://x@h/db",
			"REDIS_URL": "redis://h:6379"}, []string{"serve"}, "TELEGRAM_BOT_TOKEN is malformed"},
		{"bad staff ids", map[string]string{"STAFF_IDS": "12,abc"}, []string{"chat"}, `STAFF_IDS: "abc" is not a Telegram user id`},
		{"bad workers", map[string]string{"WORKERS": "0"}, []string{"chat"}, "WORKERS: must be a number"},
		{"bad api url", map[string]string{"TELEGRAM_API_URL": "ftp://x"}, []string{"chat"}, "TELEGRAM_API_URL: must be an http(s) URL"},
		{"bad redis url flag", nil, []string{"chat", "--redis-url", "localhost:6379"}, "must be a redis:// URL"},
		{"bad sentinel url", map[string]string{"REDIS_URL": "redis+sentinel://:hunter2pw@s1:26379"}, []string{"chat"}, "master name"},
		{"bad lang", nil, []string{"chat", "--lang", "fr"}, "--lang must be id or en"},
		{"short log salt", map[string]string{"LOG_SALT": "tooshort"}, []string{"chat"}, "LOG_SALT: must be at least 16 characters"},
		{"bad pprof", map[string]string{"PPROF": "maybe"}, []string{"chat"}, "PPROF: must be on or off"},
		{"migrate without database", nil, []string{"migrate"}, "DATABASE_URL is not set"},
		{"public url with a path", map[string]string{"PUBLIC_URL": "https://x.example/dasbor"}, []string{"chat"}, "PUBLIC_URL: must be the http(s) address of a host"},
		{"bad listen addr", map[string]string{"LISTEN_ADDR": "8080"}, []string{"chat"}, "LISTEN_ADDR: must be host:port"},
		{"webhook without a path", map[string]string{"WEBHOOK_URL": "https://bot.example.go.id"}, []string{"chat"}, "WEBHOOK_URL: must be an https address with a path"},
		{"webhook secret too short", map[string]string{"WEBHOOK_SECRET": "short"}, []string{"chat"}, "WEBHOOK_SECRET: must be 16 to 256"},
		{"webhook without a secret", map[string]string{"TELEGRAM_BOT_TOKEN": token, "DATABASE_URL": "postgres://x@h/db",
			"REDIS_URL": "redis://h:6379", "WEBHOOK_URL": "https://bot.example.go.id/telegram"}, []string{"serve"}, "WEBHOOK_SECRET is not set"},
		{"bad flood burst", map[string]string{"FLOOD_BURST": "0"}, []string{"chat"}, "FLOOD_BURST: must be a number"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, err := runWith(t, tc.env, "", tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want it to say %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "SECRET-") || strings.Contains(stderr, "SECRET-") || strings.Contains(err.Error(), "hunter2pw") {
				t.Fatalf("the token leaked: %v %s", err, stderr)
			}
			if first, _, _ := strings.Cut(err.Error(), "\n"); tc.name != "no command" && first != err.Error() {
				t.Fatalf("error is not one line: %q", err)
			}
		})
	}
}

func TestChatScript(t *testing.T) {
	out, _, err := runWith(t, nil, "/start\n/bahasa\n", "chat")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Selamat datang di layanan UMKM Dinas Koperasi dan Usaha Mikro Kabupaten Tangerang",
		"[1] Daftar Usaha", "[2] Pelatihan", "[3] Cek Pinjaman", "[4] Bantuan", "[5] Tanya Petugas", "[6] Bahasa",
		"Silakan pilih bahasa.", "[1] Bahasa Indonesia", "[2] English",
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("chat output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "<b>") || strings.Contains(out, "&amp;") {
		t.Fatalf("HTML leaked into the terminal:\n%s", out)
	}
}

func TestChatScriptTapsSwitchesUsersAndLanguage(t *testing.T) {
	script := "# owner picks English\n/start\n[6]\n[2]\n@1002 /start\n[9]\n@1001 menu\n!kontak 08123456789\n"
	out, _, err := runWith(t, nil, script, "chat", "--lang", "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"[1001] > /start", "Welcome", "[2] English", "Language set to English", "[1] Register Business",
		"[1002] > /start", "(tidak ada tombol [9]", "[1001] > menu", "How can we help",
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("chat output lacks %q:\n%s", want, out)
		}
	}
}
