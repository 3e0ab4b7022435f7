package flows

import (
	"context"
	"errors"
	"strings"

	"github.com/diskum-tangerang/umkmbot/store"
)

// Lang picks the bot language for a client's language code.
func (e *Engine) Lang(code string) string {
	code = strings.ToLower(code)
	for _, l := range e.cfg.Languages {
		if code == l || strings.HasPrefix(code, l+"-") {
			return l
		}
	}
	return e.cfg.Languages[0]
}

// initialLang is the language of a new session: the one the user chose,
// else the one their Telegram reports now, else the one it reported last.
// It returns the user's record as read (zero when there is none), for
// keepClientLang to use instead of reading it again.
func (e *Engine) initialLang(ctx context.Context, u Update) (string, *store.User, error) {
	usr, err := e.cfg.Users.User(ctx, u.UserID)
	switch {
	case err == nil && usr.Lang != "":
		return e.Lang(usr.Lang), &usr, nil
	case err == nil && u.LanguageCode == "" && usr.ClientLang != "":
		return e.Lang(usr.ClientLang), &usr, nil
	case err == nil, errors.Is(err, store.ErrNotFound):
		return e.Lang(u.LanguageCode), &usr, nil
	default:
		return "", nil, err
	}
}

// keepClientLang stores the language the user's Telegram reports when it
// changed, so that messages sent to them later speak it, and follows it in
// the session when the user never chose a language with /bahasa. known is
// the user's record when this update already read it, else nil.
func (e *Engine) keepClientLang(ctx context.Context, s *store.Session, u Update, known *store.User) error {
	if u.LanguageCode == "" || u.UserID == 0 {
		return nil
	}
	lang := e.Lang(u.LanguageCode)
	if lang == s.ClientLang {
		return nil
	}
	var usr store.User
	if known != nil {
		usr = *known
	} else {
		var err error
		usr, err = e.cfg.Users.User(ctx, u.UserID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	if usr.ClientLang != lang {
		if err := e.cfg.Users.SetClientLanguage(ctx, u.UserID, lang); err != nil {
			return err
		}
	}
	s.ClientLang = lang
	if usr.Lang == "" {
		s.Lang = lang
	}
	return nil
}
