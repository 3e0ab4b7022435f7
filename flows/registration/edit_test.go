package registration_test

import (
	"context"
	"strings"
	"testing"

	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
)

func TestCorrectionOfOneRegistration(t *testing.T) {
	h := newHarness(t, nil, nil)
	ft.Want(t, h.Send(owner, "/ubahdata"), "reg_edit_none", "menu_prompt")
	reach(t, h, owner, "")
	before := registrations(t, h, owner)[0]

	rs := h.Send(owner, "/ubahdata")
	ft.Want(t, rs, "reg_edit_summary")
	checkRendered(t, h, rs)
	if p := h.Plain(rs); !strings.Contains(p, before.Number) || strings.Contains(p, nikSiti) {
		t.Errorf("correction summary:\n%s", p)
	}
	ft.Want(t, h.Send(owner, "ubah"), "reg_editpick")
	ft.Want(t, h.Send(owner, "ubah alamat"), "reg_address")
	ft.Want(t, h.Send(owner, "Jl. Kutabumi Raya No. 3"), "reg_edit_summary")
	h.Send(owner, "ubah")
	h.Send(owner, "nomor hp")
	ft.Want(t, h.Contact(owner, "+62 857 1234 5678"), "reg_phone_ok", "reg_edit_summary")
	// The business keeps its own name without a duplicate complaint.
	h.Send(owner, "ubah")
	h.Send(owner, "nama usaha")
	ft.Want(t, h.Send(owner, "Kue Basah Bu Siti"), "reg_edit_summary")
	ft.Want(t, h.Send(owner, "simpan"), "reg_updated", "menu_prompt")

	after := registrations(t, h, owner)[0]
	if after.Number != before.Number || after.Address != "Jl. Kutabumi Raya No. 3" || after.Phone != "+6285712345678" ||
		after.ConsentVersion != before.ConsentVersion || !after.ConsentAt.Equal(before.ConsentAt) ||
		after.NIK != before.NIK || after.Turnover != before.Turnover || !after.TurnoverMonthly {
		t.Errorf("after the correction:\n %+v\nbefore\n %+v", after, before)
	}
	edits := audit(t, h, "edit")
	if len(edits) != 1 || edits[0].Detail != "fields: phone, address" || edits[0].Actor != owner {
		t.Errorf("edit audit %+v", edits)
	}
	// Saving without a change writes nothing.
	h.Send(owner, "/ubahdata")
	ft.Want(t, h.Send(owner, "simpan"), "reg_updated", "menu_prompt")
	if n := len(audit(t, h, "edit")); n != 1 {
		t.Errorf("%d edit entries after an unchanged save", n)
	}
}

func TestCorrectionPicksOneOfSeveral(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "")
	reach(t, h, owner, "biz")
	h.Send(owner, "Katering Bu Siti")
	reach(t, h, owner, "")
	list := registrations(t, h, owner)

	ft.Want(t, h.Send(owner, "/ubahdata"), "reg_edit_pick")
	if n := len(h.Buttons(owner)); n != 2 {
		t.Fatalf("%d registrations offered", n)
	}
	ft.Want(t, h.Send(owner, "yang ketiga"), "reg_edit_pick_choose")
	rs := h.Send(owner, "katering bu siti")
	ft.Want(t, rs, "reg_edit_summary")
	if rs[0].Data["Number"] != list[1].Number {
		t.Fatalf("picked %v, want %s", rs[0].Data["Number"], list[1].Number)
	}
	// Renaming it to the other business of the same NIK is refused.
	h.Send(owner, "ubah")
	h.Send(owner, "nama usaha")
	ft.Want(t, h.Send(owner, "kue basah bu siti"), "reg_biz_taken")
	ft.Want(t, h.Send(owner, "Katering Siti Jaya"), "reg_edit_summary")
	ft.Want(t, h.Send(owner, "kembali"), "reg_biz")
	h.Send(owner, "Katering Siti Jaya")
	ft.Want(t, h.TapLabel(owner, "Simpan"), "reg_updated", "menu_prompt")

	h.Send(owner, "/ubahdata")
	ft.Want(t, h.Tap(owner, 1), "reg_edit_summary")
	if got := registrations(t, h, owner)[1].BusinessName; got != "Katering Siti Jaya" {
		t.Errorf("business name %q", got)
	}
	// Data deleted meanwhile: the correction says so.
	if _, err := h.Store.DeleteUserData(context.Background(), owner); err != nil {
		t.Fatal(err)
	}
	ft.Want(t, h.Send(owner, "simpan"), "reg_edit_gone", "menu_prompt")
}
