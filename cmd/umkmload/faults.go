package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// faultRun is the state of one faults run.
type faultRun struct {
	h       *Harness
	kills   int
	restart [2]time.Duration // random delay before a restart, from–to
	stall   time.Duration    // kill anyway after this long without an answer

	mu         sync.Mutex
	thresholds []int64 // answers after which the next kill comes
	answers    int64
	progress   time.Time // the last answer or restart
	stalled    int       // kills that came because answers had stopped
	killNow    chan struct{}

	killsDone int
	crashes   int // the bot exited on its own
	log       []string
}

func runFaults(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("faults", flag.ContinueOnError)
	fs.SetOutput(errOut)
	var c common
	c.register(fs, 100, 60*time.Second)
	kills := fs.Int("kills", 5, "times the bot is killed with SIGKILL (and restarted) during the run")
	minDelay := fs.Duration("restart-min", 100*time.Millisecond, "shortest wait before restarting a killed bot")
	maxDelay := fs.Duration("restart-max", 2*time.Second, "longest wait before restarting a killed bot")
	stall := fs.Duration("stall", 5*time.Second,
		"kill anyway when no owner has answered for this long, so that every planned kill happens (0: never)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.owners < 1 || *kills < 0 || *maxDelay < *minDelay {
		return fmt.Errorf("need --owners ≥ 1, --kills ≥ 0 and --restart-max ≥ --restart-min")
	}
	h, err := setup(ctx, c, out)
	if err != nil {
		return err
	}
	defer h.Close()
	f := &faultRun{h: h, kills: *kills, restart: [2]time.Duration{*minDelay, *maxDelay}, stall: *stall,
		killNow: make(chan struct{}, *kills)}
	rep, err := f.run(ctx)
	if err != nil {
		h.Failed = true
		return err
	}
	rep.print(out)
	if !rep.pass() {
		h.Failed = true
		return errFailed
	}
	return nil
}

// planKills spreads the kills over the run: each comes right after the
// answer numbered at random between 5 % and 80 % of those the owners will
// give, while owners still have questions ahead of them.
func (f *faultRun) planKills(total int64) {
	for range f.kills {
		f.thresholds = append(f.thresholds, total/20+f.h.Rand.Int64N(max(1, total*75/100)))
	}
	slices.Sort(f.thresholds)
}

// answered counts an answer and asks for a kill when a threshold passes.
func (f *faultRun) answered() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answers++
	f.progress = time.Now()
	for len(f.thresholds) > 0 && f.answers >= f.thresholds[0] {
		f.thresholds = f.thresholds[1:]
		f.killNow <- struct{}{}
	}
}

func (f *faultRun) logf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	line := fmt.Sprintf(format, args...)
	f.log = append(f.log, line)
}

// checkStall asks for the next planned kill early when no owner has answered
// for f.stall: the owners wait for the bot, and kills planned by answers
// would never come.
func (f *faultRun) checkStall() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stall > 0 && len(f.thresholds) > 0 && time.Since(f.progress) > f.stall {
		f.thresholds = f.thresholds[1:]
		f.stalled++
		f.progress = time.Now()
		f.killNow <- struct{}{}
	}
}

func (f *faultRun) moved() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.progress = time.Now()
}

// supervise kills and restarts the bot on request, restarts it when it
// exits on its own, until done is closed.
func (f *faultRun) supervise(ctx context.Context, p *Player, start time.Time, done <-chan struct{}) error {
	h := f.h
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			f.checkStall()
			continue
		case <-done:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case <-h.Bot.Exited():
			f.crashes++
			f.logf("%6.1fs bot exited on its own; restarting", time.Since(start).Seconds())
		case <-f.killNow:
			pid := h.Bot.Pid()
			h.Bot.Kill()
			f.killsDone++
			taken, queued := p.Waiting()
			f.logf("%6.1fs kill %d: SIGKILL pid %d; owners waiting on an update the bot had confirmed: %d, not yet fetched: %d",
				time.Since(start).Seconds(), f.killsDone, pid, taken, queued)
		}
		d := f.restart[0] + time.Duration(h.Rand.Int64N(int64(f.restart[1]-f.restart[0])+1))
		time.Sleep(d)
		if err := h.StartBot(ctx); err != nil {
			return err
		}
		f.moved()
		f.logf("%6.1fs bot restarted after %v (pid %d)", time.Since(start).Seconds(), d.Round(time.Millisecond), h.Bot.Pid())
	}
}

