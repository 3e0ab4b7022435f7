package main

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/diskum-tangerang/umkmbot/bot/dashboard"
	"github.com/diskum-tangerang/umkmbot/flows/dasbor"
	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/memory"
	rstore "github.com/diskum-tangerang/umkmbot/store/redis"
)

// Login links per staff member: five in ten minutes.
const (
	dashLinkMax    = 5
	dashLinkWindow = 10 * time.Minute
)

// setupDashboard builds the Dasbor Dinas when the figures are in
// PostgreSQL (serve always; chat only with DATABASE_URL): sessions and the
// link limit in Redis when there is one, in memory otherwise.
func (a *app) setupDashboard(stats store.StatsStore, parts dashboard.Participants) error {
	if stats == nil {
		return nil
	}
	auth := store.WebAuthStore(memory.NewWebAuth(nil))
	limit := store.AttemptLimiter(memory.NewAttempts(dashLinkMax, dashLinkWindow, nil))
	if a.rdb != nil {
		auth = rstore.NewWebAuth(a.rdb, a.cfg.RedisPrefix)
		limit = rstore.NewAttempts(a.rdb, a.cfg.RedisPrefix+"dasbor:", dashLinkMax, dashLinkWindow)
	}
	d, err := dashboard.New(dashboard.Config{PublicURL: a.cfg.PublicURL, Auth: auth, LinkLimit: limit,
		Stats: stats, Participants: parts, Audit: a.regs, IsStaff: a.isStaff, Catalog: a.catalog, Log: a.log})
	if err != nil {
		return err
	}
	a.dash = d
	return nil
}

// dasborLinks is what the /dasbor flow gets: the dashboard, or nil (an
// interface holding no value) when there is none.
func (a *app) dasborLinks() dasbor.Links {
	if a.dash == nil {
		return nil
	}
	return a.dash
}

// listenDashboard opens the dashboard's listener, so that a taken port
// stops the command before the bot starts; nil when there is no dashboard.
func (a *app) listenDashboard() (net.Listener, error) {
	if a.dash == nil {
		return nil, nil
	}
	ln, err := net.Listen("tcp", a.cfg.ListenAddr)
	if err != nil {
		return nil, fmt.Errorf("dashboard: listen on %s (LISTEN_ADDR): %w", a.cfg.ListenAddr, err)
	}
	return ln, nil
}

// serveDashboard serves the dashboard on ln until ctx is cancelled (nil
// ln: nothing to serve).
func (a *app) serveDashboard(ctx context.Context, ln net.Listener) error {
	if ln == nil {
		return nil
	}
	return a.serveHTTP(ctx, ln, a.dash)
}
