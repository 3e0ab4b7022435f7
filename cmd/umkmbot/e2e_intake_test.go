package main

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/bot/telegramtest"
	"github.com/diskum-tangerang/umkmbot/store/postgres"
	"github.com/diskum-tangerang/umkmbot/store/postgres/pgtest"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
)

// TestMain lets a test start `umkmbot serve` as a child process of its own
// binary (serveChild), so that it can be killed with SIGKILL.
func TestMain(m *testing.M) {
	if os.Getenv("UMKMBOT_TEST_CHILD") == "serve" {
		err := run(context.Background(), []string{"serve"}, os.Getenv)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serveEnv is the environment of a serve run on the fake, a fresh database
// and a fresh Redis prefix.
func serveEnv(t *testing.T, fake *telegramtest.Server) map[string]string {
	t.Helper()
	_, prefix := redistest.New(t)
	return map[string]string{
		"TELEGRAM_BOT_TOKEN": "123456:TEST-token-abcdefghijklmnopqrstuvwxyz",
		"TELEGRAM_API_URL":   fake.URL, "DATABASE_URL": pgtest.NewEmpty(t),
		"REDIS_URL": redistest.URL(), "REDIS_PREFIX": prefix, "LOG_LEVEL": "info",
		"FLOOD_BURST": "1000", // these owners answer faster than people can
		"LISTEN_ADDR": "127.0.0.1:0",
	}
}

// conversation types as one owner and waits for the bot's answers.
type conversation struct {
	t    *testing.T
	fake *telegramtest.Server
	user int64
	seen int
}

// say sends text and waits for a message containing want.
func (c *conversation) say(text, want string) {
	c.t.Helper()
	c.fake.PushText(c.user, text, "id")
	c.await(text, want)
}

func (c *conversation) await(what, want string) {
	c.t.Helper()
	found := c.fake.Await(15*time.Second, func() bool {
		got := c.fake.Texts(c.user)
		for i := c.seen; i < len(got); i++ {
			if strings.Contains(got[i], want) {
				c.seen = i + 1
				return true
			}
		}
		return false
	})
	if !found {
		c.t.Fatalf("after %q no message contains %q; got %q", what, want, c.fake.Texts(c.user)[c.seen:])
	}
}

// count is how many messages to the owner contain want.
func (c *conversation) count(want string) int {
	n := 0
	for _, m := range c.fake.Texts(c.user) {
		if strings.Contains(m, want) {
			n++
		}
	}
	return n
}

// registerUpTo walks a registration to the capital question.
func (c *conversation) registerUpToCapital() {
	c.t.Helper()
	for _, step := range [][2]string{
		{"/daftar", "Pemberitahuan privasi"}, {"setuju", "nama lengkap"}, {"Siti Aminah", "NIK"},
		{"3603124507900003", "Apakah ini sudah benar"}, {"ya", "nomor HP"}, {"0812-3456-7890", "nama usaha"},
		{"Warung Bu Siti", "sektor"}, {"makanan", "jual"}, {"nasi uduk", "kecamatan"},
		{"Pasarkemis", "desa"}, {"lewati", "alamat"}, {"Jl. Raya Pasar Kemis 5", "Tahun"},
		{"2015", "tenaga kerja"}, {"3", "modal"},
	} {
		c.say(step[0], step[1])
	}
}

// TestServeLostReplyThenRepeatedAnswer: the question after "modal" never
// reaches the owner (Telegram refuses it); the owner, seeing nothing,
// types the same amount again. It is stored as the capital, not as the
// turnover, and the lost question is asked again. Then the confirmation
// of Simpan is lost: tapping Simpan again shows the registration number,
// and there is one registration.
func TestServeLostReplyThenRepeatedAnswer(t *testing.T) {
	fake := telegramtest.Start(t)
	fake.SetMaxWait(200 * time.Millisecond)
	env := serveEnv(t, fake)
	p := startServe(t, env)
	defer p.stop(t)
	c := &conversation{t: t, fake: fake, user: 4343}
	c.registerUpToCapital()

	fake.FailSequence("sendMessage", telegramtest.APIError{Code: 400})
	c.fake.PushText(c.user, "50 juta", "id")
	fake.WaitCount("sendMessage", len(fake.Calls("sendMessage"))+1, 10*time.Second)
	if got := fake.Texts(c.user)[c.seen:]; len(got) != 0 {
		t.Fatalf("the lost reply reached the owner: %q", got)
	}
	c.say("50 juta", "omzet")
	for _, step := range [][2]string{
		{"20 juta per bulan", "NIB"}, {"belum punya", "halal"}, {"belum", "Ringkasan"},
	} {
		c.say(step[0], step[1])
	}
	summary := fake.Texts(c.user)[c.seen-1]
	if !strings.Contains(summary, "Rp50.000.000") || !strings.Contains(summary, "Rp240.000.000") {
		t.Fatalf("summary does not show capital Rp50.000.000 and turnover Rp240.000.000:\n%s", summary)
	}

	data, msg := buttonData(t, fake, c.user, "Simpan")
	fake.FailSequence("sendMessage", telegramtest.APIError{Code: 400})
	before := len(fake.Calls("sendMessage"))
	fake.PushCallback(c.user, data, msg)
	fake.WaitCount("sendMessage", before+1, 10*time.Second)
	fake.PushCallback(c.user, data, msg)
	c.await("Simpan again", "UMKM-3603-")

	db, err := postgres.Open(context.Background(), env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	regs, err := db.RegistrationsOf(context.Background(), c.user)
	if err != nil {
		t.Fatal(err)
	}
	if len(regs) != 1 || regs[0].Capital != 50_000_000 || regs[0].Turnover != 240_000_000 {
		t.Fatalf("registrations: %+v", regs)
	}
	for _, a := range fake.Calls("answerCallbackQuery") {
		if strings.Contains(a.Params["text"], "tidak berlaku") {
			t.Errorf("the second Simpan was called stale: %q", a.Params["text"])
		}
	}
}

// TestServeSkipsUndecodableUpdate: one update in a batch that the
// library cannot decode (a forward origin type it does not know) is kept
// as a dead letter, its sender is told the message could not be read, and
// the ten other owners in the same batch are answered.
func TestServeSkipsUndecodableUpdate(t *testing.T) {
	fake := telegramtest.Start(t)
	fake.SetMaxWait(200 * time.Millisecond)
	env := serveEnv(t, fake)
	const poisoner = 5000
	fake.PushRaw(`{"message":{"message_id":7,"date":1767225600,"chat":{"id":5000,"type":"private"},
		"from":{"id":5000,"is_bot":false,"first_name":"Budi"},"text":"NIK saya 3603124507900003",
		"forward_origin":{"type":"story_reply","date":1767225600}}}`)
	for i := range int64(10) {
		fake.PushText(6000+i, "/start", "id")
	}
	var logs bytes.Buffer
	p := startServeLogged(t, env, &logs)
	for i := range int64(10) {
		waitTexts(t, fake, 6000+i, 1)
	}
	got := waitTexts(t, fake, poisoner, 1)
	if !strings.Contains(got[0], "belum bisa membaca") {
		t.Errorf("the sender of the undecodable update was told %q", got[0])
	}
	p.stop(t)
	if strings.Contains(logs.String(), "3603124507900003") {
		t.Errorf("the log holds the update's text:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "update does not decode") || !strings.Contains(logs.String(), `"type":"message"`) {
		t.Errorf("the skipped update is not logged with its id and type:\n%s", logs.String())
	}
	var out, errOut bytes.Buffer
	if err := runIO(context.Background(), []string{"deadletters"}, func(k string) string { return env[k] },
		stdio{in: strings.NewReader(""), out: &out, errOut: &errOut}); err != nil {
		t.Fatalf("deadletters: %v (%s)", err, errOut.String())
	}
	if !strings.Contains(out.String(), "message") || !strings.Contains(out.String(), "MessageOrigin") {
		t.Errorf("deadletters lists:\n%s", out.String())
	}
}

// TestServeKilledAfterRecordBeforeHandle kills `umkmbot serve` with
// SIGKILL after it recorded an update (and confirmed it to Telegram) but
// before it handled it: the next run handles it, once. Then it kills the
// process while a reply is owed (Telegram answers 500): the next run sends
// it, once, and the conversation goes on from where it was.
func TestServeKilledAfterRecordBeforeHandle(t *testing.T) {
	fake := telegramtest.Start(t)
	fake.SetMaxWait(200 * time.Millisecond)
	env := serveEnv(t, fake)
	rdb, _ := redistest.New(t)
	const user = 7070
	lock := env["REDIS_PREFIX"] + "lock:{" + strconv.Itoa(user) + "}"

	child := serveChild(t, env)
	fake.WaitCalls("getUpdates", 1, 10*time.Second)
	// Another holder of the chat's lock keeps the update from being handled.
	if err := rdb.Set(t.Context(), lock, "someone else", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	id := fake.PushText(user, "/start", "id")
	waitConfirmed(t, fake, id)
	child.kill(t)
	if n := len(fake.Texts(user)); n != 0 {
		t.Fatalf("answered before the kill: %d messages", n)
	}
	if err := rdb.Del(t.Context(), lock).Err(); err != nil {
		t.Fatal(err)
	}

	child = serveChild(t, env)
	c := &conversation{t: t, fake: fake, user: user}
	c.await("restart", "Silakan pilih menu")

	// A reply owed when the process dies goes out after the restart.
	fake.FailChat(user, 500)
	before := len(fake.Calls("sendMessage"))
	fake.PushText(user, "/daftar", "id")
	fake.WaitCount("sendMessage", before+2, 10*time.Second)
	child.kill(t)
	fake.FailChat(user, 0)
	child = serveChild(t, env)
	defer child.kill(t)
	c.await("second restart", "Pemberitahuan privasi")
	// The conversation goes on; whatever the restarts sent came before.
	c.say("setuju", "nama lengkap")
	if a, b, p := c.count("Selamat datang"), c.count("Silakan pilih menu"), c.count("Pemberitahuan privasi"); a != 1 || b != 1 || p != 1 {
		t.Fatalf("greeting %d, menu %d, privacy notice %d times, want each once: %q", a, b, p, fake.Texts(user))
	}
}

// startServeLogged is startServe with the process's log in logs.
func startServeLogged(t *testing.T, env map[string]string, logs *bytes.Buffer) *process {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p := &process{cancel: cancel, done: make(chan error, 1)}
	sio := stdio{in: strings.NewReader(""), out: &bytes.Buffer{}, errOut: &syncBuffer{buf: logs}}
	go func() { p.done <- runIO(ctx, []string{"serve"}, func(k string) string { return env[k] }, sio) }()
	return p
}

// child is `umkmbot serve` in a child process.
type child struct {
	cmd *exec.Cmd
	out *syncBuffer
}

func serveChild(t *testing.T, env map[string]string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "UMKMBOT_TEST_CHILD=serve")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	c := &child{cmd: cmd, out: &syncBuffer{buf: &bytes.Buffer{}}}
	cmd.Stdout, cmd.Stderr = c.out, c.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return c
}

func (c *child) kill(t *testing.T) {
	t.Helper()
	if c.cmd.ProcessState != nil {
		return
	}
	_ = c.cmd.Process.Signal(syscall.SIGKILL)
	_ = c.cmd.Wait()
	t.Logf("killed serve; its log:\n%s", c.out.String())
}

// waitConfirmed waits until the bot asked for updates past id: Telegram
// counts it as delivered.
func waitConfirmed(t *testing.T, fake *telegramtest.Server, id int64) {
	t.Helper()
	if !fake.AwaitConfirmed(id, 10*time.Second) {
		t.Fatalf("update %d never confirmed", id)
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once; a
// reader can wait for what it expects to be written.
type syncBuffer struct {
	mu   sync.Mutex
	cond *sync.Cond
	buf  *bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cond != nil {
		b.cond.Broadcast()
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Await waits until found reports true for what was written, or timeout
// passes (a bound for a test that would hang, not a measurement).
func (b *syncBuffer) Await(timeout time.Duration, found func(string) bool) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cond == nil {
		b.cond = sync.NewCond(&b.mu)
	}
	expired := false
	t := time.AfterFunc(timeout, func() {
		b.mu.Lock()
		expired = true
		b.cond.Broadcast()
		b.mu.Unlock()
	})
	defer t.Stop()
	for !found(b.buf.String()) {
		if expired {
			return false
		}
		b.cond.Wait()
	}
	return true
}

// TestServeWebhook runs serve in webhook mode: setWebhook with the secret,
// a request without it refused and nothing done, an update posted twice
// (Telegram resends on a timeout) answered once.
func TestServeWebhook(t *testing.T) {
	fake := telegramtest.Start(t)
	env := serveEnv(t, fake)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	const secret = "s3cret-0123456789-abcdef"
	env["LISTEN_ADDR"], env["WEBHOOK_URL"], env["WEBHOOK_SECRET"] = addr, "https://bot.example.go.id/telegram", secret
	p := startServe(t, env)
	defer p.stop(t)
	calls := fake.WaitCalls("setWebhook", 1, 15*time.Second)
	if len(calls) == 0 || calls[0].Params["secret_token"] != secret || calls[0].Params["url"] != env["WEBHOOK_URL"] {
		t.Fatalf("setWebhook calls %+v", calls)
	}
	post := func(secretHeader, body string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/telegram", strings.NewReader(body))
		if secretHeader != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secretHeader)
		}
		resp, err := http.DefaultClient.Do(req) // waits while serve starts
		if err != nil {
			t.Fatalf("POST: %v", err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	update := `{"update_id":900,"message":{"message_id":1,"date":1767225600,"chat":{"id":8080,"type":"private"},
		"from":{"id":8080,"is_bot":false,"first_name":"Budi","language_code":"id"},"text":"/start",
		"entities":[{"type":"bot_command","offset":0,"length":6}]}}`
	if code := post("", update); code != http.StatusUnauthorized {
		t.Fatalf("no secret: %d, want 401", code)
	}
	if code := post("wrong-secret-0123456789", update); code != http.StatusUnauthorized {
		t.Fatalf("wrong secret: %d, want 401", code)
	}
	for i := range 2 {
		if code := post(secret, update); code != http.StatusOK {
			t.Fatalf("post %d: %d, want 200", i+1, code)
		}
	}
	// A later update is answered after anything the earlier posts caused.
	later := strings.NewReplacer(`"update_id":900`, `"update_id":901`, `"text":"/start"`, `"text":"/bantuan"`,
		`"length":6`, `"length":8`).Replace(update)
	if code := post(secret, later); code != http.StatusOK {
		t.Fatalf("later post: %d, want 200", code)
	}
	c := &conversation{t: t, fake: fake, user: 8080}
	c.await("/bantuan", "/daftar")
	if a, m := c.count("Selamat datang"), c.count("Silakan pilih menu"); a != 1 || m < 1 {
		t.Fatalf("after /start posted twice (and two refused): greeting %d times, want once: %q", a, fake.Texts(8080))
	}
}

// TestServeTwoReplicas: two replicas on one Redis and one Postgres share
// the chats; one polls. 25 owners each send a burst of four answers at once;
// the first replica is killed mid-burst: the second takes its partitions
// and the polling, and every owner's answers are each handled once, in
// order. A reply the killed replica sent and had not settled yet is sent
// again by the other (it cannot know whether Telegram got it): replies are
// delivered at least once, never skipped or reordered. Only one replica
// polls at a time.
func TestServeTwoReplicas(t *testing.T) {
	fake := telegramtest.Start(t)
	fake.SetMaxWait(200 * time.Millisecond)
	env := serveEnv(t, fake)
	envA, envB := maps.Clone(env), maps.Clone(env)
	envA["REPLICA_ID"], envB["REPLICA_ID"] = "replica-a", "replica-b"
	a := serveChild(t, envA)
	fake.WaitCalls("getUpdates", 1, 10*time.Second)
	b := serveChild(t, envB)
	defer b.kill(t)
	if !b.out.Await(20*time.Second, func(s string) bool { return strings.Contains(s, "partitions taken") }) ||
		!a.out.Await(20*time.Second, func(s string) bool { return strings.Contains(s, "partition given back") }) {
		a.kill(t)
		t.Fatalf("the second replica got no share; its log:\n%s", b.out.String())
	}
	const owners = 25
	steps := [][2]string{{"/daftar", "Pemberitahuan privasi"}, {"setuju", "nama lengkap"},
		{"Siti Aminah", "NIK"}, {"3603124507900003", "Apakah ini sudah benar"}}
	before := len(fake.Calls("sendMessage"))
	for i := range owners {
		for _, st := range steps {
			fake.PushText(int64(8100+i), st[0], "id")
		}
	}
	fake.WaitCount("sendMessage", before+owners, 15*time.Second)
	a.kill(t)
	for i := range owners {
		c := &conversation{t: t, fake: fake, user: int64(8100 + i)}
		for _, st := range steps {
			c.await(st[0], st[1])
		}
	}
	resent := 0
	for i := range owners {
		user := int64(8100 + i)
		got := slices.Compact(fake.Texts(user))
		resent += len(fake.Texts(user)) - len(got)
		if len(got) != len(steps) {
			t.Errorf("owner %d got %d different messages, want one per answer: %q", user, len(got), got)
			continue
		}
		for j, st := range steps {
			if !strings.Contains(got[j], st[1]) {
				t.Errorf("owner %d: message %d is %q, want the one with %q", user, j+1, got[j], st[1])
			}
		}
	}
	t.Logf("%d replies sent again after the kill", resent)
	// The polling lease lapses about when the partitions' do: it may be
	// taken a second after the owners are done.
	if !b.out.Await(10*time.Second, func(s string) bool { return strings.Contains(s, "this replica polls Telegram") }) {
		t.Errorf("the second replica never took the polling over; its log:\n%s", b.out.String())
	}
	if n := fake.OverlappingPolls(); n != 0 {
		t.Errorf("%d getUpdates calls while another was waiting: two replicas polled at once", n)
	}
}
