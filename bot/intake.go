package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	tg "github.com/go-telegram/bot"
	tgm "github.com/go-telegram/bot/models"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Stats counts what the intake did since start. Read it with Bot.Stats.
type Stats struct {
	Recorded     atomic.Int64 // updates recorded in the ingest
	Undecodable  atomic.Int64 // updates that did not decode (dead letters)
	Handled      atomic.Int64 // updates handled and acknowledged
	FloodDropped atomic.Int64 // updates dropped because their chat flooded
	Retried      atomic.Int64 // handling attempts repeated after a store failure
	RepliesLost  atomic.Int64 // replies given up (400, 403, or retried too long)
	SendRetries  atomic.Int64 // Bot API calls repeated after a 429, 5xx or network error
}

// Stats returns the intake's counters.
func (b *Bot) Stats() *Stats { return &b.stats }

// errFatal marks an answer of Telegram that waiting will not fix (a wrong
// token).
var errFatal = errors.New("telegram refuses the token")

// Run takes updates in until ctx is cancelled: it waits for Telegram (and
// deletes any webhook, which would block polling, or registers the
// webhook of Config.WebhookURL), sends the replies still owed from an
// earlier run, hands out the updates recorded and not handled then, and
// polls (or serves what Webhook records). On cancel it stops taking
// updates in, lets the updates
// in progress finish within HandleTimeout, and returns nil; updates still
// queued stay recorded for the next start. It fails only when Telegram
// refuses the token.
func (b *Bot) Run(ctx context.Context) error {
	if b.h == nil || b.cfg.Ingest == nil {
		return errors.New("bot: Run needs a handler and an ingest")
	}
	if !b.running.CompareAndSwap(false, true) {
		return errors.New("bot: Run called twice")
	}
	if err := b.waitTelegram(ctx); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return nil
	}
	b.setCommands(ctx)

	// Work outlives ctx by HandleTimeout, so that what is in progress ends.
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	stopAfter := context.AfterFunc(ctx, func() { time.AfterFunc(b.cfg.HandleTimeout, stopWork) })
	defer stopAfter()

	sc := newScheduler(b.cfg.Workers, b.cfg.MaxInFlight, b.cfg.FloodBurst, b.cfg.FloodRate)
	b.settle = make(chan settleReq, b.cfg.Workers)
	settled := make(chan struct{})
	go func() { b.settleLoop(work); close(settled) }()
	var wg sync.WaitGroup
	for range b.cfg.Workers {
		wg.Go(func() { sc.serve(ctx, func(j job) { b.run(work, j) }) })
	}
	if b.cfg.Budget != nil {
		wg.Go(func() { b.budgetLoop(ctx) })
	}
	var r *replicas
	if ps, ok := b.cfg.Ingest.(store.Partitioned); ok && b.cfg.Replica != "" {
		r = newReplicas(ps, b.cfg.Replica, b.cfg.WebhookURL == "")
		b.hook.repl = r
		wg.Go(func() { b.coordinate(ctx, sc, r) })
		wg.Go(func() { b.read(ctx, sc, r) })
	} else {
		b.resume(ctx, sc)
	}
	switch {
	case b.cfg.WebhookURL != "":
		b.hook.sched.Store(sc)
		close(b.hook.serving)
		b.log.Info("telegram webhook serving")
		<-ctx.Done()
		b.hook.sched.Store(nil)
	case r != nil:
		b.pollShared(ctx, sc, r)
	default:
		b.poll(ctx, ctx, sc, nil)
	}
	sc.close()
	if b.stopped != nil {
		close(b.stopped)
	}
	wg.Wait()
	if r != nil {
		b.leave(r)
	}
	close(b.settle)
	<-settled
	b.log.Info("telegram intake stopped")
	return nil
}

