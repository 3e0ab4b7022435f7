package datarights_test

import (
	"context"
	"strings"
	"testing"
	"time"

	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/store"
)

// bookAndLink gives user a training seat, a waitlist place and a linked
// loan, straight in the store.
func bookAndLink(t *testing.T, h *ft.Harness, user int64) {
	t.Helper()
	ctx := context.Background()
	start := h.Now().Add(10 * 24 * time.Hour)
	for i, capacity := range []int{5, 1} {
		tr, err := h.Store.CreateTraining(ctx, staff, store.Training{Topic: store.TopicFinance,
			Title: "Pelatihan " + string(rune('A'+i)), StartAt: start, EndAt: start.Add(3 * time.Hour),
			Place: "Aula Kecamatan Tigaraksa", Capacity: capacity, Deadline: start.Add(-time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if capacity == 1 {
			if _, err := h.Store.Book(ctx, tr.ID, 2002, h.Now()); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := h.Store.Book(ctx, tr.ID, user, h.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := h.Store.UpsertLoan(ctx, 0, store.Loan{Number: "UPDB-2026-0042", NIK: nik, ApplicantName: name,
		Requested: 25_000_000, TenorMonths: 36, RateBP: 400, Method: "flat"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Store.Link(ctx, user, "UPDB-2026-0042", nik); err != nil {
		t.Fatal(err)
	}
}

// TestHapusDataPreviewListsEverything: the preview lists everything the
// deletion removes, with the right counts, and nothing the owner does not
// have (no "0 pendaftaran"); the report after it says the same.
func TestHapusDataPreviewListsEverything(t *testing.T) {
	h := newHarness(t)
	bookAndLink(t, h, owner)
	rs := h.Send(owner, "/hapusdata")
	ft.Want(t, rs, "data_delete_confirm")
	h.CheckRendered(t, rs)
	preview := h.Plain(rs)
	for _, s := range []string{"• 1 kursi pelatihan yang Anda pesan: pendaftarannya dibatalkan;",
		"• tempat Anda di daftar tunggu 1 pelatihan;",
		"• tautan 1 pinjaman dana bergulir ke akun Telegram ini (catatan pinjamannya sendiri tetap disimpan UPDB);",
		"• pilihan bahasa dan isian yang belum selesai."} {
		if !strings.Contains(preview, s) {
			t.Errorf("the preview lacks %q:\n%s", s, preview)
		}
	}
	for _, s := range []string{"pendaftaran usaha Anda", "catatan persetujuan", " 0 ", "langganan pengumuman"} {
		if strings.Contains(preview, s) {
			t.Errorf("the preview lists %q, which the owner does not have:\n%s", s, preview)
		}
	}
	rs = h.Send(owner, "Hapus data saya")
	ft.Want(t, rs, "data_deleted", "menu_prompt")
	done := h.Plain(rs[:1])
	for _, s := range []string{"• 1 kursi pelatihan", "• tempat Anda di daftar tunggu 1 pelatihan", "• tautan 1 pinjaman",
		"1 catatan pinjaman dana bergulir (aturan kearsipan UPDB)"} {
		if !strings.Contains(done, s) {
			t.Errorf("the report lacks %q:\n%s", s, done)
		}
	}
	if list, _ := h.Store.BookingsOf(context.Background(), owner, h.Now()); len(list) != 0 {
		t.Errorf("places left: %+v", list)
	}
	if list, _ := h.Store.LinkedLoans(context.Background(), owner); len(list) != 0 {
		t.Errorf("loan links left: %+v", list)
	}
}

// TestHapusDataPreviewGrammar: a registered owner hears of the
// registrations, consents and announcements; English counts agree with
// their nouns.
func TestHapusDataPreviewGrammar(t *testing.T) {
	h := newHarness(t)
	register(t, h, owner, "Kue Basah Bu Siti")
	rs := h.Send(owner, "/hapusdata")
	ft.Want(t, rs, "data_delete_confirm")
	id, en := h.Catalog.Plain("id", rs[0].Text), h.Catalog.Plain("en", rs[0].Text)
	for _, s := range []string{"dan NIB di 1 pendaftaran usaha Anda.", "• 1 catatan persetujuan;",
		"• langganan pengumuman dari Dinas: Anda tidak akan menerima pengumuman lagi;"} {
		if !strings.Contains(id, s) {
			t.Errorf("the preview lacks %q:\n%s", s, id)
		}
	}
	for _, s := range []string{"and NIB in your business registration.", "• 1 consent record;",
		"• your subscription to the Dinas announcements"} {
		if !strings.Contains(en, s) {
			t.Errorf("the English preview lacks %q:\n%s", s, en)
		}
	}
	if strings.Contains(id, "kursi pelatihan") || strings.Contains(id, "pinjaman dana bergulir ke akun") {
		t.Errorf("the preview lists what the owner does not have:\n%s", id)
	}
	h.Send(owner, "batal")
	register(t, h, owner, "Katering Bu Siti")
	en = h.Catalog.Plain("en", h.Send(owner, "/hapusdata")[0].Text)
	if !strings.Contains(en, "in your 2 business registrations.") {
		t.Errorf("two registrations in English:\n%s", en)
	}

	// An owner with nothing hears only of the language and unfinished forms.
	rs = h.Send(2003, "/hapusdata")
	if lines := strings.Count(h.Plain(rs), "• "); lines != 3 { // the rest, and the two kept by law
		t.Errorf("%d lines for an owner with nothing:\n%s", lines, h.Plain(rs))
	}
}
