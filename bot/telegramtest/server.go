// Package telegramtest is an in-process fake of the Telegram Bot API for tests
// and for the load driver: it long-polls getUpdates with real offsets, answers
// the methods umkmbot uses, records every call, and can inject errors and
// enforce Telegram-like rate limits. Test code and cmd/umkmload may import it;
// production code must not.
//
// The fake accepts multipart/form-data (what go-telegram/bot sends),
// application/x-www-form-urlencoded and JSON bodies, and answers with the Bot
// API's JSON envelope, error codes and descriptions.
package telegramtest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

// DefaultMaxWait is how long getUpdates blocks at most when nothing arrives;
// short so that tests and shutdowns stay fast.
const DefaultMaxWait = 200 * time.Millisecond

// Server is the fake Bot API. It is an http.Handler; Start serves it on a
// loopback port. All methods are safe for concurrent use.
type Server struct {
	// URL is the base URL to give the client (bot.Config.APIURL); set by Start.
	URL string

	bot models.User

	mu      sync.Mutex
	token   string
	maxWait time.Duration
	// polling counts getUpdates calls in progress; overlaps, those that came
	// while one was.
	polling, overlaps int
	closed            bool
	updWake           chan struct{}  // closed and replaced when updates arrive or the server closes
	callWake          chan struct{}  // closed and replaced when a call has been answered
	calls             []Call         // in arrival order, recorded on arrival
	counts            map[string]int // answered calls per method
	done              int            // answered calls
	pending           []queued       // pushed and not yet confirmed by an offset
	dups              []queued       // re-queued updates, delivered once whatever the offset
	history           map[int64]queued
	nextUpdate        int64
	nextMsg           int
	nextCB            int
	langs             map[int64]string
	callbacks         map[string]bool // callback query id → answered
	webhook           string
	faults
	forum
	sent []Message
}

// New returns a fake that is not yet serving; use it as an http.Handler, or
// call Start instead.
func New() *Server {
	return &Server{
		bot:        models.User{ID: 1, IsBot: true, FirstName: "Test", Username: "test_bot"},
		maxWait:    DefaultMaxWait,
		updWake:    make(chan struct{}),
		callWake:   make(chan struct{}),
		counts:     map[string]int{},
		history:    map[int64]queued{},
		nextUpdate: 1000,
		nextMsg:    1,
		langs:      map[int64]string{},
		callbacks:  map[string]bool{},
		faults:     newFaults(),
	}
}

// Start serves a new fake on a loopback port until the test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	s := New()
	hs := httptest.NewServer(s)
	s.URL = hs.URL
	tb.Cleanup(func() {
		s.Close()
		hs.Close()
	})
	return s
}

// Close wakes every waiting getUpdates so that the HTTP server can shut down
// at once; later polls answer [] immediately.
func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.wakeUpdates()
}

// SetMaxWait sets the cap on how long getUpdates blocks.
func (s *Server) SetMaxWait(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maxWait = d
}

// SetToken makes the fake answer 401 Unauthorized to any other token. By
// default every token is accepted.
func (s *Server) SetToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = token
}

// Me returns the bot user that getMe answers with.
func (s *Server) Me() models.User { return s.bot }

// APIError is an error answer of the Bot API.
type APIError struct {
	Code        int
	Description string
	// RetryAfter, in seconds, goes into parameters.retry_after (429 answers).
	RetryAfter int
	// Times is how many calls fail; 0 or less means every call until cleared.
	Times int
}

func (e *APIError) body() map[string]any {
	b := map[string]any{"ok": false, "error_code": e.Code, "description": e.Description}
	if e.RetryAfter > 0 {
		b["parameters"] = map[string]any{"retry_after": e.RetryAfter}
	}
	return b
}

func badRequest(desc string) *APIError {
	return &APIError{Code: http.StatusBadRequest, Description: "Bad Request: " + desc}
}

// ServeHTTP answers POST (or GET) /bot<token>/<method> and /bot<token>/test/<method>.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if len(parts) < 2 || len(parts) > 3 || !strings.HasPrefix(parts[0], "bot") {
		writeJSON(w, &APIError{Code: http.StatusNotFound, Description: "Not Found"})
		return
	}
	token, method := strings.TrimPrefix(parts[0], "bot"), parts[len(parts)-1]
	params, files, err := parseRequest(r)
	if err != nil {
		writeJSON(w, badRequest(err.Error()))
		return
	}
	// The time is read under the lock, so that calls are stamped in the
	// order they are counted: the rate limits' windows assume it (a call
	// stamped before another that took the lock first stayed in the
	// window too long and made false 429s).
	s.mu.Lock()
	now := time.Now()
	s.calls = append(s.calls, Call{Method: method, Params: params, Files: files, Time: now, ContentLength: r.ContentLength})
	wrongToken := s.token != "" && token != s.token
	fault := s.fault(method, params, now)
	s.mu.Unlock()
	defer s.answered(method)
	switch {
	case wrongToken:
		writeJSON(w, &APIError{Code: http.StatusUnauthorized, Description: "Unauthorized"})
	case fault != nil:
		writeJSON(w, fault)
	default:
		result, apiErr := s.dispatch(r.Context(), method, params, files, now)
		if apiErr != nil {
			writeJSON(w, apiErr)
			return
		}
		writeJSON(w, map[string]any{"ok": true, "result": result})
	}
}

// answered counts a call once its answer is written, and wakes WaitCalls:
// by then Sent reflects it.
func (s *Server) answered(method string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[method]++
	s.done++
	close(s.callWake)
	s.callWake = make(chan struct{})
}

func (s *Server) dispatch(ctx context.Context, method string, p map[string]string, files []File, now time.Time) (any, *APIError) {
	switch method {
	case "getMe":
		return s.bot, nil
	case "getUpdates":
		return s.getUpdates(ctx, p)
	case "sendMessage":
		return s.sendMessage(p, now)
	case "sendDocument":
		return s.sendDocument(p, files, now)
	case "sendPhoto":
		return s.sendPhoto(p, now)
	case "createForumTopic":
		return s.createForumTopic(p)
	case "deleteForumTopic":
		return s.deleteForumTopic(p)
	case "leaveChat":
		return s.leaveChat(p)
	case "editMessageText", "editMessageReplyMarkup":
		return s.edit(method, p, now)
	case "answerCallbackQuery":
		return s.answerCallback(p)
	case "sendChatAction":
		if _, err := chatID(p); err != nil {
			return nil, err
		}
		if p["action"] == "" {
			return nil, badRequest("action is empty")
		}
		return true, nil
	case "setMyCommands":
		var cmds []models.BotCommand
		if err := json.Unmarshal([]byte(p["commands"]), &cmds); err != nil {
			return nil, badRequest("can't parse commands JSON object")
		}
		return true, nil
	case "setWebhook":
		s.mu.Lock()
		s.webhook = p["url"]
		s.mu.Unlock()
		return true, nil
	case "deleteWebhook":
		s.mu.Lock()
		s.webhook = ""
		if p["drop_pending_updates"] == "true" {
			s.pending, s.dups = nil, nil
		}
		s.mu.Unlock()
		return true, nil
	case "deleteMessage":
		if _, err := chatID(p); err != nil {
			return nil, err
		}
		return true, nil
	}
	return nil, &APIError{Code: http.StatusNotFound, Description: "Not Found: method " + method + " not found"}
}

func writeJSON(w http.ResponseWriter, v any) {
	code := http.StatusOK
	if e, ok := v.(*APIError); ok {
		code = e.Code
		v = e.body()
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