// waitTelegram deletes the webhook (polling) or registers it, retrying
// with backoff while Telegram cannot be reached, and says what it waits
// for. A webhook gets max_connections 1: Telegram then posts updates one
// at a time, in order, as the ingest's offset expects.
func (b *Bot) waitTelegram(ctx context.Context) error {
	bo := backoff{min: 500 * time.Millisecond, max: 30 * time.Second}
	for {
		var err error
		method := "deleteWebhook"
		if b.cfg.WebhookURL != "" {
			method = "setWebhook"
			_, err = b.api.SetWebhook(ctx, &tg.SetWebhookParams{URL: b.cfg.WebhookURL, SecretToken: b.cfg.WebhookSecret,
				MaxConnections: 1, AllowedUpdates: allowedUpdates})
		} else {
			_, err = b.api.DeleteWebhook(ctx, &tg.DeleteWebhookParams{})
		}
		if ctx.Err() == nil {
			b.apiResult(method, err)
		}
		if err == nil || ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, tg.ErrorUnauthorized) || errors.Is(err, tg.ErrorNotFound) {
			return fmt.Errorf("bot: %w: %s", errFatal, redact(err))
		}
		wait := bo.next()
		b.log.Warn("waiting for Telegram", "err", redact(err), "retry_in", wait.String())
		if !sleep(ctx, wait) {
			return nil
		}
	}
}

// resume queues, before any new update, a flush of every chat that may
// still be owed replies, then the updates recorded and not acknowledged by
// the last run, in their order. It retries while the stores do not answer.
// A backlog larger than MaxInFlight waits for room.
func (b *Bot) resume(ctx context.Context, sc *scheduler) {
	chats := retry(ctx, b, "replies owed", func() ([]int64, error) { return b.h.OwedChats(ctx) })
	for _, chat := range chats {
		sc.add(job{chat: chat, flush: true})
	}
	pending := retry(ctx, b, "updates in progress", func() ([]store.Inbound, error) { return b.cfg.Ingest.Pending(ctx) })
	for _, in := range pending {
		if sc.waitRoom(ctx) == 0 {
			return
		}
		b.enqueue(sc, in)
	}
	if len(chats)+len(pending) > 0 {
		b.log.Info("resuming", "chats_owed", len(chats), "updates_pending", len(pending))
	}
}

// enqueue queues one recorded update, or drops it when its chat floods.
func (b *Bot) enqueue(sc *scheduler, in store.Inbound) { b.enqueuePart(sc, in, nil) }

// enqueuePart is enqueue for a partition this replica handles.
func (b *Bot) enqueuePart(sc *scheduler, in store.Inbound, p *part) {
	staff := b.cfg.StaffGroup != 0 && in.ChatID == b.cfg.StaffGroup
	res := sc.add(job{chat: in.ChatID, in: in, part: p, unmetered: staff})
	if res == flooded && p != nil {
		p.queued.Add(-1)
	}
	switch res {
	case admitted:
	case floodWarn:
		b.stats.FloodDropped.Add(1)
		b.countUpdate(rawKind(in.Raw), OutcomeFloodDropped)
	case flooded:
		b.stats.FloodDropped.Add(1)
		b.countUpdate(rawKind(in.Raw), OutcomeFloodDropped)
		v, _ := b.decoded.LoadAndDelete(in.UpdateID)
		b.ack(context.Background(), in)
		u, _ := v.(*tgm.Update)
		if u == nil && bytes.Contains(in.Raw, []byte(`"callback_query"`)) {
			u = new(tgm.Update)
			if json.Unmarshal(in.Raw, u) != nil {
				u = nil
			}
		}
		// A dropped tap is still answered, so that the button stops
		// spinning (out of the poller's way).
		if u != nil && u.CallbackQuery != nil {
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				b.answer(ctx, u, "")
			}()
		}
	}
}

// settleReq is an update whose replies went out (or were lost): the
// settler records that, acknowledges it, then closes done.
type settleReq struct {
	out  flows.Outcome
	lost bool
	at   time.Time // when the last reply started on its way
	seq  string
	done chan struct{}
}

