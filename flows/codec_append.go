package flows

import (
	"strconv"
	"unicode/utf8"
)

// The wire form of a reply is written by hand rather than by
// encoding/json's reflection: every reply of every update is put on record
// as owed (owed.go), so this is on the hot path. It writes the JSON that
// json.Marshal of the wire types would, up to key order and escaping, and
// DecodeReply reads either.

func appendReply(b []byte, w *wireReply) []byte {
	b = append(b, `{"t":`...)
	b = appendText(b, &w.Text)
	if w.Lang != "" {
		b = append(b, `,"l":`...)
		b = appendString(b, w.Lang)
	}
	if len(w.Buttons) > 0 {
		b = append(b, `,"b":[`...)
		for i, row := range w.Buttons {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			for j, btn := range row {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"l":`...)
				b = appendText(b, &btn.Label)
				if btn.Data != "" {
					b = append(b, `,"d":`...)
					b = appendString(b, btn.Data)
				}
				if btn.URL != "" {
					b = append(b, `,"u":`...)
					b = appendString(b, btn.URL)
				}
				b = append(b, '}')
			}
			b = append(b, ']')
		}
		b = append(b, ']')
	}
	if w.AskContact {
		b = append(b, `,"c":true`...)
	}
	if w.RemoveKeyboard {
		b = append(b, `,"rk":true`...)
	}
	if w.To != 0 {
		b = append(b, `,"to":`...)
		b = strconv.AppendInt(b, w.To, 10)
	}
	if w.Toast {
		b = append(b, `,"toast":true`...)
	}
	if w.Edit != 0 {
		b = append(b, `,"e":`...)
		b = strconv.AppendInt(b, int64(w.Edit), 10)
	}
	if w.Media != nil {
		b = append(b, `,"m":`...)
		b = appendMedia(b, w.Media)
	}
	if w.Topic != nil {
		b = append(b, `,"tp":`...)
		b = appendTopic(b, w.Topic)
	}
	return append(b, '}')
}

func appendMedia(b []byte, m *Media) []byte {
	b = append(b, `{"k":`...)
	b = appendString(b, m.Kind)
	b = append(b, `,"f":`...)
	b = appendString(b, m.FileID)
	return append(b, '}')
}

func appendTopic(b []byte, t *Topic) []byte {
	b = append(b, `{"th":`...)
	b = strconv.AppendInt(b, t.Thread, 10)
	b = append(b, `,"k":`...)
	b = strconv.AppendInt(b, t.Key, 10)
	if t.Name != "" {
		b = append(b, `,"n":`...)
		b = appendString(b, t.Name)
	}
	return append(b, '}')
}

func appendText(b []byte, t *wireText) []byte {
	b = append(b, '{')
	first := true
	sep := func() {
		if !first {
			b = append(b, ',')
		}
		first = false
	}
	if t.ID != "" {
		sep()
		b = append(b, `"id":`...)
		b = appendString(b, t.ID)
	}
	if t.Raw != "" {
		sep()
		b = append(b, `"raw":`...)
		b = appendString(b, t.Raw)
	}
	if len(t.Data) > 0 {
		sep()
		b = append(b, `"d":{`...)
		i := 0
		for k, v := range t.Data {
			if i > 0 {
				b = append(b, ',')
			}
			i++
			b = appendString(b, k)
			b = append(b, ':')
			b = appendValue(b, &v)
		}
		b = append(b, '}')
	}
	return append(b, '}')
}

func appendValue(b []byte, v *wireValue) []byte {
	b = append(b, `{"k":`...)
	b = appendString(b, v.Kind)
	if v.S != "" {
		b = append(b, `,"s":`...)
		b = appendString(b, v.S)
	}
	if v.N != 0 {
		b = append(b, `,"n":`...)
		b = strconv.AppendInt(b, v.N, 10)
	}
	if v.B {
		b = append(b, `,"b":true`...)
	}
	if v.Text != nil {
		b = append(b, `,"t":`...)
		b = appendText(b, v.Text)
	}
	if len(v.Texts) > 0 {
		b = append(b, `,"ts":[`...)
		for i := range v.Texts {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendText(b, &v.Texts[i])
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string: quotes, backslashes and control
// characters escaped, invalid UTF-8 replaced by U+FFFD as encoding/json
// does, everything else as is.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
