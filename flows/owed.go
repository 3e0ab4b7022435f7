package flows

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Outcome is what handling one update leaves to the transport.
//
// Replies are owed from the moment the session commits: the record of
// them (store.Owed) is written in the same round trip. The transport sends
// them and then calls Delivered, with lost set when Telegram refused them
// for good. Until then, a restart sends them again (OwedChats, Flush), and
// an answer the user gives meanwhile is bound to the question they saw:
//
//   - replies pending (never known to arrive) or lost: the input is applied
//     to the session as it was before them (store.Owed.Undo); the same
//     answer given again changes nothing, and lost replies are sent again;
//   - replies delivered after the input was received: the same answer given
//     again changes nothing (it was typed while the reply was on its way);
//     any other input answers the current question.
type Outcome struct {
	ChatID  int64
	Replies []Reply
	// Retry reports that the update was not handled because a store or a
	// network did not answer: nothing changed, and the transport should try
	// the update again. Replies holds the apology to send if it gives up.
	Retry bool
	owed  *store.Owed
}

// Owes reports whether the outcome has replies on record to settle.
func (o Outcome) Owes() bool { return o.owed != nil }

// Delivered settles the replies of out: delivered, or lost when Telegram
// refused them for good. A record replaced meanwhile by a later update is
// left alone.
func (e *Engine) Delivered(ctx context.Context, out Outcome, lost bool) error {
	return e.Settle(ctx, Settlement{Outcome: out, Lost: lost})
}

// Settlement is the fate of one outcome's replies.
type Settlement struct {
	Outcome
	Lost bool
	// At is when the last reply started on its way: an input received
	// before then was given without seeing it. Zero means now.
	At time.Time
}

// Settle is Delivered for many outcomes at once (one round trip).
func (e *Engine) Settle(ctx context.Context, ss ...Settlement) error {
	items := e.Settled(ss...)
	switch len(items) {
	case 0:
		return nil
	case 1:
		err := e.cfg.Sessions.SetOwed(ctx, items[0].ChatID, items[0].Owed, items[0].TTL)
		if errors.Is(err, store.ErrConflict) {
			return nil
		}
		return err
	}
	return e.cfg.Sessions.SetOwedMany(ctx, items)
}

// Settled returns the owed records that settle ss, for a store that writes
// them together with other work (store.SettleAcker).
func (e *Engine) Settled(ss ...Settlement) []store.OwedItem {
	now := e.cfg.Now().UTC().Round(0)
	items := make([]store.OwedItem, 0, len(ss))
	for _, st := range ss {
		if st.owed == nil {
			continue
		}
		o := *st.owed
		o.At = now
		if !st.At.IsZero() {
			o.At = st.At.UTC().Round(0)
		}
		// Received times have milliseconds: an input received in the same
		// millisecond as the reply left counts as after it.
		o.At = o.At.Truncate(time.Millisecond)
		ttl := store.OwedKeep
		if st.Lost {
			o.Status, ttl = store.OwedLost, store.SessionTTL
		} else {
			o.Status, o.Replies, o.Undo = store.OwedDelivered, nil, nil
		}
		items = append(items, store.OwedItem{ChatID: st.ChatID, Owed: &o, TTL: ttl})
	}
	return items
}

// OwedChats lists the chats whose replies may still be owed: a transport
// calls Flush for each at start, before any new update.
func (e *Engine) OwedChats(ctx context.Context) ([]int64, error) {
	return e.cfg.Sessions.OwedChats(ctx)
}

// Flush returns the replies still pending for chatID (none when they were
// delivered or lost), to be sent and settled like any outcome.
func (e *Engine) Flush(ctx context.Context, chatID int64) (Outcome, error) {
	o, err := e.cfg.Sessions.LoadOwed(ctx, chatID)
	if errors.Is(err, store.ErrNotFound) {
		return Outcome{ChatID: chatID}, nil
	}
	if err != nil {
		return Outcome{ChatID: chatID}, err
	}
	if o.Status != store.OwedPending {
		return Outcome{ChatID: chatID}, nil
	}
	return Outcome{ChatID: chatID, Replies: e.decodeReplies(o, chatID), owed: o}, nil
}

// owedAgain answers a redelivered update: its replies again when they are
// still pending (the process died before sending them), else nothing.
func (e *Engine) owedAgain(claim *store.Claim, u Update) Outcome {
	if claim == nil || claim.Owed == nil || claim.Owed.UpdateID != u.ID || claim.Owed.Status != store.OwedPending {
		return Outcome{ChatID: u.ChatID}
	}
	return Outcome{ChatID: u.ChatID, Replies: e.decodeReplies(claim.Owed, u.ChatID), owed: claim.Owed}
}