// settleLoop settles finished updates in batches until b.settle is
// closed: whatever queued up while the last batch was written goes in the
// next, so a busy bot pays one round trip (replies settled and updates
// acknowledged together, when the ingest and the sessions share a server)
// for many updates, and an idle one waits for nothing.
func (b *Bot) settleLoop(ctx context.Context) {
	const most = 256
	batch := make([]settleReq, 0, most)
	for first := range b.settle {
		batch = append(batch[:0], first)
	fill:
		for len(batch) < most {
			select {
			case r, ok := <-b.settle:
				if !ok {
					break fill
				}
				batch = append(batch, r)
			default:
				break fill
			}
		}
		var ss []flows.Settlement
		var seqs []string
		for _, r := range batch {
			if r.out.Owes() {
				ss = append(ss, flows.Settlement{Outcome: r.out, Lost: r.lost, At: r.at})
			}
			if r.seq != "" {
				seqs = append(seqs, r.seq)
			}
		}
		sa, one := b.cfg.Ingest.(store.SettleAcker)
		itemiser, items := b.h.(interface {
			Settled(ss ...flows.Settlement) []store.OwedItem
		})
		if one && items {
			owed := itemiser.Settled(ss...)
			retry(ctx, b, "settle replies", func() (struct{}, error) { return struct{}{}, sa.SettleAck(ctx, owed, seqs) })
		} else {
			if len(ss) > 0 {
				retry(ctx, b, "settle replies", func() (struct{}, error) { return struct{}{}, b.h.Settle(ctx, ss...) })
			}
			if len(seqs) > 0 {
				retry(ctx, b, "acknowledge updates", func() (struct{}, error) { return struct{}{}, b.cfg.Ingest.Ack(ctx, seqs...) })
			}
		}
		for _, r := range batch {
			close(r.done)
		}
	}
}

// allowedUpdates are the update types the bot asks Telegram for.
var allowedUpdates = []string{tgm.AllowedUpdateMessage, tgm.AllowedUpdateCallbackQuery, tgm.AllowedUpdateMyChatMember}

