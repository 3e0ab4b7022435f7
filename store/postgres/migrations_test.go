package postgres

import (
	"path"
	"regexp"
	"testing"
)

// TestMigrationNames checks that the files are numbered 0001, 0002, ...
// without gaps or repeats, so that the lexical order is the intended one.
func TestMigrationNames(t *testing.T) {
	names, err := migrationNames()
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no migrations embedded")
	}
	valid := regexp.MustCompile(`^(\d{4})_[a-z0-9_]+\.sql$`)
	for i, name := range names {
		base := path.Base(name)
		m := valid.FindStringSubmatch(base)
		if m == nil {
			t.Errorf("%s: want NNNN_lower_snake.sql", base)
			continue
		}
		if want := fmtNumber(i + 1); m[1] != want {
			t.Errorf("%s: number %s, want %s", base, m[1], want)
		}
	}
}

func TestMigrationsDigest(t *testing.T) {
	d := MigrationsDigest()
	if len(d) != 64 || d != MigrationsDigest() {
		t.Errorf("MigrationsDigest() = %q: want 64 stable hex digits", d)
	}
}

func fmtNumber(n int) string {
	const digits = "0123456789"
	b := []byte("0000")
	for i := 3; i >= 0 && n > 0; i-- {
		b[i] = digits[n%10]
		n /= 10
	}
	return string(b)
}
