package postgres_test

import (
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/postgres"
	"github.com/diskum-tangerang/umkmbot/store/postgres/pgtest"
	"github.com/diskum-tangerang/umkmbot/store/storetest"
)

func TestTrainingStore(t *testing.T) {
	storetest.RunTrainingStore(t, func(t *testing.T) storetest.TrainingStores {
		db := pgtest.New(t)
		return storetest.TrainingStores{Trainings: db, Outbox: db, Registrations: db,
			Restart: func(t *testing.T) store.TrainingStore { return reopen(t, db) }}
	})
}

// reopen opens another pool on db's database, as a restarted process
// would; it is closed before the database is dropped.
func reopen(t *testing.T, db *postgres.DB) *postgres.DB {
	t.Helper()
	name := db.Pool().Config().ConnConfig.Database
	again, err := postgres.Open(t.Context(), pgtest.WithDatabase(pgtest.URL(), name))
	if err != nil {
		t.Fatalf("reopen %s: %v", name, err)
	}
	t.Cleanup(again.Close)
	return again
}

// TestTrainingConstraints checks the rules the schema itself keeps, below
// the store's checks: one active place per owner and training, whatever
// writes the rows, and no negative capacity.
func TestTrainingConstraints(t *testing.T) {
	db := pgtest.New(t)
	ctx := t.Context()
	var id int64
	if err := db.Pool().QueryRow(ctx, `INSERT INTO trainings (topic, title, start_at, end_at, capacity, deadline)
		VALUES ('keuangan', 'x', now() + interval '1 day', now() + interval '1 day', 5, now()) RETURNING id`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		sql    string
		args   []any
		wantPG string // SQLSTATE, "" for success
	}{
		{"first place", `INSERT INTO bookings (code, training_id, user_id, status) VALUES ('c1', $1, 7, 'booked')`, []any{id}, ""},
		{"second active place", `INSERT INTO bookings (code, training_id, user_id, status) VALUES ('c2', $1, 7, 'waitlisted')`, []any{id}, "23505"},
		{"a cancelled place beside it", `INSERT INTO bookings (code, training_id, user_id, status) VALUES ('c3', $1, 7, 'cancelled')`, []any{id}, ""},
		{"offer without a deadline", `INSERT INTO bookings (code, training_id, user_id, status) VALUES ('c4', $1, 8, 'offered')`, []any{id}, "23514"},
		{"negative capacity", `UPDATE trainings SET capacity = -1 WHERE id = $1`, []any{id}, "23514"},
		{"unknown status", `UPDATE trainings SET status = 'done' WHERE id = $1`, []any{id}, "23514"},
	}
	for _, tt := range tests {
		_, err := db.Pool().Exec(ctx, tt.sql, tt.args...)
		var pgErr *pgconn.PgError
		switch {
		case tt.wantPG == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.wantPG != "" && (!errors.As(err, &pgErr) || pgErr.Code != tt.wantPG):
			t.Errorf("%s: error %v, want SQLSTATE %s", tt.name, err, tt.wantPG)
		}
	}
}
