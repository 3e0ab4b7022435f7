package tanya_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/store"
)

// TestQuestionAnsweredAndClosed is the whole way: a question the bot does
// not understand, the offer, the FAQ suggestion refused, the ticket; the
// staff's queue and answer; the owner's notice from the outbox; the close;
// /datasaya and /hapusdata.
func TestQuestionAnsweredAndClosed(t *testing.T) {
	h := newHarness(t)
	rs := h.Send(owner, "kapan dana saya cair?")
	ft.Want(t, rs, "tanya_offer")
	h.CheckRendered(t, rs)
	rs = h.TapLabel(owner, "Ya, teruskan")
	ft.Want(t, rs, "tanya_faq")
	contains(t, h.Plain(rs), "Apakah ini yang Anda maksud?", "Kapan dana pinjaman dana bergulir saya cair?")
	rs = h.TapLabel(owner, "Bukan, tanya petugas")
	ft.Want(t, rs, "tanya_sent") // Friday 09.00 WIB: within office hours
	contains(t, h.Plain(rs), "TNY-2026-000001")
	tk := openTicket(t, h, owner)
	if tk.Status != store.TicketNew || len(tk.Messages) != 1 || tk.Messages[0].Text != "kapan dana saya cair?" {
		t.Fatalf("ticket %+v", tk)
	}

	// Owners do not have the staff commands.
	for _, cmd := range []string{"/antrean", "/jawab 1 halo", "/selesai 1", "/faq"} {
		ft.Has(t, h.Send(2002, cmd), "err_unknown_command")
	}

	h.Advance(30 * time.Minute)
	rs = h.Send(staff, "/antrean")
	ft.Want(t, rs, "tanya_queue")
	contains(t, h.Plain(rs), "1 · TNY-2026-000001 · menunggu jawaban · sejak Jumat, 27 November 2026 pukul 09.00 WIB",
		"kapan dana saya cair?")

	rs = h.Send(staff, "/jawab 1 Selamat pagi, Bu. Dana cair setelah akad;\njadwalnya kami kabarkan lewat telepon.")
	ft.Want(t, rs, "tanya_answered")
	it, r, text := notice(t, h, fmt.Sprintf("ticket:%d:2", tk.ID))
	if it.ChatID != owner || it.Kind != "ticket" || r.Lang != "id" {
		t.Errorf("notice %+v in %q", it, r.Lang)
	}
	contains(t, text, "Balasan untuk pertanyaan TNY-2026-000001",
		"Selamat pagi, Bu. Dana cair setelah akad;\njadwalnya kami kabarkan lewat telepon.", "— Petugas Dinas")
	if strings.Contains(text, "9001") {
		t.Errorf("the notice names the staff member:\n%s", text)
	}
	if len(r.Buttons) != 1 || r.Buttons[0][0].Data != "/tanya selesai" {
		t.Errorf("notice buttons %+v, want one that closes the question", r.Buttons)
	}
	tk = openTicket(t, h, owner)
	if tk.Status != store.TicketAnswered || !tk.FirstResponseAt.Equal(h.Now()) || tk.Messages[1].StaffID != staff {
		t.Errorf("answered ticket %+v", tk)
	}

	// The owner taps the notice's button, typed here as the words.
	ft.Want(t, h.Send(owner, "sudah, terima kasih"), "tanya_closed_owner", "menu_prompt")
	if _, err := h.Store.OpenTicket(context.Background(), owner); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("still open: %v", err)
	}
	ft.Want(t, h.Send(staff, "/selesai 1"), "tanya_already_closed")
	ft.Want(t, h.Send(staff, "/jawab 1 satu lagi"), "tanya_already_closed")
	ft.Want(t, h.Send(staff, "/antrean"), "tanya_queue_empty")

	rs = h.Send(owner, "/datasaya")
	ft.Has(t, rs, "data_tickets")
	contains(t, h.Plain(rs), "TNY-2026-000001 · selesai",
		"Jumat, 27 November 2026 pukul 09.00 WIB · Anda: kapan dana saya cair?",
		"Jumat, 27 November 2026 pukul 09.30 WIB · Petugas Dinas: Selamat pagi, Bu.")

	rs = h.Send(owner, "/hapusdata")
	ft.Want(t, rs, "data_delete_confirm")
	contains(t, h.Plain(rs), "• 1 pertanyaan Anda kepada petugas Dinas beserta balasannya;")
	ft.Want(t, h.Send(owner, "Hapus data saya"), "data_deleted", "menu_prompt")
	if list, _ := h.Store.TicketsOf(context.Background(), owner); len(list) != 0 {
		t.Errorf("tickets left after /hapusdata: %+v", list)
	}
}

