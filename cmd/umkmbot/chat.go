package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/diskum-tangerang/umkmbot/bot/outbox"
	"github.com/diskum-tangerang/umkmbot/flows"
)

// terminal is the chat transport: it plays one user at a time against the
// engine and prints what the bot says.
type terminal struct {
	a           *app
	out         io.Writer
	interactive bool
	user        int64
	lang        string
	nextUpd     int64
	buttons     map[int64][]flows.Button // latest buttons per chat
	docDir      string
	sender      *outbox.Sender
	nextMsg     int
}

// noLimit is the terminal's rate limiter: a terminal has no Telegram
// limits to respect.
type noLimit struct{}

func (noLimit) Wait(context.Context, int64) error          { return nil }
func (noLimit) Pause(context.Context, time.Duration) error { return nil }
func (noLimit) Spent(context.Context, []int64) error       { return nil }

func chat(ctx context.Context, cfg *config, log *slog.Logger, sio stdio) error {
	a, err := newApp(ctx, cfg, log, false)
	if err != nil {
		return err
	}
	defer a.close()
	if cfg.Staff {
		cfg.StaffIDs = append(cfg.StaffIDs, cfg.User)
	}
	if cfg.DatabaseURL == "" {
		// The demo data goes to the memory stores only, never into a
		// database (a.mem also holds the sessions when only Redis is
		// missing).
		if err := seedDemo(ctx, a); err != nil {
			return err
		}
	}
	ln, err := a.listenDashboard()
	if err != nil {
		return err
	}
	if ln != nil {
		dctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			if err := a.serveDashboard(dctx, ln); err != nil {
				log.Error("dashboard", "err", err)
			}
		}()
		defer func() { stop(); <-done }()
		fmt.Fprintf(sio.errOut, "Dasbor Dinas: %s — sebagai petugas (--staff), ketik /dasbor untuk tautan masuk.\n", cfg.PublicURL)
	}
	t := &terminal{a: a, out: sio.out, user: cfg.User, lang: cfg.Lang, nextUpd: 1,
		buttons: map[int64][]flows.Button{}}
	a.limiter = noLimit{}
	t.sender = a.sender(t, "terminal")
	if f, ok := sio.in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		t.interactive = true
	}
	banner(sio.errOut, a, cfg)
	sc := bufio.NewScanner(sio.in)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for {
		if t.interactive {
			fmt.Fprintf(t.out, "\n[%d] > ", t.user)
		}
		if !sc.Scan() {
			break
		}
		if ctx.Err() != nil {
			return nil
		}
		t.line(ctx, sc.Text())
	}
	return sc.Err()
}

func banner(w io.Writer, a *app, cfg *config) {
	mode := "data demo di memori (hilang saat keluar)"
	if cfg.DatabaseURL != "" {
		mode = "data di PostgreSQL/Redis sesuai DATABASE_URL/REDIS_URL"
	}
	role := "pemilik usaha"
	if cfg.Staff {
		role = "petugas Dinas"
	}
	fmt.Fprintf(w, "umkmbot chat — %s. Anda: pengguna %d (%s). Ketik /start untuk mulai; [n] menekan tombol n; @ID teks berganti pengguna; !kontak 0812… membagikan nomor; Ctrl-D keluar.\n", mode, cfg.User, role)
}