// startingPoint chooses the session the input applies to (base, and raw:
// base as stored), and the replies that must go out before the input's
// own. When the input changes nothing it returns the outcome to give
// instead (settled).
func (e *Engine) startingPoint(claim *store.Claim, u Update, input string) (base *store.Session, raw []byte, first []Reply, settled *Outcome) {
	o := claim.Owed
	if o == nil || (claim.Session != nil && o.Version != claim.Session.Version) {
		return claim.Session, claim.SessionRaw, nil, nil
	}
	repeated := input != "" && input == o.Input
	switch o.Status {
	case store.OwedPending:
		first = e.decodeReplies(o, u.ChatID)
		if repeated {
			return nil, nil, nil, &Outcome{ChatID: u.ChatID, Replies: first, owed: o}
		}
		return e.undo(o, u.ChatID), o.Undo, first, nil
	case store.OwedLost:
		if repeated {
			again := *o
			again.Status = store.OwedPending
			return nil, nil, nil, &Outcome{ChatID: u.ChatID, Replies: e.decodeReplies(o, u.ChatID), owed: &again}
		}
		return e.undo(o, u.ChatID), o.Undo, nil, nil
	case store.OwedDelivered:
		if repeated && !u.Received.IsZero() && u.Received.Before(o.At) {
			return nil, nil, nil, &Outcome{ChatID: u.ChatID}
		}
	}
	return claim.Session, claim.SessionRaw, nil, nil
}

// undo decodes the session the user last saw; a record that does not
// decode is logged and gives a fresh session.
func (e *Engine) undo(o *store.Owed, chatID int64) *store.Session {
	if len(o.Undo) == 0 {
		return nil
	}
	s, err := store.DecodeSession(o.Undo)
	if err != nil {
		e.cfg.Log.Error("owed undo does not decode", "chat_id", chatID, "err", err)
		return nil
	}
	return s
}

// owe builds the record of the replies committed with the session. Its
// Undo is the session the input applied to, in the stored form: the
// claimed one, or the one kept in the last record when the input answered
// a question the user saw before that; never encoded again.
func (e *Engine) owe(claim *store.Claim, u Update, input string, undo []byte, replies []Reply, log updateLog) *store.Owed {
	o := &store.Owed{Version: 1, UpdateID: u.ID, Status: store.OwedPending, Input: input, Undo: undo}
	if claim.Session != nil {
		o.Version = claim.Session.Version + 1
	}
	raw, err := encodeReplies(replies)
	if err != nil {
		log.Warn("replies not on record", "err", err)
	}
	o.Replies = raw
	return o
}

// decodeReplies returns the replies on record; a record that does not
// decode is logged and owes nothing.
func (e *Engine) decodeReplies(o *store.Owed, chatID int64) []Reply {
	rs, err := decodeReplies(o.Replies)
	if err != nil {
		e.cfg.Log.Error("owed replies do not decode", "chat_id", chatID, "err", err)
	}
	return rs
}

// encodeReplies encodes replies for the owed record. A reply carrying a
// document (an export) is left out: it is sent once, and asked for again
// if it is lost.
// The list is a JSON array of EncodeReply's forms, written as it is built
// (json.Marshal of the encoded replies would scan each of them again).
func encodeReplies(rs []Reply) ([]byte, error) {
	b := make([]byte, 0, 2+256*len(rs))
	b = append(b, '[')
	n := 0
	for _, r := range rs {
		if r.Document != nil {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendEncodedReply(b, r); err != nil {
			return nil, fmt.Errorf("encode reply %s: %w", r.Text.ID, err)
		}
		n++
	}
	return append(b, ']'), nil
}

func decodeReplies(raw []byte) ([]Reply, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("decode replies: %w", err)
	}
	rs := make([]Reply, 0, len(list))
	for _, b := range list {
		r, err := DecodeReply(b)
		if err != nil {
			return rs, err
		}
		rs = append(rs, r)
	}
	return rs, nil
}

// fingerprint identifies an input, to recognise the same answer given
// twice; "" for inputs that are never the same twice.
func fingerprint(u Update) string {
	switch u.Kind {
	case KindText:
		if t := normalize(u.Text); t != "" {
			return "t:" + t
		}
	case KindButton:
		return "b:" + u.Button
	case KindContact:
		if u.Contact != nil {
			return "c:" + u.Contact.Phone
		}
	case KindMedia:
		if u.Media != nil {
			return "m:" + u.Media.FileID
		}
	}
	return ""
}

// keepLease renews the claim's lease while the update is handled, so that
// a slow step keeps its chat while a crashed worker's lock expires within
// store.LockTTL. The commit checks the lock, so a lease lost meanwhile
// costs the update a retry, never a double effect.
func (e *Engine) keepLease(claim *store.Claim) (stop func()) {
	every := store.LockTTL / 3
	var mu sync.Mutex
	stopped := false
	var t *time.Timer
	var renew func()
	renew = func() {
		ctx, cancel := context.WithTimeout(context.Background(), every)
		err := e.cfg.Sessions.Renew(ctx, claim)
		cancel()
		mu.Lock()
		defer mu.Unlock()
		if stopped || errors.Is(err, store.ErrConflict) {
			return
		}
		t = time.AfterFunc(every, renew)
	}
	mu.Lock()
	t = time.AfterFunc(every, renew)
	mu.Unlock()
	return func() {
		mu.Lock()
		defer mu.Unlock()
		stopped = true
		t.Stop()
	}
}
