package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/diskum-tangerang/umkmbot/store"
)

// bookingFields are the columns of bookings b that scanBooking reads
// before the position.
const bookingFields = `b.id, b.code, b.training_id, b.user_id, b.status, b.offer_deadline, b.created_at, b.updated_at`

// bookingColumns add the waitlist position: how many waitlisted places of
// the training come before this one, itself included, in (created_at, id)
// order.
const bookingColumns = bookingFields + `,
	CASE WHEN b.status = 'waitlisted' THEN (SELECT count(*) FROM bookings w
		WHERE w.training_id = b.training_id AND w.status = 'waitlisted'
		  AND (w.created_at, w.id) <= (b.created_at, b.id)) ELSE 0 END`

// bookingReturning is for RETURNING clauses of rows that are not
// waitlisted (a RETURNING subquery would not see the statement's own
// change).
const bookingReturning = bookingFields + `, 0`

// activeStatuses are the statuses of a place held in a training.
const activeStatuses = `('booked', 'waitlisted', 'offered')`

// Book implements store.TrainingStore in one transaction under the
// training's row lock, so that bookings of one training queue up and the
// seat count they see is exact. A cancelled training is ErrClosed; an
// owner who already holds a place gets it with ErrConflict (also after the
// deadline: the place is a fact); a started training or one past its
// deadline (now after Deadline) is ErrClosed. The place is booked while
// fewer than Capacity places are taken and nobody waits, else waitlisted.
func (db *DB) Book(ctx context.Context, trainingID, userID int64, now time.Time) (store.Booking, error) {
	var b store.Booking
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		t, _, err := lockTraining(ctx, tx, trainingID)
		if err != nil {
			return err
		}
		if t.Status == store.TrainingCancelled {
			return store.ErrClosed
		}
		rows, _ := tx.Query(ctx, `SELECT `+bookingColumns+` FROM bookings b
			WHERE b.training_id = $1 AND b.user_id = $2 AND b.status IN `+activeStatuses, trainingID, userID)
		held, err := pgx.CollectExactlyOneRow(rows, scanBooking)
		if err == nil {
			b = held
			return store.ErrConflict
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if !now.Before(t.StartAt) || now.After(t.Deadline) {
			return store.ErrClosed
		}
		taken, waiting, err := seatCounts(ctx, tx, trainingID)
		if err != nil {
			return err
		}
		status := store.BookingWaitlisted
		if taken < t.Capacity && waiting == 0 {
			status = store.BookingBooked
		}
		var seq int
		if err := tx.QueryRow(ctx, `UPDATE trainings SET booking_seq = booking_seq + 1 WHERE id = $1
			RETURNING booking_seq`, trainingID).Scan(&seq); err != nil {
			return err
		}
		rows, _ = tx.Query(ctx, `INSERT INTO bookings AS b (code, training_id, user_id, status)
			VALUES ($1, $2, $3, $4) RETURNING `+bookingReturning,
			store.BookingCode(trainingID, seq), trainingID, userID, status)
		if b, err = pgx.CollectExactlyOneRow(rows, scanBooking); err != nil {
			if isUniqueViolation(err, "bookings_one_place") { // unreachable under the lock
				return store.ErrConflict
			}
			return err
		}
		if status == store.BookingWaitlisted {
			b.Position = waiting + 1
		}
		return nil
	})
	if err != nil {
		return b, fmt.Errorf("book training %d for user %d: %w", trainingID, userID, err)
	}
	return b, nil
}

// CancelBooking implements store.TrainingStore. Only the owner's own
// booking is found (ErrNotFound otherwise); a booking already cancelled
// changes nothing (nil, nil); an attended or absent one, or any after the
// start, is ErrClosed. Its pending reminders and offer notice are
// cancelled. A freed seat goes to the first on the waitlist as an offer
// until min(now+hold, start), told through notify (key "offer:<booking>",
// kind "waitlist"), in the same transaction.
func (db *DB) CancelBooking(ctx context.Context, userID, bookingID int64, now time.Time, hold time.Duration, notify store.Notify) (*store.Booking, error) {
	if hold <= 0 {
		return nil, fmt.Errorf("cancel booking %d: hold %s not positive", bookingID, hold)
	}
	if userID == 0 {
		return nil, fmt.Errorf("cancel booking %d: no owner: %w", bookingID, store.ErrNotFound)
	}
	var promoted *store.Booking
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		t, b, err := lockBooking(ctx, tx, bookingID, userID)
		if err != nil {
			return err
		}
		switch {
		case b.Status == store.BookingCancelled:
			return nil
		case b.Status == store.BookingAttended || b.Status == store.BookingAbsent || !now.Before(t.StartAt):
			return store.ErrClosed
		}
		if err := cancelPlace(ctx, tx, b); err != nil {
			return err
		}
		if b.Status == store.BookingWaitlisted {
			return nil
		}
		list, err := fill(ctx, tx, t, now, hold, notify)
		if len(list) > 0 {
			promoted = &list[0]
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("cancel booking %d of user %d: %w", bookingID, userID, err)
	}
	return promoted, nil
}

