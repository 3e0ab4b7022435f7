package locales

import (
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// maxDepth bounds how deeply Texts may nest inside each other's data, so a
// Text whose data refers back to itself cannot recurse forever.
const maxDepth = 8

// noValue is what text/template prints for a key missing from the data map.
// It can only come from the template engine: data values are escaped, so a
// user's "<no value>" arrives as "&lt;no value&gt;".
const noValue = "<no value>"

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// escape makes s safe to insert into Telegram HTML.
func escape(s string) string { return escaper.Replace(s) }

// Render returns t in lang as Telegram HTML. Plain data values are escaped;
// nested Text values are rendered in the same language and inserted as
// HTML; []flows.Text values are rendered and joined by new lines;
// flows.Rupiah, Date, DateTime and Clock (and time.Time, as a DateTime) are
// formatted for lang. A whole number of 1.000 or more is a count written
// with its thousands grouped ("100.000", "100,000"), unless its key names
// an identifier or a calendar part (notCounts); templates therefore only
// test numbers for being non-zero, never compare them. A Text with only Raw is escaped. A message missing in
// lang is rendered from the Indonesian text; a message missing everywhere
// renders as its ID (or its Raw text, when set). Render never panics, and
// returns "" only for a zero Text.
func (c *Catalog) Render(lang string, t flows.Text) (out string) {
	defer func() {
		if recover() != nil {
			out = fallback(t)
		}
	}()
	return c.render(NormalizeLang(lang), t, 0)
}

// Label returns t in lang as one line of plain text, for a button.
func (c *Catalog) Label(lang string, t flows.Text) string {
	return strings.Join(strings.Fields(c.Plain(lang, t)), " ")
}

// Plain returns t in lang as plain text: rendered as for Render, then with
// the tags stripped and the entities unescaped. The terminal uses it.
func (c *Catalog) Plain(lang string, t flows.Text) string {
	return htmlToPlain(c.Render(lang, t))
}

// render is Render for a normalized language.
func (c *Catalog) render(lang string, t flows.Text, depth int) string {
	if t.ID == "" || depth > maxDepth {
		return escape(t.Raw)
	}
	if c == nil || len(c.localizers) == 0 {
		return fallback(t)
	}
	if len(t.Data) == 0 {
		key := lang + "\x00" + t.ID
		if out, ok := c.static.Load(key); ok {
			return out.(string)
		}
		out := c.renderData(lang, t, nil, depth)
		if c.ids[lang][t.ID] != "" || c.ids[defaultLang][t.ID] != "" {
			c.static.Store(key, out) // bounded: messages of the catalog only
		}
		return out
	}
	return c.renderData(lang, t, t.Data, depth)
}

// renderData renders t's message with data.
func (c *Catalog) renderData(lang string, t flows.Text, values map[string]any, depth int) string {
	data := make(map[string]any, len(values))
	for k, v := range values {
		if n, ok := bigCount(k, v); ok {
			data[k] = FormatNumber(lang, n)
			continue
		}
		data[k] = c.value(lang, v, depth)
	}
	out := c.localize(lang, t.ID, data)
	if out == "" && lang != defaultLang {
		out = c.localize(defaultLang, t.ID, data)
	}
	if out == "" {
		return fallback(t)
	}
	return out
}

// localize runs the message's template. go-i18n returns the Indonesian text
// together with an error when lang lacks the message; that text is kept.
// It returns "" when the message is missing everywhere or does not execute.
func (c *Catalog) localize(lang, id string, data map[string]any) string {
	l := c.localizers[lang]
	if l == nil {
		return ""
	}
	out, _ := l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if strings.Contains(out, noValue) {
		out = strings.ReplaceAll(out, noValue, "")
	}
	return out
}

// fallback is what a Text renders as when its message cannot be found: the
// Raw text if any, else the ID, escaped.
func fallback(t flows.Text) string {
	if t.Raw != "" {
		return escape(t.Raw)
	}
	return escape(t.ID)
}

// value prepares one data value for a template in lang: HTML-safe strings
// for text, formatted strings for money and time, and booleans and numbers
// unchanged so that templates can test and compare them.
func (c *Catalog) value(lang string, v any, depth int) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return escape(x)
	case flows.Text:
		return c.render(lang, x, depth+1)
	case *flows.Text:
		if x == nil {
			return ""
		}
		return c.render(lang, *x, depth+1)
	case []flows.Text:
		parts := make([]string, 0, len(x))
		for _, t := range x {
			if !t.IsZero() {
				parts = append(parts, c.render(lang, t, depth+1))
			}
		}
		return strings.Join(parts, "\n")
	case []string:
		parts := make([]string, len(x))
		for i, s := range x {
			parts[i] = escape(s)
		}
		return strings.Join(parts, "\n")
	case flows.HTML:
		return string(x)
	case flows.Rupiah:
		return FormatMoney(lang, int64(x))
	case flows.Date:
		return FormatDate(lang, time.Time(x))
	case flows.DateTime:
		return FormatDateTime(lang, time.Time(x))
	case time.Time:
		return FormatDateTime(lang, x)
	case flows.Clock:
		return FormatClock(lang, time.Time(x))
	case bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return x
	case error:
		// Users never see Go errors.
		return ""
	case fmt.Stringer:
		return escape(x.String())
	default:
		return escape(fmt.Sprint(x))
	}
}

// notCounts are the data keys whose whole numbers are names, not amounts:
// identifiers and calendar parts are never grouped ("#1234", "2026").
var notCounts = map[string]bool{"ID": true, "Year": true, "Day": true, "Month": true, "Number": true,
	"Code": true, "User": true, "Version": true, "Line": true, "First": true, "Column": true}

// bigCount reports whether data value v under key is a count of 1.000 or
// more, which is written with its thousands grouped ("100.000" orang,
// "1,000" characters). Smaller numbers stay numbers, so that templates can
// test them.
func bigCount(key string, v any) (int64, bool) {
	var n int64
	switch x := v.(type) {
	case int:
		n = int64(x)
	case int32:
		n = int64(x)
	case int64:
		n = x
	case uint:
		n = int64(x)
	case uint32:
		n = int64(x)
	default:
		return 0, false
	}
	if notCounts[key] || (n < 1000 && n > -1000) {
		return 0, false
	}
	return n, true
}

// htmlToPlain strips the tags from Telegram HTML and unescapes its
// entities. Every '<' in rendered output starts a tag: text is escaped.
func htmlToPlain(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		s = s[i+j+1:]
	}
	return html.UnescapeString(b.String())
}
