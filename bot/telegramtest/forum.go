package telegramtest

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// Topic is a forum topic created with createForumTopic.
type Topic struct {
	ChatID int64
	Thread int
	Name   string
}

// forum is the fake's record of forum topics and left chats; guarded by
// Server.mu.
type forum struct {
	topics    []Topic
	deleted   []Topic
	left      []int64
	nextTopic int
}

// Topics returns the topics created in chatID, in order.
func (s *Server) Topics(chatID int64) []Topic {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Topic
	for _, t := range s.forum.topics {
		if t.ChatID == chatID {
			out = append(out, t)
		}
	}
	return out
}

// Left returns the chats the bot left with leaveChat, in order.
func (s *Server) Left() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int64(nil), s.forum.left...)
}

// createForumTopic answers a new topic with a fresh message_thread_id
// (starting at 100, as the General topic is 1); Telegram takes names of
// 1 to 128 characters.
func (s *Server) createForumTopic(p map[string]string) (any, *APIError) {
	chat, err := chatID(p)
	if err != nil {
		return nil, err
	}
	name := p["name"]
	if n := len(utf16.Encode([]rune(name))); n == 0 || n > 128 {
		return nil, badRequest("TOPIC_NAME_INVALID")
	}
	if chat > 0 {
		return nil, badRequest("the chat is not a forum")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forum.nextTopic++
	t := Topic{ChatID: chat, Thread: 99 + s.forum.nextTopic, Name: name}
	s.forum.topics = append(s.forum.topics, t)
	return models.ForumTopic{MessageThreadID: t.Thread, Name: name}, nil
}

// deleteForumTopic forgets a topic.
func (s *Server) deleteForumTopic(p map[string]string) (any, *APIError) {
	chat, err := chatID(p)
	if err != nil {
		return nil, err
	}
	thread, _ := strconv.Atoi(p["message_thread_id"])
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, t := range s.forum.topics {
		if t.ChatID == chat && t.Thread == thread {
			s.forum.deleted = append(s.forum.deleted, t)
			s.forum.topics = append(s.forum.topics[:i:i], s.forum.topics[i+1:]...)
			return true, nil
		}
	}
	return nil, badRequest("TOPIC_ID_INVALID")
}

func (s *Server) leaveChat(p map[string]string) (any, *APIError) {
	chat, err := chatID(p)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forum.left = append(s.forum.left, chat)
	return true, nil
}

// sendPhoto accepts a photo by file_id (the bot relays, never uploads).
func (s *Server) sendPhoto(p map[string]string, now time.Time) (any, *APIError) {
	chat, err := chatID(p)
	if err != nil {
		return nil, err
	}
	if p["photo"] == "" {
		return nil, badRequest("there is no photo in the request")
	}
	m, apiErr := s.captioned(p, chat, "sendPhoto", now, func(m *Message) { m.Photo = p["photo"] })
	if apiErr != nil {
		return nil, apiErr
	}
	return models.Message{ID: m.ID, Date: int(now.Unix()), From: &s.bot, Chat: chatOfID(chat), Caption: m.Text,
		MessageThreadID: m.Thread, Photo: []models.PhotoSize{{FileID: m.Photo, FileUniqueID: m.Photo, Width: 800, Height: 600}}}, nil
}

// thread reads message_thread_id; 0 when absent.
func thread(p map[string]string) int {
	n, _ := strconv.Atoi(p["message_thread_id"])
	return n
}

// chatOfID is a private chat for a positive id, a supergroup otherwise.
func chatOfID(id int64) models.Chat {
	if id > 0 {
		return privateChat(id)
	}
	return models.Chat{ID: id, Type: models.ChatTypeSupergroup, Title: "Group" + strconv.FormatInt(-id, 10), IsForum: true}
}

// GroupMessage is a message pushed into a group.
type GroupMessage struct {
	ChatID int64
	// Thread is the forum topic; 0 is the group's general topic.
	Thread int
	UserID int64
	Text   string
	// PhotoID, DocumentID: a photo or document sent instead of or with
	// the text (the text is then its caption).
	PhotoID, DocumentID string
}

// PushGroup queues a message from userID in group chatID, in its forum
// topic when Thread is set (is_topic_message, message_thread_id), as a
// supergroup with topics delivers it.
func (s *Server) PushGroup(g GroupMessage) int64 {
	s.mu.Lock()
	s.nextMsg++
	id := s.nextMsg
	lang := s.langs[g.UserID]
	s.mu.Unlock()
	from := user(g.UserID, lang)
	m := &models.Message{ID: id, Date: int(time.Now().Unix()), From: &from, Chat: chatOfID(g.ChatID)}
	if g.Thread != 0 {
		m.IsTopicMessage, m.MessageThreadID = true, g.Thread
	}
	setContent(m, g.Text, g.PhotoID, g.DocumentID)
	return s.Push(models.Update{Message: m})
}

// PushPhoto queues a photo (by file id) with a caption from userID in the
// user's private chat.
func (s *Server) PushPhoto(userID int64, fileID, caption string) int64 {
	m := s.userMessage(userID, "")
	setContent(m, caption, fileID, "")
	return s.Push(models.Update{Message: m})
}

// PushAddedToGroup queues the update Telegram sends when someone adds the
// bot to group chatID (my_chat_member: from left to member).
func (s *Server) PushAddedToGroup(chatID, byUserID int64) int64 {
	by := user(byUserID, "")
	return s.Push(models.Update{MyChatMember: &models.ChatMemberUpdated{
		Chat: chatOfID(chatID), From: by, Date: int(time.Now().Unix()),
		OldChatMember: models.ChatMember{Type: models.ChatMemberTypeLeft, Left: &models.ChatMemberLeft{Status: models.ChatMemberTypeLeft, User: &s.bot}},
		NewChatMember: models.ChatMember{Type: models.ChatMemberTypeMember, Member: &models.ChatMemberMember{Status: models.ChatMemberTypeMember, User: &s.bot}},
	}})
}

// setContent fills a message's text, or its photo or document with the
// text as caption; a text starting with a slash gets a bot_command entity.
func setContent(m *models.Message, text, photoID, documentID string) {
	switch {
	case photoID != "":
		m.Photo = []models.PhotoSize{{FileID: photoID + "-small", FileUniqueID: photoID + "-s", Width: 90, Height: 90},
			{FileID: photoID, FileUniqueID: photoID + "-u", Width: 1280, Height: 960}}
		m.Caption = text
	case documentID != "":
		m.Document = &models.Document{FileID: documentID, FileUniqueID: documentID + "-u", FileName: "berkas.pdf"}
		m.Caption = text
	default:
		m.Text = text
		if strings.HasPrefix(text, "/") {
			cmd, _, _ := strings.Cut(text, " ")
			m.Entities = []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Length: len(utf16.Encode([]rune(cmd)))}}
		}
	}
}
