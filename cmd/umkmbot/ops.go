package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// telegramFresh is how recent the bot's last successful Bot API call must
// be for /readyz: the long poll answers every 30 s while Telegram is
// reachable.
const telegramFresh = 2 * time.Minute

// readyCheck is one dependency /readyz asks about.
type readyCheck struct {
	name  string
	check func(ctx context.Context) error
}

// opsHandler serves, beside h (the dashboard, or nil), the operator's
// endpoints: /healthz (the process answers), /readyz (its dependencies
// answer), /metrics (Prometheus) and, with PPROF=on, /debug/pprof/.
func (a *app) opsHandler(h http.Handler, m *metrics, checks []readyCheck) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		plain(w, http.StatusOK, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if failed := ready(r.Context(), checks); len(failed) > 0 {
			plain(w, http.StatusServiceUnavailable, strings.Join(failed, "\n")+"\n")
			return
		}
		plain(w, http.StatusOK, "ready\n")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorHandling: promhttp.ContinueOnError, ErrorLog: slogPrinter{a}}))
	if a.cfg.Pprof {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	if h != nil {
		mux.Handle("/", h)
	}
	return mux
}

// ready runs the checks in parallel, each within 2 s, and returns a line
// "name: error" for each that failed, in the checks' order.
func ready(ctx context.Context, checks []readyCheck) []string {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	errs := make([]error, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() { errs[i] = c.check(ctx) })
	}
	wg.Wait()
	var failed []string
	for i, err := range errs {
		if err != nil {
			failed = append(failed, checks[i].name+": "+strings.ReplaceAll(err.Error(), "\n", " "))
		}
	}
	return failed
}

// readyChecks are serve's readiness checks: Redis answers PING, PostgreSQL
// answers with the newest migration applied, and the bot's last successful
// Bot API call (lastAPI) is recent.
func (a *app) readyChecks(lastAPI func() time.Time) []readyCheck {
	return []readyCheck{
		{"redis", func(ctx context.Context) error { return a.rdb.Ping(ctx).Err() }},
		{"postgres", a.db.CheckSchema},
		{"telegram", telegramCheck(lastAPI)},
	}
}

// telegramCheck fails when the bot has not had a successful Bot API call
// within telegramFresh.
func telegramCheck(last func() time.Time) func(context.Context) error {
	return func(context.Context) error {
		at := last()
		if at.IsZero() {
			return errors.New("no Bot API call has succeeded yet")
		}
		if ago := time.Since(at); ago > telegramFresh {
			return fmt.Errorf("last successful Bot API call %s ago", ago.Round(time.Second))
		}
		return nil
	}
}

func plain(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}

// slogPrinter logs promhttp's errors (a store gauge that could not be read).
type slogPrinter struct{ a *app }

func (p slogPrinter) Println(v ...any) { p.a.log.Warn("metrics", "err", fmt.Sprint(v...)) }

// listen opens LISTEN_ADDR, so that a taken port stops the command before
// the bot starts.
func (a *app) listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", a.cfg.ListenAddr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s (LISTEN_ADDR): %w", a.cfg.ListenAddr, err)
	}
	return ln, nil
}

// serveHTTP serves h on ln until ctx is cancelled, then gives requests in
// progress a few seconds. It logs "listening" with the bound address.
func (a *app) serveHTTP(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	a.log.Info("listening", "addr", ln.Addr().String(), "public_url", a.cfg.PublicURL, "dashboard", a.dash != nil)
	err := srv.Serve(ln)
	<-done
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
