package bot

import (
	"context"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tgm "github.com/go-telegram/bot/models"

	"github.com/diskum-tangerang/umkmbot/flows"
)

func ent(typ tgm.MessageEntityType, off, length int) tgm.MessageEntity {
	return tgm.MessageEntity{Type: typ, Offset: off, Length: length}
}

func link(off, length int, url string) tgm.MessageEntity {
	return tgm.MessageEntity{Type: tgm.MessageEntityTypeTextLink, Offset: off, Length: length, URL: url}
}

func pre(off, length int, lang string) tgm.MessageEntity {
	return tgm.MessageEntity{Type: tgm.MessageEntityTypePre, Offset: off, Length: length, Language: lang}
}

const (
	bold   = tgm.MessageEntityTypeBold
	italic = tgm.MessageEntityTypeItalic
	code   = tgm.MessageEntityTypeCode
)

func TestMessageHTML(t *testing.T) {
	tests := []struct {
		name string
		text string
		ents []tgm.MessageEntity
		want string
	}{
		{"plain text is escaped", `a < b & "c" > d`, nil, "a &lt; b &amp; &quot;c&quot; &gt; d"},
		{"empty", "   ", []tgm.MessageEntity{ent(bold, 0, 3)}, ""},
		{"bold after an emoji", "🎉 Promo besar", []tgm.MessageEntity{ent(bold, 3, 5)}, "🎉 <b>Promo</b> besar"},
		{"two emoji, italic at the end", "🎉🎉 ok ya", []tgm.MessageEntity{ent(italic, 8, 2)}, "🎉🎉 ok <i>ya</i>"},
		{"every format", "a b c d e", []tgm.MessageEntity{ent(bold, 0, 1), ent(italic, 2, 1),
			ent(tgm.MessageEntityTypeUnderline, 4, 1), ent(tgm.MessageEntityTypeStrikethrough, 6, 1),
			ent(tgm.MessageEntityTypeSpoiler, 8, 1)},
			"<b>a</b> <i>b</i> <u>c</u> <s>d</s> <tg-spoiler>e</tg-spoiler>"},
		{"nested", "Bazar UMKM hari ini", []tgm.MessageEntity{ent(bold, 0, 19), ent(italic, 6, 4)},
			"<b>Bazar <i>UMKM</i> hari ini</b>"},
		{"nested, inner listed first", "Bazar UMKM", []tgm.MessageEntity{ent(italic, 6, 4), ent(bold, 0, 10)},
			"<b>Bazar <i>UMKM</i></b>"},
		{"same start, longer outside", "abcdef", []tgm.MessageEntity{ent(italic, 0, 3), ent(bold, 0, 6)},
			"<b><i>abc</i>def</b>"},
		{"overlap is split", "abcdefghij", []tgm.MessageEntity{ent(bold, 0, 5), ent(italic, 3, 5)},
			"<b>abc<i>de</i></b><i>fgh</i>ij"},
		{"two bolds overlapping", "abcdefgh", []tgm.MessageEntity{ent(bold, 0, 4), ent(bold, 2, 4)},
			"<b>abcd</b><b>ef</b>gh"},
		{"text link", "Klik daftar", []tgm.MessageEntity{link(5, 6, "https://x.id/?a=1&b=\"2\"")},
			`Klik <a href="https://x.id/?a=1&amp;b=&quot;2&quot;">daftar</a>`},
		{"bold inside a link", "Klik daftar", []tgm.MessageEntity{link(0, 11, "https://x.id"), ent(bold, 5, 6)},
			`<a href="https://x.id">Klik <b>daftar</b></a>`},
		{"tg link", "chat", []tgm.MessageEntity{link(0, 4, "tg://resolve?domain=dinas")}, `<a href="tg://resolve?domain=dinas">chat</a>`},
		{"javascript link dropped", "klik", []tgm.MessageEntity{link(0, 4, "javascript:alert(1)")}, "klik"},
		{"link with a space dropped", "klik", []tgm.MessageEntity{link(0, 4, "https://a.id/x y")}, "klik"},
		{"url, mention, hashtag, command stay plain", "/daftar @dinas #umkm https://x.id",
			[]tgm.MessageEntity{ent(tgm.MessageEntityTypeBotCommand, 0, 7), ent(tgm.MessageEntityTypeMention, 8, 6),
				ent(tgm.MessageEntityTypeHashtag, 15, 5), ent(tgm.MessageEntityTypeURL, 21, 12)},
			"/daftar @dinas #umkm https://x.id"},
		{"code", "ketik /daftar", []tgm.MessageEntity{ent(code, 6, 7)}, "ketik <code>/daftar</code>"},
		{"no format inside code", "cek /daftar sekarang", []tgm.MessageEntity{ent(bold, 0, 20), ent(code, 4, 7)},
			"<b>cek </b><code>/daftar</code><b> sekarang</b>"},
		{"code and link overlapping: first wins", "abcdef", []tgm.MessageEntity{link(0, 4, "https://x.id"), ent(code, 2, 4)},
			`<a href="https://x.id">abcd</a><code>ef</code>`},
		{"link inside a link dropped", "abcdef", []tgm.MessageEntity{link(0, 6, "https://x.id"), link(2, 2, "https://y.id")},
			`<a href="https://x.id">abcdef</a>`},
		{"pre with language", "x := 1", []tgm.MessageEntity{pre(0, 6, "go")}, `<pre><code class="language-go">x := 1</code></pre>`},
		{"pre with a bad language", "x", []tgm.MessageEntity{pre(0, 1, `go"><b>`)}, "<pre>x</pre>"},
		{"pre keeps escapes", "a<b", []tgm.MessageEntity{pre(0, 3, "")}, "<pre>a&lt;b</pre>"},
		{"trimmed with the text", "  halo  ", []tgm.MessageEntity{ent(bold, 0, 8)}, "<b>halo</b>"},
		{"entity in the trimmed space only", "halo  ", []tgm.MessageEntity{ent(bold, 4, 2)}, "halo"},
		{"past the end is clipped", "halo", []tgm.MessageEntity{ent(bold, 2, 100)}, "ha<b>lo</b>"},
		{"starting past the end", "halo", []tgm.MessageEntity{ent(bold, 9, 2)}, "halo"},
		{"negative offset", "halo", []tgm.MessageEntity{ent(bold, -2, 4)}, "<b>ha</b>lo"},
		{"zero and negative length", "halo", []tgm.MessageEntity{ent(bold, 1, 0), ent(italic, 1, -3)}, "halo"},
		{"huge length does not overflow", "halo", []tgm.MessageEntity{ent(bold, 1, int(^uint(0)>>1))}, "h<b>alo</b>"},
		{"offset inside a surrogate pair", "a🎉b", []tgm.MessageEntity{ent(bold, 0, 2)}, "<b>a🎉</b>b"},
		{"entity of half an emoji", "a🎉b", []tgm.MessageEntity{ent(bold, 2, 1)}, "a🎉b"},
		{"multi-line", "Baris 1\nBaris 2", []tgm.MessageEntity{ent(bold, 0, 15)}, "<b>Baris 1\nBaris 2</b>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := messageHTML(tt.text, tt.ents)
			if got != tt.want {
				t.Errorf("messageHTML(%q) =\n%s\nwant\n%s", tt.text, got, tt.want)
			}
			if msg := checkHTML(got); msg != "" {
				t.Errorf("invalid HTML (%s): %s", msg, got)
			}
			if plain := htmlPlain(got); plain != strings.TrimSpace(tt.text) {
				t.Errorf("text changed: %q, want %q", plain, strings.TrimSpace(tt.text))
			}
		})
	}
}

