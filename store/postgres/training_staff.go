package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Participants implements store.TrainingStore: every booking of the
// training in booking order (created_at, id), each with the contact of the
// owner's latest registration that is not anonymised (empty when there is
// none). An unknown training is ErrNotFound.
func (db *DB) Participants(ctx context.Context, trainingID int64) ([]store.Participant, error) {
	var exists bool
	if err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM trainings WHERE id = $1)`, trainingID).Scan(&exists); err != nil {
		return nil, fmt.Errorf("participants of training %d: %w", trainingID, err)
	}
	if !exists {
		return nil, fmt.Errorf("participants of training %d: %w", trainingID, store.ErrNotFound)
	}
	rows, _ := db.pool.Query(ctx, `SELECT `+bookingColumns+`,
			coalesce(r.owner_name, ''), coalesce(r.phone, ''), coalesce(r.business_name, ''), coalesce(r.kecamatan, '')
		FROM bookings b LEFT JOIN LATERAL (
			SELECT owner_name, phone, business_name, kecamatan FROM registrations
			WHERE user_id = b.user_id AND anonymised_at IS NULL ORDER BY id DESC LIMIT 1
		) r ON true
		WHERE b.training_id = $1 ORDER BY b.created_at, b.id`, trainingID)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Participant, error) {
		var p store.Participant
		b := &p.Booking
		var offer *time.Time
		err := row.Scan(&b.ID, &b.Code, &b.TrainingID, &b.UserID, &b.Status, &offer, &b.CreatedAt, &b.UpdatedAt,
			&b.Position, &p.OwnerName, &p.Phone, &p.BusinessName, &p.Kecamatan)
		if offer != nil {
			b.OfferDeadline = *offer
		}
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("participants of training %d: %w", trainingID, err)
	}
	return list, nil
}

// MarkAttendance implements store.TrainingStore under the training's lock,
// audited by actor (action "attendance", the booking code and the mark;
// no personal data). A booked place, or one marked already (the mark may
// be corrected), can be marked once the training has started (ErrClosed
// before, and for a cancelled training); other places are ErrConflict. A
// mark that changes nothing writes nothing.
func (db *DB) MarkAttendance(ctx context.Context, actor, bookingID int64, attended bool, now time.Time) error {
	mark := store.BookingAbsent
	if attended {
		mark = store.BookingAttended
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		t, b, err := lockBooking(ctx, tx, bookingID, 0)
		if err != nil {
			return err
		}
		switch {
		case t.Status == store.TrainingCancelled || now.Before(t.StartAt):
			return store.ErrClosed
		case b.Status != store.BookingBooked && b.Status != store.BookingAttended && b.Status != store.BookingAbsent:
			return fmt.Errorf("booking is %s: %w", b.Status, store.ErrConflict)
		case b.Status == mark:
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE bookings SET status = $2, updated_at = now() WHERE id = $1`, b.ID, mark); err != nil {
			return err
		}
		return audit(ctx, tx, store.AuditEntry{Actor: actor, Action: "attendance", Object: trainingObject(t.ID),
			Detail: fmt.Sprintf("booking=%s %s", b.Code, mark)})
	})
	if err != nil {
		return fmt.Errorf("mark attendance of booking %d: %w", bookingID, err)
	}
	return nil
}

