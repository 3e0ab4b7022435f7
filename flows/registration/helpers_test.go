package registration_test

import (
	"context"
	"regexp"
	"slices"
	"testing"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/flows/menu"
	"github.com/diskum-tangerang/umkmbot/flows/registration"
	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/memory"
)

const (
	owner   = 1001
	version = "2026-11"
	// nikSiti is a woman born on 5 July 1990, registered in Pasar Kemis.
	nikSiti = "3603124507900003"
)

var opt = registration.Options{ConsentVersion: version}

// newHarness builds a harness with the registration flows on its memory
// store, or on mem when given (a restart).
func newHarness(t *testing.T, mem *memory.Store, sessions store.SessionStore) *ft.Harness {
	t.Helper()
	return ft.New(t, ft.Options{
		Store:    mem,
		Sessions: sessions,
		Menu:     menu.Options{Registration: registration.Name},
		Flows: func(h *ft.Harness) []*flows.Flow {
			return []*flows.Flow{registration.New(h.Store, opt), registration.NewEdit(h.Store, opt)}
		},
	})
}

// step is one answer of a transcript and the replies it must get.
type step struct {
	state string // the state the answer is given in
	in    string
	want  []string
}

// happy is the whole registration typed in informal Indonesian, without a
// single button tap or button number.
var happy = []step{
	{"", "/daftar", []string{"reg_consent"}},
	{"consent", "iya", []string{"reg_name"}},
	{"name", "Siti Aminah", []string{"reg_nik"}},
	{"nik", "3603 1245 0790 0003", []string{"reg_nik_confirm"}},
	{"nikok", "iya bener", []string{"reg_phone"}},
	{"phone", "0812-3456-7890", []string{"reg_phone_ok", "reg_biz"}},
	{"biz", "Kue Basah Bu Siti", []string{"reg_sector"}},
	{"sector", "jualan kue", []string{"reg_products"}},
	{"products", "kue basah, nasi uduk, sama gorengan", []string{"reg_kec"}},
	{"kec", "pasarkemis", []string{"reg_desa"}},
	{"desa", "suka asih", []string{"reg_address"}},
	{"address", "Jl. Raya Pasar Kemis No. 12, RT 03/RW 05", []string{"reg_year"}},
	{"year", "sejak 2019", []string{"reg_workers"}},
	{"workers", "3 orang", []string{"reg_capital"}},
	{"capital", "50jt", []string{"reg_turnover"}},
	{"turnover", "1,5 juta per bulan", []string{"reg_nib"}},
	{"nib", "belum punya", []string{"reg_nib_training", "reg_halal"}},
	{"halal", "belum", []string{"reg_summary"}},
	{"summary", "simpan", []string{"reg_saved", "menu_prompt"}},
}

// prompts maps each state to the message that asks its question.
var prompts = map[string]string{
	"consent": "reg_consent", "name": "reg_name", "nik": "reg_nik", "nikok": "reg_nik_confirm",
	"phone": "reg_phone", "biz": "reg_biz", "sector": "reg_sector", "products": "reg_products",
	"kec": "reg_kec", "desa": "reg_desa", "address": "reg_address", "year": "reg_year",
	"workers": "reg_workers", "capital": "reg_capital", "turnover": "reg_turnover", "nib": "reg_nib",
	"halal": "reg_halal", "summary": "reg_summary",
}

// reach starts /daftar when the owner is not in the registration, and
// answers the happy transcript until the session is in state ("" for the
// end of the registration).
func reach(t *testing.T, h *ft.Harness, user int64, state string) {
	t.Helper()
	if h.Session(user) == nil || h.Session(user).Flow != registration.Name {
		h.Send(user, "/daftar")
	}
	for range len(happy) + 1 {
		s := h.Session(user)
		if s.Flow != registration.Name || s.State == state {
			break
		}
		if s.State == "_resume" {
			h.Send(user, "mulai ulang")
			continue
		}
		i := slices.IndexFunc(happy, func(st step) bool { return st.state == s.State })
		if i < 0 {
			t.Fatalf("no answer for state %s", s.State)
		}
		ft.Want(t, h.Send(user, happy[i].in), happy[i].want...)
	}
	if s := h.Session(user); (state == "" && s.Flow == registration.Name) || (state != "" && s.State != state) {
		t.Fatalf("state %s not reached: %+v", state, s)
	}
}

// registrations returns the owner's registrations.
func registrations(t *testing.T, h *ft.Harness, user int64) []store.Registration {
	t.Helper()
	list, err := h.Store.RegistrationsOf(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// rupiahRE is money written the Indonesian way.
var rupiahRE = regexp.MustCompile(`Rp\d{1,3}(\.\d{3})*`)

// checkRendered renders replies in both languages and fails on anything a
// user should not see (flowstest.Harness.CheckRendered).
func checkRendered(t *testing.T, h *ft.Harness, rs []flows.Reply) {
	t.Helper()
	h.CheckRendered(t, rs)
}
