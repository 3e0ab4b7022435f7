package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/postgres"
	"github.com/diskum-tangerang/umkmbot/store/postgres/pgtest"
	"github.com/diskum-tangerang/umkmbot/store/storetest"
)

func TestUserStore(t *testing.T) {
	storetest.RunUserStore(t, func(t *testing.T) store.UserStore { return pgtest.New(t) })
}

func TestStaffStore(t *testing.T) {
	storetest.RunStaffStore(t, func(t *testing.T) store.StaffStore { return pgtest.New(t) })
}

func TestOpen(t *testing.T) {
	const secret = "s3cret-pw"
	tests := []struct {
		name    string
		url     string
		wantErr bool
	}{
		{"server", pgtest.URL(), false},
		{"password ignored by trust auth", strings.Replace(pgtest.URL(), "postgres@", "postgres:"+secret+"@", 1), false},
		{"no server", "postgres://postgres:" + secret + "@127.0.0.1:1/test?sslmode=disable&connect_timeout=2", true},
		{"bad port", "postgres://postgres:" + secret + "@127.0.0.1:port/test", true},
		{"bad option", "postgres://postgres:" + secret + "@127.0.0.1:5432/test?pool_max_conns=many", true},
		{"keyword DSN, no server", "host=127.0.0.1 port=1 user=postgres password=" + secret + " connect_timeout=2", true},
		{"keyword DSN, bad option", "host=127.0.0.1 password='" + secret + "' pool_max_conns=many", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			db, err := postgres.Open(ctx, tt.url)
			if !tt.wantErr {
				if err != nil {
					pgtest.Unavailable(t, err)
				}
				defer db.Close()
				if n := db.Pool().Config().MaxConns; n < 10 {
					t.Errorf("MaxConns = %d, want at least 10", n)
				}
				return
			}
			if err == nil {
				db.Close()
				t.Fatal("no error")
			}
			t.Logf("error: %v", err)
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error reveals the password: %v", err)
			}
		})
	}
}

func TestMigrate(t *testing.T) {
	ctx := t.Context()
	db, err := postgres.Open(ctx, pgtest.NewEmpty(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// Three replicas starting at once: one applies, the others wait and
	// find nothing to do.
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if err := db.Migrate(ctx); err != nil {
				t.Errorf("Migrate: %v", err)
			}
		})
	}
	wg.Wait()
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("Migrate again: %v", err)
	}

	var versions []string
	rows, err := db.Pool().Query(ctx, "SELECT version FROM schema_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		versions = append(versions, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(versions) == 0 || versions[0] != "0001_users.sql" {
		t.Errorf("schema_migrations = %v, want 0001_users.sql first and each file once", versions)
	}
	seen := map[string]bool{}
	for _, v := range versions {
		if seen[v] {
			t.Errorf("%s recorded twice", v)
		}
		seen[v] = true
	}

	tables := []string{"users", "staff", "schema_migrations"}
	for _, table := range tables {
		var ok bool
		if err := db.Pool().QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", table).Scan(&ok); err != nil || !ok {
			t.Errorf("table %s missing (%v)", table, err)
		}
	}
}

// TestMigrateCancelled checks that a cancelled Migrate fails cleanly and
// leaves the pool usable.
func TestMigrateCancelled(t *testing.T) {
	db, err := postgres.Open(t.Context(), pgtest.NewEmpty(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := db.Migrate(ctx); err == nil {
		t.Fatal("Migrate with a cancelled context: no error")
	}
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate after a cancelled one: %v", err)
	}
}