func (f *faultRun) run(ctx context.Context) (*faultReport, error) {
	h := f.h
	owners := h.Owners(h.c.owners, 0)
	f.planKills(int64(len(owners) * len(questions)))
	if err := h.StartBot(ctx); err != nil {
		return nil, err
	}
	start := time.Now()
	f.moved()
	fmt.Fprintf(h.out, "%d owners registering, %d kills planned …\n", len(owners), f.kills)
	p := &Player{Fake: h.Fake.Server, Inbox: h.Inbox, Timeout: h.c.timeout, Think: h.c.think, OnAnswer: f.answered,
		Verbose: h.c.verbose, Logf: func(format string, args ...any) { fmt.Fprintf(h.out, format+"\n", args...) }}
	done := make(chan struct{})
	supErr := make(chan error, 1)
	go func() { supErr <- f.supervise(ctx, p, start, done) }()

	results := make([]*Result, len(owners))
	var wg sync.WaitGroup
	for i, o := range owners {
		wg.Go(func() {
			// Spread the first messages over a second, as people arrive.
			time.Sleep(time.Duration(i) * time.Second / time.Duration(len(owners)))
			results[i] = p.Play(ctx, o)
		})
	}
	wg.Wait()
	close(done)
	if err := <-supErr; err != nil {
		return nil, err
	}
	elapsed := time.Since(start)
	stopErr := h.Bot.Stop(30 * time.Second)
	// What the bot sent after an owner stopped listening.
	time.Sleep(200 * time.Millisecond) // let the inbox take in the last messages
	for _, r := range results {
		p.Drain(r)
	}
	stored, err := loadStored(ctx, h.Scratch.URL)
	if err != nil {
		return nil, err
	}
	rep := &faultReport{owners: len(owners), killsPlanned: f.kills, killsDone: f.killsDone, stalled: f.stalled,
		crashes: f.crashes, starts: h.Bot.Starts, elapsed: elapsed, stopErr: stopErr, seed: h.c.seed, log: f.log,
		toasts: toastsByOwner(h)}
	for _, r := range results {
		if r.Stuck != "" && h.Fake.Confirmed(r.LastUpdate) {
			rep.stuckConfirmed++
		}
	}
	rep.tally(results, stored)
	return rep, nil
}

// toastsByOwner counts the callback answers with a text (e.g. "Tombol ini
// sudah tidak berlaku") per owner, from the callback query ids the owners
// used.
func toastsByOwner(h *Harness) map[int64][]string {
	out := map[int64][]string{}
	for _, c := range h.Fake.Calls("answerCallbackQuery") {
		text := c.Params["text"]
		if text == "" {
			continue
		}
		var id int64
		if _, err := fmt.Sscanf(c.Params["callback_query_id"], "u%d-", &id); err == nil {
			out[id] = append(out[id], text)
		}
	}
	return out
}

// faultReport is the outcome of a faults run.
type faultReport struct {
	owners, killsPlanned, killsDone, stalled, crashes, starts int
	elapsed                                                   time.Duration
	stopErr                                                   error
	seed                                                      uint64
	log                                                       []string
	toasts                                                    map[int64][]string

	completed, stuck, told, failed, dupPromptOwners, dupPrompts, unexpected int
	stuckAt                                                                 map[string]int
	stuckConfirmed                                                          int
	stray                                                                   int // registrations of users who are no owner
	storedOwners, missing, dupStored, wrongFields, dupConsents              int
	lines                                                                   []string // details, one per problem
	answered                                                                int
}

func (r *faultReport) tally(results []*Result, stored map[int64]*Stored) {
	r.stuckAt = map[string]int{}
	for _, res := range results {
		id := res.Owner.ID
		r.answered += res.Answered
		if res.Done {
			r.completed++
		}
		s := stored[id]
		if res.Stuck != "" {
			r.stuck++
			r.stuckAt[res.Stuck]++
			what := "no registration stored"
			if s != nil && len(s.Records) > 0 {
				what = "registration stored"
			}
			r.detail("owner %d stuck after answering %s (%s)", id, res.Stuck, what)
		}
		if res.Told {
			r.told++
			r.detail("owner %d told the business was already registered (%s)", id, res.Number)
		}
		if res.Failed != "" {
			r.failed++
			r.detail("owner %d: %s", id, res.Failed)
		}
		if len(res.DupPrompts) > 0 {
			r.dupPromptOwners++
			r.dupPrompts += len(res.DupPrompts)
			r.detail("owner %d asked again: %s", id, strings.Join(res.DupPrompts, ", "))
		}
		for _, u := range res.Unexpected {
			r.unexpected++
			r.detail("owner %d got an unexpected message: %q", id, u)
		}
		if s == nil || len(s.Records) == 0 {
			r.missing++
			if res.Stuck == "" {
				r.detail("owner %d: no registration stored", id)
			}
			continue
		}
		r.storedOwners++
		if len(s.Records) > 1 {
			r.dupStored++
			r.detail("owner %d: %d registrations stored (%s)", id, len(s.Records), strings.Join(s.Numbers, ", "))
		}
		if s.Consents > 1 {
			r.dupConsents++
		}
		if res.Done && res.Number != "" && !slices.Contains(s.Numbers, res.Number) {
			r.detail("owner %d was told number %s, stored %s", id, res.Number, strings.Join(s.Numbers, ", "))
			r.wrongFields++
		}
		for _, rec := range s.Records {
			for _, m := range compare(id, rec, res.Owner.Want) {
				r.wrongFields++
				r.detail("owner %d field %s: stored %q, typed %q (answer %s)", id, m.Field, m.Stored, m.Want,
					answerFor(res.Owner, m.Field))
			}
		}
	}
	owners := map[int64]bool{}
	for _, res := range results {
		owners[res.Owner.ID] = true
	}
	for id, s := range stored {
		if !owners[id] && len(s.Records) > 0 {
			r.stray += len(s.Records)
			r.detail("user %d is no owner of this run but has %d registration(s)", id, len(s.Records))
		}
	}
	for id, ts := range r.toasts {
		r.detail("owner %d got %d toast(s): %s", id, len(ts), strings.Join(ts, " | "))
	}
}

