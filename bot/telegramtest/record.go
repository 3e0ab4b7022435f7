package telegramtest

import (
	"time"
)

// Call is one request the fake received, failed ones included.
type Call struct {
	Method string
	// Params holds the first value of each parameter, as text.
	Params map[string]string
	// Files holds the uploaded file parts (sendDocument).
	Files []File
	Time  time.Time
	// ContentLength is the request's; -1 when the body was sent chunked.
	ContentLength int64
}

// File is an uploaded file part.
type File struct {
	Field string
	Name  string
	Data  []byte
}

// Message is a message the fake accepted from the bot (sendMessage,
// sendDocument or sendPhoto).
type Message struct {
	ID     int
	ChatID int64
	Method string
	// Text is the message text or the document caption, as sent.
	Text        string
	ParseMode   string
	ReplyMarkup string
	Document    *File
	// Photo is the file_id of a photo sent with sendPhoto.
	Photo string
	// Thread is the forum topic (message_thread_id); 0 when none.
	Thread int
	Time   time.Time
}

// Calls returns the calls of method in arrival order, those still being
// answered (a waiting getUpdates) included; "" returns all calls.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.callsLocked(method)
}

func (s *Server) callsLocked(method string) []Call {
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// WaitCalls waits until at least n calls of method ("" for any) have been
// answered, so that Sent and Texts show their effect, or until timeout
// passes; it returns Calls(method) either way.
func (s *Server) WaitCalls(method string, n int, timeout time.Duration) []Call {
	s.WaitCount(method, n, timeout)
	return s.Calls(method)
}

// WaitCount is WaitCalls without the copy: it returns how many calls of
// method ("" for any) have been answered once there are n or timeout passes.
func (s *Server) WaitCount(method string, n int, timeout time.Duration) int {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		have := s.counts[method]
		if method == "" {
			have = s.done
		}
		wake := s.callWake
		s.mu.Unlock()
		if have >= n {
			return have
		}
		select {
		case <-wake:
		case <-timer.C:
			return have
		}
	}
}

// Count returns how many calls of method have been answered.
func (s *Server) Count(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[method]
}

// Sent returns the messages accepted for chatID, in order.
func (s *Server) Sent(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.sent {
		if m.ChatID == chatID {
			out = append(out, m)
		}
	}
	return out
}

// Texts returns the texts (or captions) of the messages accepted for chatID.
func (s *Server) Texts(chatID int64) []string {
	var out []string
	for _, m := range s.Sent(chatID) {
		out = append(out, m.Text)
	}
	return out
}

// SentCounts returns how many messages were accepted per chat; Sent gives
// their timestamps.
func (s *Server) SentCounts() map[int64]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[int64]int{}
	for _, m := range s.sent {
		out[m.ChatID]++
	}
	return out
}

// Reset forgets the recorded calls and messages (not the queued updates,
// faults or limits), e.g. between benchmark phases.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls, s.sent = nil, nil
	s.counts, s.done = map[string]int{}, 0
}
