package telegramtest

import "time"

// Confirmed reports whether the update with id was confirmed by the bot: a
// getUpdates offset above it dropped it from the queue. It is false for an
// update still waiting to be confirmed, and for an unknown id.
func (s *Server) Confirmed(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.history[id]; !ok {
		return false
	}
	for _, q := range s.pending {
		if q.id == id {
			return false
		}
	}
	return true
}

// Await waits until cond holds, checking it again each time the fake
// answers a call (the bot's long poll answers at least every max wait), and
// reports whether it held before timeout. timeout only bounds a test that
// would otherwise hang; nothing is measured.
func (s *Server) Await(timeout time.Duration, cond func() bool) bool {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		wake := s.callWake
		s.mu.Unlock()
		if cond() {
			return true
		}
		select {
		case <-wake:
		case <-timer.C:
			return cond()
		}
	}
}

// AwaitConfirmed waits until the bot confirmed update id (Confirmed).
func (s *Server) AwaitConfirmed(id int64, timeout time.Duration) bool {
	return s.Await(timeout, func() bool { return s.Confirmed(id) })
}
