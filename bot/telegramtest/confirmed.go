package telegramtest

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
