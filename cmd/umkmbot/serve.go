package main

import (
	"context"
	"log/slog"

	"github.com/diskum-tangerang/umkmbot/bot"
	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/locales"
)

// commandMenu lists the commands Telegram shows in its menu, in order.
var commandMenu = []string{"start", "menu", "daftar", "pelatihan", "pinjaman", "bahasa", "bantuan",
	"datasaya", "ubahdata", "hapusdata", "batal"}

// serve runs the bot on Telegram until ctx is cancelled, then finishes the
// updates it took in.
func serve(ctx context.Context, cfg *config, log *slog.Logger) error {
	a, err := newApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	b, err := bot.New(bot.Config{
		Token: cfg.Token, APIURL: cfg.APIURL, Workers: cfg.Workers, Log: log,
		HandleTimeout: cfg.Shutdown, Commands: commands(a.catalog),
	}, a.engine, a.catalog)
	if err != nil {
		return err
	}
	return b.Run(ctx)
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
