package main

import (
	"strings"
	"testing"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/locales"
)

// TestScriptFragments checks the text fragments the scripted users
// recognise against the bot's Indonesian messages: present in their own
// message and, for those that move a script on or end it, in no other.
func TestScriptFragments(t *testing.T) {
	cat, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	data := []any{"Title", "Pembukuan", "Number", "UPDB-2026-0042", "Code", "ABC123", "ID", 7, "Count", "150",
		"Audience", "semua", "Max", 3500, "Page", 1, "Pages", 2}
	frags := []struct {
		id, fragment string
		unique       bool
	}{
		{"train_booked", trainBookedFragment, true},
		{"train_booking_cancelled", trainCancelledFragment, false},
		{"train_mine_empty", trainEmptyFragment, true},
		{"menu_prompt", menuFragment, false},
		{"loan_ask_number", loanAskNumberFragment, true},
		{"loan_link_intro", loanIntroFragment, false},
		{"loan_linked", loanLinkedFragment, false},
		{"loan_card", loanCardFragment, false},
		{"loan_sched_page", loanSchedFragment, false},
		{"bc_ask_text", "Silakan ketik isi pengumumannya", true},
		{"bc_progress", "Terkirim", false},
		{"bc_report_done", "selesai", false},
	}
	ids := cat.IDs("id")
	for _, f := range frags {
		own := plainText(cat.Render("id", flows.T(f.id, data...)))
		if !strings.Contains(own, f.fragment) {
			t.Errorf("%s does not contain %q: %q", f.id, f.fragment, own)
		}
		if !f.unique {
			continue
		}
		for _, id := range ids {
			if id == f.id {
				continue
			}
			if other := plainText(cat.Render("id", flows.T(id, data...))); strings.Contains(other, f.fragment) {
				t.Errorf("%q of %s is also in %s", f.fragment, f.id, id)
			}
		}
	}
	created := plainText(cat.Render("id", flows.T("bc_created", "ID", 7, "Count", "1.500", "Audience", "semua",
		"When", "")))
	if m := campaignRE.FindStringSubmatch(created); m == nil || m[1] != "7" || m[2] != "1.500" {
		t.Errorf("bc_created %q: campaign and count not found (%q)", created, m)
	}
}
