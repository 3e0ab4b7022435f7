package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/diskum-tangerang/umkmbot"

// pkgInfo is what the guard reads of one package: its imports (tests left
// out) and whether any file carries a package doc.
type pkgInfo struct {
	imports map[string]bool
	doc     bool
}

func readPackages(t *testing.T, root string) map[string]*pkgInfo {
	t.Helper()
	pkgs := map[string]*pkgInfo{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if p != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		path := module
		if rel != "." {
			path += "/" + filepath.ToSlash(rel)
		}
		info := pkgs[path]
		if info == nil {
			info = &pkgInfo{imports: map[string]bool{}}
			pkgs[path] = info
		}
		if f.Doc != nil && strings.TrimSpace(f.Doc.Text()) != "" {
			info.doc = true
		}
		for _, imp := range f.Imports {
			s, _ := strconv.Unquote(imp.Path.Value)
			info.imports[s] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

func under(path, prefix string) bool {
	return path == module+"/"+prefix || strings.HasPrefix(path, module+"/"+prefix+"/")
}

// TestImportRules keeps the architecture's cut: the engine knows no
// transport and no driver, the adapter knows no store implementation, and
// every package says what it is.
func TestImportRules(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found at %s", root)
	}
	drivers := []string{"github.com/go-telegram/bot", "github.com/redis/go-redis", "github.com/jackc/pgx"}
	impls := []string{module + "/store/memory", module + "/store/redis", module + "/store/postgres"}
	pkgs := readPackages(t, root)
	if len(pkgs) < 8 {
		t.Fatalf("found only %d packages; is the walk broken?", len(pkgs))
	}
	for path, p := range pkgs {
		if !p.doc {
			t.Errorf("%s has no package doc", path)
		}
		for imp := range p.imports {
			switch {
			case under(path, "flows"):
				for _, d := range drivers {
					if strings.HasPrefix(imp, d) {
						t.Errorf("%s imports %s: flows must not know Telegram, Redis or Postgres", path, imp)
					}
				}
				if strings.HasPrefix(imp, module+"/bot") {
					t.Errorf("%s imports %s: flows must not know the transport", path, imp)
				}
				for _, i := range impls {
					if strings.HasPrefix(imp, i) && !under(path, "flows/flowstest") {
						t.Errorf("%s imports %s: flows use store interfaces, not implementations", path, imp)
					}
				}
			case under(path, "bot"):
				for _, i := range impls {
					if strings.HasPrefix(imp, i) {
						t.Errorf("%s imports %s: the adapter must not know store implementations", path, imp)
					}
				}
			case under(path, "store"):
				if strings.HasPrefix(imp, module+"/flows") || strings.HasPrefix(imp, module+"/bot") ||
					strings.HasPrefix(imp, module+"/locales") {
					t.Errorf("%s imports %s: stores know only package store", path, imp)
				}
			case under(path, "locales"):
				if strings.HasPrefix(imp, module+"/store") || strings.HasPrefix(imp, module+"/bot") {
					t.Errorf("%s imports %s", path, imp)
				}
			}
		}
	}
	if core := pkgs[module+"/flows"]; core != nil {
		for imp := range core.imports {
			if strings.Contains(imp, ".") && imp != "github.com/looplab/fsm" && imp != module+"/store" &&
				imp != module+"/flows/field" {
				t.Errorf("flows imports %s: the engine imports only looplab/fsm, store and flows/field", imp)
			}
		}
	}
}
