package bot

import (
	tgm "github.com/go-telegram/bot/models"

	"github.com/diskum-tangerang/umkmbot/flows"
)

// toFlows converts a Telegram update into the engine's Update. It reports
// false for what the bot ignores: edited messages, channel posts, messages
// without a sender, and every other update type.
//
// A text carries its formatting entities as Telegram HTML (messageHTML).
// A contact is passed on with the id of the user it belongs to, even when
// that is not the sender: the engine decides what to do with someone else's
// card. A photo or document becomes KindMedia by file id, its caption the
// text. Anything else (stickers, voice notes, locations, ...) becomes
// KindUnsupported. A message from a group (the staff group: the bot leaves
// any other, foreign) is marked Group, with its forum topic.
func toFlows(u *tgm.Update) (flows.Update, bool) {
	switch {
	case u.Message != nil:
		m := u.Message
		if m.From == nil {
			return flows.Update{}, false
		}
		var in flows.Update
		switch {
		case m.Text != "":
			in = flows.NewText(m.From.ID, m.Chat.ID, m.Text)
			in.HTML = messageHTML(m.Text, m.Entities)
		case m.Contact != nil:
			in.Kind = flows.KindContact
			in.Contact = &flows.Contact{Phone: m.Contact.PhoneNumber, UserID: m.Contact.UserID}
		case mediaOf(m) != nil:
			in = flows.NewText(m.From.ID, m.Chat.ID, m.Caption)
			in.HTML = messageHTML(m.Caption, m.CaptionEntities)
			in.Command, in.Args = "", ""
			in.Kind, in.Media = flows.KindMedia, mediaOf(m)
		default:
			in.Kind = flows.KindUnsupported
		}
		if m.Chat.Type != tgm.ChatTypePrivate && m.Chat.Type != "" {
			in.Group = true
			if m.IsTopicMessage {
				in.Thread = int64(m.MessageThreadID)
			}
		}
		in.ID, in.UserID, in.ChatID = u.ID, m.From.ID, m.Chat.ID
		in.FirstName, in.LanguageCode = m.From.FirstName, m.From.LanguageCode
		return in, true
	case u.CallbackQuery != nil:
		cq := u.CallbackQuery
		return flows.Update{
			ID: u.ID, UserID: cq.From.ID, ChatID: chatOf(u),
			FirstName: cq.From.FirstName, LanguageCode: cq.From.LanguageCode,
			Kind: flows.KindButton, Button: cq.Data,
		}, true
	}
	return flows.Update{}, false
}

// chatOf returns the chat an update belongs to, the serializer's key. A
// callback on a message the bot can no longer see falls back to the user's
// private chat.
func chatOf(u *tgm.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat.ID
	case u.CallbackQuery != nil:
		cq := u.CallbackQuery
		if m := cq.Message.Message; m != nil && m.Chat.ID != 0 {
			return m.Chat.ID
		}
		if im := cq.Message.InaccessibleMessage; im != nil && im.Chat.ID != 0 {
			return im.Chat.ID
		}
		return cq.From.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.Chat.ID
	}
	return 0
}
