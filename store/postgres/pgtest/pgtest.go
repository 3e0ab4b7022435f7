// Package pgtest gives tests of any package a fresh PostgreSQL database of
// their own, migrated to the current schema, and drops it when the test
// ends.
//
// The server comes from DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable); the database
// named there is only used as the admin connection for CREATE and DROP
// DATABASE. When the server is unreachable the test is skipped, or fails
// when CI=true.
//
// How it is fast: the migrations run once into a template database named
// after their digest ("umkmbot_tmpl_<16 hex>"), and each test gets
// CREATE DATABASE umkmbot_test_<random> TEMPLATE it, dropped WITH (FORCE)
// in t.Cleanup. Every test binary of every package, and concurrent runs on
// the same server, share the template of one schema version:
//   - it is built under a pg_advisory_lock in the admin database, so only
//     one process builds it while the others wait; a builder that crashes
//     releases the lock with its connection, and the next process drops its
//     half-built database and builds again;
//   - it counts as complete only once marked IS_TEMPLATE (and closed to
//     connections, so that no stray session blocks the copies); a process
//     that finds the name taken without holding the lock (42P04, e.g. a run
//     using another admin database) waits for that mark;
//   - it is never dropped, because another run may be copying it. Templates
//     of old schema versions stay behind; they are small, and a developer
//     may drop them by hand (ALTER DATABASE x IS_TEMPLATE false, then DROP).
//
// Every run must use the same admin database for the lock to serialize
// builds. A test process killed before its cleanup leaves its
// umkmbot_test_* database behind. Only tests import this package.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/diskum-tangerang/umkmbot/store/postgres"
)

// DefaultURL is the admin database used when DATABASE_URL is not set.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// setupTimeout bounds creating a database, template included.
const setupTimeout = 2 * time.Minute

// URL returns DATABASE_URL or DefaultURL.
func URL() string {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// New returns an open pool on a fresh database with every migration
// applied. It is closed and the database dropped in t.Cleanup.
func New(t testing.TB) *postgres.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	admin := connectAdmin(t, ctx)
	defer admin.Close(context.Background())
	tmpl, err := template(ctx, admin)
	if err != nil {
		t.Fatalf("pgtest: template database: %v", err)
	}
	name := create(t, ctx, admin, tmpl)
	db, err := postgres.Open(ctx, WithDatabase(URL(), name))
	if err != nil {
		t.Fatalf("pgtest: open %s: %v", name, err)
	}
	t.Cleanup(db.Close) // runs before the drop registered by create
	return db
}

// NewEmpty creates a fresh database with no tables and returns its URL,
// for tests of migrations themselves. It is dropped in t.Cleanup.
func NewEmpty(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	admin := connectAdmin(t, ctx)
	defer admin.Close(context.Background())
	return WithDatabase(URL(), create(t, ctx, admin, ""))
}

// WithDatabase returns rawURL (a URL or a keyword DSN) pointing at database
// name instead.
func WithDatabase(rawURL, name string) string {
	if u, err := url.Parse(rawURL); err == nil && u.Scheme != "" {
		u.Path = "/" + name
		u.RawPath = ""
		return u.String()
	}
	return rawURL + " dbname=" + name // the last setting wins
}

// Unavailable skips the test because the server cannot be reached, or
// fails it when CI=true, where a missing server must not pass unnoticed.
func Unavailable(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("postgres unavailable: %v", err)
	}
	t.Skipf("postgres unavailable: %v", err)
}

func connectAdmin(t testing.TB, ctx context.Context) *pgx.Conn {
	t.Helper()
	admin, err := pgx.Connect(ctx, URL())
	if err != nil {
		Unavailable(t, err)
	}
	return admin
}

// create makes a database copied from tmpl ("" for the server's default)
// and registers its drop.
func create(t testing.TB, ctx context.Context, admin *pgx.Conn, tmpl string) string {
	t.Helper()
	name := "umkmbot_test_" + strings.ToLower(rand.Text())
	sql := "CREATE DATABASE " + ident(name)
	if tmpl != "" {
		sql += " TEMPLATE " + ident(tmpl)
	}
	if _, err := admin.Exec(ctx, sql); err != nil {
		t.Fatalf("pgtest: create %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, URL())
		if err != nil {
			t.Errorf("pgtest: drop %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(name)+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop %s: %v", name, err)
		}
	})
	return name
}

// The template is made at most once per process; later tests reuse it.
var (
	tmplMu   sync.Mutex
	tmplName string
)

// template returns the name of the complete template database of the
// current migrations, building it if no process has.
func template(ctx context.Context, admin *pgx.Conn) (string, error) {
	tmplMu.Lock()
	defer tmplMu.Unlock()
	if tmplName != "" {
		return tmplName, nil
	}
	digest := postgres.MigrationsDigest()
	name := "umkmbot_tmpl_" + digest[:16]
	raw, _ := hex.DecodeString(digest[16:32])
	lockKey := int64(binary.BigEndian.Uint64(raw))

	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		return "", fmt.Errorf("lock: %w", err)
	}
	defer admin.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", lockKey)

	exists, complete, err := templateState(ctx, admin, name)
	if err != nil {
		return "", err
	}
	if !complete {
		if exists { // half-built by a process that died holding the lock
			if _, err := admin.Exec(ctx, "DROP DATABASE "+ident(name)+" WITH (FORCE)"); err != nil {
				return "", fmt.Errorf("drop half-built %s: %w", name, err)
			}
		}
		if err := build(ctx, admin, name); err != nil {
			return "", err
		}
	}
	tmplName = name
	return name, nil
}

// build creates, migrates and marks the template; when another process
// outside the lock got there first, it waits for that one to finish.
func build(ctx context.Context, admin *pgx.Conn, name string) error {
	_, err := admin.Exec(ctx, "CREATE DATABASE "+ident(name))
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database
		return waitComplete(ctx, admin, name)
	}
	if err != nil {
		return fmt.Errorf("create %s: %w", name, err)
	}
	db, err := postgres.Open(ctx, WithDatabase(URL(), name))
	if err != nil {
		return err
	}
	err = db.Migrate(ctx)
	db.Close() // copying needs the template free of connections
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if _, err := admin.Exec(ctx,
		"ALTER DATABASE "+ident(name)+" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"); err != nil {
		return fmt.Errorf("mark %s complete: %w", name, err)
	}
	return nil
}

func waitComplete(ctx context.Context, admin *pgx.Conn, name string) error {
	for {
		_, complete, err := templateState(ctx, admin, name)
		if err != nil || complete {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for %s: %w", name, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func templateState(ctx context.Context, admin *pgx.Conn, name string) (exists, complete bool, err error) {
	err = admin.QueryRow(ctx,
		"SELECT datistemplate FROM pg_database WHERE datname = $1", name).Scan(&complete)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, false, nil
	}
	if err != nil {
		return false, false, fmt.Errorf("look up %s: %w", name, err)
	}
	return true, complete, nil
}

func ident(name string) string { return pgx.Identifier{name}.Sanitize() }
