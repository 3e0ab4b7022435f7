package dashboard

import (
	"net/http"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// campaignRow is one campaign's delivery.
type campaignRow struct {
	store.CampaignFigures
	Audience string
	// Duration is from the first to the last delivery; Rate the messages
	// sent per second over it.
	Duration string
	Rate     string
}

// campaignRows reads the latest campaigns with their delivery.
func (s *Server) campaignRows(r *http.Request, limit int) ([]campaignRow, error) {
	figs, err := s.cfg.Stats.CampaignFigures(r.Context(), limit)
	if err != nil {
		return nil, err
	}
	out := make([]campaignRow, len(figs))
	for i, f := range figs {
		row := campaignRow{CampaignFigures: f, Audience: s.audience(f.Audience), Duration: "–", Rate: "–"}
		if !f.FirstSent.IsZero() {
			d := f.LastSent.Sub(f.FirstSent)
			row.Duration = duration(d)
			if d >= time.Second {
				row.Rate = decimal(float64(f.Sent)/d.Seconds()) + " pesan/detik"
			}
		}
		out[i] = row
	}
	return out, nil
}

// audience names a campaign's audience.
func (s *Server) audience(a store.Audience) string {
	switch {
	case a.Kecamatan != "":
		return "Kecamatan " + kecamatanName(a.Kecamatan)
	case a.Sector != "":
		return "Sektor " + s.sectorName(a.Sector)
	case a.Training != 0:
		return "Peserta pelatihan #" + num(int(a.Training))
	}
	return "Semua pemilik usaha"
}

// duration writes d as "1 j 05 m", "3 m 20 d" or "12 d".
func duration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, sec := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	switch {
	case h > 0:
		return num(h) + " jam " + twoDigits(m) + " menit"
	case m > 0:
		return num(m) + " menit " + twoDigits(sec) + " detik"
	}
	return num(sec) + " detik"
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + num(n)
	}
	return num(n)
}

// campaignNames are the staff's words for campaign statuses.
var campaignNames = map[string]string{store.CampaignRunning: "Berjalan", store.CampaignPaused: "Dijeda",
	store.CampaignCancelled: "Dibatalkan", store.CampaignDone: "Selesai"}

// campaigns is the Siaran page.
func (s *Server) campaigns(w http.ResponseWriter, r *http.Request, staff int64) {
	if err := s.audit(r, staff, "dashboard.view", "siaran"); err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := s.campaignRows(r, 50)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "campaigns", page{Title: "Siaran", Active: "siaran", Data: rows})
}
