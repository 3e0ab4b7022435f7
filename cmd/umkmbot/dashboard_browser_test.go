package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/flows/loan/domain"
	"github.com/diskum-tangerang/umkmbot/locales"
	"github.com/diskum-tangerang/umkmbot/store"
)

// chromiumPath finds Debian's chromium. Without it the test is skipped,
// or fails under CI=true, where a missing browser must not pass unnoticed.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found (apt-get install chromium, or set CHROMIUM)")
	}
	t.Skip("chromium not found; apt-get install chromium, or set CHROMIUM")
	return ""
}

// newBrowser starts a headless chromium with a fresh profile; it is
// closed when the test ends.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelB := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil {
		cancelB()
		cancelA()
		t.Fatalf("start chromium: %v", err)
	}
	// The browser lives as long as bctx; each step gets this bound.
	ctx, cancelC := context.WithTimeout(bctx, 3*time.Minute)
	t.Cleanup(func() { cancelC(); cancelB(); cancelA() })
	return ctx
}

// shotDir is where screenshots go: DASHBOARD_SCREENSHOTS, or the test's
// temporary directory.
func shotDir(t *testing.T) string {
	if d := os.Getenv("DASHBOARD_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// idTexts reads the text of every element with an id on the page.
const idTexts = `Object.fromEntries([...document.querySelectorAll('[id]')].map(e => [e.id, e.textContent.trim()]))`

// visit opens path, waits for sel, saves a full-page screenshot as
// name.png and returns the texts of the page's elements by id.
func visit(t *testing.T, ctx context.Context, base, path, sel, dir, name string) map[string]string {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		t.Fatalf("visit %s: %v", path, err)
	}
	ids, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](idTexts))
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot of %s: %v", path, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	return ids
}

// want compares a figure shown with the one computed from the database.
func want(t *testing.T, page string, ids map[string]string, id, expected string) {
	t.Helper()
	if got, ok := ids[id]; !ok || got != expected {
		t.Errorf("%s: #%s shows %q, want %q (from the database)", page, id, got, expected)
	}
}