var (
	tagRe    = regexp.MustCompile(`^<(/?)([a-z-]+)((?: [a-z]+="[^"<>]*")*)>`)
	entityRe = regexp.MustCompile(`^&(lt|gt|amp|quot);`)
	attrRe   = regexp.MustCompile(` ([a-z]+)="([^"<>]*)"`)
	langRe   = regexp.MustCompile(`^language-[A-Za-z0-9_+#.-]{1,32}$`)
)

// checkHTML returns "" when s is Telegram HTML that messageHTML may write:
// tags of the allowed set, balanced, attributes only where Telegram takes
// them, no formatting inside code or pre, no link in a link or in code,
// and no bare '<', '>' or '&'.
func checkHTML(s string) string {
	allowed := map[string]bool{"b": true, "i": true, "u": true, "s": true, "tg-spoiler": true,
		"code": true, "pre": true, "a": true}
	var open []string
	inside := func(names ...string) bool {
		for _, o := range open {
			for _, n := range names {
				if o == n {
					return true
				}
			}
		}
		return false
	}
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			m := tagRe.FindStringSubmatch(s[i:])
			if m == nil {
				return "bad tag"
			}
			closing, name, attrs := m[1] == "/", m[2], m[3]
			if !allowed[name] {
				return "tag " + name + " not allowed"
			}
			if closing {
				if attrs != "" || len(open) == 0 || open[len(open)-1] != name {
					return "unbalanced </" + name + ">"
				}
				open = open[:len(open)-1]
				i += len(m[0])
				continue
			}
			as := attrRe.FindAllStringSubmatch(attrs, -1)
			switch {
			case name == "a":
				if len(as) != 1 || as[0][1] != "href" || as[0][2] == "" || inside("a", "code", "pre") {
					return "bad link"
				}
			case name == "code" && len(as) > 0:
				if len(as) != 1 || as[0][1] != "class" || !langRe.MatchString(as[0][2]) ||
					len(open) == 0 || open[len(open)-1] != "pre" || !strings.HasSuffix(s[:i], "<pre>") {
					return "bad code class"
				}
			case len(as) > 0:
				return "attribute on " + name
			case inside("code", "pre"):
				return "tag inside code or pre"
			case (name == "code" || name == "pre") && inside("a"):
				return "code inside a link"
			}
			if strings.Contains(attrs, "&") && !validEntities(attrs) {
				return "bare & in attribute"
			}
			open = append(open, name)
			i += len(m[0])
		case '>':
			return "bare >"
		case '&':
			if !entityRe.MatchString(s[i:]) {
				return "bare &"
			}
			i++
		default:
			i++
		}
	}
	if len(open) > 0 {
		return "unclosed " + open[len(open)-1]
	}
	return ""
}

