// Package dashboard is the Dasbor Dinas: the staff's figures in a browser,
// served over HTTP next to the bot by `umkmbot serve` (and `umkmbot chat`
// when it has a database). Staff sign in with a one-time link the bot gives
// them on /dasbor (LoginLink), then read five pages — Ringkasan,
// Pendaftaran, Pelatihan, Pinjaman, Siaran — rendered on the server with
// html/template, charts as inline SVG, and download the registrations
// (XLSX, CSV) and a training's participants.
//
// It lives under bot because it is, like the Telegram adapter, a transport
// around the core: it speaks to the stores only through the store
// interfaces (the guard test forbids it any store implementation) and it is
// imported only by cmd. It is its own package, not part of bot, so that the
// Telegram adapter stays the one importer of go-telegram/bot and the two
// transports can change independently.
//
// The pages are for the Dinas's staff and are in Indonesian only: their
// text lives in the templates (templates/*.html) and in a few label maps
// (labels.go, and the status names next to the pages that show them);
// names the bot also shows (sectors, loan stages, training
// topics) come from the locales catalog, so that both say the same. The
// bot's own message (the login link) is in locales like every bot string.
//
// Security: sessions are Redis-backed (store.WebAuthStore, hashed tokens),
// cookies HttpOnly and SameSite=Strict (Secure behind https), every POST
// carries a CSRF token, the Content-Security-Policy allows no inline script
// or style and nothing from other origins, pages with personal data are
// sent with Cache-Control: no-store, and no NIK or phone ever appears in a
// URL or a log line. Every page view and download is audited with the staff
// member's id.
package dashboard

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/locales"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Defaults of Config.
const (
	LinkTTL     = 10 * time.Minute
	SessionIdle = 12 * time.Hour
	// pageSize is the rows of one page of the registration table.
	pageSize = 50
	// trainingPage is the trainings of one page of Pelatihan.
	trainingPage = 25
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Auditor appends to the audit log.
type Auditor interface {
	Audit(ctx context.Context, e store.AuditEntry) error
}

// Participants lists a training's participants with their contacts.
type Participants interface {
	Participants(ctx context.Context, trainingID int64) ([]store.Participant, error)
}

// Config is what the dashboard needs; every field but Now and Log is
// required.
type Config struct {
	// PublicURL is where staff's browsers reach the dashboard, the root of
	// a host ("https://dasbor.umkm.tangerangkab.go.id"); the login links
	// start with it, and an https URL makes the cookies Secure.
	PublicURL string
	Auth      store.WebAuthStore
	// LinkLimit counts the login links given per staff member: once it
	// locks, LoginLink refuses until the window has passed.
	LinkLimit    store.AttemptLimiter
	Stats        store.StatsStore
	Participants Participants
	Audit        Auditor
	// IsStaff is asked on every request, so that a staff member removed
	// from the list loses access at once.
	IsStaff func(ctx context.Context, id int64) (bool, error)
	// Catalog names sectors, loan stages and training topics as the bot
	// does.
	Catalog *locales.Catalog
	Log     *slog.Logger
	Now     func() time.Time
}

// Server serves the dashboard. It is safe for concurrent use.
type Server struct {
	cfg    Config
	base   *url.URL
	secure bool
	pages  map[string]*template.Template
	mux    *http.ServeMux
	// schedules caches the loan schedules of the arrears list.
	schedules scheduleCache
}

// New checks cfg and parses the templates.
func New(cfg Config) (*Server, error) {
	u, err := url.Parse(cfg.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" {
		return nil, errors.New("dashboard: PublicURL must be the http(s) address of a host, without a path")
	}
	if cfg.Auth == nil || cfg.LinkLimit == nil || cfg.Stats == nil || cfg.Participants == nil ||
		cfg.Audit == nil || cfg.IsStaff == nil || cfg.Catalog == nil {
		return nil, errors.New("dashboard: a store, the staff check or the catalog is missing")
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	u.Path = ""
	s := &Server{cfg: cfg, base: u, secure: u.Scheme == "https", pages: map[string]*template.Template{}}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

func (s *Server) parseTemplates() error {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(s.funcs()).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return fmt.Errorf("dashboard: template %s: %w", n, err)
		}
		s.pages[base] = t
	}
	return nil
}

// routes registers every page. Pages behind a session get the staff
// member's id through s.staffOnly.
func (s *Server) routes() {
	m := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	m.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /masuk", s.loginPage)
	m.HandleFunc("POST /masuk", s.login)
	m.HandleFunc("POST /keluar", s.staffOnly(s.logout))
	m.HandleFunc("GET /{$}", s.staffOnly(s.summary))
	m.HandleFunc("GET /pendaftaran", s.staffOnly(s.registrations))
	m.HandleFunc("GET /pendaftaran.csv", s.staffOnly(s.registrationsCSV))
	m.HandleFunc("GET /pendaftaran.xlsx", s.staffOnly(s.registrationsXLSX))
	m.HandleFunc("GET /pelatihan", s.staffOnly(s.trainings))
	m.HandleFunc("GET /pelatihan/{id}/peserta.xlsx", s.staffOnly(s.participantsXLSX))
	m.HandleFunc("GET /pinjaman", s.staffOnly(s.loans))
	m.HandleFunc("GET /siaran", s.staffOnly(s.campaigns))
	s.mux = m
}

// csp allows the page's own style sheet and nothing else: no script at
// all, no inline style, no other origin, no framing.
const csp = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'"

// ServeHTTP implements http.Handler: every response gets the security
// headers, and every page but the style sheet is not stored by any cache.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	if s.secure {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	if !strings.HasPrefix(r.URL.Path, "/static/") {
		h.Set("Cache-Control", "no-store")
	}
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	s.mux.ServeHTTP(sw, r)
	// The path only: a query may hold a login token.
	s.cfg.Log.Debug("dashboard", "method", r.Method, "path", r.URL.Path, "status", sw.status,
		"ms", time.Since(start).Milliseconds())
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// page is what every page template gets.
type page struct {
	Title  string
	Active string
	CSRF   string
	Data   any
}

// render writes the named page, rendered whole first so that a template
// error shows the error page instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	t := s.pages[name]
	if t == nil {
		s.fail(w, r, fmt.Errorf("no template %q", name))
		return
	}
	if sess, ok := r.Context().Value(sessionKey{}).(store.WebSession); ok {
		p.CSRF = sess.CSRF
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		s.fail(w, r, fmt.Errorf("render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail logs an internal error and shows a plain apology.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.cfg.Log.Error("dashboard", "path", r.URL.Path, "err", err)
	t := s.pages["message"]
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_ = t.Execute(w, page{Title: "Terjadi gangguan", Data: message{
		Text: "Maaf, halaman ini sedang tidak dapat ditampilkan. Silakan muat ulang dalam beberapa saat."}})
}

// message is the data of the message page.
type message struct {
	Text string
	// Login offers the link request hint.
	Login bool
}

// audit records a page view or download before it is served: a page
// whose access cannot be recorded is not shown.
func (s *Server) audit(r *http.Request, staff int64, action, object string) error {
	detail := ""
	if q := r.URL.Query(); len(q) > 0 {
		detail = "filter: " + q.Encode()
	}
	return s.cfg.Audit.Audit(r.Context(), store.AuditEntry{Actor: staff, Action: action,
		Object: "dashboard:" + object, Detail: detail})
}
