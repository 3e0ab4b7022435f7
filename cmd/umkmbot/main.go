// Command umkmbot runs the UMKM bot of the Dinas Koperasi dan Usaha Mikro
// Kabupaten Tangerang: `serve` on Telegram, `chat` in the terminal, and
// `migrate` for the database. main only wires the process to run.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "umkmbot:", err)
		os.Exit(1)
	}
}
