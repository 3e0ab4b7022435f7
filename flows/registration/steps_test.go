package registration_test

import (
	"strings"
	"testing"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
)

func TestBadInputsGetTheirOwnMessage(t *testing.T) {
	cases := []struct {
		state, in, want string
	}{
		{"consent", "mungkin nanti", "reg_consent_choose"},
		{"consent", "setuju ga ya", "reg_consent_choose"},
		{"consent", "setuju gak?", "reg_consent_choose"},
		{"name", "S", "reg_name_short"},
		{"name", "..", "reg_name_short"},
		{"name", "Siti 123", "reg_name_chars"},
		{"name", "Siti @aminah", "reg_name_chars"},
		{"name", strings.Repeat("Siti ", 21), "reg_name_long"},
		{"nik", "3603 12ab", "field_nik_chars"},
		{"nik", "3603 1245 0790", "field_nik_length"},
		{"nik", "9903124507900003", "field_nik_region"},
		{"nik", "3603123002900001", "field_nik_birthdate"},
		{"nik", "3603011512260001", "field_nik_future"},
		{"nik", "3603124507900000", "field_nik_serial"},
		{"nikok", "gimana ya", "reg_nik_choose"},
		{"phone", "0812 abc", "field_phone_chars"},
		{"phone", "+1 415 555 2671", "field_phone_foreign"},
		{"phone", "021-5555-1234", "field_phone_landline"},
		{"phone", "08123", "field_phone_short"},
		{"phone", "081234567890123", "field_phone_long"},
		{"biz", "K", "reg_biz_short"},
		{"biz", strings.Repeat("Warung ", 15), "reg_biz_long"},
		{"sector", "entahlah", "field_sector_unknown"},
		{"products", "ok", "reg_products_short"},
		{"products", strings.Repeat("kue ", 126), "reg_products_long"},
		{"kec", "Serpong", "field_kecamatan_outside"},
		{"kec", "Bandung", "field_kecamatan_unknown"},
		{"desa", "Sentul", "field_desa_elsewhere"},
		{"desa", "Atlantis", "field_desa_unknown"},
		{"address", "dkt", "reg_address_short"},
		{"address", strings.Repeat("Jl. Raya ", 23), "reg_address_long"},
		{"year", "98", "field_year_format"},
		{"year", "1900", "field_year_range"},
		{"year", "2030", "field_year_range"},
		{"workers", "banyak", "field_count_format"},
		{"workers", "0", "field_count_range"},
		{"capital", "Rp", "field_money_empty"},
		{"capital", "1.5.3", "field_money_format"},
		{"capital", "-5 juta", "field_money_negative"},
		{"capital", "2000 T", "field_money_too_large"},
		{"capital", "5 juta per bulan", "reg_capital_period"},
		{"capital", "500rb sehari", "reg_capital_period"},
		{"turnover", "500rb sehari", "field_money_period"},
		{"turnover", "lumayan", "field_money_format"},
		{"nib", "NIB12", "field_nib_chars"},
		{"nib", "12345", "field_nib_length"},
		{"halal", "hmm", "reg_halal_choose"},
		{"summary", "hmm", "reg_summary_choose"},
	}
	h := newHarness(t, nil, nil)
	for _, tc := range cases {
		t.Run(tc.state+"/"+tc.in, func(t *testing.T) {
			reach(t, h, owner, tc.state)
			before := h.Session(owner)
			rs := h.Send(owner, tc.in)
			ft.Want(t, rs, tc.want)
			checkRendered(t, h, rs)
			after := h.Session(owner)
			if after.State != tc.state || after.Tries != before.Tries+1 || len(after.Data) != len(before.Data) {
				t.Fatalf("a bad answer changed the session: %+v, before %+v", after, before)
			}
			if tc.want == "field_money_period" {
				if _, ok := rs[0].Data["Amount"].(flows.Rupiah); !ok {
					t.Errorf("amount %T, want flows.Rupiah", rs[0].Data["Amount"])
				}
			}
			if tc.want == "field_nik_future" {
				if _, ok := rs[0].Data["BirthDate"].(flows.Date); !ok {
					t.Errorf("birth date %T, want flows.Date", rs[0].Data["BirthDate"])
				}
			}
			h.Send(owner, "/batal")
		})
	}
}

