package dashboard

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/locales"
	"github.com/diskum-tangerang/umkmbot/store"
)

// topicRow is the attendance of one topic.
type topicRow struct {
	Topic, Name string
	Trainings   int
	Places      int
	Attended    int
}

// trainingData is the Pelatihan page.
type trainingData struct {
	Trainings  []store.TrainingFigures
	Total      int
	Page       int
	Pages      int
	Prev, Next string
	Topics     []topicRow
	TopicChart chart
}

// trainings is the Pelatihan page: every training, latest first, with its
// seats, and the attendance rate by topic.
func (s *Server) trainings(w http.ResponseWriter, r *http.Request, staff int64) {
	if err := s.audit(r, staff, "dashboard.view", "pelatihan"); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, now := r.Context(), s.cfg.Now()
	pg := 1
	if p, err := strconv.Atoi(r.URL.Query().Get("hal")); err == nil && p > 1 {
		pg = p
	}
	var list []store.TrainingFigures
	var total int
	var topics []store.TopicFigures
	err := together(
		func() (err error) {
			list, total, err = s.cfg.Stats.TrainingFigures(ctx, now, false, (pg-1)*trainingPage, trainingPage)
			return err
		},
		func() (err error) { topics, err = s.cfg.Stats.TopicFigures(ctx, now); return err },
	)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := trainingData{Trainings: list, Total: total, Page: pg, Pages: max((total+trainingPage-1)/trainingPage, 1)}
	if pg > 1 {
		d.Prev = "/pelatihan?" + url.Values{"hal": {strconv.Itoa(pg - 1)}}.Encode()
	}
	if pg < d.Pages {
		d.Next = "/pelatihan?" + url.Values{"hal": {strconv.Itoa(pg + 1)}}.Encode()
	}
	var labels []string
	var rates []int
	for _, t := range topics {
		d.Topics = append(d.Topics, topicRow{Topic: t.Topic, Name: s.topicName(t.Topic), Trainings: t.Trainings,
			Places: t.Places, Attended: t.Attended})
		labels = append(labels, s.topicName(t.Topic))
		rate := 0
		if t.Places > 0 {
			rate = t.Attended * 1000 / t.Places
		}
		rates = append(rates, rate)
	}
	d.TopicChart = hbars("Tingkat kehadiran per topik", labels, rates, 1000, func(v int) string {
		return decimal(float64(v)/10) + " %"
	})
	s.render(w, r, http.StatusOK, "trainings", page{Title: "Pelatihan", Active: "pelatihan", Data: d})
}

// bookingNames are the staff's words for booking statuses.
var bookingNames = map[string]string{
	store.BookingBooked: "Terdaftar", store.BookingWaitlisted: "Daftar tunggu", store.BookingOffered: "Ditawari kursi",
	store.BookingCancelled: "Batal", store.BookingAttended: "Hadir", store.BookingAbsent: "Tidak hadir",
}

// participantsXLSX downloads a training's participant list.
func (s *Server) participantsXLSX(w http.ResponseWriter, r *http.Request, staff int64) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.refuse(w, r, http.StatusNotFound, "Pelatihan ini tidak ditemukan.")
		return
	}
	if err := s.audit(r, staff, "dashboard.download", "pelatihan:"+strconv.FormatInt(id, 10)+":peserta"); err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.cfg.Participants.Participants(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.refuse(w, r, http.StatusNotFound, "Pelatihan ini tidak ditemukan.")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := [][]string{{"Kode", "Status", "Nama pemilik", "No. HP", "Nama usaha", "Kecamatan", "Tanggal daftar"}}
	for _, p := range list {
		rows = append(rows, []string{p.Code, bookingNames[p.Status], p.OwnerName, field.FormatPhone(p.Phone),
			p.BusinessName, kecamatanName(p.Kecamatan), datetime(p.CreatedAt)})
	}
	book, err := writeXLSX("Peserta", rowsOf(rows))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	download(w, "peserta-pelatihan-"+strconv.FormatInt(id, 10)+"-"+s.cfg.Now().In(locales.WIB).Format("2006-01-02")+".xlsx", xlsxType, book)
}
