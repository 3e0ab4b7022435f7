package locales

import (
	"bufio"
	"bytes"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"
	"text/template"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// messageFile is one parsed embedded file.
type messageFile struct {
	name string
	raw  []byte
	lang string
	msgs map[string]*i18n.Message
}

// loadFiles parses every embedded message file.
func loadFiles(t *testing.T) map[string]messageFile {
	t.Helper()
	names, err := fs.Glob(files, "*.toml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no embedded message files (err %v)", err)
	}
	out := make(map[string]messageFile)
	for _, name := range names {
		raw, err := fs.ReadFile(files, name)
		if err != nil {
			t.Fatal(err)
		}
		mf, err := i18n.ParseMessageFileBytes(raw, name, map[string]i18n.UnmarshalFunc{"toml": toml.Unmarshal})
		if err != nil {
			t.Fatalf("%s does not parse: %v", name, err)
		}
		f := messageFile{name: name, raw: raw, lang: mf.Tag.String(), msgs: map[string]*i18n.Message{}}
		for _, m := range mf.Messages {
			f.msgs[m.ID] = m
		}
		if _, dup := out[f.lang]; dup {
			t.Fatalf("two files for language %q", f.lang)
		}
		out[f.lang] = f
	}
	for _, lang := range Languages {
		if _, ok := out[lang]; !ok {
			t.Fatalf("no message file for language %q", lang)
		}
	}
	return out
}

var (
	idShape     = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	tableHeader = regexp.MustCompile(`^\[[a-z0-9_]+\]$`)
)

// TestFileLayout keeps the files append-safe: only tables at the top
// level, each message a table with `other`, headers preceded by one blank
// line, and a final new line so an appended table starts on its own line.
func TestFileLayout(t *testing.T) {
	for _, f := range loadFiles(t) {
		var top map[string]any
		if err := toml.Unmarshal(f.raw, &top); err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		for key, v := range top {
			if _, ok := v.(map[string]any); !ok {
				t.Errorf("%s: top-level key %q is not a table", f.name, key)
			}
			if !idShape.MatchString(key) {
				t.Errorf("%s: message ID %q is not snake_case", f.name, key)
			}
		}
		if len(top) != len(f.msgs) {
			t.Errorf("%s: %d tables but %d messages", f.name, len(top), len(f.msgs))
		}
		if !bytes.HasSuffix(f.raw, []byte("\n")) || bytes.HasSuffix(f.raw, []byte("\n\n")) {
			t.Errorf("%s must end with exactly one new line", f.name)
		}
		var prev string
		sc := bufio.NewScanner(bytes.NewReader(f.raw))
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			if tableHeader.MatchString(line) && prev != "" {
				t.Errorf("%s:%d: table %s needs one blank line before it", f.name, n, line)
			}
			if line == "" && prev == "" && n > 1 {
				t.Errorf("%s:%d: two blank lines in a row", f.name, n)
			}
			prev = line
		}
	}
}

// TestParity: every language has exactly the source language's IDs.
func TestParity(t *testing.T) {
	all := loadFiles(t)
	src := all[defaultLang]
	for lang, f := range all {
		if lang == defaultLang {
			continue
		}
		for id := range src.msgs {
			if f.msgs[id] == nil {
				t.Errorf("%s lacks %q (present in %s)", f.name, id, src.name)
			}
		}
		for id := range f.msgs {
			if src.msgs[id] == nil {
				t.Errorf("%s has %q, which %s lacks", f.name, id, src.name)
			}
		}
	}
}

// TestTemplates: every message has a non-empty `other`, parses with
// text/template, and executes with no data and with zero values for every
// field it refers to.
func TestTemplates(t *testing.T) {
	for _, f := range loadFiles(t) {
		for id, m := range f.msgs {
			if strings.TrimSpace(m.Other) == "" {
				t.Errorf("%s: %s has an empty `other`", f.name, id)
				continue
			}
			tmpl, err := template.New(id).Option("missingkey=default").Parse(m.Other)
			if err != nil {
				t.Errorf("%s: %s does not parse: %v", f.name, id, err)
				continue
			}
			zero := map[string]any{}
			for _, name := range fieldNames(tmpl.Tree.Root) {
				zero[name] = ""
			}
			for _, data := range []map[string]any{{}, zero} {
				var buf bytes.Buffer
				if err := tmpl.Execute(&buf, data); err != nil {
					t.Errorf("%s: %s does not execute with %v: %v", f.name, id, data, err)
				}
			}
		}
	}
}

