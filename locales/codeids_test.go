package locales

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// idCallees are the functions and methods whose first string argument is
// a message ID: flows.T, flows.Say, flows.Btn, c.Say, T, Say, Btn.
var idCallees = map[string]bool{"T": true, "Say": true, "Btn": true}

// idLiteral is the shape of a string literal that is taken to be a message
// ID wherever it appears (tables of codes, maps of errors).
var idLiteral = regexp.MustCompile(`^(err|field|reg|menu|lang|help|btn|cmd|train|loan|staff|bc|data)_[a-z0-9_]+$`)

// ignoreMark exempts the literals on its line from the checks.
const ignoreMark = "i18n:ignore"

// usedID is a message ID found in Go code.
type usedID struct {
	id, why string
	pos     token.Position
}

// collectIDs finds the message IDs that a Go file uses, by convention (see
// the package doc).
func collectIDs(fset *token.FileSet, f *ast.File) []usedID {
	ignored := map[int]bool{}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if strings.Contains(c.Text, ignoreMark) {
				ignored[fset.Position(c.Pos()).Line] = true
			}
		}
	}
	var out []usedID
	seen := map[*ast.BasicLit]bool{}
	add := func(lit ast.Expr, why string) {
		bl, ok := lit.(*ast.BasicLit)
		if !ok || bl.Kind != token.STRING {
			return
		}
		pos := fset.Position(bl.Pos())
		if ignored[pos.Line] || seen[bl] {
			return
		}
		seen[bl] = true
		if s, err := strconv.Unquote(bl.Value); err == nil {
			out = append(out, usedID{id: s, why: why, pos: pos})
		}
	}
	// skip holds literals that are not whole strings: import paths,
	// struct tags and operands of '+'.
	skip := map[*ast.BasicLit]bool{}
	for _, imp := range f.Imports {
		skip[imp.Path] = true
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Field:
			if n.Tag != nil {
				skip[n.Tag] = true
			}
		case *ast.BinaryExpr:
			if n.Op == token.ADD {
				for _, e := range []ast.Expr{n.X, n.Y} {
					if bl, ok := e.(*ast.BasicLit); ok {
						skip[bl] = true
					}
				}
			}
		case *ast.CallExpr:
			if idCallees[calleeName(n.Fun)] && len(n.Args) > 0 {
				add(n.Args[0], "first argument of "+calleeName(n.Fun)+"(...)")
			}
		case *ast.CompositeLit:
			if typeName(n.Type) == "Text" {
				for _, e := range n.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "ID" {
							add(kv.Value, "Text{ID: ...}")
						}
					}
				}
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if name.Name == "Extra" && i < len(n.Values) {
					ast.Inspect(n.Values[i], func(m ast.Node) bool {
						if bl, ok := m.(*ast.BasicLit); ok {
							add(bl, "var Extra")
						}
						return true
					})
				}
			}
		}
		return true
	})
	ast.Inspect(f, func(n ast.Node) bool {
		if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.STRING && !skip[bl] {
			if s, err := strconv.Unquote(bl.Value); err == nil && idLiteral.MatchString(s) {
				add(bl, "literal shaped like a message ID")
			}
		}
		return true
	})
	return out
}

// calleeName is "Say" for Say(...), c.Say(...) and flows.Say(...).
func calleeName(fun ast.Expr) string {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	case *ast.IndexExpr: // a generic instantiation, T[x](...)
		return calleeName(f.X)
	}
	return ""
}

// typeName is "Text" for Text{...} and flows.Text{...}.
func typeName(t ast.Expr) string {
	switch t := t.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.SelectorExpr:
		return t.Sel.Name
	}
	return ""
}

// moduleRoot walks up from the working directory to the directory holding
// go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// TestCodeIDsExist fails on a message ID used in the repository's Go code
// that active.id.toml lacks. Test files and testdata directories are
// skipped: tests of the engine and the adapter use made-up IDs on purpose,
// and the transcript tests of real flows fail on their own when an ID is
// missing (they render every reply).
func TestCodeIDsExist(t *testing.T) {
	ids := loadFiles(t)[defaultLang].msgs
	root := moduleRoot(t)
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		if strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			// A file that does not parse fails its own package's build.
			t.Logf("skipping %s: %v", path, err)
			return nil
		}
		files++
		for _, u := range collectIDs(fset, f) {
			if ids[u.id] == nil {
				rel, _ := filepath.Rel(root, u.pos.Filename)
				t.Errorf("%s:%d: message ID %q (%s) is missing in active.id.toml", rel, u.pos.Line, u.id, u.why)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatal("no Go files found")
	}
}

// TestCollectIDs pins the conventions on a sample file.
func TestCollectIDs(t *testing.T) {
	src := `package sample

import "github.com/diskum-tangerang/umkmbot/flows"

type row struct {
	Loan string ` + "`db:\"loan_id\"`" + `
}

var Extra = []string{"nik_short", "nik_bad_date"}

var codes = map[string]string{"short": "field_nik_short"}

func f(c ctx, code string) {
	flows.Say("menu_prompt")
	c.Say("reg_done", "Name", "x")
	_ = flows.T("help_general")
	_ = T("plain_id")
	_ = flows.Btn("btn_yes", "yes")
	_ = flows.Text{ID: "resume_offer", Raw: "err_in_raw"}
	_ = "err_" + code
	_ = "field_nik_" + code
	_ = "loan_status" // i18n:ignore
	_ = "not an id"
	_ = flows.Say(code)
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "sample.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range collectIDs(fset, f) {
		got = append(got, u.id)
	}
	want := []string{
		"btn_yes", "err_in_raw", "field_nik_short", "help_general", "menu_prompt",
		"nik_bad_date", "nik_short", "plain_id", "reg_done", "resume_offer",
	}
	sort.Strings(got)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("collected\n %v\nwant\n %v", got, want)
	}
}
