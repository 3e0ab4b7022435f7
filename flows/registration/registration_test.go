package registration_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/flows/registration"
	"github.com/diskum-tangerang/umkmbot/store"
)

func TestHappyPathTypedOnly(t *testing.T) {
	h := newHarness(t, nil, nil)
	var plain strings.Builder
	for _, s := range happy {
		if s.state != "" {
			if got := h.Session(owner).State; got != s.state {
				t.Fatalf("before %q: state %s, want %s", s.in, got, s.state)
			}
		}
		rs := h.Send(owner, s.in)
		ft.Want(t, rs, s.want...)
		checkRendered(t, h, rs)
		plain.WriteString(h.Plain(rs))
	}
	list := registrations(t, h, owner)
	if len(list) != 1 {
		t.Fatalf("%d registrations, want 1", len(list))
	}
	got := list[0]
	want := store.Registration{
		ID: got.ID, Number: "UMKM-3603-2026-000001", UserID: owner,
		OwnerName: "Siti Aminah", NIK: nikSiti, BirthDate: time.Date(1990, 7, 5, 0, 0, 0, 0, time.UTC),
		Female: true, Phone: "+6281234567890",
		BusinessName: "Kue Basah Bu Siti", Sector: "kuliner", Products: "kue basah, nasi uduk, sama gorengan",
		Kecamatan: "360312", Desa: "3603122015", Address: "Jl. Raya Pasar Kemis No. 12, RT 03/RW 05",
		YearStarted: 2019, Workers: 3, Capital: 50_000_000, Turnover: 18_000_000, TurnoverMonthly: true,
		Class: "mikro", ClassBasis: "omzet", NIB: "", Halal: "belum",
		ConsentVersion: version, ConsentAt: ft.Start, CreatedAt: ft.Start, UpdatedAt: ft.Start,
	}
	if got != want {
		t.Errorf("saved\n %+v\nwant\n %+v", got, want)
	}
	text := plain.String()
	for _, s := range []string{
		"Nomor HP dicatat: 0812-3456-7890.",
		"Modal usaha dicatat: Rp50.000.000.",
		"Rp1.500.000 per bulan × 12 = Rp18.000.000 per tahun",
		"termasuk usaha mikro menurut PP 7/2021",
		"paling banyak Rp2.000.000.000",
		"3603********0003",
		"Kamis, 5 Juli 1990",
		"Suka Asih",
		"Nomor pendaftaran Anda: UMKM-3603-2026-000001",
		"menghubungi Ibu melalui nomor 0812-3456-7890",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("transcript lacks %q", s)
		}
	}
	if strings.Contains(text, nikSiti) {
		t.Error("the transcript shows the full NIK")
	}
	if s := h.Session(owner); s.Flow != "menu" || len(s.Drafts) != 0 || len(s.Data) != 0 {
		t.Errorf("session after saving: %+v", s)
	}
	audit, _ := h.Store.AuditLog(context.Background(), "")
	var actions []string
	for _, e := range audit {
		actions = append(actions, e.Action)
	}
	if !slices.Equal(actions, []string{"consent", "register"}) {
		t.Errorf("audit actions %v", actions)
	}
}

func TestEnglishTranscriptRenders(t *testing.T) {
	h := newHarness(t, nil, nil)
	if err := h.Store.SetLanguage(context.Background(), owner, "en"); err != nil {
		t.Fatal(err)
	}
	for _, s := range happy {
		in := s.in
		switch in {
		case "iya", "iya bener":
			in = "yes"
		case "belum punya":
			in = "not yet"
		case "belum":
			in = "Not yet"
		case "simpan":
			in = "save"
		}
		rs := h.Send(owner, in)
		ft.Want(t, rs, s.want...)
		for _, r := range rs {
			if r.Lang != "en" {
				t.Fatalf("%s in %q", r.ID, r.Lang)
			}
		}
		checkRendered(t, h, rs)
	}
	if n := len(registrations(t, h, owner)); n != 1 {
		t.Fatalf("%d registrations", n)
	}
}

func TestButtonsAndContact(t *testing.T) {
	h := newHarness(t, nil, nil)
	h.Send(owner, "/daftar")
	ft.Want(t, h.TapLabel(owner, "Setuju"), "reg_name")
	h.Send(owner, "Siti Aminah")
	h.Send(owner, nikSiti)
	ft.Want(t, h.TapLabel(owner, "Ya, benar"), "reg_phone")
	other := flows.Update{UserID: owner, ChatID: owner, Kind: flows.KindContact,
		Contact: &flows.Contact{Phone: "+6285712345678", UserID: 999}}
	ft.Want(t, h.Do(other), "err_contact_other")
	rs := h.Contact(owner, "6281234567890")
	ft.Want(t, rs, "reg_phone_ok", "reg_biz")
	if !rs[0].RemoveKeyboard {
		t.Error("the phone keyboard is not removed")
	}
	h.Send(owner, "Kue Basah Bu Siti")
	ft.Want(t, h.TapLabel(owner, "Digital dan kreatif"), "reg_products")
	h.Send(owner, "desain logo dan kemasan")
	// The kecamatan keyboard pages forward and back, tapped or typed.
	if n := len(h.Buttons(owner)); n != 13 {
		t.Fatalf("first kecamatan page has %d buttons, want 12 and ›", n)
	}
	rs = h.TapLabel(owner, "Berikutnya ›")
	ft.Want(t, rs, "reg_kec")
	if rs[0].Data["Page"] != 2 {
		t.Fatalf("page %v", rs[0].Data["Page"])
	}
	ft.Want(t, h.Send(owner, "berikutnya"), "reg_kec")
	ft.Want(t, h.TapLabel(owner, "‹ Sebelumnya"), "reg_kec")
	h.TapLabel(owner, "Berikutnya ›")
	ft.Want(t, h.TapLabel(owner, "Mekar Baru"), "reg_desa")
	ft.Want(t, h.TapLabel(owner, "Lewati"), "reg_address")
	h.Send(owner, "Kampung Kebon RT 01/RW 02")
	h.Send(owner, "2020")
	h.Send(owner, "sendiri")
	h.Send(owner, "Rp 5.000.000")
	rs = h.TapLabel(owner, "Belum tahu")
	ft.Want(t, rs, "reg_nib")
	checkRendered(t, h, rs)
	if !strings.Contains(h.Plain(rs), "ditentukan dari modal usaha") {
		t.Errorf("class by capital not explained: %s", h.Plain(rs))
	}
	ft.Want(t, h.Send(owner, "1234 5678 90123"), "reg_halal")
	ft.Want(t, h.TapLabel(owner, "Tidak perlu"), "reg_summary")
	ft.Want(t, h.TapLabel(owner, "Simpan"), "reg_saved", "menu_prompt")
	r := registrations(t, h, owner)[0]
	if r.Sector != "digital_kreatif" || r.Kecamatan != "360333" || r.Desa != "" || r.Phone != "+6281234567890" ||
		r.NIB != "1234567890123" || r.Halal != "" || r.ClassBasis != "modal" || r.Turnover != 0 || r.Workers != 1 {
		t.Errorf("saved %+v", r)
	}
}

