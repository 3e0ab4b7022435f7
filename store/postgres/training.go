package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/diskum-tangerang/umkmbot/store"
)

var _ store.TrainingStore = (*DB)(nil)

// trainingColumns are the columns scanTraining reads, from trainings t.
const trainingColumns = `t.id, t.topic, t.title, t.description, t.start_at, t.end_at, t.place, t.link,
	t.capacity, t.deadline, t.status, t.created_by, coalesce(t.import_key, ''), t.created_at, t.updated_at`

// seatColumns add the counts of TrainingSeats to trainingColumns.
const seatColumns = trainingColumns + `,
	(SELECT count(*) FROM bookings c WHERE c.training_id = t.id AND c.status IN ('booked', 'offered', 'attended')),
	(SELECT count(*) FROM bookings c WHERE c.training_id = t.id AND c.status = 'waitlisted')`

// raiseHold is how long a seat offered because staff raised the capacity
// is held (store.TrainingStore.UpdateTraining takes no hold), capped at
// the training's start.
const raiseHold = 24 * time.Hour

// trainingObject names a training in the audit log.
func trainingObject(id int64) string { return "training:" + strconv.FormatInt(id, 10) }

// CreateTraining implements store.TrainingStore. The training starts open
// whatever t.Status says; a zero EndAt or Deadline becomes StartAt. The
// insert and its audit entry (topic, capacity, start; no personal data)
// are one transaction. An ImportKey already taken is ErrConflict.
func (db *DB) CreateTraining(ctx context.Context, actor int64, t store.Training) (store.Training, error) {
	t, err := store.CheckTraining(t)
	if err != nil {
		return store.Training{}, err
	}
	var saved store.Training
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `
			INSERT INTO trainings AS t (topic, title, description, start_at, end_at, place, link,
				capacity, deadline, created_by, import_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, nullif($11, ''))
			RETURNING `+trainingColumns,
			t.Topic, t.Title, t.Description, t.StartAt, t.EndAt, t.Place, t.Link,
			t.Capacity, t.Deadline, actor, t.ImportKey)
		var err error
		if saved, err = pgx.CollectExactlyOneRow(rows, scanTraining); err != nil {
			if isUniqueViolation(err, "trainings_import_key_key") {
				return store.ErrConflict
			}
			return err
		}
		return audit(ctx, tx, store.AuditEntry{Actor: actor, Action: "create", Object: trainingObject(saved.ID),
			Detail: store.TrainingCreatedDetail(saved)})
	})
	if err != nil {
		return store.Training{}, fmt.Errorf("create training %q: %w", t.Title, err)
	}
	return saved, nil
}

// UpdateTraining implements store.TrainingStore. Status, creator and
// import key stay; an update that changes nothing writes nothing. A
// cancelled training is ErrClosed. A change of date, time or place
// (store.TrainingMoved) counts one more move and tells every owner with a
// booked, offered or waitlisted place through notices.Moved (key
// store.MoveNoticeKey, kind "training"); it returns how many were told.
// Seats a raised capacity frees are offered to the waitlist until
// raiseHold from the database's now (capped at the start), each told
// through notices.Offer (key "offer:<booking>"). A change of date does not
// queue reminders again that were queued already.
func (db *DB) UpdateTraining(ctx context.Context, actor int64, t store.Training, notices store.TrainingNotices) (int, error) {
	t, err := store.CheckTraining(t)
	if err != nil {
		return 0, err
	}
	told := 0
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		old, now, err := lockTraining(ctx, tx, t.ID)
		if err != nil {
			return err
		}
		if old.Status == store.TrainingCancelled {
			return store.ErrClosed
		}
		fields := store.TrainingChanges(old, t)
		if len(fields) == 0 {
			return nil
		}
		taken, _, err := seatCounts(ctx, tx, t.ID)
		if err != nil {
			return err
		}
		if t.Capacity < taken {
			return fmt.Errorf("capacity %d below the %d places taken: %w", t.Capacity, taken, store.ErrConflict)
		}
		rows, _ := tx.Query(ctx, `
			UPDATE trainings t SET topic = $2, title = $3, description = $4, start_at = $5, end_at = $6,
				place = $7, link = $8, capacity = $9, deadline = $10, updated_at = now()
			WHERE id = $1 RETURNING `+trainingColumns,
			t.ID, t.Topic, t.Title, t.Description, t.StartAt, t.EndAt, t.Place, t.Link, t.Capacity, t.Deadline)
		saved, err := pgx.CollectExactlyOneRow(rows, scanTraining)
		if err != nil {
			return err
		}
		if err := audit(ctx, tx, store.AuditEntry{Actor: actor, Action: "edit", Object: trainingObject(t.ID),
			Detail: "fields: " + strings.Join(fields, ", ")}); err != nil {
			return err
		}
		if store.TrainingMoved(old, saved) {
			if told, err = tellMoved(ctx, tx, old, saved, notices.Moved); err != nil {
				return err
			}
		}
		_, err = fill(ctx, tx, saved, now, raiseHold, notices.Offer)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("update training %d: %w", t.ID, err)
	}
	return told, nil
}

