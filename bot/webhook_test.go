package bot

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store/memory"
)

const testSecret = "0123456789abcdef-secret"

func postUpdate(t *testing.T, h http.Handler, secret, body string) int {
	t.Helper()
	return postUpdateCtx(t, context.Background(), h, secret, body)
}

func postUpdateCtx(t *testing.T, ctx context.Context, h http.Handler, secret, body string) int {
	t.Helper()
	r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/telegram", strings.NewReader(body))
	if secret != "" {
		r.Header.Set(webhookSecretHeader, secret)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

func TestWebhook(t *testing.T) {
	ingest := memory.NewIngest()
	b, fake, _ := newBot(t, echo, Config{WebhookURL: "https://bot.example.go.id/telegram", WebhookSecret: testSecret,
		Ingest: ingest})
	h := b.Webhook()
	update := `{"update_id":500,"message":{"message_id":1,"date":1767225600,"chat":{"id":7,"type":"private"},
		"from":{"id":7,"is_bot":false,"first_name":"Budi","language_code":"id"},"text":"halo"}}`
	gone, cancelReq := context.WithCancel(context.Background())
	cancelReq() // Telegram gave up waiting
	if code := postUpdateCtx(t, gone, h, testSecret, update); code != http.StatusServiceUnavailable {
		t.Errorf("before Run: %d, want 503 so that Telegram sends it again", code)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	defer func() { cancel(); <-done }()
	calls := fake.WaitCalls("setWebhook", 1, 5*time.Second)
	if len(calls) == 0 {
		t.Fatal("no setWebhook")
	}
	p := calls[0].Params
	if p["url"] != "https://bot.example.go.id/telegram" || p["secret_token"] != testSecret || p["max_connections"] != "1" ||
		!strings.Contains(p["allowed_updates"], "callback_query") {
		t.Errorf("setWebhook params %v", p)
	}
	select {
	case <-b.hook.serving:
	case <-time.After(10 * time.Second):
		t.Fatal("the webhook never started serving")
	}

	tests := []struct {
		name, secret, body string
		want               int
	}{
		{"no secret", "", update, http.StatusUnauthorized},
		{"wrong secret", "0123456789abcdef-secreT", update, http.StatusUnauthorized},
		{"too large", testSecret, `{"update_id":1,"x":"` + strings.Repeat("a", 2<<20) + `"}`, http.StatusRequestEntityTooLarge},
		{"not JSON", testSecret, "update_id=1", http.StatusBadRequest},
		{"not an object", testSecret, `[1,2]`, http.StatusBadRequest},
	}
	for _, tt := range tests {
		if code := postUpdate(t, h, tt.secret, tt.body); code != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, code, tt.want)
		}
	}
	if n := ingest.Len(); n != 0 || len(fake.Calls("sendMessage")) != 0 {
		t.Fatalf("refused requests recorded %d updates and sent %d replies", n, len(fake.Calls("sendMessage")))
	}

	for i := range 2 { // Telegram posts an update again when our answer was late
		if code := postUpdate(t, h, testSecret, update); code != http.StatusOK {
			t.Fatalf("post %d: %d, want 200", i+1, code)
		}
	}
	// A later update of the chat is answered after anything the first one
	// caused: once its answer is there, a second answer to "halo" would be.
	if code := postUpdate(t, h, testSecret, strings.Replace(strings.Replace(update, "500", "501", 1), "halo", "akhir", 1)); code != http.StatusOK {
		t.Fatalf("last post: %d", code)
	}
	fake.WaitCalls("sendMessage", 2, 10*time.Second)
	if got := fake.Texts(7); !slices.Equal(got, []string{"halo", "akhir"}) {
		t.Errorf("chat 7 got %q, want one answer to each update", got)
	}
	if n := len(fake.Calls("getUpdates")); n != 0 {
		t.Errorf("getUpdates called %d times in webhook mode", n)
	}
}

func TestWebhookNeedsASecret(t *testing.T) {
	if _, err := New(Config{Token: "1:T", WebhookURL: "https://x.example/hook", WebhookSecret: "short"}, echo, stubRenderer{}); err == nil {
		t.Error("a webhook with a 5-character secret was accepted")
	}
}
