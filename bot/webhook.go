package bot

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync/atomic"

	"github.com/diskum-tangerang/umkmbot/store"
)

// maxWebhookBody caps a webhook request: one update is a few KiB.
const maxWebhookBody = 1 << 20

// webhookSecretHeader is where Telegram puts setWebhook's secret_token.
const webhookSecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// webhookState is what a webhook request needs of a running Bot.
type webhookState struct {
	sched atomic.Pointer[scheduler]
	// serving is closed once Run serves webhook requests.
	serving chan struct{}
	// repl is the replica's share of the work (set before serving).
	repl *replicas
}

// Webhook returns the handler of Telegram's webhook requests, for a Bot
// whose Config.WebhookURL is set (Run registers the webhook and serves
// what the handler records). It answers:
//
//   - 401, reading nothing, when X-Telegram-Bot-Api-Secret-Token is missing
//     or wrong (compared in constant time);
//   - 413 for a body over 1 MiB, 400 for one that is not a JSON object;
//   - 503 when the request ends before Run serves, after Run stopped, or
//     when the ingest does not answer, so that Telegram sends it again;
//   - 200 once the update is recorded in the ingest (or was recorded
//     before: Telegram resends on a timeout), never earlier. An update that
//     does not decode is a dead letter, and 200.
func (b *Bot) Webhook() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get(webhookSecretHeader)
		if b.cfg.WebhookSecret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(b.cfg.WebhookSecret)) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		case err != nil:
			http.Error(w, "cannot read the request", http.StatusBadRequest)
			return
		}
		var obj map[string]json.RawMessage
		if json.Unmarshal(body, &obj) != nil {
			http.Error(w, "not a JSON object", http.StatusBadRequest)
			return
		}
		// At start-up a request waits for Run to serve (Telegram times it out
		// and sends it again if that takes too long).
		select {
		case <-b.hook.serving:
		case <-r.Context().Done():
			http.Error(w, "not serving yet", http.StatusServiceUnavailable)
			return
		}
		sc := b.hook.sched.Load()
		if sc == nil {
			http.Error(w, "stopped", http.StatusServiceUnavailable)
			return
		}
		ins, decoded, next := b.decodeBatch(r.Context(), []json.RawMessage{body}, 0)
		for i, in := range ins {
			if decoded[i] != nil {
				b.decoded.Store(in.UpdateID, decoded[i])
			}
		}
		if next == 0 {
			w.WriteHeader(http.StatusOK) // no update_id: a dead letter, nothing to confirm
			return
		}
		rec, err := b.cfg.Ingest.Record(r.Context(), ins, next)
		if err != nil {
			b.log.Warn("webhook: record update", "err", err)
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		}
		b.stats.Recorded.Add(int64(len(rec)))
		if repl := b.hook.repl; repl != nil {
			// Several replicas: the update's partition may be another's.
			b.handOut(r.Context(), sc, repl, rec, func(in store.Inbound) { b.decoded.Delete(in.UpdateID) })
		} else {
			for _, in := range rec {
				b.enqueue(sc, in)
			}
		}
		w.WriteHeader(http.StatusOK)
	})
}
