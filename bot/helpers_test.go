package bot

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/bot/telegramtest"
	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store/memory"
)

// stubRenderer shows what was rendered: Raw as is, else "lang:id k=v ...".
type stubRenderer struct{}

func (stubRenderer) Render(lang string, t flows.Text) string {
	if t.Raw != "" {
		return t.Raw
	}
	var b strings.Builder
	b.WriteString(lang + ":" + t.ID)
	for _, k := range slices.Sorted(maps.Keys(t.Data)) {
		fmt.Fprintf(&b, " %s=%v", k, t.Data[k])
	}
	return b.String()
}

func (stubRenderer) Label(lang string, t flows.Text) string {
	return "label:" + lang + ":" + cmp.Or(t.ID, t.Raw)
}

// handlerFunc adapts a function to Handler; its replies owe nothing.
type handlerFunc func(ctx context.Context, u flows.Update) []flows.Reply

func (f handlerFunc) Process(ctx context.Context, u flows.Update) flows.Outcome {
	return flows.Outcome{ChatID: u.ChatID, Replies: f(ctx, u)}
}

func (f handlerFunc) Settle(context.Context, ...flows.Settlement) error { return nil }

func (f handlerFunc) OwedChats(context.Context) ([]int64, error) { return nil, nil }

func (f handlerFunc) Flush(_ context.Context, chat int64) (flows.Outcome, error) {
	return flows.Outcome{ChatID: chat}, nil
}

// echo replies to every update with its text or button data.
var echo = handlerFunc(func(_ context.Context, u flows.Update) []flows.Reply {
	return []flows.Reply{{Text: flows.Raw(cmp.Or(u.Text, u.Button, "?"))}}
})

// logBuffer collects log output across goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// harness runs a Bot against a fresh fake until stop (or the test's end).
type harness struct {
	fake *telegramtest.Server
	bot  *Bot
	logs *logBuffer

	cancel context.CancelFunc
	done   chan error
	once   sync.Once
	err    error
}

// newBot builds a Bot on a fresh fake without running it.
func newBot(t testing.TB, h Handler, cfg Config) (*Bot, *telegramtest.Server, *logBuffer) {
	t.Helper()
	fake := telegramtest.Start(t)
	fake.SetMaxWait(50 * time.Millisecond)
	logs := &logBuffer{}
	cfg.Token = "1:TEST"
	cfg.APIURL = fake.URL
	cfg.Log = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if cfg.Ingest == nil {
		cfg.Ingest = memory.NewIngest()
	}
	b, err := New(cfg, h, stubRenderer{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return b, fake, logs
}

func start(t testing.TB, h Handler, cfg Config) *harness {
	t.Helper()
	b, fake, logs := newBot(t, h, cfg)
	return runBot(t, b, fake, logs)
}

// runBot runs a Bot built by newBot until stop (or the test's end).
func runBot(t testing.TB, b *Bot, fake *telegramtest.Server, logs *logBuffer) *harness {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	hs := &harness{fake: fake, bot: b, logs: logs, cancel: cancel, done: make(chan error, 1)}
	go func() { hs.done <- b.Run(ctx) }()
	t.Cleanup(func() { hs.stop(t) })
	if got := fake.WaitCalls("getUpdates", 1, 5*time.Second); len(got) == 0 {
		t.Fatal("the bot never polled")
	}
	return hs
}

// stop cancels Run and waits for it to return, once.
func (h *harness) stop(t testing.TB) error {
	t.Helper()
	h.once.Do(func() {
		h.cancel()
		select {
		case h.err = <-h.done:
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return after cancel")
		}
	})
	return h.err
}

// waitSent waits for n sendMessage calls and fails the test if they do not come.
func (h *harness) waitSent(t testing.TB, n int) []telegramtest.Call {
	t.Helper()
	calls := h.fake.WaitCalls("sendMessage", n, 10*time.Second)
	if len(calls) < n {
		t.Fatalf("got %d sendMessage calls, want %d", len(calls), n)
	}
	return calls
}

// apiError builds an injected failure with Telegram's description for code,
// failing times calls (every call when omitted).
func apiError(code int, times ...int) telegramtest.APIError {
	e := telegramtest.APIError{Code: code}
	if code == 429 {
		e.RetryAfter = 1
	}
	if len(times) > 0 {
		e.Times = times[0]
	}
	return e
}
