package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/diskum-tangerang/umkmbot/store"
)

// reminderWindow bounds the trainings QueueReminders looks at: the d1
// moment is never more than two days before the start.
const reminderWindow = 48 * time.Hour

// reminderInsert queues the reminders of one training, each only while
// its booking is still booked. It runs after the training's share lock is
// taken, which keeps every change to the training's bookings out until the
// rows are committed: a cancellation either commits first (and the row is
// left out) or comes after (and cancels the pending row). The key makes a
// reminder impossible to queue twice, across calls, replicas and
// restarts.
const reminderInsert = `
	INSERT INTO outbox (key, chat_id, kind, payload, not_before)
	SELECT i.k, i.ch, i.kd, i.p, coalesce(i.nb, now())
	FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bytea[], $5::timestamptz[], $6::bigint[])
		AS i(k, ch, kd, p, nb, bid)
	JOIN bookings b ON b.id = i.bid AND b.status = 'booked'
	ON CONFLICT (key) DO NOTHING`

// QueueReminders implements store.TrainingStore. Which reminders are due
// follows reminderDue: a d1 is due from dayBefore on the day before the
// start day until that day ends, so a bot that was down through all of
// it sends only the d0 on the day itself; a d0 from sameDay on the start
// day; neither once the training has started. Reminders already queued are
// not built again; notify builds the others (the store sets the key
// "remind:<booking>:<kind>", a ChatID of 0 becomes the owner, an empty
// Kind "reminder").
func (db *DB) QueueReminders(ctx context.Context, now time.Time, dayBefore, sameDay time.Duration,
	notify func(b store.Booking, t store.Training, kind string) (store.OutboxItem, error)) (int, error) {
	if err := store.CheckTimesOfDay(dayBefore, sameDay); err != nil {
		return 0, fmt.Errorf("queue reminders: %w", err)
	}
	rows, _ := db.pool.Query(ctx, `SELECT `+bookingReturning+`, `+trainingColumns+`,
			EXISTS (SELECT 1 FROM outbox o WHERE o.key = 'remind:' || b.id || ':`+store.ReminderDayBefore+`'),
			EXISTS (SELECT 1 FROM outbox o WHERE o.key = 'remind:' || b.id || ':`+store.ReminderSameDay+`')
		FROM bookings b JOIN trainings t ON t.id = b.training_id
		WHERE b.status = 'booked' AND t.status = 'open' AND t.start_at > $1 AND t.start_at <= $2
		ORDER BY t.start_at, b.id`, now, now.Add(reminderWindow))
	type candidate struct {
		b            store.Booking
		t            store.Training
		hasD1, hasD0 bool
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (candidate, error) {
		var c candidate
		b, t := &c.b, &c.t
		var offer *time.Time
		err := row.Scan(&b.ID, &b.Code, &b.TrainingID, &b.UserID, &b.Status, &offer, &b.CreatedAt, &b.UpdatedAt, &b.Position,
			&t.ID, &t.Topic, &t.Title, &t.Description, &t.StartAt, &t.EndAt, &t.Place, &t.Link,
			&t.Capacity, &t.Deadline, &t.Status, &t.CreatedBy, &t.ImportKey, &t.CreatedAt, &t.UpdatedAt,
			&c.hasD1, &c.hasD0)
		return c, err
	})
	if err != nil {
		return 0, fmt.Errorf("queue reminders: %w", err)
	}
	due := map[int64][]dueReminder{} // by training
	var order []int64
	for _, c := range list {
		d1, d0 := store.ReminderDue(now, c.t.StartAt, dayBefore, sameDay)
		for _, r := range []struct {
			kind string
			due  bool
		}{{store.ReminderDayBefore, d1 && !c.hasD1}, {store.ReminderSameDay, d0 && !c.hasD0}} {
			if !r.due {
				continue
			}
			key := fmt.Sprintf("remind:%d:%s", c.b.ID, r.kind)
			it, err := notify(c.b, c.t, r.kind)
			if err != nil {
				return 0, fmt.Errorf("queue reminders: notice %s: %w", key, err)
			}
			if it, err = store.NoticeWithKey(it, key, "reminder", c.b.UserID); err != nil {
				return 0, fmt.Errorf("queue reminders: %w", err)
			}
			if due[c.t.ID] == nil {
				order = append(order, c.t.ID)
			}
			due[c.t.ID] = append(due[c.t.ID], dueReminder{it, c.b.ID})
		}
	}
	queued := 0
	for _, id := range order {
		n, err := db.queueReminders(ctx, id, now, due[id])
		queued += n
		if err != nil {
			return queued, fmt.Errorf("queue reminders of training %d: %w", id, err)
		}
	}
	return queued, nil
}

// dueReminder is a reminder to queue and its booking.
type dueReminder struct {
	item    store.OutboxItem
	booking int64
}

// queueReminders queues list, reminders of training id, under the
// training's share lock (the same lock order as every change to its
// bookings: training first), while it is open and not started at now.
func (db *DB) queueReminders(ctx context.Context, id int64, now time.Time, list []dueReminder) (int, error) {
	items := make([]store.OutboxItem, len(list))
	bookings := make([]int64, len(list))
	for i, r := range list {
		items[i], bookings[i] = r.item, r.booking
	}
	keys, kinds, chats, payloads, notBefore := outboxArrays(items)
	n := 0
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var open bool
		err := tx.QueryRow(ctx, `SELECT status = 'open' AND start_at > $2 FROM trainings WHERE id = $1 FOR SHARE`,
			id, now).Scan(&open)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && !open) {
			return nil
		}
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, reminderInsert, keys, chats, kinds, payloads, notBefore, bookings)
		n = int(tag.RowsAffected())
		return err
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
