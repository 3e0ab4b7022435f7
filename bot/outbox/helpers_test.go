package outbox_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/bot"
	"github.com/diskum-tangerang/umkmbot/bot/outbox"
	"github.com/diskum-tangerang/umkmbot/bot/telegramtest"
	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// rawRenderer renders a text's Raw part as is.
type rawRenderer struct{}

func (rawRenderer) Render(_ string, t flows.Text) string { return t.Raw }
func (rawRenderer) Label(_ string, t flows.Text) string  { return t.Raw }

// newTransport returns a Telegram adapter talking to fake, with enough idle
// connections for the sends in flight.
func newTransport(t testing.TB, apiURL string) *bot.Bot {
	t.Helper()
	b, err := bot.New(bot.Config{Token: "1:TEST", APIURL: apiURL, Workers: 16,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, nil, rawRenderer{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// payload encodes a plain-text reply.
func payload(t testing.TB, text string) []byte {
	t.Helper()
	b, err := flows.EncodeReply(flows.Reply{Text: flows.Raw(text)})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testLog sends the sender's log to t.Log when -v shows it.
func testLog(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

// running is a Sender started in the background.
type running struct {
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

// run starts s; the test's end stops it.
func run(t testing.TB, s *outbox.Sender) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- s.Run(ctx) }()
	t.Cleanup(func() { r.stop(t) })
	return r
}

// stop cancels Run and waits for it.
func (r *running) stop(t testing.TB) {
	t.Helper()
	r.once.Do(func() {
		r.cancel()
		select {
		case err := <-r.done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("Run did not return after cancel")
		}
	})
}

// waitFor polls cond every 20 ms until it holds or timeout passes.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func item(t testing.TB, s store.OutboxStore, key string) store.OutboxItem {
	t.Helper()
	it, err := s.OutboxItem(context.Background(), key)
	if err != nil {
		t.Fatalf("OutboxItem(%s): %v", key, err)
	}
	return it
}

// callTimes returns the times of the fake's sendMessage calls, sorted.
func callTimes(fake *telegramtest.Server) []time.Time {
	var at []time.Time
	for _, c := range fake.Calls("sendMessage") {
		at = append(at, c.Time)
	}
	slices.SortFunc(at, time.Time.Compare)
	return at
}

// maxInWindow is the most instants of sorted ts within any window of
// length w.
func maxInWindow(ts []time.Time, w time.Duration) int {
	best, j := 0, 0
	for i := range ts {
		for ts[i].Sub(ts[j]) >= w {
			j++
		}
		best = max(best, i-j+1)
	}
	return best
}

// steadyRate is the rate of sorted ts leaving out the first and last tenth
// (start-up and tail).
func steadyRate(ts []time.Time) float64 {
	from, to := len(ts)/10, len(ts)-len(ts)/10-1
	if to <= from {
		return 0
	}
	return float64(to-from) / ts[to].Sub(ts[from]).Seconds()
}

// recorder is a Transport that records calls and answers with fn.
type recorder struct {
	mu    sync.Mutex
	calls []sentCall
	fn    func(chat int64, r flows.Reply) (int, error)
}

type sentCall struct {
	chat int64
	text string
	at   time.Time
}

func (r *recorder) Send(_ context.Context, chat int64, rep flows.Reply) (int, error) {
	r.mu.Lock()
	r.calls = append(r.calls, sentCall{chat: chat, text: rep.Text.Raw, at: time.Now()})
	n := len(r.calls)
	r.mu.Unlock()
	if r.fn != nil {
		return r.fn(chat, rep)
	}
	return n, nil
}

func (r *recorder) sent() []sentCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.calls)
}

func key(prefix string, i int) string { return fmt.Sprintf("%s:%d", prefix, i) }
