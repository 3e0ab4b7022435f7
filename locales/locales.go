// Package locales holds umkmbot's messages and turns a flows.Text into the
// words a user reads: Telegram HTML (Render), plain button labels (Label)
// and plain text for the terminal (Plain). It also formats money, dates and
// times the Indonesian way, in WIB (format.go).
//
// The messages are embedded from active.id.toml (Indonesian, the source and
// fallback language) and active.en.toml. Each message is its own TOML table
// with an `other` key, so new messages are appended at the end of a file.
//
// Message IDs used in Go code are checked by the package tests: the first
// string argument of calls to T, Say and Btn (any receiver), the ID field of
// Text composite literals, every string literal shaped like
// err_…, field_…, reg_…, menu_…, lang_…, help_…, btn_…, cmd_…, train_…,
// loan_…, staff_…, bc_… or data_…, and every string in a package-level
// `var Extra = []string{...}` (for IDs a package builds at run time). A
// literal that looks like an ID but is not one is exempted with an
// `i18n:ignore` comment on the same line.
//
// Transports (bot, the terminal chat in cmd) import this package; flows and
// store do not.
package locales

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed active.*.toml
var files embed.FS

// Languages are the languages the bot speaks; the first is the source and
// fallback language.
var Languages = []string{"id", "en"}

// defaultLang is the source language: every message exists in it.
const defaultLang = "id"

// Catalog renders messages in every supported language. It is safe for
// concurrent use; build it once at startup.
type Catalog struct {
	localizers map[string]*i18n.Localizer
	// ids holds each language's message templates (the "other" form) by ID.
	ids map[string]map[string]string
	// static keeps the messages rendered without data, by language and ID
	// (most prompts): they render the same every time, and running their
	// template was most of the rendering's CPU.
	static sync.Map
}

// New builds the catalog from the embedded message files.
func New() (*Catalog, error) {
	return newCatalog(files)
}

// newCatalog builds a catalog from the *.toml files at the root of fsys.
// Every file must be named <name>.<lang>.toml for a lang in Languages, and
// the default language must be present.
func newCatalog(fsys fs.FS) (*Catalog, error) {
	bundle := i18n.NewBundle(language.Make(defaultLang))
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	names, err := fs.Glob(fsys, "*.toml")
	if err != nil {
		return nil, fmt.Errorf("locales: list files: %w", err)
	}
	c := &Catalog{
		localizers: make(map[string]*i18n.Localizer, len(Languages)),
		ids:        make(map[string]map[string]string, len(Languages)),
	}
	for _, name := range names {
		buf, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("locales: read %s: %w", name, err)
		}
		mf, err := bundle.ParseMessageFileBytes(buf, path.Base(name))
		if err != nil {
			return nil, fmt.Errorf("locales: parse %s: %w", name, err)
		}
		lang := mf.Tag.String()
		if !supported(lang) {
			return nil, fmt.Errorf("locales: %s: language %q is not in Languages", name, lang)
		}
		if c.ids[lang] == nil {
			c.ids[lang] = make(map[string]string, len(mf.Messages))
		}
		for _, m := range mf.Messages {
			c.ids[lang][m.ID] = m.Other
		}
	}
	if len(c.ids[defaultLang]) == 0 {
		return nil, fmt.Errorf("locales: no messages for the default language %q", defaultLang)
	}
	for _, lang := range Languages {
		c.localizers[lang] = i18n.NewLocalizer(bundle, lang)
	}
	return c, nil
}

// supported reports whether lang is one of Languages.
func supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// NormalizeLang maps a client language code to a supported language:
// "en", "en-US", "en_GB" give "en"; "id", "id-ID", "ms", "" and anything
// unknown give "id".
func NormalizeLang(code string) string {
	code = strings.ToLower(strings.TrimSpace(code))
	base, _, _ := strings.Cut(strings.ReplaceAll(code, "_", "-"), "-")
	if supported(base) {
		return base
	}
	return defaultLang
}

// Has reports whether id is a message in the source language.
func (c *Catalog) Has(id string) bool {
	if c == nil {
		return false
	}
	_, ok := c.ids[defaultLang][id]
	return ok
}

// Fields lists the data fields (.Name) that the template of message id in
// lang refers to at its top level, so that tests can check that a reply
// carries all of them; ok is false when the message or its template is
// missing or broken.
func (c *Catalog) Fields(lang, id string) (fields []string, ok bool) {
	if c == nil {
		return nil, false
	}
	src, ok := c.ids[NormalizeLang(lang)][id]
	if !ok {
		return nil, false
	}
	tmpl, err := template.New(id).Parse(src)
	if err != nil {
		return nil, false
	}
	return fieldNames(tmpl.Tree.Root), true
}

// IDs lists, sorted, the message IDs that lang has its own text for.
func (c *Catalog) IDs(lang string) []string {
	if c == nil {
		return nil
	}
	set := c.ids[NormalizeLang(lang)]
	ids := make([]string, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// fieldNames lists the top-level field names (.Name) a template refers to.
func fieldNames(n parse.Node) []string {
	var out []string
	var walk func(parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c)
				}
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.PipeNode:
			if n != nil {
				for _, c := range n.Cmds {
					walk(c)
				}
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.FieldNode:
			out = append(out, n.Ident[0])
		}
	}
	walk(n)
	return out
}