// TestRenderEveryMessage renders every message in every language with
// sample data and checks the result is non-empty, valid Telegram HTML, and
// free of template noise.
func TestRenderEveryMessage(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range loadFiles(t) {
		for id, m := range f.msgs {
			tmpl, err := template.New(id).Parse(m.Other)
			if err != nil {
				continue // reported by TestTemplates
			}
			sample := flows.Text{ID: id, Data: map[string]any{}}
			for _, name := range fieldNames(tmpl.Tree.Root) {
				sample.Data[name] = "Budi & <Sons>"
			}
			for _, txt := range []flows.Text{{ID: id}, sample} {
				out := c.Render(f.lang, txt)
				if strings.TrimSpace(out) == "" || out == id {
					t.Errorf("%s %s renders as %q", f.lang, id, out)
				}
				if strings.Contains(out, "no value") || strings.Contains(out, "{{") {
					t.Errorf("%s %s leaks template text: %q", f.lang, id, out)
				}
				if err := checkTelegramHTML(out); err != "" {
					t.Errorf("%s %s: %s in %q", f.lang, id, err, out)
				}
			}
		}
	}
}

// TestShortTexts: command descriptions fit Telegram's command list and
// button labels fit a button; neither carries markup.
func TestShortTexts(t *testing.T) {
	limits := []struct {
		prefix string
		max    int
	}{
		{"cmd_", 60},
		{"btn_", 24},
		{"lang_id", 24},
		{"lang_en", 24},
		{"feature_", 32},
	}
	for _, f := range loadFiles(t) {
		ids := make([]string, 0, len(f.msgs))
		for id := range f.msgs {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			for _, l := range limits {
				if !strings.HasPrefix(id, l.prefix) {
					continue
				}
				text := f.msgs[id].Other
				if n := utf8.RuneCountInString(text); n > l.max {
					t.Errorf("%s %s is %d characters, over %d: %q", f.lang, id, n, l.max, text)
				}
				if strings.ContainsAny(text, "<>&{\n") {
					t.Errorf("%s %s must be one plain line: %q", f.lang, id, text)
				}
			}
		}
	}
}

// allowedTags are the Telegram HTML tags (parse_mode HTML).
var allowedTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true, "s": true,
	"strike": true, "del": true, "code": true, "pre": true, "a": true, "tg-spoiler": true,
	"blockquote": true, "span": true, "tg-emoji": true,
}

var entity = regexp.MustCompile(`^&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);`)

// checkTelegramHTML returns "" when s is HTML that Telegram accepts:
// known tags, properly nested, and no bare '<', '>' or '&'.
func checkTelegramHTML(s string) string {
	var open []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return "bare '<'"
			}
			tag := s[i+1 : i+j]
			closing := strings.HasPrefix(tag, "/")
			name, _, _ := strings.Cut(strings.TrimPrefix(tag, "/"), " ")
			if !allowedTags[name] {
				return "tag <" + tag + "> not allowed"
			}
			if closing {
				if len(open) == 0 || open[len(open)-1] != name {
					return "unbalanced </" + name + ">"
				}
				open = open[:len(open)-1]
			} else {
				open = append(open, name)
			}
			i += j + 1
		case '>':
			return "bare '>'"
		case '&':
			if !entity.MatchString(s[i:]) {
				return "bare '&'"
			}
			i++
		default:
			i++
		}
	}
	if len(open) > 0 {
		return "unclosed <" + open[len(open)-1] + ">"
	}
	return ""
}

func TestCheckTelegramHTML(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"<b>a</b> &amp; <i>b</i>", true},
		{"a &#39; b &quot;", true},
		{"<b>a", false},
		{"<b>a</i>", false},
		{"a & b", false},
		{"a > b", false},
		{"<div>a</div>", false},
	}
	for _, tc := range tests {
		if got := checkTelegramHTML(tc.in) == ""; got != tc.ok {
			t.Errorf("checkTelegramHTML(%q) ok = %v, want %v", tc.in, got, tc.ok)
		}
	}
}
