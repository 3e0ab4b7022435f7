package locales

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
)

// testCatalog builds a catalog from in-memory files: "only_id" has no
// English text, and "broken_en" fails to execute in English.
func testCatalog(t testing.TB) *Catalog {
	t.Helper()
	c, err := newCatalog(fstest.MapFS{
		"active.id.toml": {Data: []byte(`[hello]
other = """Halo, <b>{{.Name}}</b>!"""

[only_id]
other = """Hanya bahasa Indonesia"""

[wrap]
other = """Isi: {{.Inner}}"""

[list]
other = """Daftar:
{{.Items}}"""

[money]
other = """Modal {{.Amount}}, {{.Day}}, {{.When}}, {{.At}}"""

[cond]
other = """{{if .Name}}Halo, {{.Name}}. {{end}}Selamat datang."""

[broken_en]
other = """Baik {{.X}}"""

[count]
other = """{{if gt .N 1}}banyak{{else}}satu{{end}} ({{.N}}, {{.OK}})"""

[names]
other = """#{{.ID}} tahun {{.Year}}: {{if .N}}{{.N}} orang{{else}}tidak ada{{end}}"""
`)},
		"active.en.toml": {Data: []byte(`[hello]
other = """Hello, <b>{{.Name}}</b>!"""

[wrap]
other = """Content: {{.Inner}}"""

[list]
other = """List:
{{.Items}}"""

[money]
other = """Capital {{.Amount}}, {{.Day}}, {{.When}}, {{.At}}"""

[cond]
other = """{{if .Name}}Hello, {{.Name}}. {{end}}Welcome."""

[broken_en]
other = """Fine {{.X.Y.Z}}"""

[count]
other = """{{if gt .N 1}}many{{else}}one{{end}} ({{.N}}, {{.OK}})"""
`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type stringer struct{}

func (stringer) String() string { return "a<b" }

func TestRender(t *testing.T) {
	c := testCatalog(t)
	at := time.Date(2022, 7, 12, 2, 30, 0, 0, time.UTC) // 09.30 WIB
	self := flows.T("wrap", "Inner", nil)
	self.Data["Inner"] = self // a Text whose data holds itself
	tests := []struct {
		name string
		lang string
		text flows.Text
		want string
	}{
		{"escapes data, keeps template tags", "id", flows.T("hello", "Name", "<b>Budi & Sons</b>"),
			"Halo, <b>&lt;b&gt;Budi &amp; Sons&lt;/b&gt;</b>!"},
		{"english", "en-US", flows.T("hello", "Name", "Siti"), "Hello, <b>Siti</b>!"},
		{"unknown language is Indonesian", "pt-BR", flows.T("hello", "Name", "Siti"), "Halo, <b>Siti</b>!"},
		{"missing english falls back to id", "en", flows.T("only_id"), "Hanya bahasa Indonesia"},
		{"english that fails to execute falls back to id", "en", flows.T("broken_en", "X", "x"), "Baik x"},
		{"missing everywhere gives the ID", "en", flows.T("no_such_id"), "no_such_id"},
		{"missing everywhere with Raw gives Raw", "id", flows.Text{ID: "no_such_id", Raw: "Toko <A>"}, "Toko &lt;A&gt;"},
		{"raw is escaped", "id", flows.Raw(`Kec. "Cisoka" & <x>`), "Kec. &quot;Cisoka&quot; &amp; &lt;x&gt;"},
		{"zero text is empty", "id", flows.Text{}, ""},
		{"nested text in same language, unescaped", "en",
			flows.T("wrap", "Inner", flows.T("hello", "Name", "A&B")), "Content: Hello, <b>A&amp;B</b>!"},
		{"nested pointer", "id", flows.T("wrap", "Inner", &flows.Text{Raw: "<i>"}), "Isi: &lt;i&gt;"},
		{"nested raw is escaped", "id", flows.T("wrap", "Inner", flows.Raw("<i>x</i>")), "Isi: &lt;i&gt;x&lt;/i&gt;"},
		{"list of texts joined by new lines", "id",
			flows.T("list", "Items", []flows.Text{flows.T("only_id"), {}, flows.Raw("a&b")}),
			"Daftar:\nHanya bahasa Indonesia\na&amp;b"},
		{"list of strings escaped", "id", flows.T("list", "Items", []string{"x", "<y>"}), "Daftar:\nx\n&lt;y&gt;"},
		{"money and time in id", "id",
			flows.T("money", "Amount", flows.Rupiah(1500000), "Day", flows.Date(at), "When", flows.DateTime(at), "At", flows.Clock(at)),
			"Modal Rp1.500.000, Selasa, 12 Juli 2022, Selasa, 12 Juli 2022 pukul 09.30 WIB, pukul 09.30 WIB"},
		{"money and time in en", "en",
			flows.T("money", "Amount", flows.Rupiah(-1500), "Day", flows.Date(at), "When", at, "At", flows.Clock(at)),
			"Capital -Rp1.500, Tuesday, 12 July 2022, Tuesday, 12 July 2022 at 09.30 WIB, 09.30 WIB"},
		{"missing key renders empty", "id", flows.T("hello"), "Halo, <b></b>!"},
		{"if on missing name", "id", flows.T("cond"), "Selamat datang."},
		{"if on empty name", "en", flows.T("cond", "Name", ""), "Welcome."},
		{"if on name", "id", flows.T("cond", "Name", "Siti"), "Halo, Siti. Selamat datang."},
		{"numbers and bools stay comparable", "en", flows.T("count", "N", 3, "OK", true), "many (3, true)"},
		{"counts of 1.000 or more are grouped in id", "id", flows.T("names", "ID", 12345, "Year", 2026, "N", 100000),
			"#12345 tahun 2026: 100.000 orang"},
		{"counts of 1,000 or more are grouped in en", "en", flows.T("names", "ID", int64(1234), "Year", 2026, "N", 1000),
			"#1234 tahun 2026: 1,000 orang"},
		{"small counts stay numbers", "id", flows.T("names", "ID", 1, "Year", 2026, "N", 0),
			"#1 tahun 2026: tidak ada"},
		{"negative counts too", "id", flows.T("names", "ID", 1, "Year", 2026, "N", -25000),
			"#1 tahun 2026: -25.000 orang"},
		{"errors are never shown", "id", flows.T("hello", "Name", errors.New("pq: secret")), "Halo, <b></b>!"},
		{"stringer is escaped", "id", flows.T("hello", "Name", stringer{}), "Halo, <b>a&lt;b</b>!"},
		{"self-reference stops", "id", self, "Isi: Isi: Isi: Isi: Isi: Isi: Isi: Isi: Isi: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.Render(tc.lang, tc.text); got != tc.want {
				t.Errorf("Render(%q) = %q, want %q", tc.lang, got, tc.want)
			}
		})
	}
}

func TestRenderFailsToExecuteEverywhere(t *testing.T) {
	c := testCatalog(t)
	// "count" compares .N with 1: a string makes both languages fail.
	if got := c.Render("en", flows.T("count", "N", "x")); got != "count" {
		t.Errorf("got %q, want the ID", got)
	}
}

func TestNilCatalog(t *testing.T) {
	var c *Catalog
	if got := c.Render("id", flows.T("x_y")); got != "x_y" {
		t.Errorf("nil catalog Render = %q", got)
	}
	if c.Has("x") || c.IDs("id") != nil {
		t.Error("nil catalog has messages")
	}
}

func TestLabelAndPlain(t *testing.T) {
	c := testCatalog(t)
	tests := []struct {
		name string
		fn   func(string, flows.Text) string
		text flows.Text
		want string
	}{
		{"plain strips tags and unescapes", c.Plain, flows.T("hello", "Name", "<b>Budi & Sons</b>"), "Halo, <b>Budi & Sons</b>!"},
		{"plain keeps new lines", c.Plain, flows.T("list", "Items", []string{"a", "b"}), "Daftar:\na\nb"},
		{"label is one line", c.Label, flows.T("list", "Items", []string{"a", "b"}), "Daftar: a b"},
		{"label of raw", c.Label, flows.Raw("Toko & Co"), "Toko & Co"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.fn("id", tc.text); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestHTMLToPlain(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"<b>a</b> &amp; <i>b</i>", "a & b"},
		{`<a href="x">link</a>`, "link"},
		{"a &lt;b&gt; &quot;c&quot; &#39;", `a <b> "c" '`},
		{"unterminated <b", "unterminated <b"},
	}
	for _, tc := range tests {
		if got := htmlToPlain(tc.in); got != tc.want {
			t.Errorf("htmlToPlain(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNormalizeLang(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "id"}, {"id", "id"}, {"id-ID", "id"}, {"ms", "id"}, {"pt-br", "id"}, {"xx", "id"},
		{"en", "en"}, {"en-US", "en"}, {"en-GB", "en"}, {"EN_gb", "en"}, {" en ", "en"},
	}
	for _, tc := range tests {
		if got := NormalizeLang(tc.in); got != tc.want {
			t.Errorf("NormalizeLang(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestHasAndIDs(t *testing.T) {
	c := testCatalog(t)
	if !c.Has("only_id") || c.Has("no_such_id") {
		t.Error("Has is wrong")
	}
	en := strings.Join(c.IDs("en-GB"), ",")
	if en != "broken_en,cond,count,hello,list,money,wrap" {
		t.Errorf("IDs(en) = %s", en)
	}
	if got := len(c.IDs("id")); got != 9 {
		t.Errorf("len(IDs(id)) = %d, want 9", got)
	}
}

func TestNewCatalogErrors(t *testing.T) {
	tests := []struct {
		name string
		fs   fstest.MapFS
	}{
		{"no default language", fstest.MapFS{"active.en.toml": {Data: []byte("[a]\nother = \"x\"\n")}}},
		{"unsupported language", fstest.MapFS{
			"active.id.toml": {Data: []byte("[a]\nother = \"x\"\n")},
			"active.fr.toml": {Data: []byte("[a]\nother = \"x\"\n")},
		}},
		{"bad toml", fstest.MapFS{"active.id.toml": {Data: []byte("[a]\nother = \"x\n")}}},
		{"duplicate table", fstest.MapFS{"active.id.toml": {Data: []byte("[a]\nother = \"x\"\n\n[a]\nother = \"y\"\n")}}},
	}
	for _, tc := range tests {
		if _, err := newCatalog(tc.fs); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestRealCatalog(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	got := c.Render("id", flows.T("menu_greeting", "Name", "<b>Budi & Sons</b>"))
	want := "Halo, &lt;b&gt;Budi &amp; Sons&lt;/b&gt;. Selamat datang di layanan UMKM <b>Dinas Koperasi dan Usaha Mikro Kabupaten Tangerang</b>."
	if got != want {
		t.Errorf("menu_greeting = %q", got)
	}
	if got := c.Label("en", flows.T("btn_share_phone")); got != "📱 Share number" {
		t.Errorf("btn_share_phone en = %q", got)
	}
	if got := c.Render("en", flows.T("resume_offer", "Flow", flows.T("feature_pelatihan"),
		"Since", flows.DateTime(time.Date(2027, 1, 14, 2, 0, 0, 0, time.UTC)))); !strings.Contains(got,
		"<b>Training</b> form from Thursday, 14 January 2027 at 09.00 WIB") {
		t.Errorf("resume_offer en = %q", got)
	}
}

// TestEnglishCounts: English counts agree with their noun, where the
// Indonesian needs no plural.
func TestEnglishCounts(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		text flows.Text
		want string
	}{
		{flows.T("data_kept_loans", "Count", 1), "• 1 revolving-fund loan record (UPDB archive rules)"},
		{flows.T("data_kept_loans", "Count", 3), "• 3 revolving-fund loan records (UPDB archive rules)"},
		{flows.T("data_kept_other", "Count", 1, "Kind", "x"), "• 1 record of x"},
		{flows.T("data_kept_other", "Count", 2, "Kind", "x"), "• 2 records of x"},
		{flows.T("data_del_consents", "Count", 1), "• 1 consent record;"},
		{flows.T("data_del_consents", "Count", 2), "• 2 consent records;"},
	} {
		if got := c.Render("en", tt.text); got != tt.want {
			t.Errorf("%s %v = %q, want %q", tt.text.ID, tt.text.Data, got, tt.want)
		}
	}
	if got := c.Render("id", flows.T("data_kept_loans", "Count", 3)); got != "• 3 catatan pinjaman dana bergulir (aturan kearsipan UPDB)" {
		t.Errorf("data_kept_loans id = %q", got)
	}
}

func BenchmarkRender(b *testing.B) {
	c, err := New()
	if err != nil {
		b.Fatal(err)
	}
	text := flows.T("resume_offer",
		"Flow", flows.T("feature_pelatihan"),
		"Since", flows.DateTime(time.Date(2027, 1, 14, 2, 0, 0, 0, time.UTC)))
	b.ReportAllocs()
	for b.Loop() {
		if c.Render("id", text) == "" {
			b.Fatal("empty")
		}
	}
}

// TestStaticMessagesCached: a message without data renders from the cache
// exactly as it rendered the first time, in each language; a Text whose ID
// is not in the catalog is rendered, never kept (so that no ID from
// elsewhere can grow the cache).
func TestStaticMessagesCached(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Languages {
		for id := range c.ids[defaultLang] {
			first := c.Render(lang, flows.T(id))
			if again := c.Render(lang, flows.T(id)); again != first {
				t.Fatalf("%s %s: %q, then %q from the cache", lang, id, first, again)
			}
		}
	}
	before := 0
	c.static.Range(func(any, any) bool { before++; return true })
	for i := range 100 {
		c.Render("id", flows.T(fmt.Sprintf("not_a_message_%d", i)))
	}
	after := 0
	c.static.Range(func(any, any) bool { after++; return true })
	if after != before {
		t.Errorf("the cache grew from %d to %d with IDs not in the catalog", before, after)
	}
}

// BenchmarkRenderStatic: a message without data from the cache against
// running its template (BENCHMARKS.md).
func BenchmarkRenderStatic(b *testing.B) {
	c, _ := New()
	t := flows.T("reg_title")
	if c.ids[defaultLang]["reg_title"] == "" {
		b.Fatal("reg_title is not in the catalog")
	}
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c.Render("id", t)
		}
	})
	b.Run("template", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c.renderData("id", t, nil, 0)
		}
	})
}
