package main

import (
	"encoding/json"
	"html"
	"regexp"
	"strconv"
	"strings"
)

// Kind is what a message from the bot means to an owner.
type Kind int

// The kinds of message an owner tells apart.
const (
	KindOther     Kind = iota // anything else: recorded, not answered
	KindInfo                  // a known message that asks nothing ("✅ Nomor HP dicatat")
	KindQuestion              // a question of the registration
	KindSaved                 // the registration was saved, with its number
	KindDuplicate             // the bot says the business is already registered
)

// Button is an inline button of a message.
type Button struct {
	Label string
	Data  string // callback_data
}

// Seen is a message from the bot as an owner understands it.
type Seen struct {
	Kind Kind
	// Question is the question's key: the state name ("sector"), or for a
	// page of the kecamatan keyboard "kec@" and the choice of its first
	// button ("kec@360301"), as each page asks the question anew.
	Question string
	State    string // the state alone
	Buttons  []Button
	Number   string // KindSaved: the registration number
	Text     string // the text with HTML removed
}

// flowPrefix starts the callback data of the registration's own buttons:
// "reg.<state>:<choice>".
const flowPrefix = "reg."

// textQuestions recognise the questions that carry no inline buttons by a
// fragment of their Indonesian text (HTML removed). TestTextQuestions
// checks each against the bot's locale file: present in the prompt, absent
// from every other message.
var textQuestions = []struct{ state, fragment string }{
	{qName, "nama lengkap Anda sesuai KTP"},
	{qNIK, "NIK Anda (16 angka"},
	{qPhone, "Sekarang nomor HP Anda yang aktif"},
	{qBiz, "Apa nama usaha Anda?"},
	{qProducts, "Tulis singkat produk atau jasa usaha Anda"},
	{qAddress, "Ketik alamat usaha Anda"},
	{qYear, "Tahun berapa usaha Anda mulai berjalan"},
	{qWorkers, "tenaga kerja usaha Anda, termasuk Anda sendiri"},
	{qCapital, "modal usaha Anda saat ini"},
}

// Fragments of the other messages an owner recognises.
const (
	savedFragment     = "Pendaftaran berhasil. Nomor pendaftaran Anda:"
	duplicateFragment = "dengan NIK ini sudah terdaftar"
)

// infoFragments are messages that come between questions and ask nothing.
var infoFragments = []string{
	"Nomor HP dicatat",               // reg_phone_ok
	"NIB bisa dibuat gratis",         // reg_nib_training
	"Ada yang bisa kami bantu?",      // the menu after saving
	"sudah menyetujui pemberitahuan", // reg_consent_known
}

var (
	tagRE    = regexp.MustCompile(`<[^>]*>`)
	numberRE = regexp.MustCompile(`UMKM-\d{4}-\d{4}-\d+`)
)

// plainText removes HTML the way Telegram shows the text.
func plainText(s string) string { return html.UnescapeString(tagRE.ReplaceAllString(s, "")) }

// inlineButtons reads the inline keyboard of a reply_markup.
func inlineButtons(markup string) []Button {
	if markup == "" {
		return nil
	}
	var m struct {
		Inline [][]struct {
			Text string `json:"text"`
			Data string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if json.Unmarshal([]byte(markup), &m) != nil {
		return nil
	}
	var out []Button
	for _, row := range m.Inline {
		for _, b := range row {
			out = append(out, Button{Label: b.Text, Data: b.Data})
		}
	}
	return out
}

// Recognise tells what a message asks: by the state in the callback data
// of its buttons where it has the registration's buttons, else by its text.
func Recognise(text, markup string) Seen {
	s := Seen{Text: plainText(text), Buttons: inlineButtons(markup)}
	for _, b := range s.Buttons {
		key, choice, ok := strings.Cut(b.Data, ":")
		state, isReg := strings.CutPrefix(key, flowPrefix)
		if !ok || !isReg || state == "" {
			continue
		}
		s.Kind, s.State, s.Question = KindQuestion, state, state
		if state == qKec {
			s.Question = qKec + "@" + choice // a page of the keyboard is named by its first kecamatan
		}
		return s
	}
	switch {
	case strings.Contains(s.Text, savedFragment):
		s.Kind, s.Number = KindSaved, numberRE.FindString(s.Text)
		return s
	case strings.Contains(s.Text, duplicateFragment):
		s.Kind, s.Number = KindDuplicate, numberRE.FindString(s.Text)
		return s
	}
	for _, q := range textQuestions {
		if strings.Contains(s.Text, q.fragment) {
			s.Kind, s.State, s.Question = KindQuestion, q.state, q.state
			return s
		}
	}
	for _, f := range infoFragments {
		if strings.Contains(s.Text, f) {
			s.Kind = KindInfo
			return s
		}
	}
	return s
}

// forward finds the navigation button of a kecamatan keyboard page
// ("reg.kec:p<page>") to the furthest page.
func (s Seen) forward() (Button, bool) {
	best, found := -1, Button{}
	for _, b := range s.Buttons {
		_, choice, _ := strings.Cut(b.Data, ":")
		rest, ok := strings.CutPrefix(choice, "p")
		n, err := strconv.Atoi(rest)
		if ok && err == nil && n > best {
			best, found = n, b
		}
	}
	return found, best >= 0
}

// button finds the inline button of s whose choice is choice.
func (s Seen) button(choice string) (Button, bool) {
	for _, b := range s.Buttons {
		if b.Data == flowPrefix+s.State+":"+choice {
			return b, true
		}
	}
	return Button{}, false
}
