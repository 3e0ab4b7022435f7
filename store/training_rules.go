package store

// The rules of trainings and bookings that every TrainingStore applies the
// same way: validation, booking codes, notice keys, offer and reminder
// timing.

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// wib is Western Indonesia Time, the zone of reminder times (Asia/Jakarta
// has had no daylight saving since 1964, so a fixed zone is exact and needs
// no time zone database).
var wib = time.FixedZone("WIB", 7*60*60)

// topics are the training topics a training may have.
var topics = map[string]bool{
	TopicFinance: true, TopicMarketing: true, TopicLegal: true, TopicExport: true,
}

// CheckTraining validates t and fills its defaults: a zero EndAt or
// Deadline becomes StartAt; times keep whole microseconds, as the database
// does, so that comparing a stored training with the same input finds no
// change.
func CheckTraining(t Training) (Training, error) {
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

// TrainingChanges names the details of old that t changes (the fields
// UpdateTraining and ImportTrainings write).
func TrainingChanges(old, t Training) []string {
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

// TrainingMoved tells whether t changes the date, time or place of old
// (start, end, address or link): what owners with a place are told of.
func TrainingMoved(old, t Training) bool {
	return !old.StartAt.Equal(t.StartAt) || !old.EndAt.Equal(t.EndAt) || old.Place != t.Place || old.Link != t.Link
}

// MoveNoticeKey is the key of the notice of the move-th change of
// training's date, time or place to the owner of booking.
func MoveNoticeKey(training int64, move int, booking int64) string {
	return fmt.Sprintf("tmove:%d:%d:%d", training, move, booking)
}

// MoveNotice builds the outbox item of one booking through notify, under
// the store's key (as BookingNotice does); a nil notify queues nothing.
func MoveNotice(notify MoveNotify, key string, b Booking, old, t Training) (OutboxItem, bool, error) {
	if notify == nil {
		return OutboxItem{}, false, nil
	}
	it, err := notify(b, old, t)
	if err != nil {
		return OutboxItem{}, false, fmt.Errorf("notice %s: %w", key, err)
	}
	it, err = NoticeWithKey(it, key, "training", b.UserID)
	return it, err == nil, err
}

// TrainingCreatedDetail is the audit detail of a new training.
func TrainingCreatedDetail(t Training) string {
	return fmt.Sprintf("topic=%s capacity=%d start=%s", t.Topic, t.Capacity, t.StartAt.UTC().Format(time.RFC3339))
}

// BookingCode is the code shown to the owner: PLT-<training>-<sequence of
// the training, at least 4 digits>.
func BookingCode(training int64, seq int) string {
	return fmt.Sprintf("PLT-%d-%04d", training, seq)
}

// BookingNoticeKeys are the keys of the notices a booking may have pending: its
// reminders and its offer. They are cancelled when the booking is.
func BookingNoticeKeys(booking int64) []string {
	id := strconv.FormatInt(booking, 10)
	return []string{"remind:" + id + ":" + ReminderDayBefore, "remind:" + id + ":" + ReminderSameDay,
		"offer:" + id}
}

// ReminderKeys are the keys of a booking's reminders.
func ReminderKeys(booking int64) []string {
	id := strconv.FormatInt(booking, 10)
	return []string{"remind:" + id + ":" + ReminderDayBefore, "remind:" + id + ":" + ReminderSameDay}
}

// MovedReminderKey is the key a reminder is kept under once its training
// moved (the move-th time): its own key is free again for the reminder of
// the new time, and a reminder not sent yet is cancelled (it names the old
// time).
func MovedReminderKey(key string, move int) string {
	return key + ":moved:" + strconv.Itoa(move)
}

// OfferUntil is the deadline of a seat offered at now: now+hold, but no
// later than the training's start.
func OfferUntil(now time.Time, hold time.Duration, start time.Time) time.Time {
	if until := now.Add(hold); until.Before(start) {
		return until
	}
	return start
}

// ReminderDue says which reminders of a training starting at start are
// due at now, with dayBefore and sameDay times of day in WIB:
//   - d1 from dayBefore on the day before the start day, until that day
//     ends: on the day itself a "tomorrow" message would be wrong, so a bot
//     that was down through the whole window sends only d0;
//   - d0 from sameDay on the start day;
//
// both only before the start (a training starting before sameDay gets no
// d0).
func ReminderDue(now, start time.Time, dayBefore, sameDay time.Duration) (d1, d0 bool) {
	if !now.Before(start) {
		return false, false
	}
	s := start.In(wib)
	day := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, wib)
	d1 = !now.Before(day.AddDate(0, 0, -1).Add(dayBefore)) && now.Before(day)
	d0 = !now.Before(day.Add(sameDay))
	return d1, d0
}

// CheckTimesOfDay refuses reminder times outside one day.
func CheckTimesOfDay(dayBefore, sameDay time.Duration) error {
	for _, d := range []time.Duration{dayBefore, sameDay} {
		if d < 0 || d >= 24*time.Hour {
			return fmt.Errorf("reminder time of day %s out of range", d)
		}
	}
	return nil
}

// BookingNotice builds the outbox item of one booking through notify, under the
// store's key: the key is what makes a notice impossible to queue twice, so
// the store sets it whatever notify gave. A ChatID of 0 becomes the owner
// (a private chat's id is the user's), an empty Kind becomes kind. A nil
// notify queues nothing (ok false).
func BookingNotice(notify Notify, key, kind string, b Booking, t Training) (OutboxItem, bool, error) {
	if notify == nil {
		return OutboxItem{}, false, nil
	}
	it, err := notify(b, t)
	if err != nil {
		return OutboxItem{}, false, fmt.Errorf("notice %s: %w", key, err)
	}
	it, err = NoticeWithKey(it, key, kind, b.UserID)
	return it, err == nil, err
}

// NoticeWithKey stamps an item built by a caller's function with the store's key
// and defaults.
func NoticeWithKey(it OutboxItem, key, kind string, user int64) (OutboxItem, error) {
	it.Key = key
	if it.ChatID == 0 {
		it.ChatID = user
	}
	if it.Kind == "" {
		it.Kind = kind
	}
	if it.Payload == nil {
		return OutboxItem{}, fmt.Errorf("notice %s: no payload", key)
	}
	return it, nil
}