// line runs one line of the script or of the keyboard.
func (t *terminal) line(ctx context.Context, raw string) {
	line := strings.TrimSpace(raw)
	if line == "" || strings.HasPrefix(line, "#") {
		return
	}
	if strings.HasPrefix(line, "@") {
		head, rest, _ := strings.Cut(line[1:], " ")
		id, err := strconv.ParseInt(head, 10, 64)
		if err != nil || id <= 0 {
			fmt.Fprintln(t.out, "(tidak dimengerti: tulis @ID lalu teks, misalnya @1002 /start)")
			return
		}
		t.user = id
		if line = strings.TrimSpace(rest); line == "" {
			return
		}
	}
	if !t.interactive {
		fmt.Fprintf(t.out, "\n[%d] > %s\n", t.user, line)
	}
	u := flows.Update{UserID: t.user, ChatID: t.user, FirstName: "Demo", LanguageCode: t.lang}
	switch {
	case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
		n, err := strconv.Atoi(strings.TrimSpace(line[1 : len(line)-1]))
		bs := t.buttons[t.user]
		if err != nil || n < 1 || n > len(bs) {
			fmt.Fprintf(t.out, "(tidak ada tombol %s; pesan terakhir punya %d tombol)\n", line, len(bs))
			return
		}
		if bs[n-1].URL != "" {
			fmt.Fprintf(t.out, "(tautan: %s)\n", bs[n-1].URL)
			return
		}
		u.Kind, u.Button = flows.KindButton, bs[n-1].Data
	case strings.HasPrefix(strings.ToLower(line), "!kontak"):
		u.Kind = flows.KindContact
		u.Contact = &flows.Contact{Phone: strings.TrimSpace(line[len("!kontak"):]), UserID: t.user}
	default:
		u = flows.NewText(t.user, t.user, line)
		u.FirstName, u.LanguageCode = "Demo", t.lang
	}
	t.nextUpd++
	u.ID = t.nextUpd
	for _, r := range t.a.engine.Handle(ctx, u) {
		t.print(u.ChatID, r)
	}
	t.deliver(ctx)
}

// deliver queues due reminders and sends what the outbox holds, so that
// proactive messages show up right after the line that caused them.
func (t *terminal) deliver(ctx context.Context) {
	t.a.tick(ctx, time.Now())
	if _, err := t.sender.Drain(ctx); err != nil && ctx.Err() == nil {
		t.a.log.Error("outbox", "err", err)
	}
}

// Send delivers a proactive message (outbox.Transport).
func (t *terminal) Send(_ context.Context, chatID int64, r flows.Reply) (int, error) {
	if r.Edit != 0 {
		t.print(chatID, r)
		return r.Edit, nil
	}
	t.print(chatID, r)
	t.nextMsg++
	return t.nextMsg, nil
}

func (t *terminal) print(chat int64, r flows.Reply) {
	to := r.To
	if to == 0 {
		to = chat
	}
	text := t.a.catalog.Plain(r.Lang, r.Text)
	if r.Media != nil {
		text = strings.TrimSpace("(" + r.Media.Kind + " " + r.Media.FileID + ") " + text)
	}
	if to != t.user {
		tag := "[ke " + strconv.FormatInt(to, 10) + "]"
		if to == t.a.cfg.StaffGroup && to != 0 {
			tag = "[ke grup]"
			if r.Topic != nil && r.Topic.Thread == 0 && r.Topic.Key != 0 {
				// The terminal stands in for createForumTopic: the topic's
				// id is the ticket's.
				if _, err := t.a.tickets.SetTicketTopic(context.Background(), r.Topic.Key, r.Topic.Key); err == nil {
					tag = "[ke grup · topik baru " + r.Topic.Name + "]"
				}
			}
		}
		text = tag + " " + strings.ReplaceAll(text, "\n", "\n"+tag+" ")
	}
	fmt.Fprintln(t.out, text)
	if r.Document != nil {
		fmt.Fprintf(t.out, "(dokumen %s, %d bita, disimpan di %s)\n", r.Document.Name, len(r.Document.Content), t.saveDoc(r.Document))
	}
	if r.AskContact {
		fmt.Fprintln(t.out, "(tombol: "+t.a.catalog.Label(r.Lang, flows.T("btn_share_phone"))+" — ketik !kontak 08xx…)")
	}
	if len(r.Buttons) == 0 {
		return
	}
	var bs []flows.Button
	n := 0
	for _, row := range r.Buttons {
		for _, b := range row {
			n++
			bs = append(bs, b)
			fmt.Fprintf(t.out, "[%d] %s\n", n, t.a.catalog.Label(r.Lang, b.Label))
		}
	}
	if !r.Toast {
		t.buttons[to] = bs
	}
}

func (t *terminal) saveDoc(d *flows.Document) string {
	if t.docDir == "" {
		dir, err := os.MkdirTemp("", "umkmbot-chat-")
		if err != nil {
			return "(gagal menyimpan)"
		}
		t.docDir = dir
	}
	p := filepath.Join(t.docDir, filepath.Base(d.Name))
	if err := os.WriteFile(p, d.Content, 0o600); err != nil {
		return "(gagal menyimpan)"
	}
	return p
}
