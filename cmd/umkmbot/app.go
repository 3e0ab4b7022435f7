package main

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/diskum-tangerang/umkmbot/bot/dashboard"
	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/broadcast"
	"github.com/diskum-tangerang/umkmbot/flows/dasbor"
	"github.com/diskum-tangerang/umkmbot/flows/datarights"
	"github.com/diskum-tangerang/umkmbot/flows/loan"
	"github.com/diskum-tangerang/umkmbot/flows/menu"
	"github.com/diskum-tangerang/umkmbot/flows/registration"
	"github.com/diskum-tangerang/umkmbot/flows/tanya"
	"github.com/diskum-tangerang/umkmbot/flows/training"
	"github.com/diskum-tangerang/umkmbot/locales"
	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/memory"
	"github.com/diskum-tangerang/umkmbot/store/postgres"
	rstore "github.com/diskum-tangerang/umkmbot/store/redis"
)

// app is the wired bot, whatever the transport: stores, catalog, engine.
type app struct {
	cfg      *config
	log      *slog.Logger
	catalog  *locales.Catalog
	sessions store.SessionStore
	users    store.UserStore
	staff    store.StaffStore
	regs     store.RegistrationStore
	trains   store.TrainingStore
	loans    store.LoanStore
	tickets  store.TicketStore
	outbox   store.OutboxStore
	camps    store.CampaignStore
	limiter  store.SendBudget
	attempts store.AttemptLimiter
	engine   *flows.Engine
	// rdb is the Redis client, nil without REDIS_URL.
	rdb goredis.UniversalClient
	// db is the PostgreSQL store, nil without DATABASE_URL.
	db *postgres.DB
	// metrics are serve's Prometheus series, nil elsewhere.
	metrics *metrics
	// dash is the Dasbor Dinas, nil without a database.
	dash *dashboard.Server
	// mem is set when the records live in memory (umkmbot chat without a
	// database): demo data goes there.
	mem *memory.Store
	// room answers the staff group; nil without STAFF_GROUP_ID.
	room *tanya.Room
	// volatile: Redis keeps nothing on disk.
	volatile bool
	closers  []func()
}

// newApp connects the stores the configuration names, in memory for the
// rest, and builds the engine.
//
// With wait set (serve), a database or Redis that does not answer yet is
// waited for, with backoff and a log line saying what is awaited; only a
// malformed URL ends it. Serve also gets the metrics, which the engine
// reports to.
func newApp(ctx context.Context, cfg *config, log *slog.Logger, wait bool) (a *app, err error) {
	a = &app{cfg: cfg, log: log}
	var observe func(string, time.Duration)
	if wait {
		a.metrics = newMetrics()
		observe = a.metrics.observeFlow
	}
	defer func() {
		if err != nil {
			a.close()
		}
	}()
	if a.catalog, err = locales.New(); err != nil {
		return nil, fmt.Errorf("locales: %w", err)
	}
	var stats store.StatsStore
	if cfg.DatabaseURL != "" {
		db, err := await(ctx, log, wait, "PostgreSQL", func() (*postgres.DB, error) { return postgres.Open(ctx, cfg.DatabaseURL) })
		if err != nil {
			return nil, err
		}
		a.closers = append(a.closers, db.Close)
		if _, err := await(ctx, log, wait, "PostgreSQL migrations", func() (struct{}, error) {
			return struct{}{}, db.Migrate(ctx)
		}); err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
		a.db = db
		a.users, a.staff, a.regs, a.trains, a.loans, a.outbox, a.camps = db, db, db, db, db, db, db
		a.tickets = db
		stats = db
	} else {
		a.mem = memory.New()
		out := a.mem.Outbox()
		a.users, a.staff, a.regs, a.trains, a.loans, a.outbox, a.camps = a.mem, a.mem, a.mem, a.mem, a.mem, out, out
		a.tickets = a.mem
	}
	if cfg.RedisURL != "" {
		var rdb goredis.UniversalClient
		if rdb, err = await(ctx, log, wait, "Redis", func() (goredis.UniversalClient, error) { return rstore.NewClient(ctx, cfg.RedisURL) }); err != nil {
			return nil, err
		}
		a.closers = append(a.closers, func() { _ = rdb.Close() })
		a.rdb = rdb
		if durable, err := rstore.Durable(ctx, rdb); err == nil && !durable {
			a.volatile = true
			log.Warn("Redis keeps nothing on disk (appendonly no, no save): sessions and updates in progress are lost if Redis restarts; turn on appendonly")
		}
		sessions := rstore.New(rdb, cfg.RedisPrefix)
		if cfg.NoAutoPipeline {
			sessions.Direct()
		}
		a.sessions = sessions
		a.limiter = rstore.NewLimiter(rdb, cfg.RedisPrefix, cfg.Rate)
		a.attempts = rstore.NewAttempts(rdb, cfg.RedisPrefix, rstore.DefaultMaxAttempts, rstore.DefaultAttemptWindow)
	} else {
		if a.mem == nil {
			a.mem = memory.New()
		}
		a.sessions = a.mem
		a.limiter = memory.NewLimiter(cfg.Rate)
		a.attempts = memory.NewAttempts(rstore.DefaultMaxAttempts, rstore.DefaultAttemptWindow, nil)
	}
	if err := a.setupDashboard(stats, a.trains); err != nil {
		return nil, err
	}
	var room func(*flows.Ctx) error
	if cfg.StaffGroup != 0 {
		a.room = tanya.NewRoom(a.tanyaOptions())
		room = a.room.Handle
	}
	a.engine, err = flows.New(flows.Config{
		Sessions: a.sessions, Users: a.users, Labels: a.catalog, Log: log,
		Menu: menu.Name, Languages: locales.Languages, Staff: a.isStaff, Volatile: a.volatile,
		Shortcut: menu.Shortcut, StopFlow: broadcast.StopAsk, NotUnderstood: tanya.Name, Observe: observe,
		Room: room,
	}, a.flows()...)
	if err != nil {
		return nil, err
	}
	return a, nil
}

