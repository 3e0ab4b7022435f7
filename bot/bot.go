// Package bot is the Telegram transport of umkmbot and the only package that
// imports go-telegram/bot (as tg). It long-polls the Bot API, turns each
// models.Update into a flows.Update, runs it through the conversation engine
// one chat at a time (different chats in parallel), and renders every
// flows.Reply into one Bot API call. It also exports Send for the outbox.
// cmd/umkmbot wires it; flows and store never import it.
//
// Delivery: the library's update channel is unbuffered, so the poller asks
// for the next batch only after every update of the current one has entered
// the per-chat serializer. On shutdown polling stops, the serializer drains
// with detached contexts, and updates that were fetched but not handed over
// are not confirmed to Telegram, which delivers them again after a restart.
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
	"sync/atomic"
	"time"

	tg "github.com/go-telegram/bot"
	tgm "github.com/go-telegram/bot/models"

	"github.com/diskum-tangerang/umkmbot/flows"
)

// Handler is the conversation engine (flows.Engine satisfies it).
type Handler interface {
	Handle(ctx context.Context, u flows.Update) []flows.Reply
}

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
	// Workers is the number of serializer shards: chats that can be handled
	// at the same time (default 16).
	Workers int
	// QueueSize bounds each shard's queue (default 64); a full queue holds
	// polling back.
	QueueSize int
	Log       *slog.Logger
	// PollTimeout is the long-poll timeout (default 30 s).
	PollTimeout time.Duration
	// HTTPTimeout bounds every HTTP call, the long poll included; it is
	// raised to PollTimeout+15 s when not above PollTimeout (default).
	HTTPTimeout time.Duration
	// HandleTimeout bounds the handling of one update (default 30 s).
	HandleTimeout time.Duration
	// MaxRetryWait is the longest retry_after a reply waits for before its
	// single retry (default 30 s); a longer one drops the reply.
	MaxRetryWait time.Duration
	// Commands holds the command menu per language code. DefaultLang's list
	// is set for every language (no language_code), the others for their
	// own language_code.
	Commands map[string][]Command
	// DefaultLang is the language of the default command menu (default "id").
	DefaultLang string
}

func (c Config) withDefaults() Config {
	c.APIURL = strings.TrimRight(cmp.Or(c.APIURL, "https://api.telegram.org"), "/")
	c.Workers = cmp.Or(max(c.Workers, 0), 16)
	c.QueueSize = cmp.Or(max(c.QueueSize, 0), 64)
	if c.Log == nil {
		c.Log = slog.Default()
	}
	c.PollTimeout = cmp.Or(c.PollTimeout, 30*time.Second)
	if c.PollTimeout < 2*time.Second {
		c.PollTimeout = 2 * time.Second // the library sends timeout = PollTimeout-1s
	}
	if c.HTTPTimeout <= c.PollTimeout {
		c.HTTPTimeout = c.PollTimeout + 15*time.Second
	}
	c.HandleTimeout = cmp.Or(c.HandleTimeout, 30*time.Second)
	c.MaxRetryWait = cmp.Or(c.MaxRetryWait, 30*time.Second)
	c.DefaultLang = cmp.Or(c.DefaultLang, "id")
	return c
}

// Bot is the Telegram adapter. Run polls; Send may be used with or without
// Run, from any goroutine.
type Bot struct {
	cfg     Config
	log     *slog.Logger
	api     *tg.Bot
	h       Handler
	r       Renderer
	ser     *serializer
	running atomic.Bool
}

// New builds the adapter without touching the network. h may be nil when the
// Bot is only used to Send.
func New(cfg Config, h Handler, r Renderer) (*Bot, error) {
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("bot: empty token")
	}
	if r == nil {
		return nil, errors.New("bot: nil renderer")
	}
	cfg = cfg.withDefaults()
	b := &Bot{cfg: cfg, log: cfg.Log, h: h, r: r}
	api, err := tg.New(cfg.Token,
		tg.WithServerURL(cfg.APIURL),
		tg.WithSkipGetMe(),
		tg.WithHTTPClient(cfg.PollTimeout, newHTTPClient(cfg)),
		tg.WithNotAsyncHandlers(),
		tg.WithWorkers(1),
		tg.WithUpdatesChannelCap(0),
		tg.WithAllowedUpdates(tg.AllowedUpdates{tgm.AllowedUpdateMessage, tgm.AllowedUpdateCallbackQuery}),
		tg.WithMiddlewares(b.serialize, b.recover),
		tg.WithDefaultHandler(b.handle),
		tg.WithErrorsHandler(b.libError),
	)
	if err != nil {
		return nil, fmt.Errorf("bot: %w", err)
	}
	b.api = api
	return b, nil
}

// Run deletes any webhook, sets the command menus, and long-polls until ctx
// is cancelled. It then stops polling, finishes every update already taken
// in, and returns nil. It fails only if the webhook cannot be deleted.
func (b *Bot) Run(ctx context.Context) error {
	if b.h == nil {
		return errors.New("bot: Run without a handler")
	}
	if !b.running.CompareAndSwap(false, true) {
		return errors.New("bot: Run called twice")
	}
	// Polling gets 409 Conflict forever while a webhook is set.
	if _, err := b.api.DeleteWebhook(ctx, &tg.DeleteWebhookParams{}); err != nil {
		return fmt.Errorf("bot: delete webhook: %w", err)
	}
	b.setCommands(ctx)
	b.ser = newSerializer(b.cfg.Workers, b.cfg.QueueSize)
	b.log.Info("telegram polling started", "shards", b.cfg.Workers)
	b.api.Start(ctx) // returns when ctx is done and the worker has handed over its last update
	b.ser.close()
	b.log.Info("telegram polling stopped")
	return nil
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
		if _, err := b.api.SetMyCommands(ctx, p); err != nil {
			b.log.Warn("set bot commands failed", "lang", lang, "err", err)
		}
	}
}

// libError logs the library's own errors (the polling loop), without any
// response body, which may hold user messages.
func (b *Bot) libError(err error) {
	b.log.Warn("telegram polling error", "err", redact(err))
}
