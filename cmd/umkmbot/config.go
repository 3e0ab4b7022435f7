package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows/broadcast"
	rstore "github.com/diskum-tangerang/umkmbot/store/redis"
)

// config is everything umkmbot reads from its environment, parsed once.
type config struct {
	Token       string
	APIURL      string
	DatabaseURL string
	RedisURL    string
	RedisPrefix string
	// SendLimit bounds the replica's sends a second (SEND_LIMIT).
	SendLimit int
	// NoAutoPipeline sends each session script on its own round trip
	// (REDIS_AUTOPIPELINE=off).
	NoAutoPipeline bool
	// Replica names this replica among those sharing Redis (REPLICA_ID,
	// default the host name).
	Replica  string
	StaffIDs []int64
	// StaffGroup is the staff group's chat id (a supergroup with forum
	// topics) where owners' questions get a topic each; 0: none.
	StaffGroup int64
	Workers    int
	FloodBurst int
	FloodRate  float64
	LogLevel   slog.Level
	Shutdown   time.Duration
	// ConsentVersion names the privacy notice in force; consents record it.
	ConsentVersion string
	// BotUsername is the bot's @username, for deep links.
	BotUsername string
	// Rate is the outbox's global budget, messages per second.
	Rate int
	// QuietFrom and QuietTo bound the hours (WIB) when no broadcast starts.
	QuietFrom, QuietTo broadcast.TimeOfDay
	// RemindDayBefore and RemindSameDay are the times of day (from
	// midnight WIB) of the training reminders.
	RemindDayBefore, RemindSameDay time.Duration
	// OfferHold is how long a freed seat is held for the next on the
	// waitlist.
	OfferHold time.Duration
	// ListenAddr is the dashboard's HTTP listener; PublicURL is where
	// browsers reach it (the login links' base), by default
	// http://localhost and ListenAddr's port.
	ListenAddr string
	PublicURL  string
	// WebhookURL, when set, receives updates by webhook (WebhookSecret is
	// required then); else serve polls.
	WebhookURL    string
	WebhookSecret string
	// Pprof serves /debug/pprof/ on ListenAddr (PPROF=on).
	Pprof bool
	// LogSalt keys the hash that stands for a chat id in serve's log;
	// derived from the token when unset.
	LogSalt string

	// chat only
	User  int64
	Staff bool
	Lang  string
}

// setting is one configuration value: its variable, its flag and how to
// parse it.
type setting struct {
	env, flag, usage string
	parse            func(string) error
}

