package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

func runLoad(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(errOut)
	var c common
	c.register(fs, 100, 10*time.Second)
	duration := fs.Duration("duration", 30*time.Second, "how long owners keep starting new conversations")
	script := fs.String("script", "registration", "what each owner does, again and again: registration (a new "+
		"business each time), training (book the seeded training, then cancel the seat) or loan (check the "+
		"seeded loan: its card and schedule; linked with its number and NIK the first time)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	newScenario, ok := scenarios[*script]
	if c.owners < 1 || *duration <= 0 || !ok {
		return fmt.Errorf("need --owners ≥ 1, --duration > 0 and --script registration, training or loan")
	}
	h, err := setup(ctx, c, out)
	if err != nil {
		return err
	}
	defer h.Close()
	sc := newScenario(h)
	if err := sc.seed(ctx, h, c.owners); err != nil {
		return err
	}
	rep, err := loadRun(ctx, h, sc, *duration)
	if err != nil {
		h.Failed = true
		return err
	}
	rep.script = *script
	rep.print(out)
	if rep.fail() {
		h.Failed = true
		return errFailed
	}
	return nil
}

// loadReport is the outcome of a load run.
type loadReport struct {
	// steps are the latencies by the question answered (registration).
	steps                     map[string][]time.Duration
	script                    string
	owners                    int
	conversations, completed  int
	stuck, failed, dupPrompts int
	unexpected                int
	stored, want              int
	storedLabel               string
	updates                   int
	elapsed                   time.Duration
	latencies                 []time.Duration
	cpu                       time.Duration
	rssKB, peakKB             int
	stopErr                   error
}

// loadRun plays closed-loop owners: each starts its next conversation of
// sc (e.g. registers a fresh business as a new Telegram user) as soon as
// its previous one is done, until duration passes; then the conversations
// in progress finish.
func loadRun(ctx context.Context, h *Harness, sc scenario, duration time.Duration) (*loadReport, error) {
	if err := h.StartBot(ctx); err != nil {
		return nil, err
	}
	pid := h.Bot.Pid()
	cpu0, err := procCPU(pid)
	if err != nil {
		return nil, fmt.Errorf("read the bot's CPU time: %w", err)
	}
	p := &Player{Fake: h.Fake.Server, Inbox: h.Inbox, Timeout: h.c.timeout, Think: h.c.think, Verbose: h.c.verbose,
		Logf: func(format string, args ...any) { fmt.Fprintf(h.out, format+"\n", args...) }}
	var (
		mu      sync.Mutex
		results []*Result
		next    atomic.Int64
	)
	fmt.Fprintf(h.out, "%d closed-loop owners for %v …\n", h.c.owners, duration)
	start := time.Now()
	deadline := start.Add(duration)
	var wg sync.WaitGroup
	for i := range h.c.owners {
		wg.Go(func() {
			time.Sleep(time.Duration(i) * time.Second / time.Duration(h.c.owners))
			for time.Now().Before(deadline) && ctx.Err() == nil {
				res := sc.play(ctx, p, i, int(next.Add(1)-1))
				mu.Lock()
				results = append(results, res)
				mu.Unlock()
				if res.Stuck != "" || res.Failed != "" {
					return // a closed loop: this owner is gone
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu1, err := procCPU(pid)
	if err != nil {
		return nil, fmt.Errorf("read the bot's CPU time: %w", err)
	}
	rep := &loadReport{owners: h.c.owners, conversations: len(results), elapsed: elapsed, cpu: cpu1 - cpu0,
		rssKB: procStatus(pid, "VmRSS"), peakKB: procStatus(pid, "VmHWM")}
	rep.stopErr = h.Bot.Stop(30 * time.Second)
	for _, r := range results {
		rep.updates += r.Answered + 1 // + the command that starts it
		rep.latencies = append(rep.latencies, r.Latencies...)
		for q, ds := range r.Steps {
			if rep.steps == nil {
				rep.steps = map[string][]time.Duration{}
			}
			rep.steps[q] = append(rep.steps[q], ds...)
		}
		rep.dupPrompts += len(r.DupPrompts)
		rep.unexpected += len(r.Unexpected)
		switch {
		case r.Done:
			rep.completed++
		case r.Stuck != "":
			rep.stuck++
		default:
			rep.failed++
		}
	}
	conn, err := pgx.Connect(ctx, h.Scratch.URL)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	rep.stored, rep.want, rep.storedLabel, err = sc.stored(ctx, conn, results)
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// procStatus is a size (in KiB) of /proc/<pid>/status, 0 when unknown:
// VmRSS, the resident set now, or VmHWM, its peak.
func procStatus(pid int, field string) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			var kb int
			_, _ = fmt.Sscan(rest, &kb)
			return kb
		}
	}
	return 0
}

// percentile returns the p-th percentile (0–100) of sorted durations, by
// the nearest-rank method.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func (r *loadReport) fail() bool {
	return r.stuck > 0 || r.failed > 0 || r.stored != r.want || r.stopErr != nil
}

func (r *loadReport) print(w io.Writer) {
	slices.Sort(r.latencies)
	perUpdate := time.Duration(0)
	if r.updates > 0 {
		perUpdate = r.cpu / time.Duration(r.updates)
	}
	stop := "clean exit"
	if r.stopErr != nil {
		stop = r.stopErr.Error()
	}
	secs := r.elapsed.Seconds()
	fmt.Fprintf(w, `
load run (%s)
  owners (closed loop)     %d
  conversations            %d completed of %d started (stuck %d, failed %d)
  stored                   %d %s, want %d
  updates                  %d in %v = %.0f updates/s (%.1f conversations/s)
  latency (update → reply) p50 %v · p90 %v · p99 %v · max %v
  bot CPU                  %v = %v per update (user+system, /proc/PID/stat)
  bot RSS at the end       %d MiB (peak %d MiB)
  duplicate prompts        %d
  messages not understood  %d
  final SIGTERM            %s
`, r.script, r.owners, r.completed, r.conversations, r.stuck, r.failed, r.stored, r.storedLabel, r.want, r.updates, r.elapsed.Round(time.Millisecond),
		float64(r.updates)/secs, float64(r.completed)/secs,
		percentile(r.latencies, 50).Round(10*time.Microsecond), percentile(r.latencies, 90).Round(10*time.Microsecond),
		percentile(r.latencies, 99).Round(10*time.Microsecond), percentile(r.latencies, 100).Round(10*time.Microsecond),
		r.cpu.Round(time.Millisecond), perUpdate.Round(time.Microsecond), r.rssKB/1024, r.peakKB/1024, r.dupPrompts, r.unexpected, stop)
	printSlowest(w, r.steps)
	if r.fail() {
		fmt.Fprintln(w, "FAIL")
	} else {
		fmt.Fprintln(w, "PASS")
	}
}

// printSlowest prints where the tail is: the five questions whose answers
// took longest at p99 (nothing without answers).
func printSlowest(w io.Writer, steps map[string][]time.Duration) {
	if len(steps) == 0 {
		return
	}
	type step struct {
		q        string
		p50, p99 time.Duration
		n        int
	}
	var list []step
	for q, ds := range steps {
		slices.Sort(ds)
		list = append(list, step{q, percentile(ds, 50), percentile(ds, 99), len(ds)})
	}
	slices.SortFunc(list, func(a, b step) int { return cmp.Compare(b.p99, a.p99) })
	fmt.Fprintln(w, "  slowest answers (p99, by the question answered)")
	for _, st := range list[:min(5, len(list))] {
		fmt.Fprintf(w, "    %-22s p50 %v · p99 %v (%d answers)\n", st.q,
			st.p50.Round(10*time.Microsecond), st.p99.Round(10*time.Microsecond), st.n)
	}
}
