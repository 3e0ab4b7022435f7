package bot

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"

	tgm "github.com/go-telegram/bot/models"
)

// htmlEscaper makes plain text safe in Telegram HTML, in text and in a
// double-quoted attribute.
var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// spanKind says how a tag may nest: formats (b, i, u, s, tg-spoiler) nest
// freely around links, a link holds no other link, and monospace (code,
// pre) holds nothing and is never inside a link.
type spanKind int

const (
	spanFormat spanKind = iota
	spanLink
	spanMono
)

// span is one entity that becomes a tag, over [start, end) in UTF-16 units.
type span struct {
	start, end  int
	name        string // for formats: one tag of a name open at a time
	open, close string
	kind        spanKind
}

// codeLanguage is what a pre entity's language may be to go into a class
// attribute.
var codeLanguage = regexp.MustCompile(`^[A-Za-z0-9_+#.-]{1,32}$`)

// messageHTML writes a message's text with its formatting entities as
// Telegram HTML, trimmed like flows.NewText trims the text. Bold, italic,
// underline, strikethrough, spoiler, code, pre (with its language) and text
// links become tags; every other entity (url, mention, hashtag, command,
// custom emoji, ...) leaves its text plain, as Telegram links URLs itself.
//
// Entity offsets count UTF-16 units. Out-of-range entities are clipped,
// offsets inside a surrogate pair move past it, and entities that overlap
// without nesting are split into several tags, so the output is always
// balanced HTML of known tags: a tag is closed and opened again where
// needed, and formatting inside code, or a link overlapping code or
// another link, is dropped rather than nested wrongly.
func messageHTML(text string, ents []tgm.MessageEntity) string {
	units := utf16.Encode([]rune(text))
	lo, hi := 0, len(units)
	for lo < hi && isSpaceUnit(units[lo]) {
		lo++
	}
	for hi > lo && isSpaceUnit(units[hi-1]) {
		hi--
	}
	if lo == hi {
		return ""
	}
	spans := make([]span, 0, len(ents))
	bounds := []int{lo, hi}
	for _, e := range ents {
		sp, ok := entitySpan(e)
		if !ok {
			continue
		}
		sp.start, sp.end = clip(e.Offset, e.Length, lo, hi)
		sp.start, sp.end = snapUnit(units, sp.start), snapUnit(units, sp.end)
		if sp.start >= sp.end {
			continue
		}
		spans = append(spans, sp)
		bounds = append(bounds, sp.start, sp.end)
	}
	// Longer spans first among those starting together: they stay open
	// across more segments.
	slices.SortStableFunc(spans, func(a, b span) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
	slices.Sort(bounds)
	bounds = slices.Compact(bounds)

	var b strings.Builder
	var stack []int
	for k := 0; k+1 < len(bounds); k++ {
		from, to := bounds[k], bounds[k+1]
		want := activeSpans(spans, from, to)
		keep := 0
		for keep < len(stack) && keep < len(want) && stack[keep] == want[keep] {
			keep++
		}
		for j := len(stack) - 1; j >= keep; j-- {
			b.WriteString(spans[stack[j]].close)
		}
		stack = stack[:keep]
		for _, w := range want[keep:] {
			b.WriteString(spans[w].open)
			stack = append(stack, w)
		}
		b.WriteString(htmlEscaper.Replace(string(utf16.Decode(units[from:to]))))
	}
	for j := len(stack) - 1; j >= 0; j-- {
		b.WriteString(spans[stack[j]].close)
	}
	return b.String()
}

// activeSpans returns the spans to have open over the segment [from, to),
// outermost first: every format covering it (the first of each tag name),
// and the first link or monospace span; monospace stands alone.
func activeSpans(spans []span, from, to int) []int {
	var out []int
	var names []string
	exclusive := -1
	for i, sp := range spans {
		if sp.start > from {
			break
		}
		if sp.end < to {
			continue
		}
		switch {
		case sp.kind == spanFormat && !slices.Contains(names, sp.name):
			names = append(names, sp.name)
			out = append(out, i)
		case sp.kind != spanFormat && exclusive < 0:
			exclusive = i
			out = append(out, i)
		}
	}
	if exclusive >= 0 && spans[exclusive].kind == spanMono {
		return []int{exclusive}
	}
	return out
}

// entitySpan returns the tags of an entity, or false for an entity that
// leaves its text plain.
func entitySpan(e tgm.MessageEntity) (span, bool) {
	format := func(name string) (span, bool) {
		return span{name: name, open: "<" + name + ">", close: "</" + name + ">", kind: spanFormat}, true
	}
	switch e.Type {
	case tgm.MessageEntityTypeBold:
		return format("b")
	case tgm.MessageEntityTypeItalic:
		return format("i")
	case tgm.MessageEntityTypeUnderline:
		return format("u")
	case tgm.MessageEntityTypeStrikethrough:
		return format("s")
	case tgm.MessageEntityTypeSpoiler:
		return format("tg-spoiler")
	case tgm.MessageEntityTypeCode:
		return span{name: "code", open: "<code>", close: "</code>", kind: spanMono}, true
	case tgm.MessageEntityTypePre:
		if codeLanguage.MatchString(e.Language) {
			return span{name: "pre", open: `<pre><code class="language-` + e.Language + `">`,
				close: "</code></pre>", kind: spanMono}, true
		}
		return span{name: "pre", open: "<pre>", close: "</pre>", kind: spanMono}, true
	case tgm.MessageEntityTypeTextLink:
		if !linkAllowed(e.URL) {
			return span{}, false
		}
		return span{name: "a", open: `<a href="` + htmlEscaper.Replace(e.URL) + `">`, close: "</a>", kind: spanLink}, true
	}
	return span{}, false
}

// linkAllowed accepts the link targets Telegram's HTML takes: web addresses
// and tg:// links, without spaces or control characters.
func linkAllowed(s string) bool {
	if s == "" || len(s) > 2048 || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "http", "https":
		return u.Host != ""
	case "tg":
		return true
	}
	return false
}

// clip bounds the entity [off, off+length) to [lo, hi) without overflow.
func clip(off, length, lo, hi int) (int, int) {
	start := min(max(off, lo), hi)
	end := start
	if length > 0 && off < hi {
		end = hi
		if length < hi-off {
			end = off + length
		}
	}
	return start, max(end, start)
}

// snapUnit moves an offset that falls between the halves of a surrogate
// pair past the pair.
func snapUnit(units []uint16, p int) int {
	if p > 0 && p < len(units) && units[p] >= 0xDC00 && units[p] <= 0xDFFF && units[p-1] >= 0xD800 && units[p-1] <= 0xDBFF {
		return p + 1
	}
	return p
}

// isSpaceUnit reports whether a UTF-16 unit is white space, as
// strings.TrimSpace sees it (every space is in the BMP).
func isSpaceUnit(u uint16) bool {
	return !utf16.IsSurrogate(rune(u)) && unicode.IsSpace(rune(u))
}
