package flows

import (
	"strings"
	"time"
)

// Kind says what an update carries.
type Kind int

const (
	// KindText is a typed message (commands included: see Update.Command).
	KindText Kind = iota
	// KindButton is a tap on an inline button; Update.Button holds its data.
	KindButton
	// KindContact is a shared phone contact; Update.Contact holds it.
	KindContact
	// KindUnsupported is a sticker, voice note, location or anything else
	// the bot cannot read.
	KindUnsupported
	// KindMedia is a photo or a document; Update.Media holds it and Text
	// its caption. Only steps that take media (Step.Media) and the flow
	// that passes messages on to staff (Config.NotUnderstood) read it;
	// elsewhere it is answered as unsupported.
	KindMedia
)

// Media kinds.
const (
	MediaPhoto    = "photo"
	MediaDocument = "document"
)

// Media is a photo or a document, by the transport's file id: it is relayed,
// never downloaded.
// The JSON tags are its wire form in the record of replies (codec.go).
type Media struct {
	Kind   string `json:"k"` // MediaPhoto or MediaDocument
	FileID string `json:"f"`
}

// Update is one input from a user, whatever the transport.
type Update struct {
	// ID is the transport's update id, used to drop redeliveries; 0 when the
	// transport has none.
	ID     int64
	UserID int64
	ChatID int64
	// FirstName is the user's first name as the transport knows it.
	FirstName string
	// LanguageCode is the language the user's client reports ("id", "en",
	// "pt-br", ""); used only until the user picks one.
	LanguageCode string
	Kind         Kind
	// Text is the message text, trimmed.
	Text string
	// HTML is the text with the formatting the user gave it (bold, italic,
	// links, ...) as escaped Telegram HTML; the transport fills it, and it
	// equals the escaped Text when there is no formatting.
	HTML string
	// Command is set when Text starts with a slash: lower-case, without the
	// slash and without an "@botname" suffix. Args is the rest of the text.
	Command string
	Args    string
	// Button is the callback data of a tapped button.
	Button string
	// Contact is set for KindContact.
	Contact *Contact
	// Media is set for KindMedia.
	Media *Media
	// Group marks an update from the staff group (not a private chat);
	// the engine gives it to Config.Room. Thread is its forum topic (the
	// message_thread_id), 0 outside a topic.
	Group  bool
	Thread int64
	// Received is when the transport recorded the update; zero when it
	// does not say. An answer received before the previous reply was
	// delivered was given without seeing it.
	Received time.Time
}

// Contact is a phone number shared with the "Bagikan nomor" button.
type Contact struct {
	Phone string
	// UserID is the Telegram user the contact belongs to; 0 when unknown.
	UserID int64
}

// MaxTextLen is the longest answer a step reads unless it says otherwise
// (Step.MaxLen); longer input is refused politely.
const MaxTextLen = 1000

// MaxMessageLen is Telegram's own limit on a message, the most any step
// may read.
const MaxMessageLen = 4096

// ParseCommand splits "/start@umkm_bot payload" into ("start", "payload").
// It returns ok=false when text is not a command.
func ParseCommand(text string) (cmd, args string, ok bool) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "/") || len(text) < 2 {
		return "", "", false
	}
	head, rest, _ := strings.Cut(text[1:], " ")
	head, _, _ = strings.Cut(head, "@")
	if head == "" {
		return "", "", false
	}
	return strings.ToLower(head), strings.TrimSpace(rest), true
}

// NewText builds a text update, filling Command and Args.
func NewText(userID, chatID int64, text string) Update {
	u := Update{UserID: userID, ChatID: chatID, Kind: KindText, Text: strings.TrimSpace(text)}
	u.Command, u.Args, _ = ParseCommand(u.Text)
	return u
}
