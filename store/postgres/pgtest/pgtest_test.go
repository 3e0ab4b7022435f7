package pgtest_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/diskum-tangerang/umkmbot/store/postgres/pgtest"
)

func TestWithDatabase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "postgres://postgres@127.0.0.1:5432/x?sslmode=disable"},
		{"postgres://u:p@h/", "postgres://u:p@h/x"},
		{"host=h user=u dbname=test", "host=h user=u dbname=test dbname=x"},
	}
	for _, tt := range tests {
		if got := pgtest.WithDatabase(tt.in, "x"); got != tt.want {
			t.Errorf("WithDatabase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestIsolatedAndDropped checks that each test gets its own migrated
// database, that the template is complete, and that the databases are gone
// after their tests.
func TestIsolatedAndDropped(t *testing.T) {
	var names []string
	for _, lang := range []string{"id", "en"} {
		t.Run(lang, func(t *testing.T) {
			db := pgtest.New(t)
			ctx := t.Context()
			var name string
			if err := db.Pool().QueryRow(ctx, "SELECT current_database()").Scan(&name); err != nil {
				t.Fatal(err)
			}
			names = append(names, name)
			var users int
			if err := db.Pool().QueryRow(ctx, "SELECT count(*) FROM users").Scan(&users); err != nil {
				t.Fatalf("users table: %v", err)
			}
			if users != 0 {
				t.Errorf("fresh database has %d users: not isolated", users)
			}
			if err := db.SetLanguage(ctx, 1, lang); err != nil {
				t.Fatal(err)
			}
		})
	}
	if len(names) != 2 || names[0] == names[1] {
		t.Fatalf("databases %v: want two different ones", names)
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, pgtest.URL())
	if err != nil {
		pgtest.Unavailable(t, err)
	}
	defer admin.Close(ctx)
	for _, name := range names {
		var n int
		if err := admin.QueryRow(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("database %s still exists after its test", name)
		}
	}
	var templates int
	if err := admin.QueryRow(ctx,
		"SELECT count(*) FROM pg_database WHERE datname LIKE 'umkmbot\\_tmpl\\_%' AND datistemplate AND NOT datallowconn",
	).Scan(&templates); err != nil {
		t.Fatal(err)
	}
	if templates == 0 {
		t.Error("no complete template database")
	}
}