// tellMoved counts one more move of training t (old before the change)
// and queues notify's message for every owner with a booked, offered or
// waitlisted place; it returns how many it queued. The training's lock
// must be held.
func tellMoved(ctx context.Context, tx pgx.Tx, old, t store.Training, notify store.MoveNotify) (int, error) {
	var move int
	if err := tx.QueryRow(ctx, `UPDATE trainings SET moves = moves + 1 WHERE id = $1 RETURNING moves`,
		t.ID).Scan(&move); err != nil {
		return 0, err
	}
	rows, _ := tx.Query(ctx, `SELECT `+bookingColumns+` FROM bookings b
		WHERE b.training_id = $1 AND b.status IN `+activeStatuses+` ORDER BY b.id`, t.ID)
	list, err := pgx.CollectRows(rows, scanBooking)
	if err != nil {
		return 0, err
	}
	if err := moveReminders(ctx, tx, list, move); err != nil {
		return 0, err
	}
	var items []store.OutboxItem
	for _, b := range list {
		it, ok, err := store.MoveNotice(notify, store.MoveNoticeKey(t.ID, move, b.ID), b, old, t)
		if err != nil {
			return 0, err
		}
		if ok {
			items = append(items, it)
		}
	}
	return enqueueTx(ctx, tx, items)
}

// moveReminders sets aside the reminders of bookings whose training moved
// (store.MovedReminderKey): one not sent yet is cancelled, and the keys are
// free for the reminders of the new time. A reminder being sent is left.
func moveReminders(ctx context.Context, tx pgx.Tx, list []store.Booking, move int) error {
	var keys []string
	for _, b := range list {
		keys = append(keys, store.ReminderKeys(b.ID)...)
	}
	if len(keys) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE outbox SET key = key || ':moved:' || $2::int,
			status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END
		WHERE key = ANY($1) AND status <> 'sending'`, keys, move)
	if err != nil {
		return fmt.Errorf("set the moved reminders aside: %w", err)
	}
	return nil
}

// CancelTraining implements store.TrainingStore. The training and its
// booked, offered and waitlisted places become cancelled in one
// transaction with the notices (key "tcancel:<training>:<booking>", kind
// "training", built from the cancelled booking and training) and the audit
// entry; pending reminders and offers of those places are cancelled. A
// training already cancelled changes nothing and returns 0.
func (db *DB) CancelTraining(ctx context.Context, actor, id int64, notify store.Notify) (int, error) {
	told := 0
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		t, _, err := lockTraining(ctx, tx, id)
		if err != nil {
			return err
		}
		if t.Status == store.TrainingCancelled {
			return nil
		}
		if err := tx.QueryRow(ctx, `UPDATE trainings SET status = 'cancelled', updated_at = now()
			WHERE id = $1 RETURNING status, updated_at`, id).Scan(&t.Status, &t.UpdatedAt); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `
			UPDATE bookings b SET status = 'cancelled', offer_deadline = NULL, updated_at = now()
			WHERE training_id = $1 AND status IN ('booked', 'waitlisted', 'offered')
			RETURNING `+bookingReturning, id)
		list, err := pgx.CollectRows(rows, scanBooking)
		if err != nil {
			return err
		}
		if err := dropNotices(ctx, tx, list); err != nil {
			return err
		}
		var items []store.OutboxItem
		for _, b := range list {
			it, ok, err := store.BookingNotice(notify, fmt.Sprintf("tcancel:%d:%d", id, b.ID), "training", b, t)
			if err != nil {
				return err
			}
			if ok {
				items = append(items, it)
			}
		}
		if told, err = enqueueTx(ctx, tx, items); err != nil {
			return err
		}
		return audit(ctx, tx, store.AuditEntry{Actor: actor, Action: "cancel", Object: trainingObject(id),
			Detail: fmt.Sprintf("bookings cancelled=%d told=%d", len(list), told)})
	})
	if err != nil {
		return 0, fmt.Errorf("cancel training %d: %w", id, err)
	}
	return told, nil
}

// Training implements store.TrainingStore.
func (db *DB) Training(ctx context.Context, id int64) (store.TrainingSeats, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+seatColumns+` FROM trainings t WHERE t.id = $1`, id)
	ts, err := pgx.CollectExactlyOneRow(rows, scanSeats)
	if errors.Is(err, pgx.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.TrainingSeats{}, fmt.Errorf("training %d: %w", id, err)
	}
	return ts, nil
}

// Upcoming implements store.TrainingStore; trainings starting at the same
// moment come in ID order. A limit of 0 or less lists none (total still
// counts).
func (db *DB) Upcoming(ctx context.Context, now time.Time, topic string, offset, limit int) ([]store.TrainingSeats, int, error) {
	var total int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM trainings
		WHERE status = 'open' AND start_at > $1 AND ($2 = '' OR topic = $2)`, now, topic).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count upcoming trainings: %w", err)
	}
	if limit <= 0 || offset >= total {
		return nil, total, nil
	}
	rows, _ := db.pool.Query(ctx, `SELECT `+seatColumns+` FROM trainings t
		WHERE t.status = 'open' AND t.start_at > $1 AND ($2 = '' OR t.topic = $2)
		ORDER BY t.start_at, t.id OFFSET $3 LIMIT $4`, now, topic, max(offset, 0), limit)
	list, err := pgx.CollectRows(rows, scanSeats)
	if err != nil {
		return nil, 0, fmt.Errorf("upcoming trainings: %w", err)
	}
	return list, total, nil
}

