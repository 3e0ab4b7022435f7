package flows

import (
	"encoding/json"
	"fmt"
	"time"
)

// EncodeReply turns r (all but a Document) into bytes for the outbox and
// the record of replies owed, keeping the types of its
// template data (Rupiah, Date, nested Text, ...) so that it renders the same
// when it is sent, later and maybe in another process.
func EncodeReply(r Reply) ([]byte, error) {
	return appendEncodedReply(make([]byte, 0, 256), r)
}

// appendEncodedReply appends EncodeReply's form of r to b.
func appendEncodedReply(b []byte, r Reply) ([]byte, error) {
	w := wireReply{Text: encodeText(r.Text), Lang: r.Lang, AskContact: r.AskContact,
		RemoveKeyboard: r.RemoveKeyboard, To: r.To, Toast: r.Toast, Edit: r.Edit, Media: r.Media, Topic: r.Topic}
	for _, row := range r.Buttons {
		var wr []wireButton
		for _, b := range row {
			wr = append(wr, wireButton{Label: encodeText(b.Label), Data: b.Data, URL: b.URL})
		}
		w.Buttons = append(w.Buttons, wr)
	}
	for _, v := range r.Text.Data {
		if err := checkValue(v); err != nil {
			return nil, err
		}
	}
	return appendReply(b, &w), nil
}

// DecodeReply reverses EncodeReply.
func DecodeReply(b []byte) (Reply, error) {
	var w wireReply
	if err := json.Unmarshal(b, &w); err != nil {
		return Reply{}, fmt.Errorf("decode reply: %w", err)
	}
	r := Reply{Text: w.Text.decode(), Lang: w.Lang, AskContact: w.AskContact, RemoveKeyboard: w.RemoveKeyboard,
		To: w.To, Toast: w.Toast, Edit: w.Edit, Media: w.Media, Topic: w.Topic}
	for _, row := range w.Buttons {
		var rr []Button
		for _, b := range row {
			rr = append(rr, Button{Label: b.Label.decode(), Data: b.Data, URL: b.URL})
		}
		r.Buttons = append(r.Buttons, rr)
	}
	return r, nil
}

type wireReply struct {
	Text           wireText       `json:"t"`
	Lang           string         `json:"l,omitempty"`
	Buttons        [][]wireButton `json:"b,omitempty"`
	AskContact     bool           `json:"c,omitempty"`
	RemoveKeyboard bool           `json:"rk,omitempty"`
	To             int64          `json:"to,omitempty"`
	Toast          bool           `json:"toast,omitempty"`
	Edit           int            `json:"e,omitempty"`
	Media          *Media         `json:"m,omitempty"`
	Topic          *Topic         `json:"tp,omitempty"`
}

type wireButton struct {
	Label wireText `json:"l"`
	Data  string   `json:"d,omitempty"`
	URL   string   `json:"u,omitempty"`
}

type wireText struct {
	ID   string               `json:"id,omitempty"`
	Raw  string               `json:"raw,omitempty"`
	Data map[string]wireValue `json:"d,omitempty"`
}

// wireValue is one typed template value.
type wireValue struct {
	Kind  string     `json:"k"`
	S     string     `json:"s,omitempty"`
	N     int64      `json:"n,omitempty"`
	B     bool       `json:"b,omitempty"`
	Text  *wireText  `json:"t,omitempty"`
	Texts []wireText `json:"ts,omitempty"`
}

func encodeText(t Text) wireText {
	w := wireText{ID: t.ID, Raw: t.Raw}
	if len(t.Data) > 0 {
		w.Data = make(map[string]wireValue, len(t.Data))
		for k, v := range t.Data {
			w.Data[k] = encodeValue(v)
		}
	}
	return w
}

func encodeValue(v any) wireValue {
	switch x := v.(type) {
	case string:
		return wireValue{Kind: "s", S: x}
	case HTML:
		return wireValue{Kind: "html", S: string(x)}
	case int:
		return wireValue{Kind: "i", N: int64(x)}
	case int64:
		return wireValue{Kind: "i", N: x}
	case bool:
		return wireValue{Kind: "b", B: x}
	case Rupiah:
		return wireValue{Kind: "rp", N: int64(x)}
	case Date:
		return wireValue{Kind: "date", N: time.Time(x).UnixNano()}
	case DateTime:
		return wireValue{Kind: "dt", N: time.Time(x).UnixNano()}
	case Clock:
		return wireValue{Kind: "clock", N: time.Time(x).UnixNano()}
	case Text:
		w := encodeText(x)
		return wireValue{Kind: "text", Text: &w}
	case []Text:
		ws := make([]wireText, len(x))
		for i, t := range x {
			ws[i] = encodeText(t)
		}
		return wireValue{Kind: "texts", Texts: ws}
	}
	return wireValue{Kind: "s", S: fmt.Sprint(v)}
}

// checkValue refuses data the outbox cannot carry faithfully.
func checkValue(v any) error {
	switch x := v.(type) {
	case string, HTML, int, int64, bool, Rupiah, Date, DateTime, Clock:
		return nil
	case Text:
		for _, d := range x.Data {
			if err := checkValue(d); err != nil {
				return err
			}
		}
		return nil
	case []Text:
		for _, t := range x {
			if err := checkValue(t); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("encode reply: template value of type %T cannot be queued", v)
}

func (w wireText) decode() Text {
	t := Text{ID: w.ID, Raw: w.Raw}
	if len(w.Data) > 0 {
		t.Data = make(map[string]any, len(w.Data))
		for k, v := range w.Data {
			t.Data[k] = v.decode()
		}
	}
	return t
}

func (w wireValue) decode() any {
	switch w.Kind {
	case "html":
		return HTML(w.S)
	case "i":
		return w.N
	case "b":
		return w.B
	case "rp":
		return Rupiah(w.N)
	case "date":
		return Date(time.Unix(0, w.N).UTC())
	case "dt":
		return DateTime(time.Unix(0, w.N).UTC())
	case "clock":
		return Clock(time.Unix(0, w.N).UTC())
	case "text":
		if w.Text != nil {
			return w.Text.decode()
		}
		return Text{}
	case "texts":
		ts := make([]Text, len(w.Texts))
		for i, t := range w.Texts {
			ts[i] = t.decode()
		}
		return ts
	}
	return w.S
}
