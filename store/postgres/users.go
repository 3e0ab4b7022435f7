package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/diskum-tangerang/umkmbot/store"
)

// User implements store.UserStore.
func (db *DB) User(ctx context.Context, id int64) (store.User, error) {
	var u store.User
	err := db.pool.QueryRow(ctx,
		`SELECT telegram_id, lang, client_lang, created_at, updated_at FROM users WHERE telegram_id = $1`, id,
	).Scan(&u.ID, &u.Lang, &u.ClientLang, &u.CreatedAt, &u.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.User{}, fmt.Errorf("user %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.User{}, fmt.Errorf("user %d: %w", id, err)
	}
	return u, nil
}

// SetLanguage implements store.UserStore with one upsert.
func (db *DB) SetLanguage(ctx context.Context, id int64, lang string) error {
	_, err := db.pool.Exec(ctx, `
		INSERT INTO users (telegram_id, lang) VALUES ($1, $2)
		ON CONFLICT (telegram_id) DO UPDATE SET lang = EXCLUDED.lang, updated_at = now()`,
		id, lang)
	if err != nil {
		return fmt.Errorf("set language of user %d: %w", id, err)
	}
	return nil
}

// SetClientLanguage implements store.UserStore with one upsert; a new user
// has no chosen language.
func (db *DB) SetClientLanguage(ctx context.Context, id int64, lang string) error {
	_, err := db.pool.Exec(ctx, `
		INSERT INTO users (telegram_id, lang, client_lang) VALUES ($1, '', $2)
		ON CONFLICT (telegram_id) DO UPDATE SET client_lang = EXCLUDED.client_lang, updated_at = now()`,
		id, lang)
	if err != nil {
		return fmt.Errorf("set client language of user %d: %w", id, err)
	}
	return nil
}