// trainingOptions are the training flows' settings from the configuration.
func (a *app) trainingOptions() training.Options {
	return training.Options{BotUsername: a.cfg.BotUsername, OfferHold: a.cfg.OfferHold,
		DayBefore: a.cfg.RemindDayBefore, SameDay: a.cfg.RemindSameDay}
}

// flows lists every conversation the bot offers.
func (a *app) flows() []*flows.Flow {
	regOpt := registration.Options{ConsentVersion: a.cfg.ConsentVersion, Menu: menu.Name}
	loanOpt := loan.Options{Menu: menu.Name, MaxTries: rstore.DefaultMaxAttempts, Users: a.users}
	drOpt := datarights.Options{Menu: menu.Name, Loans: func(ctx context.Context, user int64) ([]flows.Text, error) {
		return loan.DataLines(ctx, a.loans, user)
	}, Tickets: func(ctx context.Context, user int64) ([]flows.Text, error) {
		return tanya.DataLines(ctx, a.tickets, user)
	}}
	list := []*flows.Flow{
		menu.New(menu.Options{Registration: registration.Name, Training: training.Name, Loan: loan.Name, Ask: tanya.Name,
			DeepLinks: map[string]string{training.DeepLinkPrefix: "/pelatihan"}}),
		menu.NewLang(a.users, locales.Languages),
		registration.New(a.regs, regOpt),
		registration.NewEdit(a.regs, regOpt),
		datarights.NewData(a.regs, drOpt),
		datarights.NewDelete(a.regs, drOpt),
		datarights.NewExport(a.regs, drOpt),
		loan.New(a.loans, a.attempts, loanOpt),
		loan.NewStaff(a.loans, a.attempts, a.regs, loanOpt),
	}
	list = append(list, training.New(a.trains, a.regs, a.trainingOptions())...)
	list = append(list, broadcast.New(a.camps, a.broadcastOptions())...)
	list = append(list, dasbor.New(a.dasborLinks()))
	list = append(list, tanya.New(a.tanyaOptions())...)
	return list
}

// tanyaOptions are the "Tanya petugas" settings: the staff group, and the
// owner's business (their latest registration) naming a ticket's topic.
func (a *app) tanyaOptions() tanya.Options {
	return tanya.Options{Tickets: a.tickets, Labels: a.catalog, Menu: menu.Name, Group: a.cfg.StaffGroup,
		Log: a.log, Business: func(ctx context.Context, user int64) (string, error) {
			regs, err := a.regs.RegistrationsOf(ctx, user)
			if err != nil || len(regs) == 0 {
				return "", err
			}
			return regs[len(regs)-1].BusinessName, nil
		}}
}

// ticketTopics keeps the staff group's forum topics with the tickets
// (bot.Topics).
type ticketTopics struct{ tickets store.TicketStore }

func (t ticketTopics) TopicOf(ctx context.Context, key int64) (int64, error) {
	tk, err := t.tickets.Ticket(ctx, key)
	return tk.TopicID, err
}

func (t ticketTopics) SetTopic(ctx context.Context, key, thread int64) (int64, error) {
	return t.tickets.SetTicketTopic(ctx, key, thread)
}

// broadcastOptions are the announcement settings from the configuration.
func (a *app) broadcastOptions() broadcast.Options {
	return broadcast.Options{Rate: a.cfg.Rate, QuietFrom: a.cfg.QuietFrom, QuietTo: a.cfg.QuietTo,
		Trainings: a.trains, Owners: a.regs, Menu: menu.Name}
}

func (a *app) isStaff(ctx context.Context, id int64) (bool, error) {
	if slices.Contains(a.cfg.StaffIDs, id) {
		return true, nil
	}
	return a.staff.IsStaff(ctx, id)
}

func (a *app) close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.closers = nil
}

func migrate(ctx context.Context, cfg *config, log *slog.Logger) error {
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	log.Info("migrations applied")
	return nil
}