// TestAnswerInOwnersLanguage: the notice is rendered in the language the
// owner asked in, whatever the staff member's.
func TestAnswerInOwnersLanguage(t *testing.T) {
	h := newHarness(t)
	h.Send(owner, "/bahasa")
	h.TapLabel(owner, "English")
	ft.Want(t, h.Send(owner, "/tanya is there a bazaar next month?"), "tanya_sent")
	ft.Want(t, h.Send(staff, "/jawab TNY-2026-000001 Yes, on 12 December at the Tigaraksa square."), "tanya_answered")
	_, r, text := notice(t, h, "ticket:1:2")
	if r.Lang != "en" {
		t.Errorf("notice language %q, want en", r.Lang)
	}
	contains(t, text, "Reply to your question TNY-2026-000001", "Yes, on 12 December", "— Dinas staff")
	ft.Want(t, h.Send(owner, "done, thanks"), "tanya_closed_owner", "menu_prompt")
}

// TestFAQAnswers: a suggestion the owner accepts opens no ticket.
func TestFAQAnswers(t *testing.T) {
	h := newHarness(t)
	h.Send(owner, "/menu")
	ft.Want(t, h.TapLabel(owner, "Tanya Petugas"), "tanya_ask")
	ft.Want(t, h.Send(owner, "Bagaimana cara membuat NIB?"), "tanya_faq")
	ft.Want(t, h.TapLabel(owner, "Ya, sudah terjawab"), "tanya_faq_thanks", "menu_prompt")
	ft.Want(t, h.Send(owner, "/tanya kapan dana saya cair"), "tanya_faq")
	ft.Want(t, h.Send(owner, "iya"), "tanya_faq_thanks", "menu_prompt")
	if list, _ := h.Store.TicketsOf(context.Background(), owner); len(list) != 0 {
		t.Errorf("an answered FAQ opened a ticket: %+v", list)
	}
	// Refused offers go nowhere either.
	ft.Want(t, h.Send(owner, "lorem ipsum"), "tanya_offer")
	ft.Want(t, h.Send(owner, "tidak"), "tanya_offer_no", "menu_prompt")
	if list, _ := h.Store.TicketsOf(context.Background(), owner); len(list) != 0 {
		t.Errorf("a refused offer opened a ticket: %+v", list)
	}
	rs := h.Send(staff, "/faq")
	ft.Want(t, rs, "tanya_faq_list")
	contains(t, h.Plain(rs), "Bagaimana cara membuat NIB?", "Kata kunci: nib,")
}

// TestMessagesJoinTheOpenTicket: while a question is open, /tanya and the
// offer add to it, without FAQ suggestions.
func TestMessagesJoinTheOpenTicket(t *testing.T) {
	h := newHarness(t)
	ft.Want(t, h.Send(owner, "/tanya apakah ada bazar bulan depan?"), "tanya_sent")
	ft.Want(t, h.Send(owner, "/tanya"), "tanya_ask_join")
	ft.Want(t, h.Send(owner, "kalau ada, cara daftar pelatihan sekalian?"), "tanya_joined")
	ft.Want(t, h.Send(owner, "kapan dana saya cair"), "tanya_offer_join")
	ft.Want(t, h.Send(owner, "ya"), "tanya_joined")
	tk := openTicket(t, h, owner)
	if len(tk.Messages) != 3 {
		t.Fatalf("%d messages, want 3: %+v", len(tk.Messages), tk.Messages)
	}
	if list, _ := h.Store.TicketsOf(context.Background(), owner); len(list) != 1 {
		t.Errorf("%d tickets, want 1", len(list))
	}
	// At the question prompt, the closing words close it rather than join.
	ft.Want(t, h.Send(owner, "/tanya"), "tanya_ask_join")
	ft.Want(t, h.Send(owner, "Sudah, terima kasih!"), "tanya_closed_owner", "menu_prompt")
	if tk, _ := h.Store.Ticket(context.Background(), tk.ID); tk.Status != store.TicketClosed || len(tk.Messages) != 3 {
		t.Errorf("ticket %+v, want closed with 3 messages", tk)
	}
}