// ConfirmOffer implements store.TrainingStore. Only the owner's own
// booking is found; a booking already booked comes back as it is (a
// double tap); an offer whose deadline passed (now after it), or a
// cancelled, attended or absent booking, or a started training, is
// ErrClosed; a waitlisted place is ErrConflict.
func (db *DB) ConfirmOffer(ctx context.Context, userID, bookingID int64, now time.Time) (store.Booking, error) {
	if userID == 0 {
		return store.Booking{}, fmt.Errorf("confirm offer %d: no owner: %w", bookingID, store.ErrNotFound)
	}
	var out store.Booking
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		t, b, err := lockBooking(ctx, tx, bookingID, userID)
		if err != nil {
			return err
		}
		switch {
		case b.Status == store.BookingBooked:
			out = b
			return nil
		case b.Status == store.BookingWaitlisted:
			return store.ErrConflict
		case b.Status != store.BookingOffered || now.After(b.OfferDeadline) || !now.Before(t.StartAt):
			return store.ErrClosed
		}
		rows, _ := tx.Query(ctx, `UPDATE bookings b SET status = 'booked', offer_deadline = NULL, updated_at = now()
			WHERE id = $1 RETURNING `+bookingReturning, bookingID)
		out, err = pgx.CollectExactlyOneRow(rows, scanBooking)
		return err
	})
	if err != nil {
		return store.Booking{}, fmt.Errorf("confirm offer %d of user %d: %w", bookingID, userID, err)
	}
	return out, nil
}

// ExpireOffers implements store.TrainingStore: each offer whose deadline
// is before now is cancelled in its own transaction under its training's
// lock, together with the offer of its seat to the next on the waitlist
// (notify, as in CancelBooking), so that one failure loses no other. An
// offer confirmed or expired meanwhile by another caller is left alone.
func (db *DB) ExpireOffers(ctx context.Context, now time.Time, hold time.Duration, notify store.Notify) (int, error) {
	if hold <= 0 {
		return 0, fmt.Errorf("expire offers: hold %s not positive", hold)
	}
	rows, _ := db.pool.Query(ctx, `SELECT id, user_id FROM bookings
		WHERE status = 'offered' AND offer_deadline < $1 ORDER BY offer_deadline, id`, now)
	due, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct{ ID, User int64 }])
	if err != nil {
		return 0, fmt.Errorf("expire offers: %w", err)
	}
	expired := 0
	for _, d := range due {
		done := false
		err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
			t, b, err := lockBooking(ctx, tx, d.ID, d.User)
			if err != nil || b.Status != store.BookingOffered || !b.OfferDeadline.Before(now) {
				return err
			}
			if err := cancelPlace(ctx, tx, b); err != nil {
				return err
			}
			done = true
			_, err = fill(ctx, tx, t, now, hold, notify)
			return err
		})
		if err != nil {
			return expired, fmt.Errorf("expire offer %d: %w", d.ID, err)
		}
		if done {
			expired++
		}
	}
	return expired, nil
}

// BookingsOf implements store.TrainingStore: the owner's booked, offered
// and waitlisted places in trainings that have not ended by now.
func (db *DB) BookingsOf(ctx context.Context, userID int64, now time.Time) ([]store.Booking, error) {
	rows, _ := db.pool.Query(ctx, `SELECT `+bookingColumns+` FROM bookings b JOIN trainings t ON t.id = b.training_id
		WHERE b.user_id = $1 AND b.status IN `+activeStatuses+` AND t.end_at > $2
		ORDER BY t.start_at, t.id, b.id`, userID, now)
	list, err := pgx.CollectRows(rows, scanBooking)
	if err != nil {
		return nil, fmt.Errorf("bookings of user %d: %w", userID, err)
	}
	return list, nil
}

// lockBooking takes the lock of the training of booking id and then reads
// the booking as the lock holder sees it. With user not 0, a booking of
// another owner is ErrNotFound, like one that does not exist.
func lockBooking(ctx context.Context, tx pgx.Tx, id, user int64) (store.Training, store.Booking, error) {
	var training, owner int64
	err := tx.QueryRow(ctx, `SELECT training_id, user_id FROM bookings WHERE id = $1`, id).Scan(&training, &owner)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && user != 0 && owner != user) {
		return store.Training{}, store.Booking{}, store.ErrNotFound
	}
	if err != nil {
		return store.Training{}, store.Booking{}, err
	}
	t, _, err := lockTraining(ctx, tx, training)
	if err != nil {
		return store.Training{}, store.Booking{}, err
	}
	rows, _ := tx.Query(ctx, `SELECT `+bookingColumns+` FROM bookings b WHERE b.id = $1`, id)
	b, err := pgx.CollectExactlyOneRow(rows, scanBooking)
	return t, b, err
}

