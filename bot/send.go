package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	tgm "github.com/go-telegram/bot/models"

	"github.com/diskum-tangerang/umkmbot/flows"
)

// Sender delivers a reply outside a conversation (the outbox). *Bot
// implements it.
type Sender interface {
	Send(ctx context.Context, chatID int64, r flows.Reply) (messageID int, err error)
}

var _ Sender = (*Bot)(nil)

// ErrEmptyReply is returned for a reply that renders to no text and carries
// no document: Telegram refuses empty messages.
var ErrEmptyReply = errors.New("bot: reply renders to an empty message")

// IsBlocked reports whether err means the recipient cannot be reached any
// more (403: blocked the bot, deactivated, kicked): stop sending to them.
func IsBlocked(err error) bool { return errors.Is(err, tg.ErrorForbidden) }

// RetryAfter reports whether err is Telegram's flood control (429) and how
// long to wait before the next call.
func RetryAfter(err error) (time.Duration, bool) {
	var tmr *tg.TooManyRequestsError
	if !errors.As(err, &tmr) {
		return 0, false
	}
	return time.Duration(max(tmr.RetryAfter, 1)) * time.Second, true
}

// Send renders r in r.Lang and sends it to chatID (r.To is ignored), without
// retrying: the caller classifies the error with IsBlocked and RetryAfter. It
// returns the id of the last message sent; a text split into several
// messages that fails halfway returns the error after the parts already sent.
// A Toast is an ordinary message here. A reply with Edit set (and no
// document) edits that message of chatID instead and returns its id; an edit
// that changes nothing succeeds.
func (b *Bot) Send(ctx context.Context, chatID int64, r flows.Reply) (int, error) {
	return b.deliver(ctx, chatID, r, false)
}

// deliver sends one reply, into its forum topic when it names one (the
// topic is created the first time: thread): sendDocument when it has a
// document, sendPhoto or sendDocument by file id when it relays media, else
// editMessageText when it edits a message, else one sendMessage per part of
// its text, the keyboard on the last part. With
// retry, a call is tried again after a 429, a 5xx or a network error (call).
// A network error after Telegram took the message can so send it twice:
// the same window the outbox documents.
func (b *Bot) deliver(ctx context.Context, chatID int64, r flows.Reply, retry bool) (int, error) {
	var text string
	if !r.Text.IsZero() {
		text = b.r.Render(r.Lang, r.Text)
	}
	markup := b.markup(r.Lang, r)
	thread, err := b.thread(ctx, chatID, r, retry)
	if err != nil {
		return 0, err
	}
	if r.Document != nil {
		return b.sendDocument(ctx, chatID, thread, text, markup, r.Document, retry)
	}
	if r.Media != nil && r.Media.FileID != "" {
		return b.sendMedia(ctx, chatID, thread, text, markup, r.Media, retry)
	}
	if strings.TrimSpace(text) == "" {
		return 0, ErrEmptyReply
	}
	if r.Edit != 0 {
		return b.editText(ctx, chatID, r.Edit, text, markup, retry)
	}
	return b.sendText(ctx, chatID, thread, text, markup, retry)
}

// sendText sends text, split into parts Telegram takes, into the forum
// topic thread (0: none).
func (b *Bot) sendText(ctx context.Context, chatID int64, thread int, text string, markup any, retry bool) (int, error) {
	parts := splitText(text, maxMessageLen)
	id := 0
	for i, part := range parts {
		p := &tg.SendMessageParams{ChatID: chatID, MessageThreadID: thread, Text: part, ParseMode: tgm.ParseModeHTML}
		if i == len(parts)-1 && markup != nil {
			p.ReplyMarkup = markup
		}
		m, err := call(ctx, b, "sendMessage", retry, func() (*tgm.Message, error) { return b.api.SendMessage(ctx, p) })
		if err != nil {
			return id, err
		}
		id = m.ID
	}
	return id, nil
}

// sendDocument sends doc with the text as caption; a text too long for a
// caption goes first as message(s) of its own.
func (b *Bot) sendDocument(ctx context.Context, chatID int64, thread int, text string, markup any, doc *flows.Document, retry bool) (int, error) {
	caption := text
	if utf16Len(caption) > maxCaptionLen {
		if _, err := b.sendText(ctx, chatID, thread, text, nil, retry); err != nil {
			return 0, err
		}
		caption = ""
	}
	m, err := call(ctx, b, "sendDocument", retry, func() (*tgm.Message, error) {
		p := &tg.SendDocumentParams{ChatID: chatID, MessageThreadID: thread, Caption: caption,
			Document: &tgm.InputFileUpload{Filename: doc.Name, Data: bytes.NewReader(doc.Content)}}
		if caption != "" {
			p.ParseMode = tgm.ParseModeHTML
		}
		if markup != nil {
			p.ReplyMarkup = markup
		}
		return b.api.SendDocument(ctx, p)
	})
	if err != nil {
		return 0, err
	}
	return m.ID, nil
}

// call runs one Bot API call. With retry (replies owed) it tries again
// after a 429 (waiting retry_after), a 5xx or a network error (backing off)
// until ctx ends; an answer that retrying cannot change (400, 403, ...) is
// returned at once. Without retry (the outbox, which has its own policy)
// it calls once. Errors are wrapped with the method name.
func call[T any](ctx context.Context, b *Bot, method string, retry bool, fn func() (T, error)) (T, error) {
	bo := backoff{min: 500 * time.Millisecond, max: 30 * time.Second}
	started, _ := ctx.Value(attemptKey{}).(*time.Time)
	for {
		place := -1
		if isSend(method) {
			var err error
			if place, err = b.window.wait(ctx, retry); err != nil { // replies owed go first
				var zero T
				return zero, fmt.Errorf("%s: %w", method, err)
			}
		}
		if started != nil {
			*started = time.Now()
		}
		res, err := func() (T, error) {
			defer b.window.done(place) // a panic too gives its place back
			return fn()
		}()
		b.apiResult(method, err)
		if err == nil {
			return res, nil
		}
		if !retry || permanent(err) || ctx.Err() != nil {
			return res, fmt.Errorf("%s: %w", method, err)
		}
		wait, limited := RetryAfter(err)
		if !limited {
			wait = bo.next()
		} else if b.cfg.Budget != nil {
			// Telegram's 429 holds for the whole bot: the proactive
			// messages pause too.
			if perr := b.cfg.Budget.Pause(ctx, wait); perr != nil {
				b.log.Warn("send budget: pause not shared", "err", perr)
			}
		}
		if b.retryWait != nil {
			b.retryWait(wait)
		}
		if !fits(ctx, wait) || !sleep(ctx, wait) {
			return res, fmt.Errorf("%s: %w", method, err)
		}
		b.stats.SendRetries.Add(1)
	}
}

// attemptKey carries a *time.Time in which call writes when its latest
// attempt started: when a reply that went through was sent.
type attemptKey struct{}

// permanent reports whether retrying a call cannot change its answer:
// Telegram refused it (400, 401, 403, 404, 409), or it succeeded with an
// answer the library cannot decode.
func permanent(err error) bool {
	var mig *tg.MigrateError
	switch {
	case errors.Is(err, tg.ErrorForbidden), errors.Is(err, tg.ErrorBadRequest), errors.Is(err, tg.ErrorUnauthorized),
		errors.Is(err, tg.ErrorNotFound), errors.Is(err, tg.ErrorConflict), errors.As(err, &mig),
		errors.Is(err, ErrEmptyReply):
		return true
	}
	return strings.Contains(err.Error(), "error decode response result")
}

func fits(ctx context.Context, wait time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) > wait
}
