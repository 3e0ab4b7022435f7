package outbox

import (
	"context"
	"errors"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// InUserLang is a Transport that renders each reply without a language of
// its own (reminders, seat offers, loan notices, announcements, progress
// messages: built where the recipient's language is not known) in the
// recipient's language, looked up when it is sent: the language they chose
// with /bahasa, else the one their Telegram reported at their latest
// update, else Default. A private chat's id is its user's id.
type InUserLang struct {
	Users store.UserStore
	// Default is the language of a recipient the store knows nothing about.
	Default string
	Next    Transport
}

// Send implements Transport.
func (t InUserLang) Send(ctx context.Context, chatID int64, r flows.Reply) (int, error) {
	if r.Lang == "" {
		lang, err := t.Lang(ctx, chatID)
		if err != nil {
			return 0, err
		}
		r.Lang = lang
	}
	return t.Next.Send(ctx, chatID, r)
}

// Lang is the language to speak to user in. A store that does not answer
// is an error (the send is retried), not a reason to pick the wrong
// language.
func (t InUserLang) Lang(ctx context.Context, user int64) (string, error) {
	u, err := t.Users.User(ctx, user)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return t.Default, nil
	case err != nil:
		return "", err
	case u.Language() != "":
		return u.Language(), nil
	}
	return t.Default, nil
}
