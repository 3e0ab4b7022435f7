package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// queued is an update as it goes over the wire, encoded when pushed so that
// later changes to the caller's value do not leak in.
type queued struct {
	id  int64
	raw json.RawMessage
}

// Push queues u for getUpdates with a fresh update id, which it returns.
func (s *Server) Push(u models.Update) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextUpdate++
	u.ID = s.nextUpdate
	if u.CallbackQuery != nil && u.CallbackQuery.ID != "" {
		s.callbacks[u.CallbackQuery.ID] = false
	}
	raw, err := json.Marshal(&u)
	if err != nil {
		panic(fmt.Sprintf("telegramtest: encode update: %v", err))
	}
	q := queued{id: u.ID, raw: raw}
	s.pending = append(s.pending, q)
	s.history[u.ID] = q
	s.wakeUpdates()
	return u.ID
}

// PushDuplicate queues an update that was pushed before, with the same update
// id, to test deduplication. Real getUpdates never redelivers a confirmed
// update, but a restart after a crash can; the fake delivers the duplicate
// once, first in the next batch, whatever the offset. It reports whether the
// id was known.
func (s *Server) PushDuplicate(updateID int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.history[updateID]
	if ok {
		s.dups = append(s.dups, q)
		s.wakeUpdates()
	}
	return ok
}

// PushText queues a private text message from userID. A text starting with a
// slash gets a bot_command entity, as Telegram adds one. lang becomes the
// user's language_code, remembered for the user's later pushes.
func (s *Server) PushText(userID int64, text, lang string) int64 {
	m := s.userMessage(userID, lang)
	m.Text = text
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		m.Entities = []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Length: len(utf16.Encode([]rune(cmd)))}}
	}
	return s.Push(models.Update{Message: m})
}

// PushContact queues a shared contact; contactUserID is the Telegram user the
// phone belongs to (the sender's own id when shared with the contact button).
func (s *Server) PushContact(userID int64, phone string, contactUserID int64) int64 {
	m := s.userMessage(userID, "")
	m.Contact = &models.Contact{PhoneNumber: phone, FirstName: m.From.FirstName, UserID: contactUserID}
	return s.Push(models.Update{Message: m})
}

// PushSticker queues a sticker message.
func (s *Server) PushSticker(userID int64) int64 {
	m := s.userMessage(userID, "")
	m.Sticker = &models.Sticker{FileID: "sticker-file", FileUniqueID: "sticker-unique", Type: "regular",
		Width: 512, Height: 512, Emoji: "👍"}
	return s.Push(models.Update{Message: m})
}

// PushCallback queues a tap on an inline button of the bot's message
// messageID in the user's private chat. The message has a non-zero date, or
// go-telegram/bot would decode it as inaccessible.
func (s *Server) PushCallback(userID int64, data string, messageID int) int64 {
	s.mu.Lock()
	s.nextCB++
	id := "cb" + strconv.Itoa(s.nextCB)
	lang := s.langs[userID]
	s.mu.Unlock()
	cq := &models.CallbackQuery{
		ID: id, From: user(userID, lang), ChatInstance: "ci" + strconv.FormatInt(userID, 10), Data: data,
		Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage, Message: &models.Message{
			ID: messageID, Date: int(time.Now().Unix()), From: &s.bot, Chat: privateChat(userID),
		}},
	}
	return s.Push(models.Update{CallbackQuery: cq})
}

// userMessage builds a message from userID in the user's private chat; an
// empty lang keeps the user's last one.
func (s *Server) userMessage(userID int64, lang string) *models.Message {
	s.mu.Lock()
	if lang != "" {
		s.langs[userID] = lang
	}
	lang = s.langs[userID]
	s.nextMsg++
	id := s.nextMsg
	s.mu.Unlock()
	from := user(userID, lang)
	return &models.Message{ID: id, Date: int(time.Now().Unix()), From: &from, Chat: privateChat(userID)}
}

func user(id int64, lang string) models.User {
	return models.User{ID: id, FirstName: "User" + strconv.FormatInt(id, 10), LanguageCode: lang}
}

func privateChat(id int64) models.Chat {
	return models.Chat{ID: id, Type: models.ChatTypePrivate, FirstName: "User" + strconv.FormatInt(id, 10)}
}

// wakeUpdates releases every waiting getUpdates; s.mu must be held.
func (s *Server) wakeUpdates() {
	close(s.updWake)
	s.updWake = make(chan struct{})
}

// getUpdates confirms (drops) updates below offset, then blocks until an
// update is queued, min(timeout, max wait) passes, or the client goes away.
// It answers a JSON array, never null.
func (s *Server) getUpdates(ctx context.Context, p map[string]string) (any, *APIError) {
	offset, _ := strconv.ParseInt(p["offset"], 10, 64)
	timeout, _ := strconv.Atoi(p["timeout"])
	limit, err := strconv.Atoi(p["limit"])
	if err != nil || limit <= 0 || limit > 100 {
		limit = 100
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhook != "" {
		return nil, &APIError{Code: http.StatusConflict,
			Description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	// Telegram serves one long poll per token at a time.
	if s.polling > 0 {
		s.overlaps++
		return nil, &APIError{Code: http.StatusConflict,
			Description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
	}
	s.polling++
	defer func() { s.polling-- }()
	wait := min(time.Duration(timeout)*time.Second, s.maxWait)
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		kept := s.pending[:0]
		for _, q := range s.pending {
			if q.id >= offset {
				kept = append(kept, q)
			}
		}
		s.pending = kept
		if len(s.pending)+len(s.dups) > 0 || s.closed {
			batch := make([]json.RawMessage, 0, limit)
			for _, q := range s.dups {
				batch = append(batch, q.raw)
			}
			s.dups = nil
			for _, q := range s.pending {
				if len(batch) == limit {
					break
				}
				batch = append(batch, q.raw)
			}
			return batch, nil
		}
		wake := s.updWake
		s.mu.Unlock()
		select {
		case <-wake:
		case <-timer.C:
			s.mu.Lock()
			return []json.RawMessage{}, nil
		case <-ctx.Done():
			s.mu.Lock()
			return []json.RawMessage{}, nil
		}
		s.mu.Lock()
	}
}

// OverlappingPolls is how many getUpdates calls came while another was
// still waiting (answered 409, as Telegram does when two instances poll).
func (s *Server) OverlappingPolls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.overlaps
}
