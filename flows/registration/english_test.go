package registration_test

import (
	"strings"
	"testing"

	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
)

// An owner whose Telegram is in English answers in English.
func TestEnglishAnswers(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "year")
	say := func(in string, want ...string) string {
		t.Helper()
		rs := h.SendLang(owner, "en", in)
		ft.Want(t, rs, want...)
		for _, r := range rs {
			if r.Lang != "en" {
				t.Fatalf("%s in %q", r.ID, r.Lang)
			}
		}
		checkRendered(t, h, rs)
		return h.Plain(rs)
	}
	say("3 years ago", "reg_workers")
	if got := say("lots", "field_count_format"); !strings.Contains(got, "type alone") || strings.Contains(got, "sendiri") {
		t.Errorf("count error quotes Indonesian:\n%s", got)
	}
	if got := say("0", "field_count_range"); !strings.Contains(got, "between 1 and 100,000") {
		t.Errorf("count range:\n%s", got)
	}
	say("alone", "reg_capital")
	if got := h.Session(owner).Data["workers"]; got != "1" {
		t.Fatalf("workers %q", got)
	}
	if got := say("a lot", "field_money_format"); strings.Contains(got, "juta") {
		t.Errorf("money error quotes Indonesian:\n%s", got)
	}
	say("10m", "reg_turnover")
	if got := h.Session(owner).Data["capital"]; got != "10000000" {
		t.Fatalf("capital %q, want Rp10.000.000", got)
	}
	say("1.5 billion", "reg_nib")
	if got := h.Session(owner).Data["omzet"]; got != "1500000000" {
		t.Fatalf("turnover %q", got)
	}
	h.SendLang(owner, "en", "back")
	say("50 million a month", "reg_nib")
	if got := h.Session(owner).Data["omzet"]; got != "600000000" {
		t.Fatalf("turnover %q", got)
	}
	say("not yet", "reg_nib_training", "reg_halal")
}

// In Indonesian "M" is miliar, and every count is grouped.
func TestIndonesianMoneyAndCounts(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "workers")
	rs := h.Send(owner, "0")
	ft.Want(t, rs, "field_count_range")
	if got := h.Plain(rs); !strings.Contains(got, "antara 1 dan 100.000 orang") {
		t.Errorf("count range:\n%s", got)
	}
	h.Send(owner, "sendiri")
	ft.Want(t, h.Send(owner, "2m"), "reg_turnover")
	if got := h.Session(owner).Data["capital"]; got != "2000000000" {
		t.Fatalf("capital %q, want Rp2.000.000.000", got)
	}
	rs = h.Send(owner, strings.Repeat("a", 1001))
	ft.Want(t, rs, "err_too_long")
	if id, en := h.Plain(rs), h.Catalog.Plain("en", rs[0].Text); !strings.Contains(id, "1.000") || !strings.Contains(en, "1,000") {
		t.Errorf("too long:\n%s\n%s", id, en)
	}
}