// cancelPlace cancels booking b and its pending notices. The training's
// lock must be held.
func cancelPlace(ctx context.Context, tx pgx.Tx, b store.Booking) error {
	if _, err := tx.Exec(ctx, `UPDATE bookings SET status = 'cancelled', offer_deadline = NULL, updated_at = now()
		WHERE id = $1`, b.ID); err != nil {
		return err
	}
	return dropNotices(ctx, tx, []store.Booking{b})
}

// fill offers every free seat of t (capacity less the booked, offered and
// attended places) to the waitlist in order, until min(now+hold, start),
// and queues a notice for each through notify. Nothing is offered once
// the training has started or when it is cancelled. The training's lock
// must be held. It returns the offered bookings in waitlist order.
func fill(ctx context.Context, tx pgx.Tx, t store.Training, now time.Time, hold time.Duration, notify store.Notify) ([]store.Booking, error) {
	if t.Status != store.TrainingOpen || !now.Before(t.StartAt) {
		return nil, nil
	}
	rows, _ := tx.Query(ctx, `
		WITH free AS (
			SELECT greatest($2 - count(*), 0) AS n FROM bookings
			WHERE training_id = $1 AND status IN ('booked', 'offered', 'attended')
		), next AS (
			SELECT id FROM bookings WHERE training_id = $1 AND status = 'waitlisted'
			ORDER BY created_at, id LIMIT (SELECT n FROM free)
		)
		UPDATE bookings b SET status = 'offered', offer_deadline = $3, updated_at = now()
		FROM next WHERE b.id = next.id
		RETURNING `+bookingReturning, t.ID, t.Capacity, store.OfferUntil(now, hold, t.StartAt))
	list, err := pgx.CollectRows(rows, scanBooking)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(list, func(a, b store.Booking) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	var items []store.OutboxItem
	for _, b := range list {
		it, ok, err := store.BookingNotice(notify, fmt.Sprintf("offer:%d", b.ID), "waitlist", b, t)
		if err != nil {
			return nil, err
		}
		if ok {
			items = append(items, it)
		}
	}
	_, err = enqueueTx(ctx, tx, items)
	return list, err
}

// dropNotices cancels the pending reminders and offer notices of bookings
// that no longer hold a place; a notice already being sent is left alone.
func dropNotices(ctx context.Context, tx pgx.Tx, list []store.Booking) error {
	var keys []string
	for _, b := range list {
		keys = append(keys, store.BookingNoticeKeys(b.ID)...)
	}
	if len(keys) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE outbox SET status = 'cancelled' WHERE key = ANY($1) AND status = 'pending'`, keys)
	return err
}

// enqueueTx inserts outbox rows in tx, leaving keys already queued as they
// are; it returns how many it added. A zero NotBefore means at once.
func enqueueTx(ctx context.Context, tx pgx.Tx, items []store.OutboxItem) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	keys, kinds, chats, payloads, notBefore := outboxArrays(items)
	tag, err := tx.Exec(ctx, `
		INSERT INTO outbox (key, chat_id, kind, payload, not_before)
		SELECT k, ch, kd, p, coalesce(nb, now())
		FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bytea[], $5::timestamptz[]) AS i(k, ch, kd, p, nb)
		ON CONFLICT (key) DO NOTHING`, keys, chats, kinds, payloads, notBefore)
	if err != nil {
		return 0, fmt.Errorf("queue %d notices: %w", len(items), err)
	}
	return int(tag.RowsAffected()), nil
}

// outboxArrays turns items into the column arrays of an unnest insert.
func outboxArrays(items []store.OutboxItem) (keys, kinds []string, chats []int64, payloads [][]byte, notBefore []pgtype.Timestamptz) {
	for _, it := range items {
		keys, kinds, chats = append(keys, it.Key), append(kinds, it.Kind), append(chats, it.ChatID)
		payloads = append(payloads, it.Payload)
		notBefore = append(notBefore, pgtype.Timestamptz{Time: it.NotBefore, Valid: !it.NotBefore.IsZero()})
	}
	return keys, kinds, chats, payloads, notBefore
}

// scanBooking reads a row selected with bookingColumns or
// bookingReturning.
func scanBooking(row pgx.CollectableRow) (store.Booking, error) {
	var b store.Booking
	var offer pgtype.Timestamptz
	err := row.Scan(&b.ID, &b.Code, &b.TrainingID, &b.UserID, &b.Status, &offer, &b.CreatedAt, &b.UpdatedAt, &b.Position)
	if offer.Valid {
		b.OfferDeadline = offer.Time
	}
	return b, err
}
