package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/diskum-tangerang/umkmbot/bot/telegramtest"
)

func runBroadcast(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("broadcast", flag.ContinueOnError)
	fs.SetOutput(errOut)
	var c common
	c.register(fs, 2000, 20*time.Second)
	fs.Lookup("owners").Usage = "registered owners seeded in the database: the broadcast's audience"
	rate := fs.Int("rate", 30, "the bot's BROADCAST_RATE, messages per second (1–30)")
	global := fs.Int("limit-global", 30, "the fake's global limit: sends in any one-second window, answered 429 above it")
	perChat := fs.Int("limit-chat", 1, "the fake's limit of proactive messages to one chat in any one-second window")
	chatting := fs.Int("chatting", 0, "closed-loop owners registering new businesses while the campaign runs")
	stall := fs.Duration("stall", 60*time.Second, "give up when the campaign sends nothing for this long")
	replicas := fs.Int("replicas", 1, "bot processes sharing the stores (1–4), each with its share of SEND_LIMIT, as README asks of operators")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.owners < 1 || *rate < 1 || *rate > 30 || *global < 0 || *perChat < 0 || *chatting < 0 || *stall <= 0 ||
		*replicas < 1 || *replicas > 4 {
		return fmt.Errorf("need --owners ≥ 1, --rate 1–30, --limit-global, --limit-chat, --chatting ≥ 0, --stall > 0 and --replicas 1–4")
	}
	b := &bcRun{rate: *rate, limits: telegramtest.Limits{Global: *global, PerChat: *perChat},
		chatting: *chatting, stall: *stall, staff: c.userBase - 1, marker: "umkmload-" + randomName(8), replicas: *replicas}
	if *global > 0 {
		b.sendLimit = max(1, *global / *replicas)
	}
	c.env = map[string]string{"STAFF_IDS": strconv.FormatInt(b.staff, 10), "BROADCAST_RATE": strconv.Itoa(*rate),
		"QUIET_HOURS": "off", "SEND_LIMIT": strconv.Itoa(b.sendLimit), "REPLICA_ID": "umkmload-1"}
	h, err := setup(ctx, c, out)
	if err != nil {
		return err
	}
	defer h.Close()
	b.h = h
	rep, err := b.run(ctx)
	if err != nil {
		h.Failed = true
		return err
	}
	rep.print(out)
	if rep.fail() {
		h.Failed = true
		return errFailed
	}
	return nil
}

// bcRun is one broadcast run: seeded owners, a staff member who sends an
// announcement to all of them through /siaran, and optionally owners who
// chat with the bot meanwhile.
type bcRun struct {
	h        *Harness
	rate     int
	limits   telegramtest.Limits
	chatting int
	stall    time.Duration
	staff    int64
	// marker is in the announcement's text: it tells the broadcast's
	// messages from every other.
	marker string
	// replicas counts the bot processes; others are those beside h.Bot.
	replicas int
	others   []*BotProc
	// sendLimit is each replica's SEND_LIMIT, its share of the fake's
	// global limit (0: none).
	sendLimit int
}

// replicaSettle is how long replicas get to share the partitions after
// they start (bot.LeaseTTL).
const replicaSettle = 5 * time.Second

// startOthers starts the replicas beside h.Bot: the same binary and
// environment, each with its own REPLICA_ID.
func (b *bcRun) startOthers() error {
	for i := 2; i <= b.replicas; i++ {
		env := slices.DeleteFunc(slices.Clone(b.h.Bot.Env), func(kv string) bool { return strings.HasPrefix(kv, "REPLICA_ID=") })
		p := &BotProc{Path: b.h.Bot.Path, Env: append(env, "REPLICA_ID=umkmload-"+strconv.Itoa(i)), Log: b.h.logFile}
		if err := p.Start(); err != nil {
			return err
		}
		b.others = append(b.others, p)
	}
	return nil
}

// cpu is the CPU time of every replica so far.
func (b *bcRun) cpu() (time.Duration, error) {
	var sum time.Duration
	for _, p := range append([]*BotProc{b.h.Bot}, b.others...) {
		t, err := procCPU(p.Pid())
		if err != nil {
			return 0, fmt.Errorf("read the bot's CPU time: %w", err)
		}
		sum += t
	}
	return sum, nil
}

