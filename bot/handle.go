package bot

import (
	"context"
	"errors"
	"strings"

	tg "github.com/go-telegram/bot"
	tgm "github.com/go-telegram/bot/models"

	"github.com/diskum-tangerang/umkmbot/flows"
)

// takeToast removes the first toast addressed to the tapping chat from
// replies and returns its plain text for answerCallbackQuery.
func (b *Bot) takeToast(in flows.Update, replies *[]flows.Reply) string {
	for i, r := range *replies {
		if r.Toast && (r.To == 0 || r.To == in.ChatID) {
			*replies = append((*replies)[:i:i], (*replies)[i+1:]...)
			return truncate(b.r.Label(r.Lang, r.Text), maxToastLen)
		}
	}
	return ""
}

func (b *Bot) answer(ctx context.Context, u *tgm.Update, text string) {
	p := &tg.AnswerCallbackQueryParams{CallbackQueryID: u.CallbackQuery.ID, Text: text}
	_, err := b.api.AnswerCallbackQuery(ctx, p)
	b.apiResult("answerCallbackQuery", err)
	if err != nil {
		b.log.Warn("answer callback query failed", "update_id", u.ID, "chat_id", chatOf(u), "err", redact(err))
	}
}

func (b *Bot) logSendError(updateID, chatID int64, msgID string, err error) {
	switch {
	case IsBlocked(err):
		b.log.Info("recipient unreachable", "update_id", updateID, "chat_id", chatID, "msg", msgID, "err", redact(err))
	case errors.Is(err, ErrEmptyReply):
		b.log.Error("empty reply not sent", "update_id", updateID, "chat_id", chatID, "msg", msgID)
	default:
		b.log.Warn("telegram send failed", "update_id", updateID, "chat_id", chatID, "msg", msgID, "err", redact(err))
	}
}

// redact returns err's text without a response body echoed by the library
// (it can hold the message that was sent).
func redact(err error) string {
	const marker = "error decode response body for method "
	msg := err.Error()
	if i := strings.Index(msg, marker); i >= 0 {
		method, _, _ := strings.Cut(msg[i+len(marker):], ",")
		msg = msg[:i] + marker + method
	}
	return msg
}
