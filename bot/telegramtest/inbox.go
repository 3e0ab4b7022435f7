package telegramtest

import (
	"context"
	"sync"
)

// Inbox hands out, chat by chat and in order, the messages the fake accepts
// from the bot (sendMessage and sendDocument), so that a simulated user can
// wait for its next message without polling. One goroutine follows the
// fake's record and wakes only the chats that received something; the cost
// per message does not grow with the number of chats waiting.
type Inbox struct {
	s      *Server
	stop   chan struct{}
	done   chan struct{}
	mu     sync.Mutex
	chats  map[int64]*chatQueue
	cursor int
}

type chatQueue struct {
	msgs []Message
	wake chan struct{} // buffered 1: something was queued
}

// Inbox starts following the messages accepted from now on; Close stops it.
// A Reset of the fake makes the inbox start again from its first message.
func (s *Server) Inbox() *Inbox {
	s.mu.Lock()
	cursor := len(s.sent)
	s.mu.Unlock()
	in := &Inbox{s: s, stop: make(chan struct{}), done: make(chan struct{}), chats: map[int64]*chatQueue{}, cursor: cursor}
	go in.follow()
	return in
}

func (in *Inbox) follow() {
	defer close(in.done)
	for {
		in.s.mu.Lock()
		wake := in.s.callWake
		if len(in.s.sent) < in.cursor {
			in.cursor = 0
		}
		fresh := append([]Message(nil), in.s.sent[in.cursor:]...)
		in.cursor = len(in.s.sent)
		in.s.mu.Unlock()
		in.deliver(fresh)
		select {
		case <-wake:
		case <-in.stop:
			return
		}
	}
}

func (in *Inbox) deliver(msgs []Message) {
	if len(msgs) == 0 {
		return
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, m := range msgs {
		q := in.queue(m.ChatID)
		q.msgs = append(q.msgs, m)
		select {
		case q.wake <- struct{}{}:
		default:
		}
	}
}

// queue returns chatID's queue; in.mu must be held.
func (in *Inbox) queue(chatID int64) *chatQueue {
	q := in.chats[chatID]
	if q == nil {
		q = &chatQueue{wake: make(chan struct{}, 1)}
		in.chats[chatID] = q
	}
	return q
}

// Next returns the oldest message to chatID not yet returned, waiting for
// one until ctx is done.
func (in *Inbox) Next(ctx context.Context, chatID int64) (Message, error) {
	for {
		in.mu.Lock()
		q := in.queue(chatID)
		if len(q.msgs) > 0 {
			m := q.msgs[0]
			q.msgs = q.msgs[1:]
			in.mu.Unlock()
			return m, nil
		}
		in.mu.Unlock()
		select {
		case <-q.wake:
		case <-ctx.Done():
			return Message{}, ctx.Err()
		}
	}
}

// Forget drops chatID's queue, e.g. when a simulated user is done.
func (in *Inbox) Forget(chatID int64) {
	in.mu.Lock()
	defer in.mu.Unlock()
	delete(in.chats, chatID)
}

// Close stops following the fake.
func (in *Inbox) Close() {
	select {
	case <-in.stop:
	default:
		close(in.stop)
	}
	<-in.done
}
