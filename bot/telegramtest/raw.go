package telegramtest

import (
	"encoding/json"
	"fmt"
)

// PushRaw queues an update given as raw JSON, with a fresh update id
// (which it returns) in place of any it has. It serves what
// go-telegram/bot's models cannot decode: a new enum value, a field of the
// wrong type, a new update type.
func (s *Server) PushRaw(update string) int64 {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(update), &obj); err != nil {
		panic(fmt.Sprintf("telegramtest: PushRaw: %v", err))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextUpdate++
	id := s.nextUpdate
	obj["update_id"] = json.RawMessage(fmt.Sprint(id))
	raw, err := json.Marshal(obj)
	if err != nil {
		panic(fmt.Sprintf("telegramtest: PushRaw: %v", err))
	}
	q := queued{id: id, raw: raw}
	s.pending = append(s.pending, q)
	s.history[id] = q
	s.wakeUpdates()
	return id
}