func TestConsentRefused(t *testing.T) {
	h := newHarness(t, nil, nil)
	h.Send(owner, "/daftar")
	ft.Want(t, h.Send(owner, "tidak setuju"), "reg_consent_refused", "menu_prompt")
	cs, _ := h.Store.ConsentsOf(context.Background(), owner)
	if len(cs) != 1 || cs[0].Granted || cs[0].NoticeVersion != version || !cs[0].At.Equal(ft.Start) {
		t.Fatalf("consents %+v", cs)
	}
	if s := h.Session(owner); len(s.Drafts) != 0 {
		t.Errorf("a refusal kept a draft: %+v", s.Drafts)
	}
	// Asked again, the notice is shown again.
	ft.Want(t, h.Send(owner, "/daftar"), "reg_consent")
	ft.Want(t, h.Send(owner, "mungkin nanti"), "reg_consent_choose")
}

func TestSecondBusinessSkipsNoticeAndDuplicateIsRecognised(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "")
	first := registrations(t, h, owner)[0]
	ft.Want(t, h.Send(owner, "/daftar"), "reg_consent_known", "reg_name")
	h.Send(owner, "Siti Aminah")
	h.Send(owner, "3603.1245.0790.0003")
	h.Send(owner, "ya")
	h.Send(owner, "+62 812 3456 7890")
	rs := h.Send(owner, "  kue basah   BU siti ")
	ft.Want(t, rs, "reg_duplicate", "menu_prompt")
	if rs[0].Data["Number"] != first.Number {
		t.Errorf("duplicate shows %v, want %s", rs[0].Data["Number"], first.Number)
	}
	// Another business of the same owner is a second registration.
	reach(t, h, owner, "biz")
	ft.Want(t, h.Send(owner, "Katering Bu Siti"), "reg_sector")
	reach(t, h, owner, "")
	list := registrations(t, h, owner)
	if len(list) != 2 || list[1].Number != "UMKM-3603-2026-000002" {
		t.Fatalf("registrations %+v", list)
	}
}

func TestMinorAndLargeBusinessEnd(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "nik")
	ft.Want(t, h.Send(owner, "3603120507120003"), "reg_nik_confirm")
	rs := h.Send(owner, "ya")
	ft.Want(t, rs, "reg_minor", "menu_prompt")
	checkRendered(t, h, rs)
	if s := h.Session(owner); len(s.Drafts) != 0 || len(s.Data) != 0 {
		t.Errorf("a minor's data was kept: %+v", s)
	}

	reach(t, h, owner, "turnover")
	rs = h.Send(owner, "60 M")
	ft.Want(t, rs, "reg_besar")
	checkRendered(t, h, rs)
	if !strings.Contains(h.Plain(rs), "lebih dari Rp50.000.000.000") {
		t.Errorf("besar reason: %s", h.Plain(rs))
	}
	// A typo can be fixed.
	ft.Want(t, h.TapLabel(owner, "Ubah angka"), "reg_turnover")
	ft.Want(t, h.Send(owner, "600 juta"), "reg_nib")
	ft.Want(t, h.Send(owner, "kembali"), "reg_turnover")
	ft.Want(t, h.Send(owner, "60 miliar"), "reg_besar")
	ft.Want(t, h.Send(owner, "selesai"), "reg_besar_bye", "menu_prompt")
	if n := len(registrations(t, h, owner)); n != 0 {
		t.Fatalf("%d registrations", n)
	}
}

func TestExtraListsEveryRuntimeID(t *testing.T) {
	for _, code := range field.Codes {
		if !slices.Contains(registration.Extra, "field_"+code) {
			t.Errorf("Extra lacks field_%s", code)
		}
	}
	for _, s := range field.Sectors() {
		if !slices.Contains(registration.Extra, "sector_"+s.Key) {
			t.Errorf("Extra lacks sector_%s", s.Key)
		}
	}
}

func TestEveryStepHasHelpAndTypedStepsAnExample(t *testing.T) {
	for _, f := range []*flows.Flow{registration.New(nil, opt), registration.NewEdit(nil, opt)} {
		for name, st := range f.Steps {
			if st.Help.IsZero() {
				t.Errorf("%s.%s has no Help", f.Name, name)
			}
			if st.Text && st.Example.IsZero() {
				t.Errorf("%s.%s reads text but has no Example", f.Name, name)
			}
		}
	}
}
