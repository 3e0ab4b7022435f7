package memory

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// topics are the training topics a training may have.
var topics = map[string]bool{
	store.TopicFinance: true, store.TopicMarketing: true, store.TopicLegal: true, store.TopicExport: true,
}

// checkTraining validates t and fills its defaults: a zero EndAt or
// Deadline becomes StartAt; times keep whole microseconds, as Postgres
// does, so that both stores find the same changes.
func checkTraining(t store.Training) (store.Training, error) {
	switch {
	case !topics[t.Topic]:
		return t, fmt.Errorf("training %q: unknown topic %q", t.Title, t.Topic)
	case t.Title == "":
		return t, errors.New("training: empty title")
	case t.StartAt.IsZero():
		return t, fmt.Errorf("training %q: no start", t.Title)
	case t.Capacity < 0:
		return t, fmt.Errorf("training %q: negative capacity %d", t.Title, t.Capacity)
	}
	if t.EndAt.IsZero() {
		t.EndAt = t.StartAt
	}
	if t.Deadline.IsZero() {
		t.Deadline = t.StartAt
	}
	if t.EndAt.Before(t.StartAt) {
		return t, fmt.Errorf("training %q: ends before it starts", t.Title)
	}
	t.StartAt = t.StartAt.Truncate(time.Microsecond)
	t.EndAt = t.EndAt.Truncate(time.Microsecond)
	t.Deadline = t.Deadline.Truncate(time.Microsecond)
	return t, nil
}

// trainingChanges names the details of old that t changes (the fields
// UpdateTraining and ImportTrainings write).
func trainingChanges(old, t store.Training) []string {
	var fields []string
	add := func(changed bool, name string) {
		if changed {
			fields = append(fields, name)
		}
	}
	add(old.Topic != t.Topic, "topic")
	add(old.Title != t.Title, "title")
	add(old.Description != t.Description, "description")
	add(!old.StartAt.Equal(t.StartAt), "start")
	add(!old.EndAt.Equal(t.EndAt), "end")
	add(old.Place != t.Place, "place")
	add(old.Link != t.Link, "link")
	add(old.Capacity != t.Capacity, "capacity")
	add(!old.Deadline.Equal(t.Deadline), "deadline")
	return fields
}

// createdDetail is the audit detail of a new training.
func createdDetail(t store.Training) string {
	return fmt.Sprintf("topic=%s capacity=%d start=%s", t.Topic, t.Capacity, t.StartAt.UTC().Format(time.RFC3339))
}

// bookingCode is the code shown to the owner: PLT-<training>-<sequence of
// the training, at least 4 digits>.
func bookingCode(training int64, seq int) string {
	return fmt.Sprintf("PLT-%d-%04d", training, seq)
}

// noticeKeys are the keys of the notices a booking may have pending: its
// reminders and its offer. They are cancelled when the booking is.
func noticeKeys(booking int64) []string {
	id := strconv.FormatInt(booking, 10)
	return []string{"remind:" + id + ":" + store.ReminderDayBefore, "remind:" + id + ":" + store.ReminderSameDay,
		"offer:" + id}
}

// offerUntil is the deadline of a seat offered at now: now+hold, but no
// later than the training's start.
func offerUntil(now time.Time, hold time.Duration, start time.Time) time.Time {
	if until := now.Add(hold); until.Before(start) {
		return until
	}
	return start
}

// reminderDue says which reminders of a training starting at start are
// due at now, with dayBefore and sameDay times of day in WIB (the rules of
// store/postgres, which the contract suite holds both to):
//   - d1 from dayBefore on the day before the start day, until that day
//     ends: on the day itself a "tomorrow" message would be wrong, so a bot
//     that was down through the whole window sends only d0;
//   - d0 from sameDay on the start day;
//
// both only before the start (a training starting before sameDay gets no
// d0).
func reminderDue(now, start time.Time, dayBefore, sameDay time.Duration) (d1, d0 bool) {
	if !now.Before(start) {
		return false, false
	}
	s := start.In(wib)
	day := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, wib)
	d1 = !now.Before(day.AddDate(0, 0, -1).Add(dayBefore)) && now.Before(day)
	d0 = !now.Before(day.Add(sameDay))
	return d1, d0
}

// checkTimesOfDay refuses reminder times outside one day.
func checkTimesOfDay(dayBefore, sameDay time.Duration) error {
	for _, d := range []time.Duration{dayBefore, sameDay} {
		if d < 0 || d >= 24*time.Hour {
			return fmt.Errorf("reminder time of day %s out of range", d)
		}
	}
	return nil
}

// notice builds the outbox item of one booking through notify, under the
// store's key: the key is what makes a notice impossible to queue twice, so
// the store sets it whatever notify gave. A ChatID of 0 becomes the owner
// (a private chat's id is the user's), an empty Kind becomes kind. A nil
// notify queues nothing (ok false).
func notice(notify store.Notify, key, kind string, b store.Booking, t store.Training) (store.OutboxItem, bool, error) {
	if notify == nil {
		return store.OutboxItem{}, false, nil
	}
	it, err := notify(b, t)
	if err != nil {
		return store.OutboxItem{}, false, fmt.Errorf("notice %s: %w", key, err)
	}
	it, err = withKey(it, key, kind, b.UserID)
	return it, err == nil, err
}

// withKey stamps an item built by a caller's function with the store's key
// and defaults.
func withKey(it store.OutboxItem, key, kind string, user int64) (store.OutboxItem, error) {
	it.Key = key
	if it.ChatID == 0 {
		it.ChatID = user
	}
	if it.Kind == "" {
		it.Kind = kind
	}
	if it.Payload == nil {
		return store.OutboxItem{}, fmt.Errorf("notice %s: no payload", key)
	}
	return it, nil
}
