// Package postgres keeps umkmbot's durable records in PostgreSQL through a
// pgx pool, one aggregate a file: users and their language, staff,
// registrations, consents and the audit log, the outbox and campaigns,
// trainings and bookings, loans with their history, payments and links. Its
// schema comes from the embedded migrations/*.sql files, applied in order
// by Migrate under an advisory lock.
//
// It implements store.UserStore, StaffStore, RegistrationStore,
// OutboxStore, CampaignStore, TrainingStore, LoanStore and the dashboard's
// StatsStore (stats*.go, on tallies a trigger keeps), and loads generated
// demo data in bulk (LoadDataset). A change that
// tells someone something writes its outbox rows in the same transaction.
// cmd and tests import
// it; flows must not (they see the store interfaces only). Tests of other
// packages get a fresh migrated database from store/postgres/pgtest.
package postgres

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/diskum-tangerang/umkmbot/store"
)

// minConns is the least pool size Open accepts: the pgx default,
// max(4, NumCPU), is too small for a bot serving many chats at once.
const minConns = 10

// DB is a pool of connections to the umkmbot database. It is safe for
// concurrent use.
type DB struct {
	pool *pgxpool.Pool
}

var (
	_ store.UserStore  = (*DB)(nil)
	_ store.StaffStore = (*DB)(nil)
)

// Open connects to the database at rawURL (a postgres:// URL or a keyword
// DSN; pool_* parameters are honoured) with at least 10 connections and
// pings it. The returned error never contains the password.
func Open(ctx context.Context, rawURL string) (*DB, error) {
	if strings.Contains(rawURL, "://") {
		if _, err := url.Parse(rawURL); err != nil {
			// url.Error quotes the whole URL, password included: say less.
			return nil, errors.New("postgres: the database URL does not parse")
		}
	}
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, scrub(rawURL, "postgres: parse URL", err)
	}
	if cfg.MaxConns < minConns {
		cfg.MaxConns = minConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg) // lazy: connects on first use
	if err != nil {
		return nil, scrub(rawURL, "postgres: open pool", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, scrub(rawURL, "postgres: connect", err)
	}
	return &DB{pool: pool}, nil
}

// Close closes every connection; it waits for connections in use to be
// released.
func (db *DB) Close() { db.pool.Close() }

// Pool returns the underlying pool, for packages that keep their own
// tables in this database.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// safeError carries a message with the password masked and still unwraps
// to the original error, so that errors.Is keeps working.
type safeError struct {
	msg string
	err error
}

func (e *safeError) Error() string { return e.msg }
func (e *safeError) Unwrap() error { return e.err }

// dsnPassword finds a password in a keyword/value DSN.
var dsnPassword = regexp.MustCompile(`password\s*=\s*('(?:[^'\\]|\\.)*'|\S+)`)

// scrub wraps err as "what: err" with every password found in rawURL masked.
func scrub(rawURL, what string, err error) error {
	msg := what + ": " + err.Error()
	var secrets []string
	if u, perr := url.Parse(rawURL); perr == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok {
			secrets = append(secrets, pw, url.QueryEscape(pw), url.PathEscape(pw))
		}
	}
	for _, m := range dsnPassword.FindAllStringSubmatch(rawURL, -1) {
		secrets = append(secrets, m[1], strings.Trim(m[1], "'"))
	}
	for _, s := range secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "xxxxx")
		}
	}
	return &safeError{msg: msg, err: err}
}
