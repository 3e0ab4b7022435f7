package dashboard

import (
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/flows/loan/domain"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Limits of the Ringkasan page.
const (
	summaryTrainings = 8
	summaryCampaigns = 5
)

// keyed is one row of a breakdown: a key, its name and its count.
type keyed struct {
	Key, Name string
	N         int
}

// summaryData is the Ringkasan page.
type summaryData struct {
	Total       int
	Last30      int
	Daily       chart
	ByClass     []keyed
	BySector    []keyed
	ByKecamatan []keyed
	ClassChart  chart
	SectorChart chart
	KecChart    chart
	Trainings   []store.TrainingFigures
	Stages      []stageRow
	Outstanding int64
	Arrears     int64
	InArrears   int
	Campaigns   []campaignRow
}

// summary is Ringkasan: registrations, upcoming trainings, loans and the
// latest campaigns.
func (s *Server) summary(w http.ResponseWriter, r *http.Request, staff int64) {
	if err := s.audit(r, staff, "dashboard.view", "ringkasan"); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, now := r.Context(), s.cfg.Now()
	var sum store.RegistrationSummary
	var d summaryData
	var lf loanData
	err := together(
		func() (err error) { sum, err = s.cfg.Stats.RegistrationSummary(ctx, now); return err },
		func() (err error) {
			d.Trainings, _, err = s.cfg.Stats.TrainingFigures(ctx, now, true, 0, summaryTrainings)
			return err
		},
		func() (err error) { lf, err = s.loanFigures(r, false); return err },
		func() (err error) { d.Campaigns, err = s.campaignRows(r, summaryCampaigns); return err },
	)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Total = sum.Total
	var labels []string
	var values []int
	for _, c := range sum.Daily {
		d.Last30 += c.N
		labels = append(labels, c.Key[8:]+"/"+c.Key[5:7])
		values = append(values, c.N)
	}
	d.Daily = columns("Pendaftaran per hari, 30 hari terakhir", labels, values)
	d.ByClass = complete(sum.ByClass, classOrder, className)
	d.BySector = complete(sum.BySector, sectorKeys(), s.sectorName)
	d.ByKecamatan = complete(sum.ByKecamatan, kecamatanCodes(), kecamatanName)
	d.ClassChart = keyedChart("Menurut kelas usaha", d.ByClass)
	d.SectorChart = keyedChart("Menurut sektor", d.BySector)
	d.KecChart = keyedChart("Menurut kecamatan", d.ByKecamatan)
	d.Stages, d.Outstanding, d.Arrears, d.InArrears = lf.Stages, lf.Outstanding, lf.ArrearsAmount, len(lf.Arrears)
	s.render(w, r, http.StatusOK, "summary", page{Title: "Ringkasan", Active: "ringkasan", Data: d})
}

// complete lists every key of order (with 0 where none), then any other
// key found, in the order of order; counts the way found has them.
func complete(found []store.Count, order []string, name func(string) string) []keyed {
	n := map[string]int{}
	for _, c := range found {
		n[c.Key] = c.N
	}
	var out []keyed
	seen := map[string]bool{}
	for _, k := range order {
		out = append(out, keyed{Key: k, Name: name(k), N: n[k]})
		seen[k] = true
	}
	for _, c := range found {
		if !seen[c.Key] {
			out = append(out, keyed{Key: c.Key, Name: name(c.Key), N: c.N})
		}
	}
	return out
}

func keyedChart(title string, rows []keyed) chart {
	labels, values := make([]string, len(rows)), make([]int, len(rows))
	for i, r := range rows {
		labels[i], values[i] = r.Name, r.N
	}
	return hbars(title, labels, values, 0, num)
}

func sectorKeys() []string {
	var keys []string
	for _, s := range field.Sectors() {
		keys = append(keys, s.Key)
	}
	return keys
}

func kecamatanCodes() []string {
	var codes []string
	for _, k := range field.Kecamatans() {
		codes = append(codes, k.Code)
	}
	return codes
}

// stageRow is one loan stage with its count and amount.
type stageRow struct {
	Stage, Name string
	Loans       int
	Amount      int64
}

// stageRows lists every stage in the funnel's order with its figures
// (zero where no loan is).
func (s *Server) stageRows(figs []store.LoanStageFigures) []stageRow {
	by := map[string]store.LoanStageFigures{}
	for _, f := range figs {
		by[f.Stage] = f
	}
	var out []stageRow
	for _, st := range domain.Stages() {
		f := by[st]
		out = append(out, stageRow{Stage: st, Name: s.stageName(st), Loans: f.Loans, Amount: f.Amount})
	}
	return out
}

// lowerID turns a key into an element id part.
func lowerID(k string) string { return strings.ToLower(strings.ReplaceAll(k, "_", "-")) }

// together runs the page's independent queries at once, each on its own
// pool connection, and joins their errors.
func together(fs ...func() error) error {
	errs := make([]error, len(fs))
	var wg sync.WaitGroup
	for i, f := range fs {
		wg.Go(func() { errs[i] = f() })
	}
	wg.Wait()
	return errors.Join(errs...)
}