// stop stops every replica; the error is the first replica's that did not
// exit cleanly.
func (b *bcRun) stop() error {
	var first error
	for _, p := range append(b.others, b.h.Bot) {
		if p.Running() {
			if err := p.Stop(30 * time.Second); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

// bcReport is the outcome of a broadcast run.
type bcReport struct {
	owners, rate, global, perChatLimit int
	campaign                           int64
	audience                           int // outbox rows of the campaign
	toldCount                          int // "dibuat untuk N penerima"
	reached, missing, doubled          int
	extra                              int // broadcast messages beyond one per recipient
	stray                              int // broadcast messages to chats outside the audience
	first, last, sent                  time.Time
	duration                           time.Duration
	peak                               int // broadcast messages in the busiest one-second window
	peakAll                            int // messages of any kind (replies too) in the busiest one-second window
	globalViolations, chatViolations   int
	refusedBroadcast, refusedProgress  int
	refusedReplies                     int
	progressSends, progressEdits       int
	finalProgress                      string
	cpu                                time.Duration
	updates                            int
	chatters                           int
	think                              time.Duration
	chats, chatsDone, chatsStuck       int
	chatLatencies                      []time.Duration
	chatSteps                          map[string][]time.Duration // the same by the question answered
	chatsCut                           int
	replicas, sendLimit                int
	perSender                          []string // "worker count", per outbox sender
	stopErr                            error
	staffErr                           string
}

var campaignRE = regexp.MustCompile(`Siaran #(\d+) dibuat untuk ([\d.]+) penerima`)

// staffRules is the staff member's /siaran: the announcement's text, no
// extra button, everyone, send.
func (b *bcRun) staffRules() []Rule {
	body := "Pelatihan <b>pemasaran digital</b> gratis untuk UMKM Kabupaten Tangerang, pendaftaran lewat bot ini. " +
		"Kode siaran: " + b.marker
	return []Rule{
		{Name: "created", When: func(m Msg) bool { return campaignRE.MatchString(m.Text) }, Done: true},
		{Name: "preview", When: textIs(b.marker)},
		{Name: "text", When: textIs("Silakan ketik isi pengumumannya"), Answer: typeText(body)},
		buttonRule("button", "siaran.button:none"),
		buttonRule("audience", "siaran.audience:all"),
		buttonRule("confirm", "siaran.confirm:send"),
	}
}

// proactive tells the messages the bot sends on its own (the broadcast
// and the staff's progress message) from replies, for the fake's per-chat
// limit.
func (b *bcRun) proactive(_ string, p map[string]string) bool {
	text := p["text"]
	if p["chat_id"] == strconv.FormatInt(b.staff, 10) {
		return strings.Contains(text, "Terkirim")
	}
	return strings.Contains(text, b.marker)
}

func (b *bcRun) run(ctx context.Context) (*bcReport, error) {
	h := b.h
	owners := h.Owners(h.c.owners, 0)
	fmt.Fprintf(h.out, "seeding %d registered owners …\n", len(owners))
	if err := seedOwners(ctx, h.Scratch.URL, owners); err != nil {
		return nil, err
	}
	lim := b.limits
	lim.PerChatOnly = b.proactive
	h.Fake.SetLimits(lim)
	if err := h.StartBot(ctx); err != nil {
		return nil, err
	}
	defer func() { _ = b.stop() }() // a run cut short
	if err := b.startOthers(); err != nil {
		return nil, err
	}
	if len(b.others) > 0 {
		// The replicas spread the chats' partitions among themselves within
		// a few seconds of a start (a balance each second); the campaign and
		// the chatting owners come after that, as they would in production.
		fmt.Fprintf(h.out, "%d replicas started; letting them share the partitions for %v …\n", b.replicas, replicaSettle)
		select {
		case <-time.After(replicaSettle):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	cpu0, err := b.cpu()
	if err != nil {
		return nil, err
	}
	rep := &bcReport{owners: len(owners), rate: b.rate, global: b.limits.Global, perChatLimit: b.limits.PerChat,
		chatters: b.chatting, think: h.c.think, replicas: b.replicas, sendLimit: b.sendLimit,
		chatSteps: map[string][]time.Duration{}}
	logf := func(format string, args ...any) { fmt.Fprintf(h.out, format+"\n", args...) }
	p := &Player{Fake: h.Fake.Server, Inbox: h.Inbox, Timeout: h.c.timeout, Verbose: h.c.verbose, Logf: logf}
	chat := &Player{Fake: h.Fake.Server, Inbox: h.Inbox, Timeout: h.c.timeout, Verbose: h.c.verbose, Logf: logf,
		Think: h.c.think}
	fmt.Fprintf(h.out, "staff %d sends /siaran to everyone at BROADCAST_RATE=%d; the fake allows %d/s, %d/s per chat …\n",
		b.staff, b.rate, b.limits.Global, b.limits.PerChat)
	staff := p.PlayScript(ctx, b.staff, nil, "/siaran", b.staffRules())
	rep.updates += staff.Answered + 1
	if !staff.Done {
		rep.staffErr = fmt.Sprintf("the staff's /siaran did not get through (stuck after %q, %s; not understood: %q)",
			staff.Stuck, staff.Failed, staff.Unexpected)
		rep.stopErr = b.stop()
		return rep, nil
	}
	rep.sent = time.Now()
	for _, m := range h.Fake.Sent(b.staff) {
		if sm := campaignRE.FindStringSubmatch(plainText(m.Text)); sm != nil {
			rep.campaign, _ = strconv.ParseInt(sm[1], 10, 64)
			rep.toldCount, _ = strconv.Atoi(strings.ReplaceAll(sm[2], ".", ""))
		}
	}

	// Owners who chat meanwhile: new users registering, so that replies
	// and the campaign share the bot's budget.
	chatCtx, stopChat := context.WithCancel(ctx)
	var (
		mu      sync.Mutex
		results []*Result
		wg      sync.WaitGroup
	)
	reg := &registrationScript{h: h}
	for i := range b.chatting {
		wg.Go(func() {
			for n := len(owners) + i; chatCtx.Err() == nil; n += b.chatting {
				res := reg.play(chatCtx, chat, i, n)
				mu.Lock()
				results = append(results, res)
				mu.Unlock()
				if res.Stuck != "" || res.Failed != "" {
					return
				}
			}
		})
	}
	b.await(ctx, rep)
	stopChat()
	wg.Wait()
	cpu1, err := b.cpu()
	if err != nil {
		return nil, err
	}
	rep.cpu = cpu1 - cpu0
	// Stopped, the bot sends nothing more: what the fake holds now is all.
	rep.stopErr = b.stop()
	for _, r := range results {
		// The answers of a conversation cut short when the campaign ended
		// count too: they were answered during it.
		rep.updates += r.Answered + 1
		rep.chatLatencies = append(rep.chatLatencies, r.Latencies...)
		for q, ds := range r.Steps {
			rep.chatSteps[q] = append(rep.chatSteps[q], ds...)
		}
		if r.Failed == "run cancelled" {
			rep.chatsCut++
			continue
		}
		rep.chats++
		switch {
		case r.Done:
			rep.chatsDone++
		case r.Stuck != "" || r.Failed != "":
			rep.chatsStuck++
		}
	}
	if err := b.tally(ctx, rep, owners); err != nil {
		return nil, err
	}
	return rep, nil
}

// await waits until the staff's progress message reports the campaign
// finished, or nothing has been sent for the stall time.
func (b *bcRun) await(ctx context.Context, rep *bcReport) {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	lastCount, lastMove := -1, time.Now()
	for {
		if b.finished() {
			return
		}
		if n := b.h.Fake.Count("sendMessage"); n != lastCount {
			lastCount, lastMove = n, time.Now()
		} else if time.Since(lastMove) > b.stall {
			fmt.Fprintf(b.h.out, "nothing sent for %v: giving up on the campaign\n", b.stall)
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-b.h.Bot.Exited():
			return
		case <-tick.C:
		}
	}
}

// finished reports whether the staff's progress message says the campaign
// is over.
func (b *bcRun) finished() bool {
	for _, t := range b.progressTexts() {
		if strings.Contains(t, "selesai") || strings.Contains(t, "dibatalkan") {
			return true
		}
	}
	return false
}

// progressTexts are the staff's progress messages: the one sent and its
// edits, in order.
func (b *bcRun) progressTexts() []string {
	var out []string
	for _, m := range b.h.Fake.Sent(b.staff) {
		if strings.Contains(m.Text, "Terkirim") {
			out = append(out, plainText(m.Text))
		}
	}
	staff := strconv.FormatInt(b.staff, 10)
	for _, c := range b.h.Fake.Calls("editMessageText") {
		if c.Params["chat_id"] == staff {
			out = append(out, plainText(c.Params["text"]))
		}
	}
	return out
}

// tally counts, from the fake's record and the run's database, who got the
// announcement, how fast it went and what the fake refused.
func (b *bcRun) tally(ctx context.Context, rep *bcReport, owners []*Owner) error {
	expected := make(map[int64]bool, len(owners))
	for _, o := range owners {
		expected[o.ID] = true
	}
	conn, err := pgx.Connect(ctx, b.h.Scratch.URL)
	if err != nil {
		return fmt.Errorf("connect to the run's database: %w", err)
	}
	defer conn.Close(ctx)
	if rep.campaign != 0 {
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE campaign_id = $1`, rep.campaign).
			Scan(&rep.audience); err != nil {
			return fmt.Errorf("count the campaign's outbox rows: %w", err)
		}
		// Which sender sent each row (the replicas' senders share the campaign).
		rows, err := conn.Query(ctx, `SELECT worker, count(*) FROM outbox
			WHERE campaign_id = $1 AND status = 'sent' GROUP BY worker ORDER BY worker`, rep.campaign)
		if err != nil {
			return fmt.Errorf("count the campaign's rows per sender: %w", err)
		}
		for rows.Next() {
			var w string
			var n int
			if err := rows.Scan(&w, &n); err != nil {
				return fmt.Errorf("count the campaign's rows per sender: %w", err)
			}
			rep.perSender = append(rep.perSender, fmt.Sprintf("%s %d", w, n))
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("count the campaign's rows per sender: %w", err)
		}
	}
	got := map[int64]int{}
	var times []time.Time
	accepted := map[string]int{}
	for _, m := range b.h.Fake.Messages() {
		switch {
		case strings.Contains(m.Text, b.marker) && m.ChatID != b.staff:
			got[m.ChatID]++
			times = append(times, m.Time)
			accepted["broadcast"]++
		case m.ChatID == b.staff && strings.Contains(m.Text, "Terkirim"):
			accepted["progress"]++
			rep.progressSends++
		default:
			accepted["reply"]++
		}
	}
	calls := map[string]int{}
	for _, c := range b.h.Fake.Calls("sendMessage") {
		switch {
		case strings.Contains(c.Params["text"], b.marker) && c.Params["chat_id"] != strconv.FormatInt(b.staff, 10):
			calls["broadcast"]++
		case b.proactive("sendMessage", c.Params):
			calls["progress"]++
		default:
			calls["reply"]++
		}
	}
	rep.refusedBroadcast = calls["broadcast"] - accepted["broadcast"]
	rep.refusedProgress = calls["progress"] - accepted["progress"]
	rep.refusedReplies = calls["reply"] - accepted["reply"]
	for id := range expected {
		switch n := got[id]; {
		case n == 0:
			rep.missing++
		case n > 1:
			rep.doubled++
			rep.extra += n - 1
			rep.reached++
		default:
			rep.reached++
		}
	}
	for id, n := range got {
		if !expected[id] {
			rep.stray += n
		}
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	if len(times) > 0 {
		rep.first, rep.last = times[0], times[len(times)-1]
		rep.duration = rep.last.Sub(rep.first)
		rep.peak = busiest(times)
	}
	var all []time.Time
	for _, m := range b.h.Fake.Messages() {
		all = append(all, m.Time)
	}
	rep.peakAll = busiest(all)
	rep.globalViolations, rep.chatViolations = b.h.Fake.LimitViolations()
	texts := b.progressTexts()
	rep.progressEdits = len(texts) - rep.progressSends
	if len(texts) > 0 {
		rep.finalProgress = strings.ReplaceAll(texts[len(texts)-1], "\n", " · ")
	}
	return nil
}

func (r *bcReport) fail() bool {
	return r.staffErr != "" || r.missing > 0 || r.doubled > 0 || r.stray > 0 || r.chatsStuck > 0 || r.stopErr != nil
}

func (r *bcReport) print(w io.Writer) {
	stop := "clean exit"
	if r.stopErr != nil {
		stop = r.stopErr.Error()
	}
	fmt.Fprintf(w, "\nbroadcast run\n")
	if r.replicas > 1 {
		fmt.Fprintf(w, "  replicas                 %d bot processes on the same stores, each with SEND_LIMIT %d; sent per sender: %s\n",
			r.replicas, r.sendLimit, strings.Join(r.perSender, ", "))
	}
	if r.staffErr != "" {
		fmt.Fprintf(w, "  %s\n  final SIGTERM            %s\nFAIL\n", r.staffErr, stop)
		return
	}
	msgs := 0
	if !r.first.IsZero() {
		msgs = r.reached + r.extra
	}
	achieved := 0.0
	if r.duration > 0 && msgs > 1 {
		achieved = float64(msgs-1) / r.duration.Seconds()
	}
	slices.Sort(r.chatLatencies)
	perUpdate := "—"
	total := r.updates + msgs
	if total > 0 {
		perUpdate = (r.cpu / time.Duration(total)).Round(time.Microsecond).String()
	}
	fmt.Fprintf(w, `  campaign                 #%d: staff told %d recipients; %d outbox rows
  recipients reached       %d of %d expected (missing %d, doubled %d, %d extra messages, %d to chats outside the audience)
  campaign duration        %v from the first to the last message (%v from the staff's tap on Kirim)
  achieved rate            %.1f messages/s = %.1f %% of --rate %d (busiest second: %d, with the replies %d; fake allows %d/s, %d/s per chat)
  429 answered             %d by the global limit, %d by the per-chat limit (per-chat violations)
  refused sends            broadcast %d, progress message %d, replies %d
  staff progress message   sent %d, edited %d times; last: %q
  bot CPU                  %v over the campaign (every replica) = %s per message or update (%d messages, %d updates)
`, r.campaign, r.toldCount, r.audience, r.reached, r.owners, r.missing, r.doubled, r.extra, r.stray,
		r.duration.Round(time.Millisecond), r.last.Sub(r.sent).Round(time.Millisecond),
		achieved, 100*achieved/float64(r.rate), r.rate, r.peak, r.peakAll, r.global, r.perChatLimit,
		r.globalViolations, r.chatViolations, r.refusedBroadcast, r.refusedProgress, r.refusedReplies,
		r.progressSends, r.progressEdits, r.finalProgress, r.cpu.Round(time.Millisecond), perUpdate, msgs, r.updates)
	if r.chatters > 0 {
		fmt.Fprintf(w, "  chatting owners          %d (think %v): %d registrations completed, %d cut short by the campaign's end, %d stuck; %d answers, reply latency p50 %v · p99 %v · max %v\n",
			r.chatters, r.think, r.chatsDone, r.chatsCut, r.chatsStuck, len(r.chatLatencies), percentile(r.chatLatencies, 50).Round(10*time.Microsecond),
			percentile(r.chatLatencies, 99).Round(10*time.Microsecond), percentile(r.chatLatencies, 100).Round(10*time.Microsecond))
		printSlowest(w, r.chatSteps)
	}
	fmt.Fprintf(w, "  final SIGTERM            %s\n", stop)
	if r.fail() {
		fmt.Fprintf(w, "FAIL: missing %d, doubled %d, stray %d, chatting owners stuck %d\n", r.missing, r.doubled, r.stray, r.chatsStuck)
	} else {
		fmt.Fprintln(w, "PASS")
	}
}

// busiest is the most of ts in any one-second window.
func busiest(ts []time.Time) int {
	ts = slices.Clone(ts)
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	most := 0
	for i, j := 0, 0; j < len(ts); j++ {
		for ts[j].Sub(ts[i]) >= time.Second {
			i++
		}
		most = max(most, j-i+1)
	}
	return most
}
