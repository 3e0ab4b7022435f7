package bot

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	tgm "github.com/go-telegram/bot/models"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// run does one job of a chat.
func (b *Bot) run(ctx context.Context, j job) {
	if j.part != nil {
		defer j.part.queued.Add(-1)
		if !j.part.live.Load() {
			// Another replica handles the chat now; the update stays
			// recorded for it.
			b.decoded.Delete(j.in.UpdateID)
			return
		}
	}
	switch {
	case j.flush:
		out := retry(ctx, b, "replies owed", func() (flows.Outcome, error) { return b.h.Flush(ctx, j.chat) })
		if len(out.Replies) > 0 {
			b.log.Info("sending replies owed", "chat_id", j.chat, "replies", len(out.Replies))
		}
		if lost, at, ok := b.deliverOutcome(ctx, 0, out); ok {
			b.settleAndAck(ctx, settleReq{out: out, lost: lost, at: at})
		}
	case j.flood:
		b.decoded.Delete(j.in.UpdateID)
		b.warnFlood(ctx, j)
		b.ack(ctx, j.in)
	default:
		b.handleInbound(ctx, j.in)
	}
}

// handleInbound runs one recorded update through the engine, delivers its
// replies, settles them and acknowledges the update. Work cut short by
// shutdown is left recorded for the next start.
//
// A panic (a fault of the bot: the engine recovers its own) is logged with
// its type and stack, never its value, which may quote a message; the
// update is kept as a dead letter and acknowledged, so that it cannot stop
// the chat at every start, and a tapped button is still answered.
func (b *Bot) handleInbound(ctx context.Context, in store.Inbound) {
	var u tgm.Update
	if v, ok := b.decoded.LoadAndDelete(in.UpdateID); ok {
		u = *v.(*tgm.Update)
	} else if err := json.Unmarshal(in.Raw, &u); err != nil {
		b.deadLetter(ctx, in.UpdateID, in.Raw, err)
		b.ack(ctx, in)
		return
	}
	answered := false
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("panic while handling update", "update_id", in.UpdateID, "chat_id", in.ChatID,
				"panic", fmt.Sprintf("%T", r), "stack", string(debug.Stack()))
			d := store.DeadLetter{UpdateID: in.UpdateID, Type: updateType(in.Raw), Reason: "panic", At: time.Now().UTC()}
			if err := b.cfg.Ingest.AddDeadLetter(ctx, d); err != nil {
				b.log.Warn("dead letter not kept", "update_id", in.UpdateID, "err", err)
			}
			if u.CallbackQuery != nil && !answered {
				b.answer(ctx, &u, "")
			}
			b.ack(ctx, in)
		}
	}()
	if b.foreign(ctx, &u) {
		b.ack(ctx, in)
		return
	}
	fu, ok := toFlows(&u)
	if !ok {
		b.ack(ctx, in)
		return
	}
	fu.Received = in.Received
	var out flows.Outcome
	deadline := time.Now().Add(b.cfg.RetryFor)
	bo := backoff{min: 200 * time.Millisecond, max: 5 * time.Second}
	for {
		hctx, cancel := context.WithTimeout(ctx, b.cfg.HandleTimeout)
		out = b.h.Process(hctx, fu)
		cancel()
		if !out.Retry || ctx.Err() != nil {
			break
		}
		wait := bo.next()
		if time.Now().Add(wait).After(deadline) {
			b.log.Error("update not handled: the stores do not answer", "update_id", u.ID, "chat_id", fu.ChatID)
			break
		}
		b.stats.Retried.Add(1)
		if !sleep(ctx, wait) {
			return
		}
	}
	if ctx.Err() != nil {
		return
	}
	out.ChatID = cmp.Or(out.ChatID, fu.ChatID)
	for i := range out.Replies {
		out.Replies[i].Lang = cmp.Or(out.Replies[i].Lang, fu.LanguageCode)
	}
	if u.CallbackQuery != nil {
		// Answered before the messages go out, so the button stops spinning.
		answered = true
		b.answer(ctx, &u, b.takeToast(fu, &out.Replies))
	}
	lost, at, ok := b.deliverOutcome(ctx, u.ID, out)
	if !ok {
		return
	}
	b.settleAndAck(ctx, settleReq{out: out, lost: lost, at: at, seq: in.Seq})
	b.stats.Handled.Add(1)
	b.countUpdate(kindOf(&u), OutcomeHandled)
}

// settleAndAck hands a finished update to the settler and waits until its
// replies are on record as settled and the update acknowledged: the next
// update of the chat must see them settled.
func (b *Bot) settleAndAck(ctx context.Context, r settleReq) {
	if !r.out.Owes() && r.seq == "" {
		return
	}
	r.done = make(chan struct{})
	select {
	case b.settle <- r:
	case <-ctx.Done():
		return
	}
	select {
	case <-r.done:
	case <-ctx.Done():
	}
}

// deliverOutcome sends an outcome's replies, each to its chat. lost says
// Telegram refused one for good or it could not be sent within
// DeliverTimeout; at is when the last one started on its way (the user
// could not have seen the replies before); ok is false when shutdown cut
// it short: the replies stay owed and go out after the restart.
func (b *Bot) deliverOutcome(ctx context.Context, updateID int64, out flows.Outcome) (lost bool, at time.Time, ok bool) {
	dctx, cancel := context.WithTimeout(ctx, b.cfg.DeliverTimeout)
	defer cancel()
	at = time.Now()
	dctx = context.WithValue(dctx, attemptKey{}, &at)
	for _, r := range out.Replies {
		to := cmp.Or(r.To, out.ChatID)
		_, err := b.deliver(dctx, to, r, true)
		if err == nil {
			b.spent.add(to)
		} else {
			if ctx.Err() != nil {
				return lost, at, false
			}
			b.logSendError(updateID, to, r.Text.ID, err)
			if to == out.ChatID {
				lost = true
				b.stats.RepliesLost.Add(1)
				if b.cfg.Metrics != nil {
					b.cfg.Metrics.ReplyLost()
				}
			}
		}
	}
	return lost, at, ctx.Err() == nil
}

// warnFlood tells a chat, once per flood, that its messages come too fast.
func (b *Bot) warnFlood(ctx context.Context, j job) {
	var u tgm.Update
	if json.Unmarshal(j.in.Raw, &u) != nil {
		return
	}
	fu, ok := toFlows(&u)
	if !ok || fu.ChatID == 0 {
		return
	}
	b.log.Warn("chat floods: excess dropped", "update_id", j.in.UpdateID, "chat_id", fu.ChatID)
	if u.CallbackQuery != nil {
		b.answer(ctx, &u, "")
	}
	r := flows.Reply{Text: flows.T("err_flood"), Lang: fu.LanguageCode}
	if _, err := b.deliver(ctx, fu.ChatID, r, false); err != nil {
		b.logSendError(j.in.UpdateID, fu.ChatID, r.Text.ID, err)
	} else {
		b.spent.add(fu.ChatID)
	}
}

// ack removes a handled update from the ingest, retrying while it does
// not answer (an update left there is handled again at start, harmlessly:
// its session knows it).
func (b *Bot) ack(ctx context.Context, in store.Inbound) {
	if in.Seq == "" {
		return
	}
	for bo := (backoff{min: 50 * time.Millisecond, max: time.Second}); ; {
		err := b.cfg.Ingest.Ack(ctx, in.Seq)
		if err == nil || errors.Is(err, context.Canceled) || ctx.Err() != nil {
			return
		}
		b.log.Warn("ack update", "update_id", in.UpdateID, "err", err)
		if !sleep(ctx, bo.next()) {
			return
		}
	}
}
