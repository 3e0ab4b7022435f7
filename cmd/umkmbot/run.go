package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
)

// stdio is where a command reads and writes; tests give their own.
type stdio struct {
	in          io.Reader
	out, errOut io.Writer
}

const usage = `umkmbot — layanan UMKM Dinas Koperasi dan Usaha Mikro Kabupaten Tangerang

Usage:
  umkmbot chat [--user ID] [--staff] [--lang id|en]   talk to the bot in this terminal (demo data in memory)
  umkmbot serve                                       run the bot on Telegram (TELEGRAM_BOT_TOKEN, DATABASE_URL, REDIS_URL)
                                                      and the staff dashboard on LISTEN_ADDR (PUBLIC_URL)
  umkmbot migrate                                     apply database migrations (DATABASE_URL)
  umkmbot deadletters [N]                             the last N updates that could not be read and were skipped (REDIS_URL)
  umkmbot export registrations [--kecamatan X] [--sector Y] > file.csv
                                                      registrations as CSV for Excel (DATABASE_URL)
  umkmbot import trainings FILE.csv                   a season's training schedule (idempotent)
  umkmbot import loans LOANS.csv [PAYMENTS.csv]       UPDB's loan spreadsheet (idempotent; owners told of changes)
  umkmbot demo-data [--scale N] [--seed S]            fill an empty database with generated demo data (DATABASE_URL)
  umkmbot version                                     the module version and commit this binary is built from

Every setting is an environment variable with a flag to override it; see README.md.`

func run(ctx context.Context, args []string, getenv func(string) string) error {
	return runIO(ctx, args, getenv, stdio{in: os.Stdin, out: os.Stdout, errOut: os.Stderr})
}

func runIO(ctx context.Context, args []string, getenv func(string) string, sio stdio) error {
	if len(args) == 0 {
		return errors.New("no command given\n\n" + usage)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "--help":
		fmt.Fprintln(sio.out, usage)
		return nil
	case "version", "--version":
		return version(sio.out)
	case "serve", "chat", "migrate", "export", "import", "deadletters", "demo-data":
	default:
		return fmt.Errorf("unknown command %q (serve, chat, migrate, export, import, deadletters, demo-data, version)", cmd)
	}
	var sub []string
	if cmd == "export" || cmd == "import" || cmd == "deadletters" || cmd == "demo-data" {
		sub, rest = rest, nil
	}
	cfg, err := parseConfig(cmd, rest, getenv, sio.errOut)
	if err != nil {
		return err
	}
	switch cmd {
	case "serve":
		log := slog.New(slog.NewJSONHandler(sio.errOut, &slog.HandlerOptions{Level: cfg.LogLevel,
			ReplaceAttr: hideIDs(logKey(cfg))}))
		return serve(ctx, cfg, log)
	case "export":
		return export(ctx, cfg, sub, sio)
	case "import":
		return importData(ctx, cfg, sub, sio)
	case "deadletters":
		return deadLetters(ctx, cfg, sub, sio)
	case "demo-data":
		return demoData(ctx, cfg, sub, sio)
	case "chat":
		level := slog.LevelWarn
		if getenv("LOG_LEVEL") != "" {
			level = cfg.LogLevel
		}
		log := slog.New(slog.NewTextHandler(sio.errOut, &slog.HandlerOptions{Level: level}))
		return chat(ctx, cfg, log, sio)
	default:
		log := slog.New(slog.NewTextHandler(sio.errOut, &slog.HandlerOptions{Level: cfg.LogLevel}))
		return migrate(ctx, cfg, log)
	}
}
