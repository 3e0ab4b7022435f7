package flowstest

import (
	"regexp"
	"strings"
	"testing"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/locales"
)

// leakedID is a message ID that reached the user's screen.
var leakedID = regexp.MustCompile(`\b(reg|field|sector|data|btn|err|menu|cmd|lang|help|train|loan|bc)_[a-z0-9_]+\b`)

// CheckRendered renders replies in Indonesian and English, button labels
// included, and fails on a message missing from the catalog, a template
// field missing from the data (which the catalog would render as nothing),
// "<no value>", printf noise, a raw message ID on screen, or callback data
// too long for Telegram.
func (h *Harness) CheckRendered(t testing.TB, rs []flows.Reply) {
	t.Helper()
	CheckRendered(t, h.Catalog, rs)
}

// CheckRendered is Harness.CheckRendered for a catalog of one's own.
func CheckRendered(t testing.TB, cat *locales.Catalog, rs []flows.Reply) {
	t.Helper()
	for _, r := range rs {
		texts := []flows.Text{r.Text}
		for _, row := range r.Buttons {
			for _, b := range row {
				texts = append(texts, b.Label)
				if len(b.Data) > 64 {
					t.Errorf("%s: callback data %q is %d bytes", r.ID, b.Data, len(b.Data))
				}
			}
		}
		for _, lang := range []string{"id", "en"} {
			for _, txt := range texts {
				CheckText(t, cat, lang, txt)
			}
		}
	}
}

// CheckText checks one text in one language, as CheckRendered does.
func (h *Harness) CheckText(t testing.TB, lang string, txt flows.Text) {
	t.Helper()
	CheckText(t, h.Catalog, lang, txt)
}

// CheckText is Harness.CheckText for a catalog of one's own.
func CheckText(t testing.TB, cat *locales.Catalog, lang string, txt flows.Text) {
	t.Helper()
	checkData(t, cat, lang, txt)
	out := cat.Plain(lang, txt)
	if strings.TrimSpace(out) == "" || strings.Contains(out, "<no value>") || strings.Contains(out, "%!") ||
		leakedID.MatchString(out) {
		t.Errorf("%s %s renders badly: %q", lang, txt.ID, out)
	}
}

// checkData fails unless every field the template of txt (and of the
// texts nested in its data) refers to is in its data.
func checkData(t testing.TB, cat *locales.Catalog, lang string, txt flows.Text) {
	t.Helper()
	if txt.ID == "" {
		return
	}
	fields, ok := cat.Fields(lang, txt.ID)
	if !ok {
		t.Errorf("%s: message %s does not exist or does not parse", lang, txt.ID)
		return
	}
	for _, name := range fields {
		if _, ok := txt.Data[name]; !ok {
			t.Errorf("%s: message %s uses .%s, which its data lacks (%v)", lang, txt.ID, name, txt.Data)
		}
	}
	for _, v := range txt.Data {
		switch x := v.(type) {
		case flows.Text:
			checkData(t, cat, lang, x)
		case []flows.Text:
			for _, y := range x {
				checkData(t, cat, lang, y)
			}
		}
	}
}
