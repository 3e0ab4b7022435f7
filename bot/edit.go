package bot

import (
	"context"
	"errors"
	"strings"

	tg "github.com/go-telegram/bot"
	tgm "github.com/go-telegram/bot/models"
)

// editText replaces the text and inline keyboard of message id in chatID
// (flows.Reply.Edit) and returns id. Only an inline keyboard can go on an
// edited message, so another keyboard is left out, and no keyboard removes
// the old one. A text too long for one message keeps its first part.
// Telegram's "message is not modified" means the message already reads
// so: success.
func (b *Bot) editText(ctx context.Context, chatID int64, id int, text string, markup any, retry bool) (int, error) {
	p := &tg.EditMessageTextParams{ChatID: chatID, MessageID: id, Text: splitText(text, maxMessageLen)[0],
		ParseMode: tgm.ParseModeHTML}
	if kb, ok := markup.(inlineKeyboard); ok {
		p.ReplyMarkup = kb
	}
	_, err := call(ctx, b, "editMessageText", retry, func() (*tgm.Message, error) { return b.api.EditMessageText(ctx, p) })
	if err != nil && !notModified(err) {
		return 0, err
	}
	return id, nil
}

// notModified reports Telegram's answer to an edit that changes nothing.
func notModified(err error) bool {
	return errors.Is(err, tg.ErrorBadRequest) && strings.Contains(err.Error(), "message is not modified")
}
