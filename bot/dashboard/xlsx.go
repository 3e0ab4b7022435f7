package dashboard

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// csvToXLSX turns a CSV file written for Excel (a byte order mark, sep
// between fields) into a workbook of one sheet: the same cells, with the
// ="…" wrapping of NIK and NIB undone (a workbook keeps text as text),
// the CSV's apostrophe before a formula-like text dropped (a workbook
// cell written as text never runs), plain whole numbers as numbers, and the header row bold and frozen.
func csvToXLSX(sheet string, data []byte, sep rune) ([]byte, error) {
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	cr.Comma, cr.ReuseRecord = sep, true
	return writeXLSX(sheet, func() ([]string, error) {
		row, err := cr.Read()
		if err == io.EOF {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("xlsx: read csv: %w", err)
		}
		return row, nil
	})
}

// rowsOf hands out rows one by one.
func rowsOf(rows [][]string) func() ([]string, error) {
	i := 0
	return func() ([]string, error) {
		if i == len(rows) {
			return nil, nil
		}
		i++
		return rows[i-1], nil
	}
}

// writeXLSX writes the rows next returns, until nil (the first is the
// header), as a workbook; the stream writer keeps memory flat however
// many rows there are.
func writeXLSX(sheet string, next func() ([]string, error)) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	for i := 0; ; i++ {
		row, err := next()
		if err != nil {
			return nil, err
		}
		if row == nil {
			break
		}
		cells := make([]any, len(row))
		for j, v := range row {
			switch {
			case i == 0:
				cells[j] = excelize.Cell{StyleID: bold, Value: v}
			case strings.HasPrefix(v, `="`) && strings.HasSuffix(v, `"`):
				cells[j] = v[2 : len(v)-1]
			case len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(v[1])):
				cells[j] = v[1:] // the CSV's guard against formulas; a workbook cell is text
			case isPlainNumber(v):
				n, _ := strconv.ParseInt(v, 10, 64)
				cells[j] = n
			default:
				cells[j] = v
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, cells); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// isPlainNumber: digits only, no leading zero, short enough to be exact
// in a spreadsheet (15 digits).
func isPlainNumber(v string) bool {
	if v == "" || len(v) > 15 || (v[0] == '0' && len(v) > 1) {
		return false
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