func TestKecamatanOutsideNamesTheOffice(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "kec")
	plain := h.Plain(h.Send(owner, "Ciputat"))
	if !strings.Contains(plain, "Kota Tangerang Selatan") || !strings.Contains(plain, "Dinas Koperasi dan UKM Kota Tangerang Selatan") {
		t.Errorf("outside answer: %s", plain)
	}
}

func TestKembaliFromEachStep(t *testing.T) {
	h := newHarness(t, nil, nil)
	for i := 1; i+1 < len(happy); i++ {
		state, prev := happy[i+1].state, happy[i].state
		t.Run(state, func(t *testing.T) {
			reach(t, h, owner, state)
			ft.Want(t, h.Send(owner, "kembali"), prompts[prev])
			if got := h.Session(owner).State; got != prev {
				t.Fatalf("kembali from %s went to %s, want %s", state, got, prev)
			}
			ft.Want(t, h.Send(owner, happy[i].in), happy[i].want...)
		})
	}
	// Once the notice was agreed to, the name is the first step.
	h.Send(owner, "/batal")
	ft.Want(t, h.Send(owner, "/daftar"), "resume_offer")
	ft.Want(t, h.Send(owner, "mulai ulang"), "reg_consent_known", "reg_name")
	ft.Want(t, h.Send(owner, "kembali"), "back_first_step", "reg_name")
}

func TestBatalKeepsDraftAcrossRestart(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "kec")
	ft.Want(t, h.Send(owner, "batal"), "cancel_kept", "menu_prompt")
	h.Advance(5 * 24 * 3600e9)

	// The process restarts: a new engine on the same store.
	h2 := newHarness(t, h.Store, nil)
	ft.Want(t, h2.Send(owner, "/daftar"), "resume_offer")
	ft.Want(t, h2.Send(owner, "lanjutkan"), "reg_kec")
	reach(t, h2, owner, "")
	list := registrations(t, h2, owner)
	if len(list) != 1 || list[0].OwnerName != "Siti Aminah" || list[0].Phone != "+6281234567890" {
		t.Fatalf("registrations after resume: %+v", list)
	}

	// Mulai ulang from the offer drops the draft.
	reach(t, h2, owner, "phone")
	h2.Send(owner, "menu")
	ft.Want(t, h2.Send(owner, "/daftar"), "resume_offer")
	ft.Want(t, h2.Send(owner, "mulai ulang"), "reg_consent_known", "reg_name")
	if s := h2.Session(owner); s.Data["nik"] != "" || len(s.Drafts) != 0 {
		t.Fatalf("restart kept data: %+v", s)
	}
}

func TestThreeStrikesShowExample(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "nik")
	ft.Want(t, h.Send(owner, "nik saya"), "field_nik_chars")
	ft.Want(t, h.Send(owner, "3603"), "field_nik_length")
	rs := h.Send(owner, "36031245")
	ft.Want(t, rs, "field_nik_length", "err_three_strikes")
	if ex := rs[1].Data["Example"].(flows.Text); ex.ID != "reg_ex_nik" {
		t.Fatalf("example %+v", ex)
	}
	checkRendered(t, h, rs)
	ft.Want(t, h.Send(owner, "bantuan"), "reg_help_nik", "reg_nik")
	ft.Want(t, h.Send(owner, nikSiti), "reg_nik_confirm")
	ft.Want(t, h.Send(owner, "salah"), "reg_nik")
	ft.Want(t, h.Send(owner, nikSiti), "reg_nik_confirm")
}

