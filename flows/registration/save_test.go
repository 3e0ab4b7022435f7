package registration_test

import (
	"context"
	"testing"

	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/store"
)

func TestSaveFindsABusinessRegisteredMeanwhile(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "summary")
	// The same owner registers the same business from another chat.
	other, _, err := h.Store.CreateRegistration(context.Background(), "elsewhere",
		store.Registration{UserID: owner, NIK: nikSiti, BusinessName: "KUE BASAH BU SITI"})
	if err != nil {
		t.Fatal(err)
	}
	rs := h.Send(owner, "simpan")
	ft.Want(t, rs, "reg_duplicate", "menu_prompt")
	checkRendered(t, h, rs)
	if rs[0].Data["Number"] != other.Number || len(registrations(t, h, owner)) != 1 {
		t.Errorf("duplicate at save: %v, %d registrations", rs[0].Data, len(registrations(t, h, owner)))
	}
}

func TestSaveAsksConsentAgainWhenItIsGone(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "summary")
	if _, err := h.Store.DeleteUserData(context.Background(), owner); err != nil {
		t.Fatal(err)
	}
	ft.Want(t, h.Send(owner, "simpan"), "reg_consent_missing", "reg_consent")
	ft.Want(t, h.Send(owner, "setuju"), "reg_summary")
	ft.Want(t, h.Send(owner, "simpan"), "reg_saved", "menu_prompt")
	r := registrations(t, h, owner)[0]
	if r.ConsentVersion != version || r.ConsentAt.IsZero() {
		t.Errorf("consent of the record: %q at %v", r.ConsentVersion, r.ConsentAt)
	}
}

func TestKeyboardsRender(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "kec")
	for range 3 {
		checkRendered(t, h, h.Send(owner, "berikutnya"))
	}
	reach(t, h, owner, "summary")
	checkRendered(t, h, h.Send(owner, "ubah"))
	checkRendered(t, h, h.TapLabel(owner, "Ubah omzet"))
	checkRendered(t, h, h.Send(owner, "80 M"))
	checkRendered(t, h, h.Send(owner, "bantuan"))
	h.Send(owner, "kembali")
	h.Send(owner, "1 M")
	reach(t, h, owner, "")
	reach(t, h, owner, "biz")
	h.Send(owner, "Katering Bu Siti")
	reach(t, h, owner, "")
	checkRendered(t, h, h.Send(owner, "/ubahdata"))
	checkRendered(t, h, h.Send(owner, "2"))
	checkRendered(t, h, h.Send(owner, "bantuan"))
}
