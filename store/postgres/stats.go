package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/diskum-tangerang/umkmbot/store"
)

var _ store.StatsStore = (*DB)(nil)

// wibZone is the zone of the dashboard's days (the registrations' number
// year uses the same).
var wibZone = time.FixedZone("WIB", 7*60*60)

// RegistrationSummary implements store.StatsStore: one scan with grouping
// sets for the total and the three breakdowns, and one index range scan
// (registrations_live_created) for the last 30 days.
func (db *DB) RegistrationSummary(ctx context.Context, now time.Time) (store.RegistrationSummary, error) {
	var s store.RegistrationSummary
	rows, _ := db.pool.Query(ctx, `SELECT class, sector, kecamatan,
			GROUPING(class)::int, GROUPING(sector)::int, GROUPING(kecamatan)::int, count(*)
		FROM registrations WHERE anonymised_at IS NULL
		GROUP BY GROUPING SETS ((class), (sector), (kecamatan), ())
		ORDER BY count(*) DESC, 1, 2, 3`)
	var class, sector, kec *string
	var gc, gs, gk, n int
	_, err := pgx.ForEachRow(rows, []any{&class, &sector, &kec, &gc, &gs, &gk, &n}, func() error {
		switch {
		case gc == 0:
			s.ByClass = append(s.ByClass, store.Count{Key: *class, N: n})
		case gs == 0:
			s.BySector = append(s.BySector, store.Count{Key: *sector, N: n})
		case gk == 0:
			s.ByKecamatan = append(s.ByKecamatan, store.Count{Key: *kec, N: n})
		default:
			s.Total = n
		}
		return nil
	})
	if err != nil {
		return s, fmt.Errorf("registration summary: %w", err)
	}
	today := now.In(wibZone)
	first := time.Date(today.Year(), today.Month(), today.Day()-29, 0, 0, 0, 0, wibZone)
	daily := map[string]int{}
	rows, _ = db.pool.Query(ctx, `SELECT to_char(created_at AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD'), count(*)
		FROM registrations WHERE anonymised_at IS NULL AND created_at >= $1 GROUP BY 1`, first)
	var day string
	if _, err := pgx.ForEachRow(rows, []any{&day, &n}, func() error { daily[day] = n; return nil }); err != nil {
		return s, fmt.Errorf("registrations per day: %w", err)
	}
	for i := range 30 {
		d := first.AddDate(0, 0, i).Format("2006-01-02")
		s.Daily = append(s.Daily, store.Count{Key: d, N: daily[d]})
	}
	return s, nil
}

// registrationQuery turns q into a WHERE clause over live registrations
// and its arguments.
func registrationQuery(q store.RegistrationQuery) (string, []any) {
	conds := []string{"anonymised_at IS NULL"}
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if q.Kecamatan != "" {
		add("kecamatan = ?", q.Kecamatan)
	}
	if q.Desa != "" {
		add("desa = ?", q.Desa)
	}
	if q.Sector != "" {
		add("sector = ?", q.Sector)
	}
	if q.Class != "" {
		add("class = ?", q.Class)
	}
	switch q.NIB {
	case store.HasNIB:
		conds = append(conds, "nib <> ''")
	case store.NoNIB:
		conds = append(conds, "nib = ''")
	}
	switch q.Halal {
	case "":
	case "none":
		conds = append(conds, "halal = ''")
	default:
		add("halal = ?", q.Halal)
	}
	if !q.From.IsZero() {
		add("created_at >= ?", q.From)
	}
	if !q.To.IsZero() {
		add("created_at < ?", q.To)
	}
	return strings.Join(conds, " AND "), args
}

// QueryRegistrations implements store.StatsStore. A page walks
// registrations_live_created newest first; the count reads the matching
// rows once.
func (db *DB) QueryRegistrations(ctx context.Context, q store.RegistrationQuery) ([]store.Registration, int, error) {
	where, args := registrationQuery(q)
	var total int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM registrations WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count registrations: %w", err)
	}
	sql := `SELECT ` + regColumns + ` FROM registrations WHERE ` + where + ` ORDER BY created_at DESC, id DESC`
	if q.Limit > 0 {
		sql += fmt.Sprintf(" LIMIT %d OFFSET %d", q.Limit, max(q.Offset, 0))
	}
	rows, _ := db.pool.Query(ctx, sql, args...)
	list, err := pgx.CollectRows(rows, rowToRegistration)
	if err != nil {
		return nil, 0, fmt.Errorf("query registrations: %w", err)
	}
	return list, total, nil
}

// figureColumns add the booking counts of TrainingFigures to
// trainingColumns, read from one pass over the training's bookings
// (bookings_training).
const figureColumns = trainingColumns + `, b.booked, b.waitlisted, b.attended, b.absent`

const figureCounts = `LEFT JOIN LATERAL (SELECT
		count(*) FILTER (WHERE status IN ('booked', 'offered', 'attended', 'absent')) AS booked,
		count(*) FILTER (WHERE status = 'waitlisted') AS waitlisted,
		count(*) FILTER (WHERE status = 'attended') AS attended,
		count(*) FILTER (WHERE status = 'absent') AS absent
	FROM bookings WHERE training_id = t.id) b ON true`

// TrainingFigures implements store.StatsStore.
func (db *DB) TrainingFigures(ctx context.Context, now time.Time, upcoming bool, offset, limit int) ([]store.TrainingFigures, int, error) {
	where, order, args := "true", "t.start_at DESC, t.id DESC", []any{}
	if upcoming {
		where, order, args = "t.status = 'open' AND t.start_at > $1", "t.start_at, t.id", []any{now}
	}
	var total int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM trainings t WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count trainings: %w", err)
	}
	rows, _ := db.pool.Query(ctx, fmt.Sprintf(`SELECT %s FROM trainings t %s WHERE %s ORDER BY %s LIMIT %d OFFSET %d`,
		figureColumns, figureCounts, where, order, max(limit, 1), max(offset, 0)), args...)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.TrainingFigures, error) {
		var f store.TrainingFigures
		t := &f.Training
		err := row.Scan(&t.ID, &t.Topic, &t.Title, &t.Description, &t.StartAt, &t.EndAt, &t.Place, &t.Link,
			&t.Capacity, &t.Deadline, &t.Status, &t.CreatedBy, &t.ImportKey, &t.CreatedAt, &t.UpdatedAt,
			&f.Booked, &f.Waitlisted, &f.Attended, &f.Absent)
		return f, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("training figures: %w", err)
	}
	return list, total, nil
}

// TopicFigures implements store.StatsStore: trainings that are not
// cancelled and started before now.
func (db *DB) TopicFigures(ctx context.Context, now time.Time) ([]store.TopicFigures, error) {
	rows, _ := db.pool.Query(ctx, `SELECT t.topic, count(DISTINCT t.id),
			count(b.id) FILTER (WHERE b.status IN ('booked', 'offered', 'attended', 'absent')),
			count(b.id) FILTER (WHERE b.status = 'attended')
		FROM trainings t LEFT JOIN bookings b ON b.training_id = t.id
		WHERE t.status = 'open' AND t.start_at < $1 GROUP BY t.topic ORDER BY t.topic`, now)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.TopicFigures, error) {
		var f store.TopicFigures
		err := row.Scan(&f.Topic, &f.Trainings, &f.Places, &f.Attended)
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("topic figures: %w", err)
	}
	return list, nil
}