func (c *config) settings() []setting {
	str := func(p *string) func(string) error { return func(v string) error { *p = v; return nil } }
	return []setting{
		{"TELEGRAM_BOT_TOKEN", "", "token from @BotFather", str(&c.Token)},
		{"TELEGRAM_API_URL", "telegram-api-url", "Bot API server", func(v string) error {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return errors.New("must be an http(s) URL")
			}
			c.APIURL = strings.TrimRight(v, "/")
			return nil
		}},
		{"DATABASE_URL", "database-url", "PostgreSQL URL", func(v string) error {
			if _, err := url.Parse(v); err != nil || !strings.HasPrefix(v, "postgres") {
				return errors.New("must be a postgres:// URL")
			}
			c.DatabaseURL = v
			return nil
		}},
		{"REDIS_URL", "redis-url", "Redis URL: redis://, rediss://, redis+sentinel://, redis+cluster:// or a comma list of redis:// (a Cluster)", func(v string) error {
			if _, err := rstore.ParseURL(v); err != nil {
				// The parser's errors never hold the password.
				return fmt.Errorf("must be a redis:// URL (or a Sentinel or Cluster one, see README): %s", strings.TrimPrefix(err.Error(), "redis: "))
			}
			c.RedisURL = v
			return nil
		}},
		{"REDIS_PREFIX", "redis-prefix", "prefix of every Redis key", str(&c.RedisPrefix)},
		{"REDIS_AUTOPIPELINE", "redis-autopipeline", "on: the session scripts of chats handled at the same moment share one round trip (go-redis autopipelining); off: one round trip each", func(v string) error {
			switch strings.ToLower(v) {
			case "on", "":
				c.NoAutoPipeline = false
			case "off":
				c.NoAutoPipeline = true
			default:
				return fmt.Errorf("want on or off, got %q", v)
			}
			return nil
		}},
		{"REPLICA_ID", "replica-id", "this replica's name among those sharing Redis (default the host name; unique per replica, the same after a restart)", str(&c.Replica)},
		{"STAFF_IDS", "staff-ids", "Telegram user ids of staff, comma separated", func(v string) error {
			c.StaffIDs = nil
			for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
				id, err := strconv.ParseInt(f, 10, 64)
				if err != nil || id <= 0 {
					return fmt.Errorf("%q is not a Telegram user id", f)
				}
				c.StaffIDs = append(c.StaffIDs, id)
			}
			return nil
		}},
		{"STAFF_GROUP_ID", "staff-group-id", "chat id of the staff group (a supergroup with topics, e.g. -1001234567890) where owners' questions are answered", func(v string) error {
			id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil || id >= 0 {
				return errors.New("must be a group's chat id, a negative number such as -1001234567890")
			}
			c.StaffGroup = id
			return nil
		}},
		{"CONSENT_VERSION", "consent-version", "version of the privacy notice owners agree to", str(&c.ConsentVersion)},
		{"BOT_USERNAME", "bot-username", "the bot's @username, for deep links", func(v string) error {
			v = strings.TrimPrefix(v, "@")
			if v == "" || strings.ContainsAny(v, " /:") {
				return errors.New("must be a Telegram username such as umkm_tangerang_bot")
			}
			c.BotUsername = v
			return nil
		}},
		{"BROADCAST_RATE", "broadcast-rate", "messages per second for announcements and notices (all replicas together)", func(v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 30 {
				return errors.New("must be a number from 1 to 30 (Telegram allows about 30 per second)")
			}
			c.Rate = n
			return nil
		}},
		{"QUIET_HOURS", "quiet-hours", "WIB hours when no broadcast starts, e.g. 21.00-06.00, or off", func(v string) error {
			if strings.EqualFold(v, "off") {
				c.QuietFrom, c.QuietTo = broadcast.TimeOfDay{Hour: 12}, broadcast.TimeOfDay{Hour: 12}
				return nil
			}
			from, to, ok := strings.Cut(v, "-")
			f, err1 := parseClock(from)
			t, err2 := parseClock(to)
			if !ok || err1 != nil || err2 != nil {
				return errors.New("must look like 21.00-06.00, or be off")
			}
			c.QuietFrom = broadcast.TimeOfDay{Hour: int(f / time.Hour), Minute: int(f % time.Hour / time.Minute)}
			c.QuietTo = broadcast.TimeOfDay{Hour: int(t / time.Hour), Minute: int(t % time.Hour / time.Minute)}
			return nil
		}},
		{"REMINDER_DAY_BEFORE", "reminder-day-before", "WIB time of the reminder the day before a training", func(v string) error {
			d, err := parseClock(v)
			c.RemindDayBefore = d
			return err
		}},
		{"REMINDER_SAME_DAY", "reminder-same-day", "WIB time of the reminder on the training's day", func(v string) error {
			d, err := parseClock(v)
			c.RemindSameDay = d
			return err
		}},
		{"OFFER_HOLD", "offer-hold", "how long a freed seat waits for the next on the waitlist", func(v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < time.Minute {
				return errors.New("must be a duration of at least 1m, such as 24h")
			}
			c.OfferHold = d
			return nil
		}},
		{"LISTEN_ADDR", "listen-addr", "HTTP address of the staff dashboard", func(v string) error {
			if _, _, err := net.SplitHostPort(v); err != nil {
				return errors.New("must be host:port or :port, such as :8080")
			}
			c.ListenAddr = v
			return nil
		}},
		{"PUBLIC_URL", "public-url", "the dashboard's address as staff's browsers reach it, e.g. https://dasbor.example.go.id", func(v string) error {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" ||
				strings.Trim(u.Path, "/") != "" {
				// The dashboard's pages link from the root of the host.
				return errors.New("must be the http(s) address of a host, without a path, such as https://dasbor.example.go.id")
			}
			c.PublicURL = strings.TrimRight(v, "/")
			return nil
		}},
		{"WEBHOOK_URL", "webhook-url", "receive updates by webhook at this https address (behind a TLS proxy) instead of polling", func(v string) error {
			u, err := url.Parse(v)
			if err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || strings.Trim(u.Path, "/") == "" {
				// The path is where the listener serves the webhook, beside the dashboard.
				return errors.New("must be an https address with a path, such as https://bot.example.go.id/telegram")
			}
			c.WebhookURL = v
			return nil
		}},
		{"WEBHOOK_SECRET", "webhook-secret", "the secret Telegram sends with each webhook request (16 to 256 of A-Z a-z 0-9 _ -)", func(v string) error {
			if len(v) < 16 || len(v) > 256 || strings.Trim(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") != "" {
				return errors.New("must be 16 to 256 letters, digits, _ or -")
			}
			c.WebhookSecret = v
			return nil
		}},
		{"PPROF", "pprof", "on: serve Go's profiler at /debug/pprof/ on LISTEN_ADDR (keep that port private)", func(v string) error {
			switch strings.ToLower(v) {
			case "on", "true", "1":
				c.Pprof = true
			case "off", "false", "0":
				c.Pprof = false
			default:
				return errors.New("must be on or off")
			}
			return nil
		}},
		{"LOG_SALT", "log-salt", "secret that keys the hashed chat ids in the log (default: derived from the token)", func(v string) error {
			if len(v) < 16 {
				return errors.New("must be at least 16 characters")
			}
			c.LogSalt = v
			return nil
		}},
		{"SEND_LIMIT", "send-limit", "messages a second this replica sends at most, replies and announcements together (Telegram allows about 30 per bot; 0: no bound)", func(v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 1000 {
				return errors.New("must be a number from 0 to 1000")
			}
			c.SendLimit = n
			return nil
		}},
		{"WORKERS", "workers", "chats handled in parallel", func(v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 1024 {
				return errors.New("must be a number from 1 to 1024")
			}
			c.Workers = n
			return nil
		}},
		{"FLOOD_BURST", "flood-burst", "messages one chat may send at once before it is told to slow down", func(v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 10000 {
				return errors.New("must be a number from 1 to 10000")
			}
			c.FloodBurst = n
			return nil
		}},
		{"FLOOD_RATE", "flood-rate", "messages a second one chat may keep sending", func(v string) error {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f <= 0 || f > 1000 {
				return errors.New("must be a number above 0, such as 1 or 0.5")
			}
			c.FloodRate = f
			return nil
		}},
		{"LOG_LEVEL", "log-level", "debug, info, warn or error", func(v string) error {
			return c.LogLevel.UnmarshalText([]byte(v))
		}},
		{"SHUTDOWN_TIMEOUT", "shutdown-timeout", "time to finish updates in progress", func(v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return errors.New("must be a duration such as 20s")
			}
			c.Shutdown = d
			return nil
		}},
	}
}

