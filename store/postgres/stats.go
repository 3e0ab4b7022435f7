package postgres

import (
	"context"
	"fmt"
	"slices"
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

// RegistrationSummary implements store.StatsStore from the tallies that
// a trigger keeps (migration 0007): about a thousand rows for the
// breakdowns and 30 for the days, whatever the number of registrations.
func (db *DB) RegistrationSummary(ctx context.Context, now time.Time) (store.RegistrationSummary, error) {
	var s store.RegistrationSummary
	byClass, bySector, byKec := map[string]int{}, map[string]int{}, map[string]int{}
	rows, _ := db.pool.Query(ctx, `SELECT kecamatan, sector, class, n FROM registration_tally WHERE n > 0`)
	var kec, sector, class string
	var n int
	_, err := pgx.ForEachRow(rows, []any{&kec, &sector, &class, &n}, func() error {
		s.Total += n
		byKec[kec] += n
		bySector[sector] += n
		byClass[class] += n
		return nil
	})
	if err != nil {
		return s, fmt.Errorf("registration summary: %w", err)
	}
	s.ByClass, s.BySector, s.ByKecamatan = counts(byClass), counts(bySector), counts(byKec)
	today := now.In(wibZone)
	first := time.Date(today.Year(), today.Month(), today.Day()-29, 0, 0, 0, 0, time.UTC)
	daily := map[string]int{}
	rows, _ = db.pool.Query(ctx, `SELECT to_char(day, 'YYYY-MM-DD'), n FROM registration_daily WHERE day >= $1`, first)
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

// counts lists a tally most first, then by key.
func counts(m map[string]int) []store.Count {
	list := make([]store.Count, 0, len(m))
	for k, n := range m {
		if n > 0 {
			list = append(list, store.Count{Key: k, N: n})
		}
	}
	slices.SortFunc(list, func(a, b store.Count) int {
		if a.N != b.N {
			return b.N - a.N
		}
		return strings.Compare(a.Key, b.Key)
	})
	return list
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
// registrations_live_created newest first. The count comes from the tally
// when only kecamatan, sector and class filter, and from the matching rows
// otherwise.
func (db *DB) QueryRegistrations(ctx context.Context, q store.RegistrationQuery) ([]store.Registration, int, error) {
	where, args := registrationQuery(q)
	var total int
	var err error
	if q.Desa == "" && q.NIB == "" && q.Halal == "" && q.From.IsZero() && q.To.IsZero() {
		err = db.pool.QueryRow(ctx, `SELECT coalesce(sum(live), 0) FROM registration_tally
			WHERE ($1 = '' OR kecamatan = $1) AND ($2 = '' OR sector = $2) AND ($3 = '' OR class = $3)`,
			q.Kecamatan, q.Sector, q.Class).Scan(&total)
	} else {
		err = db.pool.QueryRow(ctx, `SELECT count(*) FROM registrations WHERE `+where, args...).Scan(&total)
	}
	if err != nil {
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
// cancelled and started before now. The bookings are counted per training
// first (one pass, no join fan-out), then summed by topic.
func (db *DB) TopicFigures(ctx context.Context, now time.Time) ([]store.TopicFigures, error) {
	rows, _ := db.pool.Query(ctx, `SELECT t.topic, count(*), coalesce(sum(c.places), 0), coalesce(sum(c.attended), 0)
		FROM trainings t LEFT JOIN (
			SELECT training_id,
				count(*) FILTER (WHERE status IN ('booked', 'offered', 'attended', 'absent')) AS places,
				count(*) FILTER (WHERE status = 'attended') AS attended
			FROM bookings GROUP BY training_id
		) c ON c.training_id = t.id
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
