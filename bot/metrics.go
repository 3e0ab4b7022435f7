package bot

import (
	"encoding/json"
	"errors"
	"regexp"
	"time"

	tgm "github.com/go-telegram/bot/models"
)

// Metrics is told what the intake and the senders do, for monitoring
// (cmd/umkmbot exports it to Prometheus). Its methods are called from many
// goroutines and must return quickly. Every label comes from a small fixed
// set: never a chat id or a text.
type Metrics interface {
	// Update counts one update taken in: kind is "message",
	// "callback_query" or "other"; outcome is "handled", "undecodable" or
	// "flood_dropped".
	Update(kind, outcome string)
	// APICall counts one Bot API call attempt (getUpdates included): the
	// method and the result, "ok", "429", "403", "5xx" or "other".
	APICall(method, result string)
	// ReplyLost counts a reply given up (400, 403, or retried too long).
	ReplyLost()
}

// ReplicaMetrics is a Metrics that also shows a replica's share of the
// work (replicas.go): how many partitions it handles, and whether it polls.
type ReplicaMetrics interface {
	Replicas(owned int, polling bool)
}

// Update outcomes.
const (
	OutcomeHandled      = "handled"
	OutcomeUndecodable  = "undecodable"
	OutcomeFloodDropped = "flood_dropped"
)

// LastAPISuccess is when a Bot API call last succeeded (zero before the
// first): the long poll answers at least every PollTimeout while Telegram
// is reachable, so an old time means it is not.
func (b *Bot) LastAPISuccess() time.Time {
	ns := b.lastOK.Load()
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}

// apiResult records one Bot API call's result in the metrics and, on
// success, its time.
func (b *Bot) apiResult(method string, err error) {
	if err == nil {
		b.lastOK.Store(time.Now().UnixNano())
	}
	if b.cfg.Metrics != nil {
		b.cfg.Metrics.APICall(method, callResult(err))
	}
}

// server5xx matches the library's error for a Bot API error code 5xx.
var server5xx = regexp.MustCompile(`\b5\d\d\b`)

// callResult classes a Bot API call's error for the metrics.
func callResult(err error) string {
	var te *codeError
	switch {
	case err == nil:
		return "ok"
	case IsBlocked(err):
		return "403"
	case errors.As(err, &te):
		return te.class()
	}
	if _, ok := RetryAfter(err); ok {
		return "429"
	}
	if server5xx.MatchString(err.Error()) && !permanent(err) {
		return "5xx"
	}
	return "other"
}

// codeError is getUpdates' own error, which carries Telegram's code.
type codeError struct {
	code int
	msg  string
}

func (e *codeError) Error() string { return e.msg }

func (e *codeError) class() string {
	switch {
	case e.code == 429:
		return "429"
	case e.code == 403:
		return "403"
	case e.code >= 500 && e.code < 600:
		return "5xx"
	}
	return "other"
}

// countUpdate tells the metrics of one update's outcome.
func (b *Bot) countUpdate(kind, outcome string) {
	if b.cfg.Metrics != nil {
		b.cfg.Metrics.Update(kind, outcome)
	}
}

// kindOf names a decoded update's kind for the metrics.
func kindOf(u *tgm.Update) string {
	switch {
	case u.Message != nil:
		return "message"
	case u.CallbackQuery != nil:
		return "callback_query"
	}
	return "other"
}

// rawKind names a raw update's kind for the metrics.
func rawKind(raw json.RawMessage) string {
	switch updateType(raw) {
	case "message":
		return "message"
	case "callback_query":
		return "callback_query"
	}
	return "other"
}
