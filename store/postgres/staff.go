package postgres

import (
	"context"
	"fmt"
)

// IsStaff implements store.StaffStore.
func (db *DB) IsStaff(ctx context.Context, id int64) (bool, error) {
	var ok bool
	err := db.pool.QueryRow(ctx,
		`SELECT EXISTS (SELECT 1 FROM staff WHERE telegram_id = $1)`, id).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("is staff %d: %w", id, err)
	}
	return ok, nil
}

// AddStaff implements store.StaffStore: adding someone again updates the
// name and keeps added_at.
func (db *DB) AddStaff(ctx context.Context, id int64, name string) error {
	_, err := db.pool.Exec(ctx, `
		INSERT INTO staff (telegram_id, name) VALUES ($1, $2)
		ON CONFLICT (telegram_id) DO UPDATE SET name = EXCLUDED.name`,
		id, name)
	if err != nil {
		return fmt.Errorf("add staff %d: %w", id, err)
	}
	return nil
}
