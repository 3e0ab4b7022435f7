package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Audit implements store.RegistrationStore. The store stamps the entry's ID
// and time; e.ID and e.At are ignored, so that no entry can be backdated.
func (db *DB) Audit(ctx context.Context, e store.AuditEntry) error {
	if err := audit(ctx, db.pool, e); err != nil {
		return fmt.Errorf("audit %s %s: %w", e.Action, e.Object, err)
	}
	return nil
}

// AuditLog implements store.RegistrationStore.
func (db *DB) AuditLog(ctx context.Context, object string) ([]store.AuditEntry, error) {
	rows, _ := db.pool.Query(ctx, `SELECT id, actor, action, object, detail, at FROM audit_log
		WHERE $1 = '' OR object = $1 ORDER BY id`, object)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.AuditEntry, error) {
		var e store.AuditEntry
		err := row.Scan(&e.ID, &e.Actor, &e.Action, &e.Object, &e.Detail, &e.At)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("audit log of %q: %w", object, err)
	}
	return list, nil
}

// execer is a pool or a transaction.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// audit appends e through x, so that a transaction writes its audit entry
// together with its change.
func audit(ctx context.Context, x execer, e store.AuditEntry) error {
	_, err := x.Exec(ctx, `INSERT INTO audit_log (actor, action, object, detail) VALUES ($1, $2, $3, $4)`,
		e.Actor, e.Action, e.Object, e.Detail)
	return err
}
