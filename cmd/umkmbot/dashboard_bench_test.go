package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
)

// BenchmarkDashboard measures each page's server time (session, staff
// check, audit entry, queries, rendering) on the demo data of
// DASHBOARD_BENCH_SCALE (default 1: 1,000 registrations; BENCHMARKS.md
// uses 100: 100,000 registrations, 2,000 trainings, 5,000 loans).
func BenchmarkDashboard(b *testing.B) {
	scale := 1
	if v := os.Getenv("DASHBOARD_BENCH_SCALE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("DASHBOARD_BENCH_SCALE=%q", v)
		}
		scale = n
	}
	e := newDashEnv(b, scale)
	c := browserless(b)
	if status, _ := login(b, c, e.link(b, dashStaff)); status != http.StatusSeeOther {
		b.Fatalf("login: %d", status)
	}
	u, _ := http.NewRequest(http.MethodGet, e.base+"/", nil)
	cookies := c.Jar.Cookies(u.URL)
	pages := []struct{ name, path string }{
		{"Ringkasan", "/"},
		{"Pendaftaran", "/pendaftaran"},
		{"PendaftaranFiltered", "/pendaftaran?kecamatan=360304&kelas=mikro&nib=ya&hal=3"},
		{"PendaftaranDateRange", "/pendaftaran?dari=2026-01-01&sampai=2026-06-30&sektor=kuliner"},
		{"Pelatihan", "/pelatihan"},
		{"Pinjaman", "/pinjaman"},
		{"Siaran", "/siaran"},
		{"PendaftaranXLSXKecamatan", "/pendaftaran.xlsx?kecamatan=360304"},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, p.path, nil)
				for _, ck := range cookies {
					req.AddCookie(ck)
				}
				w := httptest.NewRecorder()
				e.a.dash.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d", p.path, w.Code)
				}
			}
		})
	}
}