// parseConfig reads the environment, then the flags of the command, which
// override it. A missing or malformed value gives one line naming the
// variable; the token is never printed.
func parseConfig(cmd string, args []string, getenv func(string) string, stderr io.Writer) (*config, error) {
	c := &config{APIURL: "https://api.telegram.org", RedisPrefix: "umkmbot:", Workers: 64,
		FloodBurst: 20, FloodRate: 1,
		LogLevel: slog.LevelInfo, Shutdown: 20 * time.Second, User: 1001, Lang: "id",
		ConsentVersion: "2026-11", BotUsername: "umkmbot", Rate: 25, SendLimit: 30,
		QuietFrom: broadcast.TimeOfDay{Hour: 21}, QuietTo: broadcast.TimeOfDay{Hour: 6},
		RemindDayBefore: 8 * time.Hour, RemindSameDay: 6 * time.Hour, OfferHold: 24 * time.Hour,
		ListenAddr: ":8080"}
	fs := flag.NewFlagSet("umkmbot "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	for _, s := range c.settings() {
		if v := getenv(s.env); v != "" {
			if err := s.parse(v); err != nil {
				return nil, fmt.Errorf("config: %s: %w", s.env, err)
			}
		}
		if s.flag != "" {
			fs.Func(s.flag, s.usage+" (env "+s.env+")", func(v string) error {
				if err := s.parse(v); err != nil {
					return fmt.Errorf("%s", err)
				}
				return nil
			})
		}
	}
	if cmd == "chat" {
		fs.Int64Var(&c.User, "user", c.User, "Telegram user id you play")
		fs.BoolVar(&c.Staff, "staff", false, "play a staff member of the Dinas")
		fs.StringVar(&c.Lang, "lang", c.Lang, "your client's language: id or en")
	}
	if err := fs.Parse(args); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("config: unexpected argument %q", fs.Arg(0))
	}
	if cmd == "chat" && getenv("QUIET_HOURS") == "" && !flagSet(fs, "quiet-hours") {
		// Trying the bot at night should still show an announcement going
		// out; serve keeps the quiet hours.
		c.QuietFrom, c.QuietTo = broadcast.TimeOfDay{Hour: 12}, broadcast.TimeOfDay{Hour: 12}
	}
	if c.PublicURL == "" {
		_, port, _ := net.SplitHostPort(c.ListenAddr)
		c.PublicURL = "http://localhost:" + port
	}
	if c.Lang != "id" && c.Lang != "en" {
		return nil, fmt.Errorf("config: --lang must be id or en")
	}
	switch cmd {
	case "serve":
		for _, req := range []struct{ name, val string }{
			{"TELEGRAM_BOT_TOKEN", c.Token}, {"DATABASE_URL", c.DatabaseURL}, {"REDIS_URL", c.RedisURL},
		} {
			if req.val == "" {
				return nil, fmt.Errorf("config: %s is not set", req.name)
			}
		}
		if c.WebhookURL != "" && c.WebhookSecret == "" {
			return nil, errors.New("config: WEBHOOK_SECRET is not set (required with WEBHOOK_URL)")
		}
		if !validToken(c.Token) {
			return nil, errors.New("config: TELEGRAM_BOT_TOKEN is malformed (expected 123456:ABC..., from @BotFather)")
		}
	case "deadletters":
		if c.RedisURL == "" {
			return nil, errors.New("config: REDIS_URL is not set")
		}
	case "migrate", "export", "import", "demo-data":
		if c.DatabaseURL == "" {
			return nil, errors.New("config: DATABASE_URL is not set")
		}
	}
	return c, nil
}

func validToken(t string) bool {
	id, secret, ok := strings.Cut(t, ":")
	if !ok || len(secret) < 20 {
		return false
	}
	_, err := strconv.ParseInt(id, 10, 64)
	return err == nil && !strings.ContainsAny(secret, " /\t\n")
}

// parseClock reads a time of day written the Indonesian way ("08.00") or
// with a colon ("8:00") as the time since midnight.
func parseClock(v string) (time.Duration, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(strings.ReplaceAll(v, ":", ".")), ".")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, errors.New("must be a time of day such as 08.00")
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, nil
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