// lockTraining reads training id under its row lock (every change to its
// bookings takes it first), with the database's now; ErrNotFound when
// there is none.
func lockTraining(ctx context.Context, tx pgx.Tx, id int64) (store.Training, time.Time, error) {
	var now time.Time
	rows, _ := tx.Query(ctx, `SELECT `+trainingColumns+`, now() FROM trainings t WHERE t.id = $1 FOR UPDATE`, id)
	t, err := pgx.CollectExactlyOneRow(rows, func(row pgx.CollectableRow) (store.Training, error) {
		var t store.Training
		err := row.Scan(&t.ID, &t.Topic, &t.Title, &t.Description, &t.StartAt, &t.EndAt, &t.Place, &t.Link,
			&t.Capacity, &t.Deadline, &t.Status, &t.CreatedBy, &t.ImportKey, &t.CreatedAt, &t.UpdatedAt, &now)
		return t, err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Training{}, time.Time{}, store.ErrNotFound
	}
	return t, now, err
}

// seatCounts counts a training's taken places (booked, offered,
// attended) and its waitlist. Called after lockTraining, it counts what
// the lock holder may change.
func seatCounts(ctx context.Context, tx pgx.Tx, id int64) (taken, waiting int, err error) {
	err = tx.QueryRow(ctx, `SELECT
			count(*) FILTER (WHERE status IN ('booked', 'offered', 'attended')),
			count(*) FILTER (WHERE status = 'waitlisted')
		FROM bookings WHERE training_id = $1`, id).Scan(&taken, &waiting)
	return taken, waiting, err
}

func scanTraining(row pgx.CollectableRow) (store.Training, error) {
	var t store.Training
	err := row.Scan(&t.ID, &t.Topic, &t.Title, &t.Description, &t.StartAt, &t.EndAt, &t.Place, &t.Link,
		&t.Capacity, &t.Deadline, &t.Status, &t.CreatedBy, &t.ImportKey, &t.CreatedAt, &t.UpdatedAt)
	return t, err
}

func scanSeats(row pgx.CollectableRow) (store.TrainingSeats, error) {
	var s store.TrainingSeats
	t := &s.Training
	err := row.Scan(&t.ID, &t.Topic, &t.Title, &t.Description, &t.StartAt, &t.EndAt, &t.Place, &t.Link,
		&t.Capacity, &t.Deadline, &t.Status, &t.CreatedBy, &t.ImportKey, &t.CreatedAt, &t.UpdatedAt,
		&s.Booked, &s.Waitlisted)
	return s, err
}