// getUpdatesAnswer is the Bot API's answer to getUpdates, each update kept
// raw so that one that does not decode spoils nothing else.
type getUpdatesAnswer struct {
	OK          bool              `json:"ok"`
	Result      []json.RawMessage `json:"result"`
	ErrorCode   int               `json:"error_code"`
	Description string            `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// poll long-polls getUpdates until ctx is done, and hands each recorded
// update to the scheduler. Each batch is recorded before the next request
// confirms it; a batch that cannot be recorded is retried until it is.
// While MaxInFlight updates wait, it stops asking.
//
// With several replicas (r not nil) it records only while this replica
// holds the polling lease, and hands out only the updates of its own
// partitions; the others are read by their owners.
//
// recCtx bounds recording (the work's context: shutdown), ctx the rest.
func (b *Bot) poll(ctx, recCtx context.Context, sc *scheduler, r *replicas) {
	offset := retry(ctx, b, "ingest offset", func() (int64, error) { return b.cfg.Ingest.Offset(ctx) })
	bo := backoff{min: 100 * time.Millisecond, max: 5 * time.Second}
	failing := false
	for ctx.Err() == nil {
		if sc.waitRoom(ctx) == 0 {
			return
		}
		raws, wait, err := b.getUpdates(ctx, offset)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			b.apiResult("getUpdates", err)
			if !failing {
				b.log.Warn("waiting for Telegram: getUpdates failed", "err", redact(err))
			}
			failing = true
			sleep(ctx, max(wait, bo.next()))
			continue
		}
		b.apiResult("getUpdates", nil)
		if failing {
			b.log.Info("getUpdates answers again")
			failing = false
		}
		bo.reset()
		ins, decoded, next := b.decodeBatch(ctx, raws, offset)
		if len(raws) == 0 {
			continue
		}
		// Cached before recording, so that a worker never finds the record
		// before its decoded update (a rare re-recorded id may stay cached).
		for i, in := range ins {
			if decoded[i] != nil {
				b.decoded.Store(in.UpdateID, decoded[i])
			}
		}
		// Recorded on the work's context, not the poll's: a poll cut short
		// by a lost lease still learns whether its batch went in, and no
		// other polling starts here before it does.
		rec, ok, unsure := b.record(recCtx, ins, next)
		if !ok {
			for _, in := range ins {
				b.decoded.Delete(in.UpdateID)
			}
			return
		}
		b.stats.Recorded.Add(int64(len(rec)))
		if r != nil {
			if unsure || len(rec) < len(ins) {
				// An attempt that got no answer may have recorded the batch
				// (go-redis retries some by itself), and the attempt that
				// answered found it recorded before: hand out, in order,
				// whatever is recorded and not handed out yet.
				b.catchUp(recCtx, sc, r)
			}
			b.handOut(recCtx, sc, r, rec, func(in store.Inbound) { b.decoded.Delete(in.UpdateID) })
		} else {
			for _, in := range rec {
				b.enqueue(sc, in)
			}
		}
		offset = next
	}
}

// record records a batch, retrying while the store fails; ok is false when
// ctx ends or another replica holds the polling lease (the batch is then
// not confirmed: the poller that holds it gets it again). unsure is true
// when an attempt failed without an answer: it may have been recorded
// then, and the retry finds it recorded before and returns it not.
func (b *Bot) record(ctx context.Context, ins []store.Inbound, next int64) (rec []store.Inbound, ok, unsure bool) {
	bo := backoff{min: 100 * time.Millisecond, max: 5 * time.Second}
	for {
		rec, err := b.cfg.Ingest.Record(ctx, ins, next)
		switch {
		case ctx.Err() != nil:
			return nil, false, unsure
		case err == nil:
			return rec, true, unsure
		case errNotPolling(err):
			b.log.Warn("another replica polls: batch left to it", "updates", len(ins))
			return nil, false, unsure
		}
		unsure = true
		wait := bo.next()
		b.log.Warn("waiting for the store", "what", "record updates", "err", err, "retry_in", wait.String())
		sleep(ctx, wait)
	}
}

// getUpdates asks for the updates from offset, as JSON through the same
// HTTP client the library uses. wait is Telegram's retry_after on a 429.
func (b *Bot) getUpdates(ctx context.Context, offset int64) (raws []json.RawMessage, wait time.Duration, err error) {
	body, _ := json.Marshal(map[string]any{
		"offset": offset, "timeout": int((b.cfg.PollTimeout - time.Second).Seconds()),
		"allowed_updates": allowedUpdates,
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		b.cfg.APIURL+"/bot"+b.cfg.Token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, 0, errors.New("getUpdates: cannot build the request")
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.http.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("getUpdates: %s", scrubToken(err.Error(), b.cfg.Token))
	}
	defer resp.Body.Close()
	var ans getUpdatesAnswer
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&ans); err != nil {
		return nil, 0, fmt.Errorf("getUpdates: HTTP %d, answer does not decode", resp.StatusCode)
	}
	if !ans.OK {
		err := &codeError{code: ans.ErrorCode, msg: fmt.Sprintf("getUpdates: %d %s", ans.ErrorCode, ans.Description)}
		return nil, time.Duration(ans.Parameters.RetryAfter) * time.Second, err
	}
	return ans.Result, 0, nil
}

// decodeBatch decodes each update alone. One that decodes is recorded as
// it came; one that does not is logged (id and type, never text), counted
// and kept as a dead letter, and what can be read of its sender is
// recorded instead, so that they are told the message could not be read.
// decoded holds the decoded updates beside ins (nil where rebuilt); next
// is the offset that confirms the batch.
func (b *Bot) decodeBatch(ctx context.Context, raws []json.RawMessage, offset int64) (ins []store.Inbound, decoded []*tgm.Update, next int64) {
	next = offset
	for _, raw := range raws {
		u := new(tgm.Update)
		err := json.Unmarshal(raw, u)
		id := u.ID
		if err != nil {
			// Only the id, from an update the library cannot read.
			var head struct {
				ID int64 `json:"update_id"`
			}
			_ = json.Unmarshal(raw, &head)
			id = head.ID
		}
		if id >= next {
			next = id + 1
		}
		if err == nil && id != 0 {
			ins = append(ins, store.Inbound{UpdateID: id, ChatID: chatOf(u), Raw: raw})
			decoded = append(decoded, u)
			continue
		}
		b.deadLetter(ctx, id, raw, err)
		if in, ok := senderOnly(id, raw); ok {
			ins = append(ins, in)
			decoded = append(decoded, nil)
		}
	}
	return ins, decoded, next
}

func (b *Bot) deadLetter(ctx context.Context, id int64, raw json.RawMessage, err error) {
	reason := "no update_id"
	if err != nil {
		reason = truncate(err.Error(), 200)
	}
	kind := updateType(raw)
	b.stats.Undecodable.Add(1)
	b.countUpdate(rawKind(raw), OutcomeUndecodable)
	b.log.Error("update does not decode: skipped", "update_id", id, "type", kind, "reason", reason)
	d := store.DeadLetter{UpdateID: id, Type: kind, Reason: reason, At: time.Now().UTC()}
	if err := b.cfg.Ingest.AddDeadLetter(ctx, d); err != nil {
		b.log.Warn("dead letter not kept", "update_id", id, "err", err)
	}
}

// updateType names the update's kind: its first field besides update_id.
func updateType(raw json.RawMessage) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "not an object"
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			break
		}
		key, _ := t.(string)
		if key != "" && key != "update_id" {
			return truncate(key, 40)
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			break
		}
	}
	return "unknown"
}

// senderOnly reads the chat and sender of a message that does not decode
// as a whole and rebuilds it without its content.
func senderOnly(id int64, raw json.RawMessage) (store.Inbound, bool) {
	var m struct {
		Message *struct {
			ID   int `json:"message_id"`
			Date int `json:"date"`
			Chat struct {
				ID   int64  `json:"id"`
				Type string `json:"type"`
			} `json:"chat"`
			From *struct {
				ID           int64  `json:"id"`
				IsBot        bool   `json:"is_bot"`
				FirstName    string `json:"first_name"`
				LanguageCode string `json:"language_code"`
			} `json:"from"`
		} `json:"message"`
	}
	if id == 0 || json.Unmarshal(raw, &m) != nil || m.Message == nil || m.Message.From == nil || m.Message.Chat.ID == 0 {
		return store.Inbound{}, false
	}
	mm := m.Message
	rebuilt, err := json.Marshal(map[string]any{"update_id": id, "message": map[string]any{
		"message_id": mm.ID, "date": max(mm.Date, 1),
		"chat": map[string]any{"id": mm.Chat.ID, "type": mm.Chat.Type},
		"from": map[string]any{"id": mm.From.ID, "is_bot": mm.From.IsBot, "first_name": mm.From.FirstName,
			"language_code": mm.From.LanguageCode},
	}})
	if err != nil {
		return store.Inbound{}, false
	}
	return store.Inbound{UpdateID: id, ChatID: mm.Chat.ID, Raw: rebuilt}, true
}

// retry calls fn until it succeeds or ctx is done, backing off and logging
// what it waits for.
func retry[T any](ctx context.Context, b *Bot, what string, fn func() (T, error)) T {
	bo := backoff{min: 100 * time.Millisecond, max: 5 * time.Second}
	for {
		v, err := fn()
		if err == nil || ctx.Err() != nil {
			return v
		}
		wait := bo.next()
		b.log.Warn("waiting for the store", "what", what, "err", err, "retry_in", wait.String())
		sleep(ctx, wait)
	}
}

// backoff doubles a wait from min to max, with jitter.
type backoff struct {
	min, max, cur time.Duration
}

func (b *backoff) next() time.Duration {
	if b.cur == 0 {
		b.cur = b.min
	} else {
		b.cur = min(b.cur*2, b.max)
	}
	return b.cur/2 + time.Duration(jitter(int64(b.cur/2)+1))
}

func (b *backoff) reset() { b.cur = 0 }

var jitterSeed atomic.Uint64

// jitter returns a pseudo-random number in [0, n).
func jitter(n int64) int64 {
	x := jitterSeed.Add(0x9E3779B97F4A7C15)
	x ^= x >> 31
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 29
	return int64(x % uint64(n))
}

// sleep waits d or until ctx is done; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func scrubToken(msg, token string) string {
	if token == "" {
		return msg
	}
	return string(bytes.ReplaceAll([]byte(msg), []byte(token), []byte("***")))
}
