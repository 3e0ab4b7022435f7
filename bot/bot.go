// Package bot is the Telegram transport of umkmbot and the only package that
// imports go-telegram/bot (as tg). It runs the intake, turns each update into
// a flows.Update for the conversation engine, and renders every flows.Reply
// into Bot API calls; it also exports Send for the outbox. cmd/umkmbot wires
// it; flows and store never import it.
//
// The intake (intake.go, sched.go, work.go) keeps three promises:
//
//   - Nothing is confirmed to Telegram before it is recorded: the bot polls
//     getUpdates itself, decodes each update on its own (one that does not
//     decode becomes a dead letter, and its sender is told the message could
//     not be read), records the batch in the ingest (store.IngestStore) and
//     only then asks for the next offset.
//   - Nothing is acknowledged before its replies are on record: a worker
//     hands the update to the engine, whose commit keeps the replies owed
//     with the session; it sends them (429: waits retry_after; 5xx and
//     network errors: backs off and retries; 400 and 403: gives up, logged
//     and counted), settles them, and then acknowledges the record. At start
//     the replies still owed go out first, then the updates recorded but not
//     acknowledged, in order per chat.
//   - One chat at a time, chats in parallel: updates wait in a per-chat queue
//     and a pool of workers takes ready chats, so a chat waiting on Postgres
//     or Telegram holds up only itself. A chat that floods the bot beyond
//     FloodBurst updates at FloodRate per second is told once to slow down,
//     and its excess is dropped and counted.
package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tg "github.com/go-telegram/bot"
	tgm "github.com/go-telegram/bot/models"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Renderer renders localised text (locales.Catalog satisfies it).
type Renderer interface {
	// Render returns HTML for parse_mode=HTML, data values already escaped.
	Render(lang string, t flows.Text) string
	// Label returns plain text, for button labels and callback toasts.
	Label(lang string, t flows.Text) string
}

// Command is one entry of the bot's command menu.
type Command struct {
	Name        string // without the slash
	Description string
}

// Config configures the adapter. Zero values get the defaults noted.
type Config struct {
	Token string
	// APIURL is the Bot API base URL (default "https://api.telegram.org").
	APIURL string
	// Ingest is the durable record of updates; Run needs it.
	Ingest store.IngestStore
	// Budget, when set, is the send budget the bot shares with the
	// proactive messages (the outbox): every reply delivered is counted in
	// it, and a 429 pauses it.
	Budget store.SendBudget
	// SendLimit bounds this process's sends (replies and proactive
	// messages together) to SendLimit in any second and a little
	// (store.GrantInterval's slack); 0: no bound. serve sets Telegram's 30
	// (SEND_LIMIT).
	SendLimit int
	// Replica names this process among the replicas sharing Ingest when it
	// is a store.Partitioned (replicas.go); unique per live replica and
	// the same after a restart, so that a restarted replica takes back its
	// own leases at once. Empty: this process handles every chat alone.
	Replica string
	// Workers is how many chats are handled at the same time (default 64).
	Workers int
	// MaxInFlight bounds the updates read from the ingest and not yet
	// handled (default 1024); past it reading waits.
	MaxInFlight int
	// FloodBurst and FloodRate bound what one chat may send: a burst of
	// FloodBurst updates, then FloodRate a second (defaults 20 and 1).
	FloodBurst int
	FloodRate  float64
	Log        *slog.Logger
	// PollTimeout is the long-poll timeout (default 30 s).
	PollTimeout time.Duration
	// HTTPTimeout bounds every HTTP call, the long poll included; it is
	// raised to PollTimeout+15 s when not above PollTimeout (default).
	HTTPTimeout time.Duration
	// HandleTimeout bounds the engine's handling of one update (default
	// 30 s); at shutdown, work in progress gets as long to finish.
	HandleTimeout time.Duration
	// DeliverTimeout is how long a reply is retried (429, 5xx, network)
	// before it is given up as lost (default 10 min).
	DeliverTimeout time.Duration
	// RetryFor is how long an update that failed because a store did not
	// answer is tried again before the user gets the apology (default 1 min).
	RetryFor time.Duration
	// Commands holds the command menu per language code. DefaultLang's list
	// is set for every language (no language_code), the others for their
	// own language_code.
	Commands map[string][]Command
	// DefaultLang is the language of the default command menu (default "id").
	DefaultLang string
	// WebhookURL, when set, makes Run register a webhook there (with
	// WebhookSecret as its secret token) instead of polling; the handler
	// is Bot.Webhook, served by the caller at WebhookURL's path.
	WebhookURL    string
	WebhookSecret string
	// Metrics, when set, is told of updates, Bot API calls and lost
	// replies (metrics.go).
	Metrics Metrics
	// StaffGroup is the staff group's chat id (a supergroup with forum
	// topics); its messages go to the engine marked Group, with their
	// topic. The bot leaves every other group or channel. 0: no group.
	StaffGroup int64
	// Topics keeps the forum topics that replies with a Topic key go to;
	// nil sends such replies to the group's general topic.
	Topics Topics
}

