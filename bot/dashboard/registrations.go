package dashboard

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/flows/registration"
	"github.com/diskum-tangerang/umkmbot/locales"
	"github.com/diskum-tangerang/umkmbot/store"
)

// option is one choice of a filter's select.
type option struct {
	Value, Name string
	Selected    bool
}

// regFilter is the filter form as read from the query.
type regFilter struct {
	Query    store.RegistrationQuery
	From, To string // 2006-01-02, as typed
	Page     int
	// Query string of the filter without the page, for links.
	Encoded string
	// Problem says which value was not understood and left out.
	Problem string
}

// parseFilter reads the filters; an unknown value is dropped with a note,
// never an error page.
func parseFilter(v url.Values) regFilter {
	f := regFilter{Page: 1}
	keep := url.Values{}
	pick := func(name string, ok func(string) bool, dst *string) {
		x := v.Get(name)
		if x == "" {
			return
		}
		if !ok(x) {
			f.Problem = "Sebagian saringan tidak dikenali dan diabaikan."
			return
		}
		*dst = x
		keep.Set(name, x)
	}
	pick("kecamatan", func(x string) bool { _, ok := field.KecamatanByCode(x); return ok && len(x) == 6 }, &f.Query.Kecamatan)
	pick("desa", func(x string) bool {
		d, ok := field.DesaByCode(x)
		return ok && len(x) == 10 && (f.Query.Kecamatan == "" || d.KecamatanCode() == f.Query.Kecamatan)
	}, &f.Query.Desa)
	pick("sektor", func(x string) bool { return contains(sectorKeys(), x) }, &f.Query.Sector)
	pick("kelas", func(x string) bool { return contains(classOrder, x) }, &f.Query.Class)
	pick("nib", func(x string) bool { return x == store.HasNIB || x == store.NoNIB }, &f.Query.NIB)
	pick("halal", func(x string) bool { return contains(halalOrder, x) }, &f.Query.Halal)
	day := func(dst *time.Time) func(string) bool {
		return func(x string) bool {
			t, err := time.ParseInLocation("2006-01-02", x, locales.WIB)
			*dst = t
			return err == nil
		}
	}
	pick("dari", day(&f.Query.From), &f.From)
	var to time.Time
	pick("sampai", day(&to), &f.To)
	if !to.IsZero() {
		f.Query.To = to.AddDate(0, 0, 1) // the whole last day
	}
	f.Encoded = keep.Encode()
	if p, err := strconv.Atoi(v.Get("hal")); err == nil && p > 1 {
		f.Page = p
	}
	return f
}

func contains(list []string, x string) bool {
	for _, s := range list {
		if s == x {
			return true
		}
	}
	return false
}

// regData is the Pendaftaran page.
type regData struct {
	F          regFilter
	Rows       []store.Registration
	Total      int
	Pages      int
	Prev, Next string
	// XLSX and CSV download the filtered rows.
	XLSX, CSV string
	Kecamatan []option
	Desa      []option
	Sector    []option
	Class     []option
	NIB       []option
	Halal     []option
}

// registrations is the Pendaftaran page: the filter form and one page of
// the table, NIK masked.
func (s *Server) registrations(w http.ResponseWriter, r *http.Request, staff int64) {
	if err := s.audit(r, staff, "dashboard.view", "pendaftaran"); err != nil {
		s.fail(w, r, err)
		return
	}
	f := parseFilter(r.URL.Query())
	q := f.Query
	q.Limit, q.Offset = pageSize, (f.Page-1)*pageSize
	rows, total, err := s.cfg.Stats.QueryRegistrations(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := regData{F: f, Rows: rows, Total: total, Pages: max((total+pageSize-1)/pageSize, 1)}
	link := func(p int) string {
		v, _ := url.ParseQuery(f.Encoded)
		v.Set("hal", strconv.Itoa(p))
		return "/pendaftaran?" + v.Encode()
	}
	d.XLSX, d.CSV = "/pendaftaran.xlsx", "/pendaftaran.csv"
	if f.Encoded != "" {
		d.XLSX += "?" + f.Encoded
		d.CSV += "?" + f.Encoded
	}
	if f.Page > 1 {
		d.Prev = link(f.Page - 1)
	}
	if f.Page < d.Pages {
		d.Next = link(f.Page + 1)
	}
	for _, k := range field.Kecamatans() {
		d.Kecamatan = append(d.Kecamatan, option{k.Code, k.Name, k.Code == q.Kecamatan})
	}
	if q.Kecamatan != "" {
		for _, ds := range field.Desas(q.Kecamatan) {
			d.Desa = append(d.Desa, option{ds.Code, ds.Name, ds.Code == q.Desa})
		}
	}
	for _, k := range sectorKeys() {
		d.Sector = append(d.Sector, option{k, s.sectorName(k), k == q.Sector})
	}
	for _, k := range classOrder {
		d.Class = append(d.Class, option{k, classNames[k], k == q.Class})
	}
	d.NIB = []option{{store.HasNIB, "Sudah punya NIB", q.NIB == store.HasNIB}, {store.NoNIB, "Belum punya NIB", q.NIB == store.NoNIB}}
	for _, k := range halalOrder {
		d.Halal = append(d.Halal, option{k, halalNames[k], k == q.Halal})
	}
	s.render(w, r, http.StatusOK, "registrations", page{Title: "Pendaftaran", Active: "pendaftaran", Data: d})
}

// filtered reads every registration the filters select, for a download.
func (s *Server) filtered(r *http.Request) ([]store.Registration, error) {
	q := parseFilter(r.URL.Query()).Query
	rows, _, err := s.cfg.Stats.QueryRegistrations(r.Context(), q)
	return rows, err
}

// registrationsCSV downloads the filtered rows in the format of the
// staff's /ekspor (registration.WriteCSV): full NIK, for the staff's
// records, like the chat export.
func (s *Server) registrationsCSV(w http.ResponseWriter, r *http.Request, staff int64) {
	if err := s.audit(r, staff, "dashboard.download", "pendaftaran.csv"); err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := s.filtered(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := registration.WriteCSV(&buf, rows); err != nil {
		s.fail(w, r, err)
		return
	}
	download(w, "pendaftaran-"+s.cfg.Now().In(locales.WIB).Format("2006-01-02")+".csv", "text/csv; charset=utf-8", buf.Bytes())
}

// registrationsXLSX downloads the same rows and columns as the CSV, as an
// Excel workbook.
func (s *Server) registrationsXLSX(w http.ResponseWriter, r *http.Request, staff int64) {
	if err := s.audit(r, staff, "dashboard.download", "pendaftaran.xlsx"); err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := s.filtered(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := registration.WriteCSV(&buf, rows); err != nil {
		s.fail(w, r, err)
		return
	}
	book, err := csvToXLSX("Pendaftaran", buf.Bytes(), registration.Separator)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	download(w, "pendaftaran-"+s.cfg.Now().In(locales.WIB).Format("2006-01-02")+".xlsx", xlsxType, book)
}

// download sends a file as an attachment.
func download(w http.ResponseWriter, name, ctype string, body []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}
