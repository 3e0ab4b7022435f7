package main

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/diskum-tangerang/umkmbot/bot"
	"github.com/diskum-tangerang/umkmbot/bot/outbox"
	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/broadcast"
	"github.com/diskum-tangerang/umkmbot/flows/tanya"
	"github.com/diskum-tangerang/umkmbot/flows/training"
	"github.com/diskum-tangerang/umkmbot/locales"
	"github.com/diskum-tangerang/umkmbot/store"
	rstore "github.com/diskum-tangerang/umkmbot/store/redis"
)

// commandMenu lists the commands Telegram shows in its menu, in order.
var commandMenu = []string{"start", "menu", "daftar", "pelatihan", "pelatihansaya", "pinjaman", "bahasa",
	"bantuan", "datasaya", "ubahdata", "hapusdata", "berhenti", "langganan", "batal"}

// serve runs the bot on Telegram until ctx is cancelled: the adapter takes
// updates, the outbox sender delivers proactive messages, the scheduler
// queues training reminders, and LISTEN_ADDR answers with the staff
// dashboard and the operator's endpoints (ops.go). On cancel each finishes
// what it took in.
func serve(ctx context.Context, cfg *config, log *slog.Logger) error {
	tuneGC()
	a, err := newApp(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer a.close()
	host, _ := os.Hostname()
	replica := cmp.Or(cfg.Replica, host, "umkmbot")
	// In polling mode only the replica holding the polling lease records;
	// in webhook mode every replica records what Telegram posts to it.
	recordAs := replica
	if cfg.WebhookURL != "" {
		recordAs = ""
	}
	ingest := rstore.NewIngest(a.rdb, cfg.RedisPrefix, recordAs)
	if _, err := await(ctx, log, true, "Redis ingest", func() (struct{}, error) { return struct{}{}, ingest.Init(ctx) }); err != nil {
		return err
	}
	// Sessions an older version kept under keys without a hash tag.
	moved, err := await(ctx, log, true, "Redis sessions", func() (int, error) {
		return rstore.New(a.rdb, cfg.RedisPrefix).MoveOldKeys(ctx)
	})
	if err != nil {
		return err
	}
	if moved > 0 {
		log.Info("sessions moved to their keys with a hash tag", "keys", moved)
	}
	b, err := bot.New(bot.Config{
		Token: cfg.Token, APIURL: cfg.APIURL, Workers: cfg.Workers, Log: log, Ingest: ingest, Replica: replica,
		Budget: a.limiter, SendLimit: cfg.SendLimit,
		HandleTimeout: cfg.Shutdown, Commands: commands(a.catalog),
		FloodBurst: cfg.FloodBurst, FloodRate: cfg.FloodRate, Metrics: a.metrics,
		WebhookURL: cfg.WebhookURL, WebhookSecret: cfg.WebhookSecret,
		StaffGroup: cfg.StaffGroup, Topics: ticketTopics{a.tickets},
	}, a.engine, a.catalog)
	if err != nil {
		return err
	}
	ln, err := a.listen()
	if err != nil {
		return err
	}
	a.metrics.addStoreGauges(a.db.OutboxDue, ingest.DeadLetterCount)
	var dash http.Handler
	if a.dash != nil {
		dash = a.dash
	}
	h := a.opsHandler(dash, a.metrics, a.readyChecks(b.LastAPISuccess))
	if cfg.WebhookURL != "" {
		// Telegram's webhook at WEBHOOK_URL's path, beside the rest.
		u, _ := url.Parse(cfg.WebhookURL)
		mux := http.NewServeMux()
		mux.Handle(u.Path, b.Webhook())
		mux.Handle("/", h)
		h = mux
	}
	sender := a.sender(b, fmt.Sprintf("%s-%d", host, os.Getpid()))
	sender.Observe = a.metrics.outboxResult
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := a.serveHTTP(ctx, ln, h); err != nil {
			log.Error("http listener", "err", err)
		}
	})
	wg.Go(func() {
		if err := sender.Run(ctx); err != nil {
			log.Error("outbox sender", "err", err)
		}
	})
	wg.Go(func() { a.schedule(ctx, replica) })
	err = b.Run(ctx)
	wg.Wait()
	return err
}

// memLimit is serve's soft memory limit unless GOMEMLIMIT says otherwise:
// the collector works harder before the heap passes it. The collection
// rate stays Go's default (GOGC=100): measured under load (BENCHMARKS.md),
// since the session scripts share round trips, collecting at 5× the live
// heap instead of 2× no longer saves CPU, and it cost 30 MiB of RSS and a
// longer tail of latency.
const memLimit = 512 << 20