func validEntities(s string) bool {
	for i := strings.IndexByte(s, '&'); i >= 0; i = strings.IndexByte(s, '&') {
		if !entityRe.MatchString(s[i:]) {
			return false
		}
		s = s[i+1:]
	}
	return true
}

// htmlPlain strips the tags and decodes the entities.
func htmlPlain(s string) string {
	return html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(s, ""))
}

// FuzzMessageHTML: whatever the text and entities, the output is valid
// HTML of the allowed tags, and for valid UTF-8 its text is the trimmed
// message text.
func FuzzMessageHTML(f *testing.F) {
	f.Add("🎉 Promo besar hari ini", []byte{0, 3, 5, 0, 1, 0, 9, 0})
	f.Add("cek /daftar sekarang", []byte{0, 0, 20, 0, 5, 4, 7, 0, 7, 2, 4, 1})
	f.Add("a🎉b  ", []byte{0, 0, 2, 0, 1, 2, 1, 0, 6, 1, 3, 2})
	f.Add("x<y&z\"", []byte{7, 0, 6, 3, 6, 1, 2, 4})
	types := []tgm.MessageEntityType{bold, italic, tgm.MessageEntityTypeUnderline, tgm.MessageEntityTypeStrikethrough,
		tgm.MessageEntityTypeSpoiler, code, tgm.MessageEntityTypePre, tgm.MessageEntityTypeTextLink,
		tgm.MessageEntityTypeURL, tgm.MessageEntityTypeMention, tgm.MessageEntityTypeBlockquote}
	urls := []string{"https://x.id/?a=1&b=2", `https://x.id/"><i>`, "javascript:x", "tg://user?id=1", ""}
	langs := []string{"", "go", `"><b>`, "c++"}
	f.Fuzz(func(t *testing.T, text string, spec []byte) {
		if len(text) > 500 || len(spec) > 4*40 {
			return
		}
		var ents []tgm.MessageEntity
		for i := 0; i+3 < len(spec); i += 4 {
			ents = append(ents, tgm.MessageEntity{Type: types[int(spec[i])%len(types)],
				Offset: int(spec[i+1]) - 4, Length: int(spec[i+2]) - 4,
				URL: urls[int(spec[i+3])%len(urls)], Language: langs[int(spec[i+3])%len(langs)]})
		}
		out := messageHTML(text, ents)
		if msg := checkHTML(out); msg != "" {
			t.Fatalf("invalid HTML (%s): %q from %q %+v", msg, out, text, ents)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8: %q", out)
		}
		if utf8.ValidString(text) {
			if plain := htmlPlain(out); plain != strings.TrimSpace(text) {
				t.Fatalf("text %q became %q", strings.TrimSpace(text), plain)
			}
		}
	})
}

func TestCheckHTMLRejects(t *testing.T) {
	for _, s := range []string{"<b>a", "<b>a</i>", "a & b", "a > b", "<div>a</div>", `<b class="x">a</b>`,
		"<code><b>a</b></code>", `<a href="x"><a href="y">a</a></a>`, `<a href="">a</a>`,
		`<code class="language-go">a</code>`, "<a>a</a>", `<a href="x"><code>a</code></a>`} {
		if checkHTML(s) == "" {
			t.Errorf("checkHTML accepts %q", s)
		}
	}
}

// TestFormattedTextFromTheWire sends a formatted message through the fake
// Bot API: the engine gets its HTML.
func TestFormattedTextFromTheWire(t *testing.T) {
	got := make(chan flows.Update, 1)
	h := start(t, handlerFunc(func(_ context.Context, u flows.Update) []flows.Reply {
		got <- u
		return nil
	}), Config{})
	h.fake.Push(tgm.Update{Message: &tgm.Message{ID: 1, Date: 1, From: &tgm.User{ID: 7, FirstName: "Staf"},
		Chat: tgm.Chat{ID: 7, Type: tgm.ChatTypePrivate}, Text: "📢 Bazar UMKM & Expo",
		Entities: []tgm.MessageEntity{ent(bold, 3, 10), link(16, 4, "https://tangerangkab.go.id")}}})
	select {
	case u := <-got:
		want := `📢 <b>Bazar UMKM</b> &amp; <a href="https://tangerangkab.go.id">Expo</a>`
		if u.HTML != want || u.Text != "📢 Bazar UMKM & Expo" {
			t.Errorf("text %q html %q, want html %q", u.Text, u.HTML, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("never handled")
	}
}
