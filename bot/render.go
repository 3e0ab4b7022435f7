package bot

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/diskum-tangerang/umkmbot/flows"
)

// Telegram's length limits, in UTF-16 units. The HTML source is measured, which
// is never shorter than what Telegram counts after parsing.
const (
	maxMessageLen = 4096
	maxCaptionLen = 1024
	maxToastLen   = 200
)

// shareContactLabel is the message ID of the reply-keyboard button that
// shares the user's phone number.
const shareContactLabel = "btn_share_phone"

// Keyboards are sent as our own types rather than the library's:
// tgm.InlineKeyboardButton always serialises "copy_text":{"text":""}, which
// Telegram may refuse with BUTTON_COPY_TEXT_INVALID (stack.md §1.7).
type inlineKeyboard struct {
	InlineKeyboard [][]inlineButton `json:"inline_keyboard"`
}

type inlineButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data,omitempty"`
	URL          string `json:"url,omitempty"`
}

type replyKeyboard struct {
	Keyboard        [][]replyButton `json:"keyboard"`
	ResizeKeyboard  bool            `json:"resize_keyboard"`
	OneTimeKeyboard bool            `json:"one_time_keyboard"`
}

type replyButton struct {
	Text           string `json:"text"`
	RequestContact bool   `json:"request_contact,omitempty"`
}

type removeKeyboard struct {
	RemoveKeyboard bool `json:"remove_keyboard"`
}

// markup returns r's keyboard, or nil. A message carries one keyboard, so
// AskContact wins over Buttons, and Buttons over RemoveKeyboard.
func (b *Bot) markup(lang string, r flows.Reply) any {
	switch {
	case r.AskContact:
		label := b.r.Label(lang, flows.T(shareContactLabel))
		return replyKeyboard{Keyboard: [][]replyButton{{{Text: label, RequestContact: true}}},
			ResizeKeyboard: true, OneTimeKeyboard: true}
	case len(r.Buttons) > 0:
		kb := inlineKeyboard{InlineKeyboard: make([][]inlineButton, 0, len(r.Buttons))}
		for _, row := range r.Buttons {
			if len(row) == 0 {
				continue
			}
			out := make([]inlineButton, 0, len(row))
			for _, btn := range row {
				ib := inlineButton{Text: b.r.Label(lang, btn.Label)}
				if btn.URL != "" {
					ib.URL = btn.URL
				} else {
					ib.CallbackData = btn.Data
				}
				out = append(out, ib)
			}
			kb.InlineKeyboard = append(kb.InlineKeyboard, out)
		}
		return kb
	case r.RemoveKeyboard:
		return removeKeyboard{RemoveKeyboard: true}
	}
	return nil
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// truncate cuts s to at most limit UTF-16 units, on a rune boundary.
func truncate(s string, limit int) string {
	n := 0
	for i, r := range s {
		if n += utf16.RuneLen(r); n > limit {
			return s[:i]
		}
	}
	return s
}

// splitText cuts an HTML text into parts of at most limit UTF-16 units:
// after the last line break that fits, else after the last space, else
// before a tag or entity that would be cut, else anywhere between runes.
// Line breaks at the cuts are dropped; a tag that spans lines may still be
// cut in two.
func splitText(s string, limit int) []string {
	var parts []string
	for utf16Len(s) > limit {
		head := truncate(s, limit)
		if head == "" { // limit below one rune: never in practice, but never loop forever
			_, size := utf8.DecodeRuneInString(s)
			head = s[:size]
		}
		cut := len(head)
		switch i := strings.LastIndexByte(head, '\n'); {
		case i > 0:
			cut = i + 1
		default:
			if j := strings.LastIndexByte(head, ' '); j > 0 {
				cut = j + 1
			} else if k := strings.LastIndexAny(head, "<&"); k > 0 && !strings.ContainsAny(head[k:], ">;") {
				cut = k
			}
		}
		if part := strings.TrimRight(s[:cut], "\n"); part != "" {
			parts = append(parts, part)
		}
		s = strings.TrimLeft(s[cut:], "\n")
	}
	if s != "" || len(parts) == 0 {
		parts = append(parts, s)
	}
	return parts
}
