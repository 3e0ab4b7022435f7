package training

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Columns of an imported schedule.
const (
	colKey      = "kode"
	colTopic    = "topik"
	colTitle    = "judul"
	colDesc     = "deskripsi"
	colStart    = "mulai"
	colEnd      = "selesai"
	colPlace    = "tempat"
	colLink     = "tautan"
	colCapacity = "kuota"
	colDeadline = "batas_daftar"
)

// importColumns are the columns a schedule may have; required ones must be
// there.
var importColumns = []struct {
	name     string
	required bool
}{
	{colKey, true}, {colTopic, true}, {colTitle, true}, {colDesc, false}, {colStart, true},
	{colEnd, false}, {colPlace, false}, {colLink, false}, {colCapacity, true}, {colDeadline, false},
}

// maxKey bounds an import key.
const maxKey = 64

// RowError is one problem in an imported schedule.
type RowError struct {
	// Line is the line of the file (the header is line 1).
	Line int
	// Column is the column's name, "" for the whole row or file.
	Column string
	// Msg says what is wrong; render it with the catalog.
	Msg flows.Text
}

// Error names the line, the column and the message ID, for logs.
func (e RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg.ID)
	}
	return fmt.Sprintf("line %d, column %s: %s", e.Line, e.Column, e.Msg.ID)
}

// Text is the whole error as a message: "Baris 3, kolom mulai: ...".
func (e RowError) Text() flows.Text {
	return flows.T("train_import_error", "Line", e.Line, "Column", e.Column, "Msg", e.Msg)
}

// ImportCSV reads a season's schedule: a header row naming the columns
// kode (the import key), topik, judul, deskripsi, mulai, selesai, tempat,
// tautan, kuota and batas_daftar (deskripsi, selesai, batas_daftar and one
// of tempat and tautan may be left out or empty), then one training per
// row. Fields are separated by ";" or "," (whichever the header uses); a
// byte order mark is skipped. Dates and times are read as in the chat
// (ParseDateTime), relative to now; selesai may be a time of day or a
// duration (default 3 hours), batas_daftar a date (default: the day before
// at 23.59 WIB). It returns the trainings of the rows without errors (with
// ImportKey set and Status open), and an error per problem found, by line.
// The error is for a file that cannot be read at all (no header, a missing
// column); it is a *RowError when it is about the file's content.
func ImportCSV(r io.Reader, now time.Time) ([]store.Training, []RowError, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, fmt.Errorf("read schedule: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		return nil, nil, &RowError{Line: 1, Msg: flows.T("train_import_encoding")}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = separatorOf(data)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, &RowError{Line: 1, Msg: flows.T("train_import_empty")}
	}
	if err != nil {
		return nil, nil, &RowError{Line: 1, Msg: flows.T("train_import_unreadable")}
	}
	cols, err := columnsOf(header)
	if err != nil {
		return nil, nil, err
	}
	var (
		out  []store.Training
		errs []RowError
		keys = map[string]int{}
	)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, nil, fmt.Errorf("read schedule: %w", err)
			}
			errs = append(errs, RowError{Line: pe.StartLine, Msg: flows.T("train_import_unreadable")})
			continue
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue
		}
		row := importRow{line: line, rec: rec, cols: cols}
		t := row.training(now)
		if first, ok := keys[t.ImportKey]; ok && t.ImportKey != "" {
			row.fail(colKey, flows.T("train_import_dup_key", "Key", t.ImportKey, "First", first))
		} else if t.ImportKey != "" {
			keys[t.ImportKey] = line
		}
		if len(row.errs) > 0 {
			errs = append(errs, row.errs...)
			continue
		}
		out = append(out, t)
	}
	return out, errs, nil
}

// separatorOf picks ";" or "," from the header line: the one it has more
// of (";" on a tie, the Indonesian Excel default).
func separatorOf(data []byte) rune {
	head, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(head, []byte(",")) > bytes.Count(head, []byte(";")) {
		return ','
	}
	return ';'
}

