package bot

import (
	"context"
	"fmt"

	tg "github.com/go-telegram/bot"
	tgm "github.com/go-telegram/bot/models"

	"github.com/diskum-tangerang/umkmbot/flows"
)

// Topics keeps the forum topic (message_thread_id) of each key (a ticket)
// in the staff group. cmd/umkmbot backs it with the ticket store.
type Topics interface {
	// TopicOf returns key's topic, 0 when it has none yet.
	TopicOf(ctx context.Context, key int64) (int64, error)
	// SetTopic records key's topic unless one is recorded already, and
	// returns the one recorded.
	SetTopic(ctx context.Context, key, thread int64) (int64, error)
}

// foreign reports whether u comes from a group or channel that is not the
// staff group (Config.StaffGroup), or says the bot was added to one: the
// bot leaves it and the update is not handled. A change of the bot's own
// membership is never handled either.
func (b *Bot) foreign(ctx context.Context, u *tgm.Update) bool {
	var chat tgm.Chat
	switch {
	case u.Message != nil:
		chat = u.Message.Chat
	case u.MyChatMember != nil:
		chat = u.MyChatMember.Chat
		switch u.MyChatMember.NewChatMember.Type {
		case tgm.ChatMemberTypeLeft, tgm.ChatMemberTypeBanned:
			return true // it left or was removed: nothing to do
		}
	default:
		return false
	}
	if chat.Type == tgm.ChatTypePrivate || chat.Type == "" {
		return u.MyChatMember != nil
	}
	if chat.ID == b.cfg.StaffGroup && b.cfg.StaffGroup != 0 {
		return u.MyChatMember != nil
	}
	_, err := b.api.LeaveChat(ctx, &tg.LeaveChatParams{ChatID: chat.ID})
	b.apiResult("leaveChat", err)
	if err != nil {
		b.log.Warn("leave a chat that is not the staff group", "update_id", u.ID, "chat_id", chat.ID,
			"chat_type", string(chat.Type), "err", redact(err))
		return true
	}
	b.log.Info("left a chat that is not the staff group", "update_id", u.ID, "chat_id", chat.ID,
		"chat_type", string(chat.Type))
	return true
}

// thread returns the message_thread_id a reply goes to: its topic's
// thread, or the topic kept for its key, created (createForumTopic, named
// Topic.Name) the first time. Creation is serialized in this process, and
// of two replicas creating one at once, the topic recorded first is used
// and the other deleted.
func (b *Bot) thread(ctx context.Context, chatID int64, r flows.Reply, retry bool) (int, error) {
	t := r.Topic
	switch {
	case t == nil:
		return 0, nil
	case t.Thread != 0:
		return int(t.Thread), nil
	case t.Key == 0 || b.cfg.Topics == nil:
		return 0, nil
	}
	b.topicMu.Lock()
	defer b.topicMu.Unlock()
	have, err := b.cfg.Topics.TopicOf(ctx, t.Key)
	if err != nil || have != 0 {
		return int(have), err
	}
	name := t.Name
	if name == "" {
		name = fmt.Sprintf("#%d", t.Key)
	}
	ft, err := call(ctx, b, "createForumTopic", retry, func() (*tgm.ForumTopic, error) {
		return b.api.CreateForumTopic(ctx, &tg.CreateForumTopicParams{ChatID: chatID, Name: name})
	})
	if err != nil {
		return 0, err
	}
	got, err := b.cfg.Topics.SetTopic(ctx, t.Key, int64(ft.MessageThreadID))
	if err != nil {
		return 0, fmt.Errorf("record topic of %d: %w", t.Key, err)
	}
	if got != int64(ft.MessageThreadID) {
		_, derr := b.api.DeleteForumTopic(ctx, &tg.DeleteForumTopicParams{ChatID: chatID, MessageThreadID: ft.MessageThreadID})
		b.apiResult("deleteForumTopic", derr)
	}
	return int(got), nil
}

// sendMedia relays a photo or document by its file id with the text as
// caption; a text too long for a caption goes first as message(s) of its
// own.
func (b *Bot) sendMedia(ctx context.Context, chatID int64, thread int, text string, markup any, m *flows.Media, retry bool) (int, error) {
	caption := text
	if utf16Len(caption) > maxCaptionLen {
		if _, err := b.sendText(ctx, chatID, thread, text, nil, retry); err != nil {
			return 0, err
		}
		caption = ""
	}
	mode := tgm.ParseMode("")
	if caption != "" {
		mode = tgm.ParseModeHTML
	}
	file := &tgm.InputFileString{Data: m.FileID}
	if m.Kind == flows.MediaPhoto {
		msg, err := call(ctx, b, "sendPhoto", retry, func() (*tgm.Message, error) {
			p := &tg.SendPhotoParams{ChatID: chatID, MessageThreadID: thread, Photo: file, Caption: caption, ParseMode: mode}
			if markup != nil {
				p.ReplyMarkup = markup
			}
			return b.api.SendPhoto(ctx, p)
		})
		if err != nil {
			return 0, err
		}
		return msg.ID, nil
	}
	msg, err := call(ctx, b, "sendDocument", retry, func() (*tgm.Message, error) {
		p := &tg.SendDocumentParams{ChatID: chatID, MessageThreadID: thread, Document: file, Caption: caption, ParseMode: mode}
		if markup != nil {
			p.ReplyMarkup = markup
		}
		return b.api.SendDocument(ctx, p)
	})
	if err != nil {
		return 0, err
	}
	return msg.ID, nil
}

// mediaOf reads a photo (its largest size) or a document of a message.
func mediaOf(m *tgm.Message) *flows.Media {
	switch {
	case len(m.Photo) > 0:
		return &flows.Media{Kind: flows.MediaPhoto, FileID: m.Photo[len(m.Photo)-1].FileID}
	case m.Document != nil && m.Document.FileID != "":
		return &flows.Media{Kind: flows.MediaDocument, FileID: m.Document.FileID}
	}
	return nil
}
