package main

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/datarights"
	"github.com/diskum-tangerang/umkmbot/flows/menu"
	"github.com/diskum-tangerang/umkmbot/flows/registration"
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
	engine   *flows.Engine
	// mem is set when the records live in memory (umkmbot chat without a
	// database): demo data goes there.
	mem     *memory.Store
	closers []func()
}

// newApp connects the stores the configuration names, in memory for the
// rest, and builds the engine.
func newApp(ctx context.Context, cfg *config, log *slog.Logger) (a *app, err error) {
	a = &app{cfg: cfg, log: log}
	defer func() {
		if err != nil {
			a.close()
		}
	}()
	if a.catalog, err = locales.New(); err != nil {
		return nil, fmt.Errorf("locales: %w", err)
	}
	if cfg.DatabaseURL != "" {
		db, err := postgres.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			return nil, err
		}
		a.closers = append(a.closers, db.Close)
		if err := db.Migrate(ctx); err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
		a.users, a.staff, a.regs = db, db, db
	} else {
		a.mem = memory.New()
		a.users, a.staff, a.regs = a.mem, a.mem, a.mem
	}
	if cfg.RedisURL != "" {
		rdb, err := rstore.NewClient(ctx, cfg.RedisURL)
		if err != nil {
			return nil, err
		}
		a.closers = append(a.closers, func() { _ = rdb.Close() })
		a.sessions = rstore.New(rdb, cfg.RedisPrefix)
	} else {
		if a.mem == nil {
			a.mem = memory.New()
		}
		a.sessions = a.mem
	}
	a.engine, err = flows.New(flows.Config{
		Sessions: a.sessions, Users: a.users, Labels: a.catalog, Log: log,
		Menu: menu.Name, Languages: locales.Languages, Staff: a.isStaff,
	}, a.flows()...)
	if err != nil {
		return nil, err
	}
	return a, nil
}

// flows lists every conversation the bot offers.
func (a *app) flows() []*flows.Flow {
	regOpt := registration.Options{ConsentVersion: a.cfg.ConsentVersion, Menu: menu.Name}
	drOpt := datarights.Options{Menu: menu.Name}
	return []*flows.Flow{
		menu.New(menu.Options{Registration: registration.Name}),
		menu.NewLang(a.users, locales.Languages),
		registration.New(a.regs, regOpt),
		registration.NewEdit(a.regs, regOpt),
		datarights.NewData(a.regs, drOpt),
		datarights.NewDelete(a.regs, drOpt),
		datarights.NewExport(a.regs, drOpt),
	}
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