func (c Config) withDefaults() Config {
	c.APIURL = strings.TrimRight(cmp.Or(c.APIURL, "https://api.telegram.org"), "/")
	c.Workers = cmp.Or(max(c.Workers, 0), 64)
	c.MaxInFlight = cmp.Or(max(c.MaxInFlight, 0), 1024)
	c.FloodBurst = cmp.Or(max(c.FloodBurst, 0), 20)
	c.FloodRate = cmp.Or(max(c.FloodRate, 0), 1)
	if c.Log == nil {
		c.Log = slog.Default()
	}
	c.PollTimeout = cmp.Or(c.PollTimeout, 30*time.Second)
	if c.PollTimeout < 2*time.Second {
		c.PollTimeout = 2 * time.Second
	}
	if c.HTTPTimeout <= c.PollTimeout {
		c.HTTPTimeout = c.PollTimeout + 15*time.Second
	}
	c.HandleTimeout = cmp.Or(c.HandleTimeout, 30*time.Second)
	c.DeliverTimeout = cmp.Or(c.DeliverTimeout, 10*time.Minute)
	c.RetryFor = cmp.Or(c.RetryFor, time.Minute)
	c.DefaultLang = cmp.Or(c.DefaultLang, "id")
	return c
}

// Handler is the conversation engine (flows.Engine satisfies it).
type Handler interface {
	// Process handles one update; its replies are on record as owed.
	Process(ctx context.Context, u flows.Update) flows.Outcome
	// Settle records that outcomes' replies were sent (or lost), at once.
	Settle(ctx context.Context, ss ...flows.Settlement) error
	// OwedChats and Flush find the replies still owed at start.
	OwedChats(ctx context.Context) ([]int64, error)
	Flush(ctx context.Context, chatID int64) (flows.Outcome, error)
}

// Bot is the Telegram adapter. Run takes updates in; Send may be used with
// or without Run, from any goroutine.
type Bot struct {
	cfg     Config
	log     *slog.Logger
	api     *tg.Bot
	http    tg.HttpClient
	h       Handler
	r       Renderer
	stats   Stats
	running atomic.Bool
	// lastOK is when a Bot API call last succeeded, in Unix nanoseconds.
	lastOK atomic.Int64
	// settle takes the workers' finished updates to the settler (intake.go).
	settle chan settleReq
	// decoded holds the updates the poller decoded, by update id, so that
	// a worker does not decode them again.
	decoded sync.Map
	// spent collects the chats of delivered replies for Budget.
	spent spentQueue
	// window is SendLimit's window (nil: none).
	window *sendWindow
	// hook is what the webhook handler needs of Run.
	hook webhookState
	// retryWait, when set (tests), is told each wait before a retried call.
	retryWait func(time.Duration)
	// stopped, when set (tests), is closed once Run stops handing out work.
	stopped chan struct{}
	// topicMu serializes the creation of forum topics (group.go).
	topicMu sync.Mutex
}

// New builds the adapter without touching the network. h may be nil when the
// Bot is only used to Send.
func New(cfg Config, h Handler, r Renderer) (*Bot, error) {
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("bot: empty token")
	}
	if cfg.WebhookURL != "" && len(cfg.WebhookSecret) < 16 {
		return nil, errors.New("bot: a webhook needs a secret of at least 16 characters")
	}
	if r == nil {
		return nil, errors.New("bot: nil renderer")
	}
	cfg = cfg.withDefaults()
	b := &Bot{cfg: cfg, log: cfg.Log, h: h, r: r, http: newHTTPClient(cfg)}
	b.hook.serving = make(chan struct{})
	if cfg.Budget != nil {
		b.spent.kick = make(chan struct{}, 1)
	}
	b.window = newSendWindow(cfg.SendLimit, time.Second+sendSlack)
	api, err := tg.New(cfg.Token,
		tg.WithServerURL(cfg.APIURL),
		tg.WithSkipGetMe(),
		tg.WithHTTPClient(cfg.PollTimeout, b.http),
		tg.WithErrorsHandler(b.libError),
	)
	if err != nil {
		return nil, fmt.Errorf("bot: %w", err)
	}
	b.api = api
	return b, nil
}

// setCommands publishes the command menus; a failure only costs the menu,
// so it is logged, not fatal.
func (b *Bot) setCommands(ctx context.Context) {
	for _, lang := range slices.Sorted(maps.Keys(b.cfg.Commands)) {
		p := &tg.SetMyCommandsParams{Scope: &tgm.BotCommandScopeDefault{}}
		if lang != b.cfg.DefaultLang {
			p.LanguageCode = lang
		}
		for _, c := range b.cfg.Commands[lang] {
			p.Commands = append(p.Commands, tgm.BotCommand{Command: c.Name, Description: c.Description})
		}
		_, err := b.api.SetMyCommands(ctx, p)
		b.apiResult("setMyCommands", err)
		if err != nil {
			b.log.Warn("set bot commands failed", "lang", lang, "err", err)
		}
	}
}

// libError logs the library's own errors, without any response body,
// which may hold user messages.
func (b *Bot) libError(err error) {
	b.log.Warn("telegram polling error", "err", redact(err))
}