// TestDashboardInBrowser signs a staff member in with the link the bot
// gives, visits every page in headless chromium, checks the figures shown
// against the database, downloads the registrations as XLSX and reads them
// back, and saves a screenshot of each page.
func TestDashboardInBrowser(t *testing.T) {
	ctx := newBrowser(t)
	e := newDashEnv(t, 1)
	dir := shotDir(t)
	link := e.link(t, dashStaff)

	for i, step := range []chromedp.Action[chromedp.Void]{chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#masuk")),
		chromedp.Click(chromedp.CSS("#masuk")), chromedp.WaitVisible(chromedp.CSS("#fig-total"))} {
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		err := chromedp.Do(sctx, step)
		cancel()
		if err != nil {
			body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + " | " + document.body.innerText`))
			t.Fatalf("login step %d: %v; the page: %s", i, err, body)
		}
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if title != "Ringkasan · Dasbor Dinas" {
		t.Errorf("after login the title is %q", title)
	}

	// One owner deletes their data (the registration stays, anonymised, in
	// the statistics but leaves the table) and one registers now: both go
	// through the stores the bot uses, and so through the tallies' trigger.
	kecs := field.Kecamatans()
	kec := kecs[3].Code
	var gone int64
	if err := e.pool.QueryRow(context.Background(), `SELECT user_id FROM registrations
		WHERE kecamatan = $1 AND class = 'mikro' ORDER BY id LIMIT 1`, kec).Scan(&gone); err != nil {
		t.Fatal(err)
	}
	if _, err := e.a.regs.DeleteUserData(context.Background(), gone); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.a.regs.CreateRegistration(context.Background(), "browser-test", store.Registration{
		UserID: 777, OwnerName: "Rina Baru", NIK: "3603046502900001", Phone: "+6281299990001",
		BusinessName: "Keripik Rina", Sector: "kuliner", Kecamatan: kec, Class: "mikro", ClassBasis: "omzet",
		ConsentVersion: "2026-11", ConsentAt: time.Now()}); err != nil {
		t.Fatal(err)
	}

	ids := visit(t, ctx, e.base, "/", "#fig-total", dir, "ringkasan")
	live := "FROM registrations WHERE true" // the statistics count anonymised rows too
	want(t, "ringkasan", ids, "fig-total", dots(e.count(t, "SELECT count(*) "+live)))
	today := time.Now().In(locales.WIB)
	first := time.Date(today.Year(), today.Month(), today.Day()-29, 0, 0, 0, 0, locales.WIB)
	want(t, "ringkasan", ids, "fig-last30", dots(e.count(t, "SELECT count(*) "+live+" AND created_at >= $1", first)))
	for _, c := range []string{"mikro", "kecil", "menengah"} {
		want(t, "ringkasan", ids, "class-"+c, dots(e.count(t, "SELECT count(*) "+live+" AND class = $1", c)))
	}
	for _, s := range field.Sectors() {
		want(t, "ringkasan", ids, "sector-"+strings.ReplaceAll(s.Key, "_", "-"),
			dots(e.count(t, "SELECT count(*) "+live+" AND sector = $1", s.Key)))
	}
	if len(kecs) != 29 {
		t.Fatalf("%d kecamatan", len(kecs))
	}
	for _, k := range kecs {
		want(t, "ringkasan", ids, "kec-"+k.Code, dots(e.count(t, "SELECT count(*) "+live+" AND kecamatan = $1", k.Code)))
	}
	for _, st := range domain.Stages() {
		want(t, "ringkasan", ids, "stage-"+strings.ToLower(strings.ReplaceAll(st, "_", "-")),
			dots(e.count(t, "SELECT count(*) FROM loans WHERE stage = $1", st)))
	}
	lent := e.count(t, "SELECT coalesce(sum(approved), 0) FROM loans WHERE disbursed_at IS NOT NULL")
	repaid := e.count(t, "SELECT coalesce(sum(amount), 0) FROM payments")
	want(t, "ringkasan", ids, "fig-outstanding", locales.Rupiah(lent-repaid))
	checkTrainings(t, e, "ringkasan", ids, 1)
	checkCampaigns(t, e, "ringkasan", ids, 1)
	phone(t, ctx, e.base, dir)

	// Pendaftaran, filtered: the count, then the XLSX of the same rows.
	live = "FROM registrations WHERE anonymised_at IS NULL"
	filter := fmt.Sprintf("/pendaftaran?kecamatan=%s&kelas=mikro", kec)
	ids = visit(t, ctx, e.base, filter, "#reg-table", dir, "pendaftaran")
	cond := live + " AND kecamatan = $1 AND class = 'mikro'"
	n := e.count(t, "SELECT count(*) "+cond, kec)
	want(t, "pendaftaran", ids, "reg-total", dots(n))
	rows := downloadXLSX(t, ctx, "#unduh-xlsx", "Pendaftaran")
	checkXLSX(t, e, rows, cond, kec)
	// Filters the tallies do not cover: counted from the rows.
	from := time.Now().In(locales.WIB).AddDate(0, -6, 0).Format("2006-01-02")
	ids = visit(t, ctx, e.base, "/pendaftaran?sektor=kuliner&nib=ya&dari="+from, "#reg-table", dir, "pendaftaran-saring")
	fromT, _ := time.ParseInLocation("2006-01-02", from, locales.WIB)
	want(t, "pendaftaran", ids, "reg-total", dots(e.count(t, "SELECT count(*) "+live+
		" AND sector = 'kuliner' AND nib <> '' AND created_at >= $1", fromT)))

	ids = visit(t, ctx, e.base, "/pelatihan", "#tr-total", dir, "pelatihan")
	want(t, "pelatihan", ids, "tr-total", dots(e.count(t, "SELECT count(*) FROM trainings")))
	checkTrainings(t, e, "pelatihan", ids, 3)
	var latest int64
	if err := e.pool.QueryRow(context.Background(), `SELECT id FROM trainings ORDER BY start_at DESC, id DESC LIMIT 1`).Scan(&latest); err != nil {
		t.Fatal(err)
	}
	parts := downloadXLSX(t, ctx, fmt.Sprintf(`a[href="/pelatihan/%d/peserta.xlsx"]`, latest), "Peserta")
	if n := e.count(t, `SELECT count(*) FROM bookings WHERE training_id = $1`, latest); int64(len(parts)-1) != n || parts[0][0] != "Kode" {
		t.Errorf("participants of training %d: %d rows (header %v), want %d", latest, len(parts)-1, parts[0], n)
	}

	ids = visit(t, ctx, e.base, "/pinjaman", "#fig-lent", dir, "pinjaman")
	want(t, "pinjaman", ids, "fig-lent", locales.Rupiah(lent))
	want(t, "pinjaman", ids, "fig-repaid", locales.Rupiah(repaid))
	want(t, "pinjaman", ids, "arrears-count", dots(e.count(t, "SELECT count(*) FROM loans WHERE stage = 'MENUNGGAK'")))

	ids = visit(t, ctx, e.base, "/siaran", "main", dir, "siaran")
	checkCampaigns(t, e, "siaran", ids, 3)

	views := e.count(t, `SELECT count(DISTINCT object) FROM audit_log WHERE actor = $1 AND action = 'dashboard.view'`, dashStaff)
	downloads := e.count(t, `SELECT count(*) FROM audit_log WHERE actor = $1 AND action = 'dashboard.download'`, dashStaff)
	if views != 5 || downloads != 2 {
		t.Errorf("audit log: %d pages viewed, %d downloads; want 5 and 2", views, downloads)
	}

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#keluar")), chromedp.WaitVisible(chromedp.CSS("#pesan")),
		chromedp.Navigate(e.base+"/"), chromedp.WaitVisible(chromedp.CSS("#pesan"))); err != nil {
		t.Fatalf("logout: %v", err)
	}
	msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#pesan")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "/dasbor") {
		t.Errorf("after logout the dashboard says %q, want the way to sign in", msg)
	}
	t.Logf("screenshots in %s", dir)
}

// checkTrainings compares the seats of at least least trainings shown
// with the bookings in the database.
func checkTrainings(t *testing.T, e *dashEnv, page string, ids map[string]string, least int) {
	t.Helper()
	seen := 0
	for id := range ids {
		var tr int64
		if _, err := fmt.Sscanf(id, "training-%d", &tr); err != nil || id != fmt.Sprintf("training-%d", tr) {
			continue
		}
		seen++
		want(t, page, ids, fmt.Sprintf("tr-%d-booked", tr), dots(e.count(t, `SELECT count(*) FROM bookings
			WHERE training_id = $1 AND status IN ('booked', 'offered', 'attended', 'absent')`, tr)))
		want(t, page, ids, fmt.Sprintf("tr-%d-wait", tr), dots(e.count(t, `SELECT count(*) FROM bookings
			WHERE training_id = $1 AND status = 'waitlisted'`, tr)))
	}
	if seen < least {
		t.Errorf("%s shows %d trainings, want at least %d", page, seen, least)
	}
}

// checkCampaigns compares each campaign's delivery shown with its outbox
// rows.
func checkCampaigns(t *testing.T, e *dashEnv, page string, ids map[string]string, least int) {
	t.Helper()
	seen := 0
	for id := range ids {
		var c int64
		if _, err := fmt.Sscanf(id, "campaign-%d", &c); err != nil || id != fmt.Sprintf("campaign-%d", c) {
			continue
		}
		seen++
		for _, st := range []string{"sent", "blocked", "failed"} {
			want(t, page, ids, fmt.Sprintf("cp-%d-%s", c, st),
				dots(e.count(t, `SELECT count(*) FROM outbox WHERE campaign_id = $1 AND status = $2`, c, st)))
		}
		want(t, page, ids, fmt.Sprintf("cp-%d-total", c), dots(e.count(t, `SELECT count(*) FROM outbox WHERE campaign_id = $1`, c)))
	}
	if seen < least {
		t.Errorf("%s shows %d campaigns, want at least %d", page, seen, least)
	}
}

// downloadXLSX clicks the download link sel and reads the workbook the
// browser saved.
func downloadXLSX(t *testing.T, ctx context.Context, sel, sheet string) [][]string {
	t.Helper()
	dl := t.TempDir()
	done := make(chan string, 1)
	on := true
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dl, EventsEnabled: &on}); err != nil {
		t.Fatalf("download behaviour: %v", err)
	}
	lctx, stop := context.WithCancel(ctx)
	defer stop()
	if err := chromedp.ListenBrowser(lctx, func(ev any) {
		if p, ok := ev.(*browser.EventDownloadProgress); ok && p.State == browser.DownloadProgressStateCompleted {
			select {
			case done <- p.GUID:
			default:
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatalf("download: %v", err)
	}
	var guid string
	select {
	case guid = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the download did not complete within 30 s")
	}
	f, err := excelize.OpenFile(filepath.Join(dl, guid))
	if err != nil {
		t.Fatalf("the download is not a workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// checkXLSX compares the workbook with the registrations matching cond:
// the same numbers, and each row's NIK, phone and business in full.
func checkXLSX(t *testing.T, e *dashEnv, rows [][]string, cond string, args ...any) {
	t.Helper()
	if len(rows) < 2 || rows[0][0] != "Nomor" || rows[0][3] != "NIK" || rows[0][6] != "No. HP" {
		t.Fatalf("workbook header %v", rows[:min(len(rows), 1)])
	}
	db, err := e.pool.Query(context.Background(), "SELECT number, nik, phone, business_name "+cond+" ORDER BY number", args...)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var expect []string
	for db.Next() {
		var num, nik, phone, business string
		if err := db.Scan(&num, &nik, &phone, &business); err != nil {
			t.Fatal(err)
		}
		expect = append(expect, strings.Join([]string{num, nik, field.FormatPhone(phone), business}, "|"))
	}
	var got []string
	for _, r := range rows[1:] {
		got = append(got, strings.Join([]string{r[0], r[3], r[6], r[7]}, "|"))
	}
	slices.Sort(got)
	if !slices.Equal(got, expect) {
		t.Errorf("workbook holds %d rows, the database %d; first rows %q vs %q", len(got), len(expect),
			got[:min(len(got), 2)], expect[:min(len(expect), 2)])
	}
}

// phone opens Ringkasan and Pendaftaran at a phone's width and checks that
// the page itself never scrolls sideways (wide tables scroll in their own
// box), saving a screenshot of each.
func phone(t *testing.T, ctx context.Context, base, dir string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	defer func() {
		// Back to the desktop window of newBrowser.
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
			t.Fatal(err)
		}
	}()
	for _, p := range []struct{ path, sel, name string }{
		{"/", "#fig-total", "ringkasan-ponsel"}, {"/pendaftaran", "#reg-table", "pendaftaran-ponsel"},
	} {
		visit(t, ctx, base, p.path, p.sel, dir, p.name)
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if wide > 390 {
			t.Errorf("%s is %d px wide, wider than the phone's 390", p.path, wide)
		}
	}
}
