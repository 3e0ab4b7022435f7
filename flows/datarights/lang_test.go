package datarights_test

import (
	"context"
	"testing"

	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
)

// After /hapusdata the language the owner's Telegram reports is kept again
// at their next message, so that later notices still speak it.
func TestClientLanguageIsKeptAgainAfterDeletion(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	register(t, h, owner, "Kue Basah Bu Siti")
	h.SendLang(owner, "en", "/hapusdata")
	ft.Want(t, h.SendLang(owner, "en", "Delete my data"), "data_deleted", "menu_prompt")
	if _, err := h.Store.User(ctx, owner); err == nil {
		t.Fatal("the user is still stored after the deletion")
	}
	h.SendLang(owner, "en", "menu")
	if u, err := h.Store.User(ctx, owner); err != nil || u.Language() != "en" {
		t.Fatalf("user %+v, %v; want the client language en kept again", u, err)
	}
}