func tuneGC() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memLimit)
	}
}

// sender builds the outbox sender that delivers through tr.
func (a *app) sender(tr outbox.Transport, worker string) *outbox.Sender {
	s := &outbox.Sender{Store: a.outbox, Campaigns: a.camps, Limiter: a.limiter, Transport: a.inUserLang(tr),
		Worker: worker, Log: a.log, ProgressEvery: 3 * time.Second}
	s.OnProgress = func(id int64) { a.progress(tr, id) }
	quiet := a.broadcastOptions()
	s.Defer = func(it store.OutboxItem, now time.Time) time.Time {
		if it.CampaignID == 0 {
			return now // reminders and notices are not announcements
		}
		return quiet.StartAt(now)
	}
	return s
}

// progress sends the staff member's progress message of a campaign the
// first time, then edits it in place.
func (a *app) progress(tr outbox.Transport, id int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := a.camps.Campaign(ctx, id)
	if err != nil {
		a.log.Error("campaign progress", "campaign", id, "err", err)
		return
	}
	if c.ProgressChat == 0 {
		return
	}
	st, err := a.camps.CampaignStats(ctx, id)
	if err != nil {
		a.log.Error("campaign progress", "campaign", id, "err", err)
		return
	}
	r := broadcast.ProgressReply(c, st, a.cfg.Rate, time.Now())
	r.Lang = a.langOf(ctx, c.ProgressChat)
	// The progress message takes its slot of the send budget like the
	// announcements it reports on. Its edits, every few seconds, are no new
	// messages: Telegram's 30 a second counts messages sent, and the fake
	// Bot API counts as it does, so they take none (each took 1/30 s of the
	// campaign's: 1.3 % of a 20-second campaign).
	if c.ProgressMessage == 0 {
		if err := a.limiter.Wait(ctx, c.ProgressChat); err != nil {
			a.log.Warn("campaign progress message", "campaign", id, "err", err)
			return
		}
	}
	msg, err := tr.Send(ctx, c.ProgressChat, r)
	if err != nil {
		a.log.Warn("campaign progress message", "campaign", id, "err", err)
		return
	}
	if c.ProgressMessage == 0 && msg != 0 {
		if err := a.camps.SetProgressMessage(ctx, id, c.ProgressChat, msg); err != nil {
			a.log.Error("campaign progress message id", "campaign", id, "err", err)
		}
	}
}

// inUserLang wraps tr so that replies without a language of their own go
// out in their recipient's.
func (a *app) inUserLang(tr outbox.Transport) outbox.InUserLang {
	return outbox.InUserLang{Users: a.users, Default: locales.Languages[0], Next: tr}
}

// langOf is a user's language (outbox.InUserLang), Indonesian when the
// store does not answer.
func (a *app) langOf(ctx context.Context, user int64) string {
	lang, err := a.inUserLang(nil).Lang(ctx, user)
	if err != nil {
		a.log.Warn("language of user", "user_id", user, "err", err)
		return locales.Languages[0]
	}
	return lang
}

// schedule queues due training reminders, expires waitlist offers and
// reminds staff of unanswered questions every minute, and once at start
// (the bot may have been down), on one replica at a time: the one holding
// the scheduler's lease (kept while it ticks; another replica takes it
// within minutes of its death). A tick on two replicas at once would do no
// harm (the queueing is idempotent); the lease saves the work.
func (a *app) schedule(ctx context.Context, replica string) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		if ok, err := rstore.Lead(ctx, a.rdb, a.cfg.RedisPrefix+"{schedule}:leader", replica, 3*time.Minute); err != nil {
			if ctx.Err() == nil {
				a.log.Warn("scheduler lease", "err", err)
			}
		} else if ok {
			a.tick(ctx, time.Now())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (a *app) tick(ctx context.Context, now time.Time) {
	if err := training.QueueDue(ctx, a.trains, now, a.trainingOptions()); err != nil && ctx.Err() == nil {
		a.log.Error("training reminders", "err", err)
	}
	if _, err := tanya.QueueReminders(ctx, a.tickets, a.outbox, a.cfg.StaffIDs, a.cfg.StaffGroup, tanya.Hours{}, now); err != nil && ctx.Err() == nil {
		a.log.Error("question reminders", "err", err)
	}
}

// commands builds the command menu in every language.
func commands(cat *locales.Catalog) map[string][]bot.Command {
	out := map[string][]bot.Command{}
	for _, lang := range locales.Languages {
		for _, name := range commandMenu {
			out[lang] = append(out[lang], bot.Command{Name: name,
				Description: cat.Label(lang, flows.T("cmd_"+name))})
		}
	}
	return out
}
