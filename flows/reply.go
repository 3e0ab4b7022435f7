package flows

import "time"

// Text is a localisable message: a message ID in locales/ and the data for
// its template. Data values may themselves be Text (rendered in the same
// language first), []Text (rendered and joined by new lines), or plain
// values (escaped by the transport). A Text with Raw set and no ID is shown
// as is (escaped): names of places, businesses, people.
type Text struct {
	ID   string
	Data map[string]any
	Raw  string
}

// T builds a Text from a message ID and key/value pairs.
func T(id string, kv ...any) Text {
	t := Text{ID: id}
	if len(kv) > 0 {
		t.Data = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			k, _ := kv[i].(string)
			t.Data[k] = kv[i+1]
		}
	}
	return t
}

// Raw builds a Text that is shown as is.
func Raw(s string) Text { return Text{Raw: s} }

// IsZero reports whether t says nothing.
func (t Text) IsZero() bool { return t.ID == "" && t.Raw == "" }

// Button is one inline button. Data is the choice as the flow sees it; the
// engine prefixes it with the flow and step so that a tap on an old message
// can be recognised. Data starting with a slash is a command ("/berhenti")
// that works whatever the step. A URL button opens a link instead.
type Button struct {
	Label Text
	Data  string
	URL   string
}

// Btn builds a button with a localised label.
func Btn(labelID, data string) Button { return Button{Label: T(labelID), Data: data} }

// Document is a file sent with a reply (CSV exports).
type Document struct {
	Name    string
	Content []byte
}

// Reply is one message to send. It carries no rendered text: the transport
// renders Text in Lang.
type Reply struct {
	Text
	// To is the recipient chat; 0 means the chat of the update.
	To int64
	// Lang is the language to render in; the engine fills it.
	Lang    string
	Buttons [][]Button
	// AskContact shows the "Bagikan nomor" reply-keyboard button.
	AskContact bool
	// RemoveKeyboard hides a reply keyboard shown before.
	RemoveKeyboard bool
	// Toast is shown as a short notice on the tapped button when the update
	// was a tap (Telegram's answerCallbackQuery), as a message otherwise.
	Toast bool
	// Document, when set, is sent as a file with the text as caption.
	Document *Document
	// Media, when set, relays a photo or document by file id, with the
	// text as caption.
	Media *Media
	// Topic, when set, places the reply in a forum topic of the group To.
	Topic *Topic
	// Edit, when not 0, is the id of a message the bot sent to To before:
	// the transport edits it in place instead of sending a new one
	// (progress of a broadcast).
	Edit int
}

// Topic is a forum topic of a group: Thread when the transport's topic id
// is known, else the topic the transport keeps for Key, which it creates
// with Name the first time. The JSON tags are its wire form (codec.go).
type Topic struct {
	Thread int64  `json:"th"`
	Key    int64  `json:"k"`
	Name   string `json:"n,omitempty"`
}

// Say builds a reply from a message ID and key/value pairs.
func Say(id string, kv ...any) Reply { return Reply{Text: T(id, kv...)} }

// WithButtons returns r with one button per row.
func (r Reply) WithButtons(bs ...Button) Reply {
	for _, b := range bs {
		r.Buttons = append(r.Buttons, []Button{b})
	}
	return r
}

// WithRow returns r with one more row of buttons.
func (r Reply) WithRow(bs ...Button) Reply {
	r.Buttons = append(r.Buttons, bs)
	return r
}

// Rupiah is an amount of money in whole rupiah; the renderer writes it the
// Indonesian way ("Rp1.500.000").
type Rupiah int64

// Date is a calendar day; the renderer writes it in WIB ("Selasa, 12 Juli
// 2022").
type Date time.Time

// DateTime is a moment; the renderer writes it in WIB ("Selasa, 12 Juli
// 2022 pukul 09.30 WIB").
type DateTime time.Time

// Clock is a time of day; the renderer writes it in WIB ("pukul 09.30 WIB").
type Clock time.Time

// HTML is text already in Telegram's HTML subset, checked and escaped by
// whoever built it (a staff announcement converted from Telegram's
// entities). The renderer inserts it as is.
type HTML string
