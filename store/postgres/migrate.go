package postgres

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
)

// migrationsFS holds the schema, one numbered file per change
// (0001_users.sql, 0002_...). A file that has been applied is never edited:
// a change is a new file.
//
//go:embed migrations/*.sql
var migrationsFS embed.FS

// migrateLockID is the pg_advisory_lock key that serializes Migrate across
// replicas starting at once.
const migrateLockID = 727274

// Migrate applies, in file-name order, every embedded migration not yet
// recorded in schema_migrations, each in its own transaction together with
// its record, under an advisory lock. Running it again, or from several
// processes at once, is a no-op once the schema is current.
func (db *DB) Migrate(ctx context.Context) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrateLockID); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer func() {
		// A session-level lock outlives a failed unlock: close the connection
		// then, so that the pool does not hand a locked session to others.
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(uctx, "SELECT pg_advisory_unlock($1)", migrateLockID); err != nil {
			conn.Conn().Close(uctx)
		}
	}()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    text PRIMARY KEY,
		applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	names, err := migrationNames()
	if err != nil {
		return err
	}
	for _, name := range names {
		version := path.Base(name)
		var done bool
		if err := conn.QueryRow(ctx,
			"SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)", version).Scan(&done); err != nil {
			return fmt.Errorf("migrate: %s: %w", version, err)
		}
		if done {
			continue
		}
		body, err := fs.ReadFile(migrationsFS, name)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, string(body)); err != nil { // no args: several statements allowed
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version) VALUES ($1)", version)
			return err
		}); err != nil {
			return fmt.Errorf("migrate: %s: %w", version, err)
		}
	}
	return nil
}

// MigrationsDigest identifies the schema the embedded migrations build: a
// hex SHA-256 of their names and contents. pgtest names its template
// database after it.
func MigrationsDigest() string {
	names, err := migrationNames()
	if err != nil {
		panic(err) // the embedded FS is fixed at build time
	}
	h := sha256.New()
	for _, name := range names {
		body, err := fs.ReadFile(migrationsFS, name)
		if err != nil {
			panic(err)
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path.Base(name), len(body))
		h.Write(body)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func migrationNames() ([]string, error) {
	names, err := fs.Glob(migrationsFS, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	sort.Strings(names)
	return names, nil
}

// CheckSchema pings the database and reports an error unless the newest
// embedded migration is recorded as applied: a cheap readiness check (one
// indexed lookup).
func (db *DB) CheckSchema(ctx context.Context) error {
	names, err := migrationNames()
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return db.pool.Ping(ctx)
	}
	newest := path.Base(names[len(names)-1])
	var applied bool
	if err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`,
		newest).Scan(&applied); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	if !applied {
		return fmt.Errorf("schema: migration %s is not applied", newest)
	}
	return nil
}