// TestStaffCommands: usage, unknown numbers, and /selesai by staff.
func TestStaffCommands(t *testing.T) {
	h := newHarness(t)
	ft.Want(t, h.Send(staff, "/antrean"), "tanya_queue_empty")
	ft.Want(t, h.Send(owner, "/tanya apakah ada bazar bulan depan?"), "tanya_sent")
	for _, in := range []string{"/jawab", "/jawab 1", "/jawab satu terima kasih"} {
		ft.Want(t, h.Send(staff, in), "tanya_answer_usage")
	}
	ft.Want(t, h.Send(staff, "/selesai"), "tanya_close_usage")
	ft.Want(t, h.Send(staff, "/jawab 42 halo"), "tanya_not_found")
	ft.Want(t, h.Send(staff, "/selesai 42"), "tanya_not_found")
	h.Advance(26*time.Hour + 5*time.Minute)
	rs := h.Send(staff, "/selesai 1")
	ft.Want(t, rs, "tanya_closed_staff", "tanya_closed_by_staff") // the owner is told
	if rs[1].To != owner {
		t.Errorf("the close notice goes to %d, want the owner", rs[1].To)
	}
	contains(t, h.Plain(rs), "Waktu sampai jawaban pertama: belum dijawab · sampai selesai: 1 hari 2 jam 5 menit.")
	tk, err := h.Store.Ticket(context.Background(), 1)
	if err != nil || tk.Status != store.TicketClosed || tk.ClosedBy != staff || !tk.ClosedAt.Equal(h.Now()) {
		t.Fatalf("closed ticket %+v, %v", tk, err)
	}
	ft.Want(t, h.Send(owner, "sudah, terima kasih"), "tanya_nothing_open", "menu_prompt")
}

// TestDayLimit: three tickets a day; the next day counts again.
func TestDayLimit(t *testing.T) {
	h := newHarness(t)
	for i := range 3 {
		ft.Want(t, h.Send(owner, fmt.Sprintf("/tanya apakah ada bazar ke-%d?", i+1)), "tanya_sent")
		ft.Want(t, h.Send(owner, "sudah, terima kasih"), "tanya_closed_owner", "menu_prompt")
	}
	rs := h.Send(owner, "/tanya apakah ada bazar lagi?")
	ft.Want(t, rs, "tanya_limit", "menu_prompt")
	contains(t, h.Plain(rs[:1]), "sudah mengajukan 3 pertanyaan")
	h.Advance(15 * time.Hour) // Saturday 00.00 WIB
	rs = h.Send(owner, "/tanya apakah ada bazar lagi?")
	ft.Want(t, rs, "tanya_sent", "tanya_after_hours")
}

// TestOutsideOfficeHours: the owner is told when the staff are back.
func TestOutsideOfficeHours(t *testing.T) {
	h := newHarness(t)
	h.Advance(8 * time.Hour) // Friday 17.00 WIB
	rs := h.Send(owner, "/tanya apakah ada bazar bulan depan?")
	ft.Want(t, rs, "tanya_sent", "tanya_after_hours")
	contains(t, h.Plain(rs), "Petugas akan membalas mulai Senin, 30 November 2026 pukul 08.00 WIB.")
	h.Advance(63 * time.Hour) // Monday 08.00 WIB: open again
	ft.Want(t, h.Send(owner, "/tanya satu lagi"), "tanya_joined")
}