// ImportTrainings implements store.TrainingStore in one transaction: all
// rows or none. Each row needs an ImportKey. A new key creates an open
// training by actor; a known key updates the details that differ (status,
// creator and bookings stay) and leaves an unchanged training untouched,
// so a second run of the same rows creates and updates nothing. Each
// creation and update is audited (action "import"). A new date, time or
// place tells every owner with a place through moved, as UpdateTraining
// does (store.MoveNoticeKey). An import cannot move a waitlist:
// a capacity change of a training with waitlisted owners, or below its
// taken places, is ErrConflict (staff edit it in the chat instead, which
// offers the seats and tells the owners).
func (db *DB) ImportTrainings(ctx context.Context, actor int64, ts []store.Training, moved store.MoveNotify) (store.TrainingImport, error) {
	checked := make([]store.Training, len(ts))
	for i, t := range ts {
		if t.ImportKey == "" {
			return store.TrainingImport{}, fmt.Errorf("import trainings: row %d (%q) has no import key", i+1, t.Title)
		}
		var err error
		if checked[i], err = store.CheckTraining(t); err != nil {
			return store.TrainingImport{}, fmt.Errorf("import trainings: row %d: %w", i+1, err)
		}
	}
	var r store.TrainingImport
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		r = store.TrainingImport{}
		for _, t := range checked {
			isNew, changed, told, err := importOne(ctx, tx, actor, t, moved)
			if err != nil {
				return fmt.Errorf("%s: %w", t.ImportKey, err)
			}
			if isNew {
				r.Created++
			} else if changed {
				r.Updated++
			}
			r.Told += told
		}
		return nil
	})
	if err != nil {
		return store.TrainingImport{}, fmt.Errorf("import trainings: %w", err)
	}
	return r, nil
}

// importOne creates or updates one imported training.
// A new date, time or place is told to the owners with a place through
// moved; told counts them.
func importOne(ctx context.Context, tx pgx.Tx, actor int64, t store.Training, moved store.MoveNotify) (isNew, changed bool, told int, err error) {
	rows, _ := tx.Query(ctx, `
		INSERT INTO trainings AS t (topic, title, description, start_at, end_at, place, link,
			capacity, deadline, created_by, import_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (import_key) DO NOTHING
		RETURNING `+trainingColumns,
		t.Topic, t.Title, t.Description, t.StartAt, t.EndAt, t.Place, t.Link, t.Capacity, t.Deadline, actor, t.ImportKey)
	saved, err := pgx.CollectExactlyOneRow(rows, scanTraining)
	if err == nil {
		err = audit(ctx, tx, store.AuditEntry{Actor: actor, Action: "import",
			Object: trainingObject(saved.ID), Detail: "created " + store.TrainingCreatedDetail(saved)})
		return true, false, 0, err
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return false, false, 0, err
	}
	rows, _ = tx.Query(ctx, `SELECT `+trainingColumns+` FROM trainings t WHERE t.import_key = $1 FOR UPDATE`, t.ImportKey)
	old, err := pgx.CollectExactlyOneRow(rows, scanTraining)
	if err != nil {
		return false, false, 0, err
	}
	fields := store.TrainingChanges(old, t)
	if len(fields) == 0 {
		return false, false, 0, nil
	}
	if old.Capacity != t.Capacity {
		taken, waiting, err := seatCounts(ctx, tx, old.ID)
		if err != nil {
			return false, false, 0, err
		}
		if waiting > 0 || t.Capacity < taken {
			return false, false, 0, fmt.Errorf("capacity %d of training %d with %d places taken and %d waiting: %w",
				t.Capacity, old.ID, taken, waiting, store.ErrConflict)
		}
	}
	rows, _ = tx.Query(ctx, `
		UPDATE trainings t SET topic = $2, title = $3, description = $4, start_at = $5, end_at = $6,
			place = $7, link = $8, capacity = $9, deadline = $10, updated_at = now()
		WHERE id = $1 RETURNING `+trainingColumns,
		old.ID, t.Topic, t.Title, t.Description, t.StartAt, t.EndAt, t.Place, t.Link, t.Capacity, t.Deadline)
	saved, err = pgx.CollectExactlyOneRow(rows, scanTraining)
	if err != nil {
		return false, false, 0, err
	}
	if err := audit(ctx, tx, store.AuditEntry{Actor: actor, Action: "import",
		Object: trainingObject(old.ID), Detail: "fields: " + strings.Join(fields, ", ")}); err != nil {
		return false, false, 0, err
	}
	if store.TrainingMoved(old, saved) && saved.Status == store.TrainingOpen {
		if told, err = tellMoved(ctx, tx, old, saved, moved); err != nil {
			return false, false, 0, err
		}
	}
	return false, true, told, nil
}
