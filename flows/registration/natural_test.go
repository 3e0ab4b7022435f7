package registration_test

import (
	"strings"
	"testing"

	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
)

// Answers owners give naturally, each taken the way they meant it.
func TestNaturalAnswers(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "name")
	ft.Want(t, h.Send(owner, "Hj. Siti Aminah, S.E."), "reg_nik")
	if got := h.Session(owner).Data["name"]; got != "Hj. Siti Aminah, S.E." {
		t.Fatalf("name %q", got)
	}
	ft.Want(t, h.Send(owner, "3603 1245 0790 0003"), "reg_nik_confirm")
	// A corrected NIK typed at the confirmation is taken as the correction.
	rs := h.Send(owner, "3603 1212 0385 0007")
	ft.Want(t, rs, "reg_nik_confirm")
	if p := h.Plain(rs); !strings.Contains(p, "12 Maret 1985") || !strings.Contains(p, "Laki-laki") {
		t.Fatalf("confirmation of the corrected NIK:\n%s", p)
	}
	if s := h.Session(owner); s.State != "nikok" || s.Tries != 0 || s.Data["nik"] != "3603121203850007" {
		t.Fatalf("session %+v", s)
	}
	// A wrong NIK typed there says what is wrong with it and keeps the old.
	ft.Want(t, h.Send(owner, "3603 1212 0385 000"), "field_nik_length")
	if got := h.Session(owner).Data["nik"]; got != "3603121203850007" {
		t.Fatalf("nik %q after a bad correction", got)
	}
	ft.Want(t, h.Send(owner, "ya"), "reg_phone")

	reach(t, h, owner, "year")
	ft.Want(t, h.Send(owner, "3 tahun lalu"), "reg_workers")
	if got := h.Session(owner).Data["year"]; got != "2023" {
		t.Fatalf("year %q", got)
	}
	h.Send(owner, "kembali")
	ft.Want(t, h.Send(owner, "tahun lalu"), "reg_workers")
	if got := h.Session(owner).Data["year"]; got != "2025" {
		t.Fatalf("year %q", got)
	}

	reach(t, h, owner, "nib")
	for _, have := range []string{"sudah", "ada", "punya", "sudah punya pak"} {
		rs := h.Send(owner, have)
		ft.Want(t, rs, "reg_nib_number")
		h.CheckRendered(t, rs)
		if s := h.Session(owner); s.State != "nib" || s.Tries != 0 {
			t.Fatalf("after %q: %+v", have, s)
		}
	}
	ft.Want(t, h.Send(owner, "1234567890123"), "reg_halal")
}

func TestImplausibleTurnoverIsConfirmed(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "turnover")
	rs := h.Send(owner, "500")
	ft.Want(t, rs, "reg_turnover_check")
	h.CheckRendered(t, rs)
	if p := h.Plain(rs); !strings.Contains(p, "Rp500 per tahun, benar?") {
		t.Fatalf("question:\n%s", p)
	}
	// Ubah asks again; a plausible figure goes on without a question.
	ft.Want(t, h.TapLabel(owner, "Ubah"), "reg_turnover")
	ft.Want(t, h.Send(owner, "500"), "reg_turnover_check")
	// A full figure typed at the question is the answer.
	ft.Want(t, h.Send(owner, "500 juta"), "reg_nib")
	if got := h.Session(owner).Data["omzet"]; got != "500000000" {
		t.Fatalf("turnover %q", got)
	}
	// Ya keeps the small figure.
	h.Send(owner, "kembali")
	ft.Want(t, h.Send(owner, "50rb per bulan"), "reg_turnover_check")
	ft.Want(t, h.Send(owner, "ya"), "reg_nib")
	if got := h.Session(owner).Data["omzet"]; got != "600000" {
		t.Fatalf("turnover %q", got)
	}
	// In English.
	h2 := newHarness(t, nil, nil)
	reach(t, h2, owner, "turnover")
	rs = h2.SendLang(owner, "en", "500")
	ft.Want(t, rs, "reg_turnover_check")
	if p := h2.Plain(rs); rs[0].Lang != "en" || !strings.Contains(p, "Is Rp500 per year right?") {
		t.Fatalf("question in %s:\n%s", rs[0].Lang, p)
	}
	ft.Want(t, h2.SendLang(owner, "en", "change"), "reg_turnover")
}

func TestUbahForUbahAngka(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "turnover")
	ft.Want(t, h.Send(owner, "75 M"), "reg_besar")
	ft.Want(t, h.Send(owner, "ubah"), "reg_turnover")
	ft.Want(t, h.Send(owner, "75 M"), "reg_besar")
	ft.Want(t, h.Send(owner, "hmm"), "err_choose_button")
	ft.Want(t, h.Send(owner, "selesai"), "reg_besar_bye", "menu_prompt")
}

func TestKecamatanChangeAsksAboutTheAddress(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "summary")
	h.Send(owner, "ubah")
	ft.Want(t, h.Send(owner, "kecamatan"), "reg_kec")
	ft.Want(t, h.Send(owner, "cikupa"), "reg_desa")
	rs := h.Send(owner, "lewati")
	ft.Want(t, rs, "reg_address_check")
	h.CheckRendered(t, rs)
	if p := h.Plain(rs); !strings.Contains(p, "Jl. Raya Pasar Kemis No. 12") || !strings.Contains(p, "Cikupa") {
		t.Fatalf("question:\n%s", p)
	}
	ft.Want(t, h.TapLabel(owner, "Ubah alamat"), "reg_address")
	rs = h.Send(owner, "Jl. Raya Cikupa No. 5")
	ft.Want(t, rs, "reg_summary")
	if p := h.Plain(rs); !strings.Contains(p, "Jl. Raya Cikupa No. 5") {
		t.Fatalf("summary:\n%s", p)
	}
	// A new address typed at the question is the answer.
	h.Send(owner, "ubah")
	h.Send(owner, "kecamatan")
	h.Send(owner, "balaraja")
	ft.Want(t, h.Send(owner, "lewati"), "reg_address_check")
	rs = h.Send(owner, "Jl. Raya Balaraja No. 7")
	ft.Want(t, rs, "reg_summary")
	if p := h.Plain(rs); !strings.Contains(p, "Jl. Raya Balaraja No. 7") {
		t.Fatalf("summary:\n%s", p)
	}
	// The same kecamatan again asks nothing about the address.
	h.Send(owner, "ubah")
	h.Send(owner, "kecamatan")
	h.Send(owner, "balaraja")
	ft.Want(t, h.Send(owner, "lewati"), "reg_summary")
}