// answerFor shows what the owner answered to the question of a field.
func answerFor(o *Owner, fieldName string) string {
	q := map[string]string{"OwnerName": qName, "NIK": qNIK, "BirthDate": qNIK, "Female": qNIK, "Phone": qPhone,
		"BusinessName": qBiz, "Sector": qSector, "Products": qProducts, "Kecamatan": qKec, "Desa": qDesa,
		"Address": qAddress, "YearStarted": qYear, "Workers": qWorkers, "Capital": qCapital,
		"Turnover": qTurnover, "TurnoverMonthly": qTurnover, "Class": qTurnover, "ClassBasis": qTurnover,
		"NIB": qNIB, "Halal": qHalal}[fieldName]
	if fieldName == "NIK" || fieldName == "BirthDate" || fieldName == "Female" {
		return "(NIK not shown)"
	}
	return o.Answers[q].String()
}

func (r *faultReport) detail(format string, args ...any) {
	r.lines = append(r.lines, fmt.Sprintf(format, args...))
}

// pass applies the requirement: every registration completes without an
// owner retyping anything (none stuck, none told it already exists), none
// is stored twice, every stored value is what was typed; and the faults
// planned happened, and nothing else did. A question asked again is
// reported but is no failure: the owner ignores it and types nothing.
func (r *faultReport) pass() bool {
	return r.completed == r.owners && r.stuck == 0 && r.told == 0 && r.failed == 0 &&
		r.missing == 0 && r.dupStored == 0 && r.wrongFields == 0 && r.stray == 0 &&
		r.killsDone == r.killsPlanned && r.crashes == 0 && r.stopErr == nil
}

func (r *faultReport) print(w io.Writer) {
	fmt.Fprintln(w)
	for _, l := range r.log {
		fmt.Fprintln(w, l)
	}
	sort.Strings(r.lines)
	const maxLines = 60
	for i, l := range r.lines {
		if i == maxLines {
			fmt.Fprintf(w, "… and %d more\n", len(r.lines)-maxLines)
			break
		}
		fmt.Fprintln(w, "  "+l)
	}
	var stuckAt []string
	for q, n := range r.stuckAt {
		stuckAt = append(stuckAt, fmt.Sprintf("%s %d", q, n))
	}
	sort.Strings(stuckAt)
	stop := "clean exit"
	if r.stopErr != nil {
		stop = r.stopErr.Error()
	}
	fmt.Fprintf(w, `
fault run (seed %d)
  owners                       %d
  completed                    %d
  stuck (waited in vain)       %d %s
    of which the last update     %d confirmed to the bot (getUpdates offset past it), never answered
  told "already registered"    %d
  other failures               %d
  duplicate prompts            %d (%d owners; reported, not a failure)
  unexpected messages          %d (reported, not a failure)
  answers given                %d
  stored: owners with a record %d, missing %d, other users' %d
  duplicate registrations      %d owners
  wrong fields                 %d
  consent recorded twice       %d owners (not a failure)
  kills                        %d of %d (bot started %d times, exited on its own %d)%s
  final SIGTERM                %s
  run time                     %v
`, r.seed, r.owners, r.completed, r.stuck, bracket(stuckAt), r.stuckConfirmed, r.told, r.failed, r.dupPrompts, r.dupPromptOwners,
		r.unexpected, r.answered, r.storedOwners, r.missing, r.stray, r.dupStored, r.wrongFields, r.dupConsents,
		r.killsDone, r.killsPlanned, r.starts, r.crashes, killNote(r), stop, r.elapsed.Round(time.Millisecond))
	if r.pass() {
		fmt.Fprintln(w, "PASS")
	} else {
		fmt.Fprintln(w, "FAIL")
	}
}

// killNote tells how many kills came early because the owners had stopped
// answering, and explains kills that did not come.
func killNote(r *faultReport) string {
	note := ""
	if r.stalled > 0 {
		note = fmt.Sprintf("; %d of them because no owner had answered for a while", r.stalled)
	}
	if r.killsDone < r.killsPlanned {
		note += "; the rest never came: every owner was done or stuck"
	}
	return note
}

func bracket(items []string) string {
	if len(items) == 0 {
		return ""
	}
	return "(after " + strings.Join(items, ", ") + ")"
}