// columnsOf maps column names to their index; names are compared in lower
// case with spaces and dashes read as "_" ("Batas Daftar").
func columnsOf(header []string) (map[string]int, error) {
	cols := map[string]int{}
	for i, h := range header {
		name := strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(h)))
		known := false
		for _, c := range importColumns {
			known = known || c.name == name
		}
		if !known {
			return nil, &RowError{Line: 1, Column: strings.TrimSpace(h), Msg: flows.T("train_import_unknown_column")}
		}
		if _, dup := cols[name]; dup {
			return nil, &RowError{Line: 1, Column: name, Msg: flows.T("train_import_dup_column")}
		}
		cols[name] = i
	}
	for _, c := range importColumns {
		if _, ok := cols[c.name]; c.required && !ok {
			return nil, &RowError{Line: 1, Column: c.name, Msg: flows.T("train_import_missing_column")}
		}
	}
	return cols, nil
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// importRow reads one row, collecting its errors.
type importRow struct {
	line int
	rec  []string
	cols map[string]int
	errs []RowError
}

func (r *importRow) get(col string) string {
	i, ok := r.cols[col]
	if !ok || i >= len(r.rec) {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

func (r *importRow) fail(col string, msg flows.Text) {
	r.errs = append(r.errs, RowError{Line: r.line, Column: col, Msg: msg})
}

// failErr records a parser's error: its message when it is a
// *flows.UserError.
func (r *importRow) failErr(col string, err error) {
	var ue *flows.UserError
	if errors.As(err, &ue) {
		r.fail(col, ue.Msg)
		return
	}
	r.fail(col, flows.T("train_import_value"))
}

// training reads the row's training; r.errs says what was wrong.
func (r *importRow) training(now time.Time) store.Training {
	t := store.Training{Status: store.TrainingOpen, ImportKey: r.get(colKey), Description: r.get(colDesc)}
	if t.ImportKey == "" || utf8.RuneCountInString(t.ImportKey) > maxKey {
		r.fail(colKey, flows.T("train_import_key", "Max", maxKey))
	}
	if key, ok := typedTopic(r.get(colTopic)); ok && key != "" {
		t.Topic = key
	} else {
		r.fail(colTopic, flows.T("train_import_topic"))
	}
	t.Title = oneLine(r.get(colTitle))
	if n := utf8.RuneCountInString(t.Title); n < minTitle || n > maxTitle {
		r.fail(colTitle, flows.T("train_title_length", "Min", minTitle, "Max", maxTitle))
	}
	if utf8.RuneCountInString(t.Description) > maxDesc {
		r.fail(colDesc, flows.T("train_import_desc", "Max", maxDesc))
	}
	r.where(&t)
	if n, ok := parseCapacity(r.get(colCapacity)); ok {
		t.Capacity = n
	} else {
		r.fail(colCapacity, flows.T("train_cap_invalid", "Max", MaxCapacity))
	}
	start, err := ParseDateTime(r.get(colStart), now)
	if err == nil {
		err = checkStart(start, now)
	}
	if err != nil {
		r.failErr(colStart, err)
		return t
	}
	t.StartAt, t.EndAt, t.Deadline = start, defaultEnd(start), defaultDeadline(start, now)
	if s := r.get(colEnd); s != "" {
		if t.EndAt, err = parseEnd(s, start); err != nil {
			r.failErr(colEnd, err)
		}
	}
	if s := r.get(colDeadline); s != "" {
		dl, err := parseDeadline(s, now)
		if err == nil {
			err = checkDeadline(dl, start, now)
		}
		if err != nil {
			r.failErr(colDeadline, err)
		}
		t.Deadline = dl
	}
	return t
}

// where reads the place or the online link: exactly one of them.
func (r *importRow) where(t *store.Training) {
	place, link := oneLine(r.get(colPlace)), r.get(colLink)
	switch {
	case place != "" && link != "":
		r.fail(colLink, flows.T("train_import_both"))
	case link != "":
		if l, ok := checkURL(link); ok {
			t.Link = l
		} else {
			r.fail(colLink, flows.T("train_link_invalid"))
		}
	case place != "":
		if n := utf8.RuneCountInString(place); n < minPlace || n > maxPlace {
			r.fail(colPlace, flows.T("train_place_length", "Min", minPlace, "Max", maxPlace))
		}
		t.Place = place
	default:
		r.fail(colPlace, flows.T("train_import_where"))
	}
}
