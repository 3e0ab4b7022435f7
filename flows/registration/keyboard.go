package registration

import (
	"strconv"
	"strings"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
)

// KecamatanPerPage is how many kecamatan one page of the keyboard shows:
// three columns of four rows, so that the 29 fit on three pages.
const KecamatanPerPage = 12

// kecamatanColumns is the width of the kecamatan keyboard.
const kecamatanColumns = 3

// KecamatanKeyboard returns page (from 0, clamped to the pages there are)
// of the kecamatan keyboard: the kecamatan in code order, three to a row,
// each button's choice its 6-digit code, then a row with "‹ Sebelumnya" and
// "Berikutnya ›" (choices "p<page>") where there is such a page. It also
// returns the page shown and the number of pages.
func KecamatanKeyboard(page int) (rows [][]flows.Button, shown, pages int) {
	all := field.Kecamatans()
	pages = (len(all) + KecamatanPerPage - 1) / KecamatanPerPage
	page = max(0, min(page, pages-1))
	list := all[page*KecamatanPerPage : min(len(all), (page+1)*KecamatanPerPage)]
	for i := 0; i < len(list); i += kecamatanColumns {
		var row []flows.Button
		for _, k := range list[i:min(len(list), i+kecamatanColumns)] {
			row = append(row, flows.Button{Label: flows.Raw(k.Name), Data: k.Code})
		}
		rows = append(rows, row)
	}
	var nav []flows.Button
	if page > 0 {
		nav = append(nav, flows.Btn("btn_prev", "p"+strconv.Itoa(page-1)))
	}
	if page < pages-1 {
		nav = append(nav, flows.Btn("btn_next", "p"+strconv.Itoa(page+1)))
	}
	if len(nav) > 0 {
		rows = append(rows, nav)
	}
	return rows, page, pages
}

// PageChoice reads the choice of a page button ("p1").
func PageChoice(choice string) (int, bool) {
	rest, ok := strings.CutPrefix(choice, "p")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n >= 0
}

// SectorKeyboard returns the sectors as buttons, two to a row, each
// button's choice the sector key.
func SectorKeyboard() [][]flows.Button {
	var rows [][]flows.Button
	var row []flows.Button
	for _, s := range field.Sectors() {
		row = append(row, flows.Button{Label: SectorText(s.Key), Data: s.Key})
		if len(row) == 2 {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return rows
}

// SectorText is the label of a sector key ("sector_<key>").
func SectorText(key string) flows.Text { return flows.T("sector_" + key) }

// KecamatanName is the name of a kecamatan code (the code itself when it is
// not one of the 29).
func KecamatanName(code string) string {
	if k, ok := field.KecamatanByCode(code); ok {
		return k.Name
	}
	return code
}
