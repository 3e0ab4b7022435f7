package outbox_test

import (
	"context"
	"errors"
	"testing"

	"github.com/diskum-tangerang/umkmbot/bot/outbox"
	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/memory"
)

// langSpy records the language of each reply it is given.
type langSpy struct{ langs []string }

func (s *langSpy) Send(_ context.Context, _ int64, r flows.Reply) (int, error) {
	s.langs = append(s.langs, r.Lang)
	return 1, nil
}

type downUsers struct{ store.UserStore }

func (downUsers) User(context.Context, int64) (store.User, error) {
	return store.User{}, errors.New("connection refused")
}

func TestInUserLang(t *testing.T) {
	ctx := context.Background()
	users := memory.New()
	const chose, client, both, unknown = 1, 2, 3, 4
	if err := users.SetLanguage(ctx, chose, "en"); err != nil {
		t.Fatal(err)
	}
	if err := users.SetClientLanguage(ctx, client, "en"); err != nil {
		t.Fatal(err)
	}
	if err := users.SetClientLanguage(ctx, both, "en"); err != nil {
		t.Fatal(err)
	}
	if err := users.SetLanguage(ctx, both, "id"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		chat int64
		lang string // the reply's own language
		want string
	}{
		{"chosen with /bahasa", chose, "", "en"},
		{"reported by Telegram", client, "", "en"},
		{"the choice wins over Telegram", both, "", "id"},
		{"unknown user", unknown, "", "id"},
		{"a reply with a language keeps it", client, "id", "id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spy := &langSpy{}
			tr := outbox.InUserLang{Users: users, Default: "id", Next: spy}
			if _, err := tr.Send(ctx, tt.chat, flows.Reply{Text: flows.T("x"), Lang: tt.lang}); err != nil {
				t.Fatal(err)
			}
			if len(spy.langs) != 1 || spy.langs[0] != tt.want {
				t.Fatalf("sent in %q, want %q", spy.langs, tt.want)
			}
		})
	}
	t.Run("store down is an error, not Indonesian", func(t *testing.T) {
		spy := &langSpy{}
		tr := outbox.InUserLang{Users: downUsers{}, Default: "id", Next: spy}
		if _, err := tr.Send(ctx, client, flows.Reply{Text: flows.T("x")}); err == nil || len(spy.langs) != 0 {
			t.Fatalf("err %v, sent %q", err, spy.langs)
		}
	})
}
