package main

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/jackc/pgx/v5"
)

// Stored is what the database holds for one owner.
type Stored struct {
	Records  []Record
	Numbers  []string
	Consents int // granted registration consents
}

// Mismatch is a stored value that differs from what the owner gave.
type Mismatch struct {
	Owner        int64
	Field        string
	Stored, Want string
}

// loadStored reads the registrations and consents of the run's database,
// by owner.
func loadStored(ctx context.Context, dbURL string) (map[int64]*Stored, error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return nil, fmt.Errorf("connect to the run's database: %w", err)
	}
	defer conn.Close(ctx)
	out := map[int64]*Stored{}
	get := func(id int64) *Stored {
		if out[id] == nil {
			out[id] = &Stored{}
		}
		return out[id]
	}
	rows, err := conn.Query(ctx, `SELECT user_id, number, owner_name, nik, birth_date, female, phone,
		business_name, sector, products, kecamatan, desa, address, year_started, workers, capital, turnover,
		turnover_monthly, class, class_basis, nib, halal FROM registrations ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("read registrations: %w", err)
	}
	for rows.Next() {
		var (
			id     int64
			number string
			r      Record
			birth  *time.Time
		)
		if err := rows.Scan(&id, &number, &r.OwnerName, &r.NIK, &birth, &r.Female, &r.Phone, &r.BusinessName,
			&r.Sector, &r.Products, &r.Kecamatan, &r.Desa, &r.Address, &r.YearStarted, &r.Workers, &r.Capital,
			&r.Turnover, &r.TurnoverMonthly, &r.Class, &r.ClassBasis, &r.NIB, &r.Halal); err != nil {
			return nil, fmt.Errorf("read registrations: %w", err)
		}
		if birth != nil {
			r.BirthDate = birth.Format(time.DateOnly)
		}
		s := get(id)
		s.Records = append(s.Records, r)
		s.Numbers = append(s.Numbers, number)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read registrations: %w", err)
	}
	var ids []int64
	var counts []int
	rows, err = conn.Query(ctx, `SELECT user_id, count(*) FROM consents
		WHERE purpose = 'registration' AND granted GROUP BY user_id`)
	if err != nil {
		return nil, fmt.Errorf("read consents: %w", err)
	}
	var id int64
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&id, &n}, func() error {
		ids, counts = append(ids, id), append(counts, n)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read consents: %w", err)
	}
	for i, id := range ids {
		get(id).Consents = counts[i]
	}
	return out, nil
}

// compare lists the fields of got that differ from want. NIK values are
// masked in the report.
func compare(owner int64, got, want Record) []Mismatch {
	var out []Mismatch
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range gv.NumField() {
		g, w := fmt.Sprint(gv.Field(i).Interface()), fmt.Sprint(wv.Field(i).Interface())
		if g == w {
			continue
		}
		name := gv.Type().Field(i).Name
		if name == "NIK" {
			g, w = maskNIK(g), maskNIK(w)
		}
		out = append(out, Mismatch{Owner: owner, Field: name, Stored: g, Want: w})
	}
	return out
}

func maskNIK(s string) string {
	if len(s) != 16 {
		return fmt.Sprintf("(%d digits)", len(s))
	}
	return s[:4] + "********" + s[12:]
}
