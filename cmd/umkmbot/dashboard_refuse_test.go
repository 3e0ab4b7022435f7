package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store/postgres"
	rstore "github.com/diskum-tangerang/umkmbot/store/redis"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
)

// browserless is a cookie-keeping HTTP client that does not follow
// redirects, so that each answer can be checked.
func browserless(t testing.TB) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// fetch does one request and returns the status and body.
func fetch(t testing.TB, c *http.Client, method, u string, form url.Values) (int, string, http.Header) {
	t.Helper()
	var r *http.Response
	var err error
	if method == http.MethodPost {
		r, err = c.PostForm(u, form)
	} else {
		r, err = c.Get(u)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return r.StatusCode, string(b), r.Header
}

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-f]{64})"`)

// login opens link and posts its form, as the browser does; it returns the
// status of the POST and where it redirects.
func login(t testing.TB, c *http.Client, link string) (int, string) {
	t.Helper()
	status, body, _ := fetch(t, c, http.MethodGet, link, nil)
	m := csrfField.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		t.Fatalf("GET %s: %d without a form", link, status)
	}
	u, _ := url.Parse(link)
	r, err := c.PostForm(u.Scheme+"://"+u.Host+"/masuk", url.Values{"t": {u.Query().Get("t")}, "csrf": {m[1]}})
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	return r.StatusCode, r.Header.Get("Location")
}

// TestDashboardRefuses shows that only a staff member with a fresh link
// and a live session gets in: a used or expired link, a missing cookie, a
// non-staff user, a staff member removed from the list, a POST without its
// CSRF token and a sixth link within ten minutes are all refused.
func TestDashboardRefuses(t *testing.T) {
	e := newDashEnv(t, 0)

	// No cookie: the way in is explained, and nothing else is shown.
	for _, p := range []string{"/", "/pendaftaran", "/pendaftaran.xlsx", "/pelatihan", "/pinjaman", "/siaran"} {
		status, body, h := fetch(t, browserless(t), http.MethodGet, e.base+p, nil)
		if status != http.StatusUnauthorized || !strings.Contains(body, "/dasbor") || strings.Contains(body, "fig-total") {
			t.Errorf("GET %s without a cookie: %d %q", p, status, body)
		}
		if h.Get("Cache-Control") != "no-store" || !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("GET %s: headers %v", p, h)
		}
	}

	// A link works once.
	c := browserless(t)
	link := e.link(t, dashStaff)
	if status, loc := login(t, c, link); status != http.StatusSeeOther || loc != "/" {
		t.Fatalf("first use of the link: %d to %q, want 303 to /", status, loc)
	}
	status, body, h := fetch(t, c, http.MethodGet, e.base+"/", nil)
	if status != http.StatusOK || !strings.Contains(body, `id="fig-total"`) || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("Ringkasan after login: %d, Cache-Control %q", status, h.Get("Cache-Control"))
	}
	if status, _ := login(t, browserless(t), link); status != http.StatusUnauthorized {
		t.Errorf("second use of the link: %d, want 401", status)
	}

	// An expired link: one stored with a lifetime that has passed.
	tok := strings.Repeat("ab", 32)
	sum := sha256.Sum256([]byte(tok))
	rdb, _ := redistest.New(t)
	hash := hex.EncodeToString(sum[:])
	if err := rstore.NewWebAuth(rdb, e.prefix).PutLogin(context.Background(), hash, dashStaff, 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	// Its ten minutes are over: Redis drops a key whose expiry has passed.
	if err := rdb.ExpireAt(context.Background(), e.prefix+"web:login:"+hash, time.Unix(1, 0)).Err(); err != nil {
		t.Fatal(err)
	}
	if status, _ := login(t, browserless(t), e.base+"/masuk?t="+tok); status != http.StatusUnauthorized {
		t.Errorf("expired link: %d, want 401", status)
	}

	// A POST without the session's CSRF token changes nothing.
	if status, _, _ := fetch(t, c, http.MethodPost, e.base+"/keluar", url.Values{"csrf": {"0"}}); status != http.StatusForbidden {
		t.Errorf("logout without the CSRF token: %d, want 403", status)
	}
	if status, _, _ := fetch(t, c, http.MethodGet, e.base+"/", nil); status != http.StatusOK {
		t.Errorf("the session ended on a forged POST: %d", status)
	}

	// A non-staff user gets the unknown-command answer, and no link.
	if r := e.send(t, 4242, "/dasbor"); len(r) != 1 || r[0].ID != "err_unknown_command" {
		t.Errorf("/dasbor of a non-staff user: %+v", r)
	}

	// A staff member removed from the staff table loses the session at
	// once.
	const removed = 9003
	if err := e.a.staff.AddStaff(context.Background(), removed, "Petugas Sementara"); err != nil {
		t.Fatal(err)
	}
	c2 := browserless(t)
	if status, _ := login(t, c2, e.link(t, removed)); status != http.StatusSeeOther {
		t.Fatalf("login of %d: %d", removed, status)
	}
	if _, err := e.pool.Exec(context.Background(), `DELETE FROM staff WHERE telegram_id = $1`, removed); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := fetch(t, c2, http.MethodGet, e.base+"/", nil); status != http.StatusForbidden {
		t.Errorf("removed staff member: %d, want 403", status)
	}

	// Five links in ten minutes, then a polite refusal (one was used above).
	for range 4 {
		e.link(t, dashStaff)
	}
	if r := e.send(t, dashStaff, "/dasbor"); len(r) != 1 || r[0].ID != "dash_too_many" {
		t.Errorf("sixth link: %+v, want dash_too_many", r)
	}

	// No NIK, phone or token reaches the audit log.
	var leaks int64
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log
		WHERE detail ~ '[0-9]{16}' OR detail LIKE '%+62%' OR detail LIKE '%'||$1||'%'`, tok).Scan(&leaks); err != nil {
		t.Fatal(err)
	}
	if leaks != 0 {
		t.Errorf("%d audit entries hold a NIK, phone or token", leaks)
	}
}

// TestDashboardInChat shows both ways `umkmbot chat` answers /dasbor: on
// memory stores it says the dashboard needs the database; with
// DATABASE_URL it prints a login link that opens the dashboard, and leaves
// the demo owners of the memory mode out of the database.
func TestDashboardInChat(t *testing.T) {
	out, _, err := runWith(t, nil, "/dasbor\n", "chat", "--staff")
	if err != nil || !strings.Contains(out, "belum tersedia") {
		t.Errorf("chat without a database: %v\n%s", err, out)
	}

	dbURL := pgtestURL(t)
	env := map[string]string{"DATABASE_URL": dbURL, "LISTEN_ADDR": "127.0.0.1:0", "PUBLIC_URL": "http://127.0.0.1:1"}
	out, errOut, err := runWith(t, env, "/dasbor\n", "chat", "--staff")
	if err != nil || !strings.Contains(out, "http://127.0.0.1:1/masuk?t=") || !strings.Contains(errOut, "Dasbor Dinas: http://127.0.0.1:1") {
		t.Errorf("chat with a database: %v\n%s\n%s", err, out, errOut)
	}
	db, err := postgres.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.Pool().QueryRow(context.Background(), `SELECT count(*) FROM registrations`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the chat wrote %d demo registrations into the database (%v)", n, err)
	}
}
