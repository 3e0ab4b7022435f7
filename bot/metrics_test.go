package bot

import (
	"errors"
	"fmt"
	"testing"

	tg "github.com/go-telegram/bot"
)

func TestCallResult(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"ok", nil, "ok"},
		{"429", fmt.Errorf("sendMessage: %w", &tg.TooManyRequestsError{Message: "slow down", RetryAfter: 3}), "429"},
		{"403", fmt.Errorf("sendMessage: %w", fmt.Errorf("%w, bot was blocked by the user", tg.ErrorForbidden)), "403"},
		{"500", errors.New("sendMessage: error response from telegram for method sendMessage, 500 Internal Server Error"), "5xx"},
		{"502", errors.New("sendMessage: error response from telegram for method sendMessage, 502 Bad Gateway"), "5xx"},
		{"400", fmt.Errorf("sendMessage: %w", fmt.Errorf("%w, Bad Request: chat not found", tg.ErrorBadRequest)), "other"},
		{"network", errors.New("sendMessage: error do request for method sendMessage, dial tcp: connection refused"), "other"},
		{"getUpdates 429", &codeError{code: 429, msg: "getUpdates: 429 Too Many Requests"}, "429"},
		{"getUpdates 502", &codeError{code: 502, msg: "getUpdates: 502 Bad Gateway"}, "5xx"},
		{"getUpdates 409", &codeError{code: 409, msg: "getUpdates: 409 Conflict"}, "other"},
	} {
		if got := callResult(tt.err); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// countingMetrics records what the bot tells its Metrics.
type countingMetrics struct {
	updates map[string]int
	calls   map[string]int
	lost    int
}

func (m *countingMetrics) Update(kind, outcome string)   { m.updates[kind+"/"+outcome]++ }
func (m *countingMetrics) APICall(method, result string) { m.calls[method+"/"+result]++ }
func (m *countingMetrics) ReplyLost()                    { m.lost++ }

func TestAPIResultRecordsSuccessTime(t *testing.T) {
	m := &countingMetrics{updates: map[string]int{}, calls: map[string]int{}}
	b := &Bot{cfg: Config{Metrics: m}}
	if !b.LastAPISuccess().IsZero() {
		t.Fatal("a success before any call")
	}
	b.apiResult("sendMessage", errors.New("sendMessage: error response from telegram for method sendMessage, 503 x"))
	if !b.LastAPISuccess().IsZero() {
		t.Fatal("a failed call counted as a success")
	}
	b.apiResult("getUpdates", nil)
	if b.LastAPISuccess().IsZero() || m.calls["sendMessage/5xx"] != 1 || m.calls["getUpdates/ok"] != 1 {
		t.Fatalf("last success %v, calls %v", b.LastAPISuccess(), m.calls)
	}
}
