package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	rstore "github.com/diskum-tangerang/umkmbot/store/redis"
)

// await calls open until it succeeds. With wait unset it calls once. With
// wait set a dependency that does not answer yet is waited for, backing off
// up to 30 s and logging what is awaited; a malformed URL ends it at once,
// and so does ctx.
func await[T any](ctx context.Context, log *slog.Logger, wait bool, what string, open func() (T, error)) (T, error) {
	delay := 500 * time.Millisecond
	for {
		v, err := open()
		if err == nil || !wait || malformed(err) || ctx.Err() != nil {
			return v, err
		}
		log.Warn("waiting for "+what, "err", err.Error(), "retry_in", delay.String())
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return v, fmt.Errorf("stopped while waiting for %s: %w", what, err)
		}
		delay = min(delay*2, 30*time.Second)
	}
}

// malformed tells a configuration error, which waiting cannot fix.
func malformed(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "does not parse") || strings.Contains(msg, "invalid URL") ||
		strings.Contains(msg, "parse URL")
}

// deadLetters lists the updates the intake could not decode and skipped,
// newest first: id, type, when and why (never their text).
func deadLetters(ctx context.Context, cfg *config, args []string, sio stdio) error {
	n := 50
	if len(args) > 1 {
		return fmt.Errorf("deadletters: at most one argument, the number to list")
	}
	if len(args) == 1 {
		v, err := strconv.Atoi(args[0])
		if err != nil || v < 1 {
			return fmt.Errorf("deadletters: %q is not a positive number", args[0])
		}
		n = v
	}
	rdb, err := rstore.NewClient(ctx, cfg.RedisURL)
	if err != nil {
		return err
	}
	defer rdb.Close()
	list, err := rstore.NewIngest(rdb, cfg.RedisPrefix, "bot").DeadLetters(ctx, n)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(sio.out, "no dead letters")
		return nil
	}
	w := tabwriter.NewWriter(sio.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "UPDATE_ID\tTYPE\tAT (WIB)\tREASON")
	wib := time.FixedZone("WIB", 7*3600)
	for _, d := range list {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", d.UpdateID, d.Type, d.At.In(wib).Format("2006-01-02 15:04:05"), d.Reason)
	}
	return w.Flush()
}
