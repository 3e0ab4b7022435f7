package telegramtest

import (
	"net/http"
	"strconv"
	"time"
)

// Limits turns on Telegram-like flood control for the sending methods
// (sendMessage, sendDocument): at most Global messages per second in total
// and PerChat per second to one chat, over a sliding one-second window. Zero
// means no limit. A call over a limit is answered 429 with retry_after and
// counted as a violation; it is not sent.
type Limits struct {
	Global  int
	PerChat int
	// PerChatOnly, when set, picks the sends that the per-chat limit
	// applies to and that count in a chat's window, e.g. the proactive
	// messages (Telegram lets replies to a user burst); nil applies it to
	// every send. It is called with the server's lock held and must not
	// call the Server.
	PerChatOnly func(method string, params map[string]string) bool
}

// faults holds the injected errors and the rate limiter; guarded by Server.mu.
type faults struct {
	failures   map[string]*APIError
	sequences  map[string][]APIError
	chatFail   map[int64]int
	limits     Limits
	window     []time.Time
	chatWindow map[int64][]time.Time
	violations int
	// globalViolations and chatViolations split violations by the limit
	// that refused the call.
	globalViolations, chatViolations int
}

func newFaults() faults {
	return faults{failures: map[string]*APIError{}, sequences: map[string][]APIError{}, chatFail: map[int64]int{}, chatWindow: map[int64][]time.Time{}}
}

// Fail makes calls of method answer e, e.Times times (or until cleared with a
// zero Code). An empty Description gets Telegram's usual one for the code.
func (s *Server) Fail(method string, e APIError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.Code == 0 {
		delete(s.failures, method)
		return
	}
	if e.Description == "" {
		e.Description = describe(e.Code, e.RetryAfter)
	}
	s.failures[method] = &e
}

// FailSequence makes the next calls of method answer errs, one each, in
// order; the calls after them go through. An empty Description gets
// Telegram's usual one for the code.
func (s *Server) FailSequence(method string, errs ...APIError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range errs {
		if e.Description == "" {
			e.Description = describe(e.Code, e.RetryAfter)
		}
		s.sequences[method] = append(s.sequences[method], e)
	}
}

// FailChat makes every call addressed to chatID answer code until cleared
// with code 0: 403 is "Forbidden: bot was blocked by the user", 400 "Bad
// Request: chat not found", 429 a one-second flood wait.
func (s *Server) FailChat(chatID int64, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == 0 {
		delete(s.chatFail, chatID)
		return
	}
	s.chatFail[chatID] = code
}

// SetLimits turns rate limiting on (or off with the zero Limits) and resets
// the windows and the violation count.
func (s *Server) SetLimits(l Limits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = l
	s.window = nil
	s.chatWindow = map[int64][]time.Time{}
	s.violations = 0
	s.globalViolations, s.chatViolations = 0, 0
}

// Violations returns how many calls were refused by the rate limits.
func (s *Server) Violations() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.violations
}

// LimitViolations splits Violations by the limit that refused the call:
// the global one, or the per-chat one.
func (s *Server) LimitViolations() (global, perChat int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.globalViolations, s.chatViolations
}

func describe(code, retryAfter int) string {
	switch code {
	case http.StatusForbidden:
		return "Forbidden: bot was blocked by the user"
	case http.StatusBadRequest:
		return "Bad Request: chat not found"
	case http.StatusTooManyRequests:
		return "Too Many Requests: retry after " + strconv.Itoa(max(retryAfter, 1))
	case http.StatusUnauthorized:
		return "Unauthorized"
	case http.StatusNotFound:
		return "Not Found"
	case http.StatusConflict:
		return "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
	}
	return http.StatusText(code)
}

func isSend(method string) bool {
	return method == "sendMessage" || method == "sendDocument" || method == "sendPhoto"
}

// fault decides whether a call fails before it is handled: an injected
// method failure first, then a failing chat, then the rate limits. s.mu must
// be held.
func (s *Server) fault(method string, p map[string]string, now time.Time) *APIError {
	if seq := s.sequences[method]; len(seq) > 0 {
		e := seq[0]
		s.sequences[method] = seq[1:]
		return &e
	}
	if f := s.failures[method]; f != nil {
		e := *f
		if f.Times > 0 {
			if f.Times--; f.Times == 0 {
				delete(s.failures, method)
			}
		}
		return &e
	}
	chat, hasChat := int64(0), false
	if v, ok := p["chat_id"]; ok {
		id, err := strconv.ParseInt(v, 10, 64)
		chat, hasChat = id, err == nil
	}
	if code := s.chatFail[chat]; hasChat && code != 0 {
		e := &APIError{Code: code, Description: describe(code, 1)}
		if code == http.StatusTooManyRequests {
			e.RetryAfter = 1
		}
		return e
	}
	if !isSend(method) || !hasChat || (s.limits.Global <= 0 && s.limits.PerChat <= 0) {
		return nil
	}
	since := now.Add(-time.Second)
	s.window = prune(s.window, since)
	cw := prune(s.chatWindow[chat], since)
	s.chatWindow[chat] = cw
	perChat := s.limits.PerChat > 0 && (s.limits.PerChatOnly == nil || s.limits.PerChatOnly(method, p))
	var oldest time.Time
	switch {
	case s.limits.Global > 0 && len(s.window) >= s.limits.Global:
		oldest = s.window[len(s.window)-s.limits.Global]
		s.globalViolations++
	case perChat && len(cw) >= s.limits.PerChat:
		oldest = cw[len(cw)-s.limits.PerChat]
		s.chatViolations++
	default:
		s.window = append(s.window, now)
		if perChat || s.limits.PerChatOnly == nil {
			s.chatWindow[chat] = append(cw, now)
		}
		return nil
	}
	s.violations++
	// Telegram's retry_after is whole seconds: round the wait up.
	wait := int((oldest.Add(time.Second).Sub(now) + time.Second - 1) / time.Second)
	wait = max(wait, 1)
	return &APIError{Code: http.StatusTooManyRequests, Description: describe(http.StatusTooManyRequests, wait), RetryAfter: wait}
}

// prune drops the times before since; ts is in ascending order.
func prune(ts []time.Time, since time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(since) {
		i++
	}
	return ts[i:]
}
