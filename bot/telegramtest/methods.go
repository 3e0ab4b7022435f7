package telegramtest

import (
	"encoding/json"
	"html"
	"regexp"
	"strconv"
	"time"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// Telegram's limits on text, in characters after entity parsing.
const (
	maxText    = 4096
	maxCaption = 1024
	maxToast   = 200
)

var htmlTag = regexp.MustCompile(`<[^>]*>`)

// visibleLen approximates how Telegram counts a text: UTF-16 units after
// removing HTML tags and decoding entities when parse_mode is HTML.
func visibleLen(text, parseMode string) int {
	if parseMode == "HTML" {
		text = html.UnescapeString(htmlTag.ReplaceAllString(text, ""))
	}
	return len(utf16.Encode([]rune(text)))
}

func checkMarkup(p map[string]string) *APIError {
	if m, ok := p["reply_markup"]; ok && !json.Valid([]byte(m)) {
		return badRequest("can't parse reply keyboard markup JSON object")
	}
	return nil
}

func (s *Server) sendMessage(p map[string]string, now time.Time) (any, *APIError) {
	chat, err := chatID(p)
	if err != nil {
		return nil, err
	}
	text := p["text"]
	switch n := visibleLen(text, p["parse_mode"]); {
	case n == 0:
		return nil, badRequest("message text is empty")
	case n > maxText:
		return nil, badRequest("message is too long")
	}
	if err := checkMarkup(p); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextMsg++
	m := Message{ID: s.nextMsg, ChatID: chat, Method: "sendMessage", Text: text, ParseMode: p["parse_mode"],
		ReplyMarkup: p["reply_markup"], Thread: thread(p), Time: now}
	s.sent = append(s.sent, m)
	return models.Message{ID: m.ID, Date: int(now.Unix()), From: &s.bot, Chat: chatOfID(chat), Text: text,
		MessageThreadID: m.Thread}, nil
}

func (s *Server) sendDocument(p map[string]string, files []File, now time.Time) (any, *APIError) {
	chat, err := chatID(p)
	if err != nil {
		return nil, err
	}
	var doc *File
	for i := range files {
		if files[i].Field == "document" {
			doc = &files[i]
		}
	}
	if doc == nil && p["document"] != "" {
		doc = &File{Field: "document", Name: p["document"]} // a file_id or URL
	}
	if doc == nil {
		return nil, badRequest("there is no document in the request")
	}
	m, apiErr := s.captioned(p, chat, "sendDocument", now, func(m *Message) { m.Document = doc })
	if apiErr != nil {
		return nil, apiErr
	}
	fileID := "doc" + strconv.Itoa(m.ID)
	return models.Message{ID: m.ID, Date: int(now.Unix()), From: &s.bot, Chat: chatOfID(chat), Caption: m.Text,
		MessageThreadID: m.Thread,
		Document:        &models.Document{FileID: fileID, FileUniqueID: fileID, FileName: doc.Name, FileSize: int64(len(doc.Data))}}, nil
}

// edit answers editMessageText and editMessageReplyMarkup: true for inline
// messages, the edited message otherwise.
func (s *Server) edit(method string, p map[string]string, now time.Time) (any, *APIError) {
	if err := checkMarkup(p); err != nil {
		return nil, err
	}
	if method == "editMessageText" && visibleLen(p["text"], p["parse_mode"]) == 0 {
		return nil, badRequest("message text is empty")
	}
	if p["inline_message_id"] != "" {
		return true, nil
	}
	chat, err := chatID(p)
	if err != nil {
		return nil, err
	}
	id, convErr := strconv.Atoi(p["message_id"])
	if convErr != nil || id <= 0 {
		return nil, badRequest("message to edit not found")
	}
	return models.Message{ID: id, Date: int(now.Unix()), EditDate: int(now.Unix()), From: &s.bot,
		Chat: privateChat(chat), Text: p["text"]}, nil
}

// answerCallback accepts each pushed callback query id once, as Telegram
// refuses a second answer.
func (s *Server) answerCallback(p map[string]string) (any, *APIError) {
	id := p["callback_query_id"]
	s.mu.Lock()
	defer s.mu.Unlock()
	answered, known := s.callbacks[id]
	if !known || answered {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	if visibleLen(p["text"], "") > maxToast {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	s.callbacks[id] = true
	return true, nil
}

// captioned checks the caption and keyboard of a media message to chat,
// records it (set adds the media) and returns it.
func (s *Server) captioned(p map[string]string, chat int64, method string, now time.Time, set func(*Message)) (Message, *APIError) {
	if visibleLen(p["caption"], p["parse_mode"]) > maxCaption {
		return Message{}, badRequest("message caption is too long")
	}
	if err := checkMarkup(p); err != nil {
		return Message{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextMsg++
	m := Message{ID: s.nextMsg, ChatID: chat, Method: method, Text: p["caption"], ParseMode: p["parse_mode"],
		ReplyMarkup: p["reply_markup"], Thread: thread(p), Time: now}
	set(&m)
	s.sent = append(s.sent, m)
	return m, nil
}
