package telegramtest

// Messages returns every message accepted from the bot, all chats, in the
// order they were accepted: one copy for a tally at the end of a run
// (Sent would scan the record once per chat).
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.sent...)
}