func TestEditFromSummary(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "summary")
	ft.Want(t, h.Send(owner, "ubah"), "reg_editpick")
	if n := len(h.Buttons(owner)); n != 16 {
		t.Fatalf("field keyboard has %d buttons, want 15 fields and back", n)
	}
	ft.Want(t, h.Send(owner, "Ubah nama usaha"), "reg_biz")
	rs := h.Send(owner, "Katering Bu Siti")
	ft.Want(t, rs, "reg_summary")
	if !strings.Contains(h.Plain(rs), "Nama usaha: Katering Bu Siti") {
		t.Errorf("summary after the edit:\n%s", h.Plain(rs))
	}
	// A changed kecamatan asks the desa again, then returns.
	h.Send(owner, "ubah")
	ft.Want(t, h.Send(owner, "kecamatan"), "reg_kec")
	ft.Want(t, h.Send(owner, "kec. cikupa"), "reg_desa")
	ft.Want(t, h.Send(owner, "lewati"), "reg_address_check")
	rs = h.TapLabel(owner, "Masih benar")
	ft.Want(t, rs, "reg_summary")
	if p := h.Plain(rs); !strings.Contains(p, "Kecamatan: Cikupa") || !strings.Contains(p, "Desa/kelurahan: (tidak diisi)") {
		t.Errorf("summary after the kecamatan edit:\n%s", p)
	}
	// A changed NIK is confirmed again.
	h.Send(owner, "ubah")
	h.TapLabel(owner, "Ubah NIK")
	ft.Want(t, h.Send(owner, "3603121203850007"), "reg_nik_confirm")
	rs = h.Send(owner, "ya")
	ft.Want(t, rs, "reg_summary")
	if !strings.Contains(h.Plain(rs), "Jenis kelamin: Laki-laki") {
		t.Errorf("summary after the NIK edit:\n%s", h.Plain(rs))
	}
	// Turnover into besar, fixed, back to the summary.
	h.Send(owner, "ubah")
	h.TapLabel(owner, "Ubah omzet")
	ft.Want(t, h.Send(owner, "75 M"), "reg_besar")
	h.TapLabel(owner, "Ubah angka")
	rs = h.Send(owner, "75 juta")
	ft.Want(t, rs, "reg_summary")
	// Back to the summary without a change; kembali from a field.
	h.Send(owner, "ubah")
	ft.Want(t, h.TapLabel(owner, "Kembali ke ringkasan"), "reg_summary")
	h.Send(owner, "ubah")
	h.Send(owner, "alamat")
	ft.Want(t, h.Send(owner, "kembali"), "reg_editpick")
	ft.Want(t, h.Send(owner, "modalnya dong"), "reg_editpick_choose")
	// Typed "simpan", "selesai" or "ringkasan" in the field menu: the
	// summary again, with its Simpan button (nothing saved without it).
	for _, typed := range []string{"Simpan", "simpan aja", "simpen", "selesai", "ringkasan"} {
		ft.Want(t, h.Send(owner, typed), "reg_summary")
		if n := len(registrations(t, h, owner)); n != 0 {
			t.Fatalf("%q in the field menu saved %d registrations", typed, n)
		}
		h.Send(owner, "ubah")
	}
	h.Send(owner, "kembali")
	ft.Want(t, h.Send(owner, "simpan"), "reg_saved", "menu_prompt")
	r := registrations(t, h, owner)[0]
	if r.BusinessName != "Katering Bu Siti" || r.Kecamatan != "360318" || r.Desa != "" || r.Female ||
		r.NIK != "3603121203850007" || r.Turnover != 75_000_000 || r.TurnoverMonthly {
		t.Errorf("saved %+v", r)
	}
}

// TestSummarySavesTypedSimpan: "simpen dong" typed at the summary saves,
// like the Simpan button; a mere "ringkasan" does not.
func TestSummarySavesTypedSimpan(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "summary")
	ft.Want(t, h.Send(owner, "ringkasan"), "reg_summary_choose")
	ft.Want(t, h.Send(owner, "simpen dong"), "reg_saved", "menu_prompt")
	if n := len(registrations(t, h, owner)); n != 1 {
		t.Fatalf("%d registrations saved, want 1", n)
	}
}

func TestDraftHoldsNoRenderedText(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "summary")
	for k, v := range h.Session(owner).Data {
		if strings.Contains(v, "Rp") || strings.Contains(v, "****") {
			t.Errorf("data %s=%q holds rendered text", k, v)
		}
	}
}
