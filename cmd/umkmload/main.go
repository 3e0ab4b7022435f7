// Command umkmload drives umkmbot from the outside, through the Telegram Bot
// API protocol only: it serves the fake Bot API of bot/telegramtest on a
// loopback port, runs `umkmbot serve` as a child process pointed at it
// (with a scratch Postgres database and a fresh Redis key prefix), and plays
// business owners and staff who talk to it: they read the bot's messages
// and buttons and answer each question once, as it is asked.
//
//	umkmload faults     owners register while the bot is SIGKILLed and
//	                    restarted; then every stored registration is
//	                    checked against what its owner typed
//	umkmload load       closed-loop owners for a while, playing a script:
//	                    registration (a new business each time), training
//	                    (book a seat, cancel it) or loan (link and check a
//	                    loan); updates/s, latency percentiles and the bot's
//	                    CPU per update
//	umkmload broadcast  a staff member sends /siaran to seeded owners while
//	                    the fake answers 429 above Telegram's global and
//	                    per-chat limits; recipients reached, missing and
//	                    doubled, the achieved rate, 429s and CPU
//
// What the training, loan and broadcast runs need (registered owners, a
// training, loans) is seeded into the scratch database with plain SQL, row
// for row as the bot writes it. The registration is read by its own checker
// (Conv); the other conversations by rules on buttons and text fragments
// (PlayScript).
//
// It is a development tool: nothing in the bot imports it, and it may import
// bot/telegramtest, flows/field (reference data and parsers for its own
// tests), pgx and go-redis.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `umkmload — fault, load and broadcast driver for umkmbot (talks only the Bot API protocol)

Usage:
  umkmload faults [flags]     owners register while the bot is killed with SIGKILL and restarted;
                              checks that every registration completes, none is stored twice, and
                              every stored value is what its owner typed
                                umkmload faults --owners 100 --kills 5
  umkmload load [flags]       closed-loop owners play --script for --duration; reports updates/s,
                              p50/p90/p99 latency and the bot's CPU per update
                                umkmload load --script registration --owners 100 --duration 30s
                                umkmload load --script training --owners 100 --duration 30s
                                umkmload load --script loan --owners 100 --duration 30s
  umkmload broadcast [flags]  a staff member broadcasts to --owners seeded owners at --rate through a fake
                              that answers 429 above --limit-global/s and --limit-chat/s per chat;
                              reports recipients reached, missing and doubled, the achieved rate, 429s,
                              per-chat violations, progress edits and CPU (--chatting K: owners chat meanwhile)
                                umkmload broadcast --owners 2000 --rate 30
                                umkmload broadcast --owners 600 --rate 30 --chatting 50 --think 2s

Run from the repository (the bot is built from ./cmd/umkmbot) or pass --bot PATH.
"umkmload <mode> -h" lists the flags. Exit status: 0 pass, 1 the run failed its checks (broadcast: a
recipient missing or doubled), 2 the run could not be set up.`

// errFailed marks a run that went through but failed its checks.
var errFailed = errors.New("run failed its checks")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil:
	case errors.Is(err, errFailed):
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "umkmload:", err)
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	if len(args) == 0 {
		return errors.New("no mode given\n\n" + usage)
	}
	switch args[0] {
	case "faults":
		return runFaults(ctx, args[1:], out, errOut)
	case "load":
		return runLoad(ctx, args[1:], out, errOut)
	case "broadcast":
		return runBroadcast(ctx, args[1:], out, errOut)
	case "help", "-h", "--help":
		fmt.Fprintln(out, usage)
		return nil
	}
	return fmt.Errorf("unknown mode %q (faults, load, broadcast)\n\n%s", args[0], usage)
}
