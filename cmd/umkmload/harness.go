package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/diskum-tangerang/umkmbot/bot/telegramtest"
)

// common are the flags every mode has.
type common struct {
	owners   int
	bot      string
	dbURL    string
	redisURL string
	timeout  time.Duration
	seed     uint64
	keep     bool
	workers  int
	verbose  bool
	listen   string
	userBase int64
	botLog   string
	think    time.Duration
	// env are more of the bot's environment variables, set by a mode.
	env map[string]string
}

func (c *common) register(fs *flag.FlagSet, owners int, timeout time.Duration) {
	fs.IntVar(&c.owners, "owners", owners, "owners registering at the same time")
	fs.StringVar(&c.bot, "bot", "", "umkmbot binary to run (default: build ./cmd/umkmbot into a temporary directory)")
	fs.StringVar(&c.dbURL, "database-url", envOr("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"),
		"Postgres server (a scratch database umkmload_<random> is created on it and dropped at the end)")
	fs.StringVar(&c.redisURL, "redis-url", envOr("REDIS_URL", "redis://127.0.0.1:6379/0"),
		"Redis (the bot gets a fresh key prefix; only its keys are deleted at the end)")
	fs.DurationVar(&c.timeout, "timeout", timeout, "how long an owner waits for the bot's next message before it counts as stuck")
	fs.Uint64Var(&c.seed, "seed", 0, "seed of the owners' data and the fault timing (default: random, printed)")
	fs.BoolVar(&c.keep, "keep", false, "keep the scratch database, the Redis keys and the bot's log")
	fs.IntVar(&c.workers, "workers", 0, "the bot's WORKERS (default: the bot's own)")
	fs.BoolVar(&c.verbose, "v", false, "log every question and answer")
	fs.StringVar(&c.listen, "listen", "127.0.0.1:0", "address of the fake Bot API")
	fs.Int64Var(&c.userBase, "user-base", 700_000_000, "Telegram user id of the first owner")
	fs.DurationVar(&c.think, "think", 0, "how long an owner takes before each answer (0: at once, a closed loop)")
	fs.StringVar(&c.botLog, "bot-log", "", "write the bot's output here (default: a file in the temporary directory)")
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// Harness is what a run needs: the fake Bot API, the bot process, its
// database and Redis prefix.
type Harness struct {
	c       common
	out     io.Writer
	Fake    *telegramtest.Listener
	Inbox   *telegramtest.Inbox
	Bot     *BotProc
	Scratch *Scratch
	Prefix  string
	Dir     string
	LogPath string
	Rand    *rand.Rand
	// Failed keeps the bot's log after Close.
	Failed  bool
	logFile *os.File
}

// setup prepares a run: seed, scratch database, bot binary (built once),
// migrations, the fake on a TCP port. Close undoes it.
func setup(ctx context.Context, c common, out io.Writer) (h *Harness, err error) {
	if c.seed == 0 {
		c.seed = rand.Uint64() >> 12
	}
	h = &Harness{c: c, out: out, Rand: rand.New(rand.NewPCG(c.seed, c.seed^0x9e3779b97f4a7c15))}
	defer func() {
		if err != nil {
			h.Close()
			h = nil
		}
	}()
	if err := pingRedis(ctx, c.redisURL); err != nil {
		return h, err
	}
	if h.Dir, err = os.MkdirTemp("", "umkmload-"); err != nil {
		return h, err
	}
	h.LogPath = cmpOr(c.botLog, filepath.Join(h.Dir, "bot.log"))
	if h.logFile, err = os.Create(h.LogPath); err != nil {
		return h, err
	}
	path := c.bot
	if path == "" {
		fmt.Fprintln(out, "building umkmbot …")
		if path, err = buildBot(ctx, h.Dir, out); err != nil {
			return h, err
		}
	}
	if h.Scratch, err = NewScratch(ctx, c.dbURL); err != nil {
		return h, err
	}
	h.Prefix = "umkmload:" + randomName(8) + ":"
	if h.Fake, err = telegramtest.Listen(c.listen); err != nil {
		return h, err
	}
	h.Fake.SetMaxWait(2 * time.Second)
	h.Inbox = h.Fake.Inbox()
	vars := map[string]string{
		"TELEGRAM_BOT_TOKEN": "123456:umkmload-" + randomName(20),
		"TELEGRAM_API_URL":   h.Fake.URL,
		"DATABASE_URL":       h.Scratch.URL,
		"REDIS_URL":          c.redisURL,
		"REDIS_PREFIX":       h.Prefix,
		"STAFF_IDS":          "",
		"LOG_LEVEL":          "warn",
		// The played owners answer as fast as the bot replies, faster than
		// people type: the flood guard would take them for a flood.
		"FLOOD_BURST": "10000",
		"FLOOD_RATE":  "1000",
		"LISTEN_ADDR": "127.0.0.1:0",
		// The fake has no send limits unless a mode sets them (broadcast):
		// the bot's own bound of Telegram's 30 a second would measure
		// nothing but itself.
		"SEND_LIMIT": "0",
	}
	if c.workers > 0 {
		vars["WORKERS"] = strconv.Itoa(c.workers)
	}
	for k, v := range c.env {
		vars[k] = v
	}
	env := childEnv(vars)
	if err := runOnce(ctx, path, env, h.logFile, "migrate"); err != nil {
		return h, fmt.Errorf("%w (log: %s)", err, h.LogPath)
	}
	h.Bot = &BotProc{Path: path, Env: env, Log: h.logFile}
	fmt.Fprintf(out, "seed %d · fake Bot API %s · database %s · redis prefix %s · bot log %s\n",
		c.seed, h.Fake.URL, h.Scratch.Name, h.Prefix, h.LogPath)
	return h, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// StartBot starts a bot process and waits until it polls the fake.
func (h *Harness) StartBot(ctx context.Context) error {
	before := h.Fake.Count("getUpdates")
	if err := h.Bot.Start(); err != nil {
		return err
	}
	deadline := time.Now().Add(60 * time.Second)
	for h.Fake.WaitCount("getUpdates", before+1, 100*time.Millisecond) <= before {
		select {
		case <-h.Bot.Exited():
			return fmt.Errorf("bot exited at start (log: %s)", h.LogPath)
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("bot did not poll within a minute (log: %s)", h.LogPath)
		}
	}
	return nil
}

// Owners generates the run's owners.
func (h *Harness) Owners(n int, first int) []*Owner {
	now := time.Now().In(time.FixedZone("WIB", 7*3600))
	out := make([]*Owner, n)
	for i := range out {
		out[i] = NewOwner(h.Rand, first+i, h.c.userBase+int64(first+i), now)
	}
	return out
}

// Close stops a bot still running (a run cut short), the fake and, unless
// --keep, drops the database and deletes the Redis keys and the temporary
// directory.
func (h *Harness) Close() {
	if h.Bot != nil && h.Bot.Running() {
		_ = h.Bot.Stop(10 * time.Second)
	}
	if h.Inbox != nil {
		h.Inbox.Close()
	}
	if h.Fake != nil {
		_ = h.Fake.Close(2 * time.Second)
	}
	if h.logFile != nil {
		_ = h.logFile.Close()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if h.c.keep {
		if h.Scratch != nil {
			fmt.Fprintf(h.out, "kept: database %s, redis keys %s*, %s\n", h.Scratch.URL, h.Prefix, h.Dir)
		}
		return
	}
	if h.Scratch != nil {
		if err := h.Scratch.Drop(ctx); err != nil {
			fmt.Fprintln(h.out, "cleanup:", err)
		}
	}
	if h.Prefix != "" {
		if _, err := deletePrefix(ctx, h.c.redisURL, h.Prefix); err != nil {
			fmt.Fprintln(h.out, "cleanup: redis:", err)
		}
	}
	if h.Dir != "" && h.c.botLog == "" {
		if h.Failed {
			_ = os.Remove(filepath.Join(h.Dir, "umkmbot")) // built here, if it was
			fmt.Fprintf(h.out, "bot log kept: %s\n", h.LogPath)
			return
		}
		_ = os.RemoveAll(h.Dir)
	}
}
