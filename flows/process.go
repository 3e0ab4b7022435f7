package flows

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"syscall"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Handle runs one update and returns the replies to send, taking them as
// delivered: for transports that cannot lose a reply (the terminal, tests).
// It never fails: an internal error is logged and the user gets an apology
// in their language, with the session left as it was before the update.
func (e *Engine) Handle(ctx context.Context, u Update) []Reply {
	out := e.Process(ctx, u)
	if err := e.Delivered(ctx, out, false); err != nil {
		e.cfg.Log.Warn("settle replies", "update_id", u.ID, "chat_id", u.ChatID, "err", err)
	}
	return out.Replies
}

// Process runs one update. The replies it returns are on record as owed
// (committed with the session); the transport sends them, then settles
// them with Delivered. When the chat still owed replies the user never saw,
// those come first, and the input is taken as an answer to the question
// the user did see (owed.go).
func (e *Engine) Process(ctx context.Context, u Update) Outcome {
	start, flow := time.Now(), ""
	if e.cfg.Observe != nil {
		defer func() { e.cfg.Observe(flow, time.Since(start)) }()
	}
	log := updateLog{e.cfg.Log, u.ID, u.ChatID}
	claim, err := e.claim(ctx, u)
	if errors.Is(err, store.ErrDuplicate) {
		log.Info("duplicate update dropped")
		return e.owedAgain(claim, u)
	}
	lang := e.Lang(u.LanguageCode)
	if err != nil {
		log.Error("claim session", "err", err)
		return Outcome{ChatID: u.ChatID, Retry: true, Replies: []Reply{{Text: T(e.unavailable()), Lang: lang}}}
	}
	stop := e.keepLease(claim)
	defer stop()
	input := fingerprint(u)
	base, baseRaw, first, settled := e.startingPoint(claim, u, input)
	if settled != nil {
		e.abort(claim, log)
		return *settled
	}
	s := base
	var known *store.User
	if s == nil {
		s = &store.Session{ChatID: u.ChatID, UserID: u.UserID}
		if s.Lang, known, err = e.initialLang(ctx, u); err != nil {
			log.Error("load user", "err", err)
			e.abort(claim, log)
			return Outcome{ChatID: u.ChatID, Retry: true, Replies: []Reply{{Text: T(e.unavailable()), Lang: lang}}}
		}
	} else {
		s = cloneSession(s)
	}
	if err := e.keepClientLang(ctx, s, u, known); err != nil {
		log.Warn("keep client language", "err", err)
	}
	before, flowBefore := s.Lang, s.Flow
	c := &Ctx{Context: ctx, Update: u, Now: e.cfg.Now(), e: e, s: s}
	err = e.safeStep(c)
	if flow = flowBefore; flow == "" || flow == e.cfg.Menu {
		flow = s.Flow
	}
	if err != nil {
		log.Error("update failed", "flow", s.Flow, "state", s.State, "err", err)
		e.abort(claim, log)
		if unreachable(err) {
			return Outcome{ChatID: u.ChatID, Retry: true, Replies: []Reply{{Text: T(e.unavailable()), Lang: before}}}
		}
		return Outcome{ChatID: u.ChatID, Replies: []Reply{{Text: T("err_internal"), Lang: before}}}
	}
	s.UpdatedAt = c.Now
	replies := append(first, c.replies...)
	owed := e.owe(claim, u, input, baseRaw, replies, log)
	if err := e.cfg.Sessions.Commit(ctx, claim, s, owed, store.SessionTTL); err != nil {
		log.Error("save session", "err", err)
		e.abort(claim, log)
		return Outcome{ChatID: u.ChatID, Retry: true, Replies: []Reply{{Text: T(e.unavailable()), Lang: before}}}
	}
	return Outcome{ChatID: u.ChatID, Replies: replies, owed: owed}
}

// unreachable tells a store or network that did not answer (the update is
// tried again, and the user is told the service is briefly unavailable if
// it never goes through) from a fault of the bot.
func unreachable(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, io.EOF)
}

// unavailable is the apology for a store that does not answer.
func (e *Engine) unavailable() string {
	if e.cfg.Volatile {
		return "err_unavailable_volatile"
	}
	return "err_unavailable"
}

func (e *Engine) claim(ctx context.Context, u Update) (*store.Claim, error) {
	deadline := time.Now().Add(e.cfg.BusyWait)
	for wait := 10 * time.Millisecond; ; wait = min(wait*2, 200*time.Millisecond) {
		c, err := e.cfg.Sessions.Claim(ctx, u.ChatID, u.ID)
		if !errors.Is(err, store.ErrBusy) || time.Now().Add(wait).After(deadline) {
			return c, err
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (e *Engine) abort(c *store.Claim, log updateLog) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := e.cfg.Sessions.Abort(ctx, c); err != nil {
		log.Warn("release chat", "err", err)
	}
}

// updateLog logs with the ids of the update being handled. The ids are
// added to the records written only: slog's With would format them for
// every update, and most updates log nothing.
type updateLog struct {
	l          *slog.Logger
	id, chatID int64
}

func (u updateLog) Info(msg string, args ...any)  { u.log(slog.LevelInfo, msg, args) }
func (u updateLog) Warn(msg string, args ...any)  { u.log(slog.LevelWarn, msg, args) }
func (u updateLog) Error(msg string, args ...any) { u.log(slog.LevelError, msg, args) }

func (u updateLog) log(level slog.Level, msg string, args []any) {
	ctx := context.Background()
	if !u.l.Enabled(ctx, level) {
		return
	}
	u.l.Log(ctx, level, msg, append([]any{"update_id", u.id, "chat_id", u.chatID}, args...)...)
}
