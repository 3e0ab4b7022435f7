package training_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/store"
)

func TestListPagingAndTopicFilter(t *testing.T) {
	h := newHarness(t)
	day := func(d int) time.Time { return wibTime(2026, 12, d, 9, 0) }
	full := seed(t, h, store.Training{Title: "Laporan Laba Rugi", StartAt: day(1), Capacity: 1})
	online := seed(t, h, store.Training{Topic: store.TopicMarketing, Title: "Jualan di Marketplace", StartAt: day(3),
		Link: "https://zoom.us/j/1234567890"})
	three := seed(t, h, store.Training{Topic: store.TopicLegal, Title: "Mengurus NIB lewat OSS", StartAt: day(5), Capacity: 3})
	halal := seed(t, h, store.Training{Topic: store.TopicLegal, Title: "Sertifikat Halal Gratis", StartAt: day(7)})
	cash := seed(t, h, store.Training{Title: "Arus Kas Warung", StartAt: day(10)})
	promo := seed(t, h, store.Training{Topic: store.TopicMarketing, Title: "Foto Produk dengan HP", StartAt: day(20)})
	jan := seed(t, h, store.Training{Title: "Pencatatan Keuangan Sederhana", StartAt: jan14})
	past := seed(t, h, store.Training{Title: "Sudah Lewat", StartAt: wibTime(2026, 11, 20, 9, 0)})
	gone := seed(t, h, store.Training{Title: "Dibatalkan", StartAt: day(2)})
	if _, err := h.Store.CancelTraining(context.Background(), staff, gone.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Store.Book(context.Background(), full.ID, budi, h.Now()); err != nil {
		t.Fatal(err)
	}

	rs := say(t, h, siti, "/pelatihan", "train_list")
	if got, want := opened(h, siti), []int64{full.ID, online.ID, three.ID, halal.ID, cash.ID}; !slices.Equal(got, want) {
		t.Errorf("page 1 opens %v, want %v (soonest first)", got, want)
	}
	text := plain(h, rs)
	contains(t, text, "halaman 1 dari 2", "1. Laporan Laba Rugi", "penuh — bisa masuk daftar tunggu",
		"📍 Daring (tautan dikirim setelah mendaftar)", "sisa 3 kursi", "📍 Aula Kecamatan Tigaraksa",
		"Selasa, 1 Desember 2026 pukul 09.00 WIB", "daftar paling lambat Senin, 30 November 2026 pukul 23.59 WIB")
	for _, s := range []string{past.Title, gone.Title, "zoom.us"} {
		if strings.Contains(text, s) {
			t.Errorf("the list shows %q", s)
		}
	}
	want := []string{"1", "2", "3", "4", "5", "Berikutnya ›", "Semua", "Keuangan", "Legalitas", "Pemasaran digital", "Ekspor"}
	if got := labels(h, siti); !slices.Equal(got, want) {
		t.Errorf("buttons %q, want %q", got, want)
	}

	rs = tap(t, h, siti, "Berikutnya ›", "train_list")
	contains(t, plain(h, rs), "halaman 2 dari 2", "6. Foto Produk dengan HP",
		"7. Pencatatan Keuangan Sederhana", "Kamis, 14 Januari 2027 pukul 09.00 WIB")
	if got := opened(h, siti); !slices.Equal(got, []int64{promo.ID, jan.ID}) {
		t.Errorf("page 2 opens %v", got)
	}
	if got := labels(h, siti); !slices.Contains(got, "‹ Sebelumnya") || slices.Contains(got, "Berikutnya ›") {
		t.Errorf("page 2 buttons %q", got)
	}

	tap(t, h, siti, "Keuangan", "train_list")
	if got := opened(h, siti); !slices.Equal(got, []int64{full.ID, cash.ID, jan.ID}) {
		t.Errorf("Keuangan opens %v", got)
	}
	rs = say(t, h, siti, "pemasaran digital", "train_list")
	contains(t, plain(h, rs), "topik: Pemasaran digital", "halaman 1 dari 1")
	if got := opened(h, siti); !slices.Equal(got, []int64{online.ID, promo.ID}) {
		t.Errorf("pemasaran opens %v", got)
	}
	say(t, h, siti, "ekspor", "train_list_empty_topic")
	say(t, h, siti, "kapan ya?", "train_list_choose")
	say(t, h, siti, "semua", "train_list")
	if got := opened(h, siti); len(got) != 5 {
		t.Errorf("Semua opens %v", got)
	}
	say(t, h, siti, "/pelatihan legalitas", "train_list")
	if got := opened(h, siti); !slices.Equal(got, []int64{three.ID, halal.ID}) {
		t.Errorf("/pelatihan legalitas opens %v", got)
	}
	// A typed number is the button with that label.
	say(t, h, siti, "2", "train_detail")
	if got := h.Session(siti).Data["training"]; !strings.Contains(got, halal.Title) {
		t.Errorf("typed 2 opened %s", got)
	}
	tap(t, h, siti, "‹ Jadwal pelatihan", "train_list")
}

// opened lists the training ids that the latest list's number buttons open.
func opened(h *ft.Harness, user int64) []int64 {
	var ids []int64
	for _, b := range h.Buttons(user) {
		_, choice, _ := strings.Cut(b.Data, ":")
		if id, ok := strings.CutPrefix(choice, "d"); ok {
			n := int64(0)
			for _, r := range id {
				n = n*10 + int64(r-'0')
			}
			ids = append(ids, n)
		}
	}
	return ids
}

func TestEmptySchedule(t *testing.T) {
	h := newHarness(t)
	say(t, h, siti, "/pelatihan", "train_list_empty")
	say(t, h, siti, "/pelatihan 42", "train_not_found", "train_list_empty")
	say(t, h, siti, "/pelatihan abc", "train_list_empty")
	say(t, h, siti, "/pelatihan daftar 42", "train_not_found")
}

func TestDetailBookAndNoSecondSeat(t *testing.T) {
	h := newHarness(t)
	register(t, h, siti, "Siti Aminah", "Kue Basah Bu Siti")
	tr := seed(t, h, store.Training{Description: "Belajar mencatat pemasukan dan pengeluaran harian."})

	// The deep link t.me/<bot>?start=pelatihan_1 opens the detail.
	rs := say(t, h, siti, "/start pelatihan_1", "train_detail")
	contains(t, plain(h, rs), "Pencatatan Keuangan Sederhana", "Topik: Keuangan",
		"Belajar mencatat pemasukan dan pengeluaran harian.",
		"📅 Kamis, 14 Januari 2027 pukul 09.00 WIB sampai pukul 12.00 WIB", "📍 Aula Kecamatan Tigaraksa",
		"Kursi: sisa 20 kursi", "Batas pendaftaran: Rabu, 13 Januari 2027 pukul 23.59 WIB")
	if got := labels(h, siti); !slices.Equal(got, []string{"Daftar", "‹ Jadwal pelatihan"}) {
		t.Errorf("detail buttons %q", got)
	}
	rs = tap(t, h, siti, "Daftar", "train_booked")
	contains(t, plain(h, rs), "Anda terdaftar di pelatihan Pencatatan Keuangan Sederhana",
		"Kode pendaftaran: PLT-1-0001", "Kamis, 14 Januari 2027 pukul 09.00 WIB sampai pukul 12.00 WIB",
		"📍 Aula Kecamatan Tigaraksa")
	list := bookings(t, h, siti)
	if len(list) != 1 || list[0].Status != store.BookingBooked || list[0].TrainingID != tr.ID {
		t.Fatalf("bookings %+v", list)
	}
	if s := h.Session(siti); s.Flow != "" {
		t.Errorf("the flow goes on after booking: %+v", s)
	}

	rs = say(t, h, siti, "/pelatihan 1", "train_detail")
	contains(t, plain(h, rs), "Anda sudah terdaftar. Kode pendaftaran: PLT-1-0001", "sisa 19 kursi")
	if got := labels(h, siti); !slices.Equal(got, []string{"Pelatihan saya", "‹ Jadwal pelatihan"}) {
		t.Errorf("detail buttons once booked %q", got)
	}
	rs = say(t, h, siti, "/pelatihan daftar 1", "train_already_booked")
	contains(t, plain(h, rs), "Anda sudah terdaftar di pelatihan Pencatatan Keuangan Sederhana (kode PLT-1-0001)")
	if n := len(bookings(t, h, siti)); n != 1 {
		t.Errorf("%d bookings after a second try", n)
	}
}

func TestOnlineLinkOnlyAfterBooking(t *testing.T) {
	h := newHarness(t)
	register(t, h, siti, "Siti Aminah", "Kue Basah Bu Siti")
	seed(t, h, store.Training{Topic: store.TopicMarketing, Title: "Jualan di Marketplace",
		Link: "https://zoom.us/j/1234567890"})
	rs := say(t, h, siti, "/pelatihan 1", "train_detail")
	if text := plain(h, rs); strings.Contains(text, "zoom.us") || !strings.Contains(text, "tautan dikirim setelah mendaftar") {
		t.Errorf("detail before booking:\n%s", text)
	}
	rs = tap(t, h, siti, "Daftar", "train_booked")
	contains(t, plain(h, rs), "📍 Daring: https://zoom.us/j/1234567890")
}

func TestFullTrainingOffersWaitlist(t *testing.T) {
	h := newHarness(t)
	for _, u := range []struct {
		id         int64
		name, bizz string
	}{{siti, "Siti Aminah", "Kue Siti"}, {budi, "Budi Santoso", "Bengkel Budi"}, {ani, "Ani Lestari", "Jahit Ani"},
		{dewi, "Dewi Sartika", "Warung Dewi"}} {
		register(t, h, u.id, u.name, u.bizz)
	}
	seed(t, h, store.Training{Capacity: 1})
	say(t, h, siti, "/pelatihan daftar 1", "train_booked")

	rs := say(t, h, budi, "/pelatihan 1", "train_detail")
	contains(t, plain(h, rs), "penuh — bisa masuk daftar tunggu")
	rs = tap(t, h, budi, "Masuk daftar tunggu", "train_full_ask")
	contains(t, plain(h, rs), "Anda akan berada di urutan ke-1.")
	if n := len(bookings(t, h, budi)); n != 0 {
		t.Fatal("a full training booked before the owner agreed to wait")
	}
	rs = tap(t, h, budi, "Masuk daftar tunggu", "train_waitlisted")
	contains(t, plain(h, rs), "urutan ke-1")
	if b := bookings(t, h, budi); len(b) != 1 || b[0].Status != store.BookingWaitlisted || b[0].Position != 1 {
		t.Fatalf("budi %+v", b)
	}

	rs = say(t, h, ani, "/pelatihan daftar 1", "train_full_ask")
	contains(t, plain(h, rs), "Saat ini 1 orang ada di daftar tunggu.", "urutan ke-2")
	rs = say(t, h, ani, "iya", "train_waitlisted")
	contains(t, plain(h, rs), "urutan ke-2")

	say(t, h, dewi, "/pelatihan daftar 1", "train_full_ask")
	tap(t, h, dewi, "Tidak, terima kasih", "train_wait_declined", "train_list")
	if n := len(bookings(t, h, dewi)); n != 0 {
		t.Errorf("dewi declined but holds %d places", n)
	}
	rs = say(t, h, budi, "/pelatihan daftar 1", "train_already_waiting")
	contains(t, plain(h, rs), "urutan ke-1")
}

// answers is the registration typed by an owner, with the replies each
// answer gets; the last one saves.
var answers = []struct {
	in   string
	want []string
}{
	{"iya", []string{"reg_name"}},
	{"Siti Aminah", []string{"reg_nik"}},
	{"3603 1245 0790 0003", []string{"reg_nik_confirm"}},
	{"iya bener", []string{"reg_phone"}},
	{"0812-3456-7890", []string{"reg_phone_ok", "reg_biz"}},
	{"Kue Basah Bu Siti", []string{"reg_sector"}},
	{"jualan kue", []string{"reg_products"}},
	{"kue basah, nasi uduk", []string{"reg_kec"}},
	{"pasarkemis", []string{"reg_desa"}},
	{"suka asih", []string{"reg_address"}},
	{"Jl. Raya Pasar Kemis No. 12", []string{"reg_year"}},
	{"2019", []string{"reg_workers"}},
	{"3 orang", []string{"reg_capital"}},
	{"50jt", []string{"reg_turnover"}},
	{"1,5 juta per bulan", []string{"reg_nib"}},
	{"belum punya", []string{"reg_nib_training", "reg_halal"}},
	{"belum", []string{"reg_summary"}},
}

func TestUnregisteredOwnerRegistersThenBooks(t *testing.T) {
	h := newHarness(t)
	seed(t, h, store.Training{})
	say(t, h, siti, "/start pelatihan_1", "train_detail")
	rs := tap(t, h, siti, "Daftar", "train_need_registration", "reg_consent")
	contains(t, plain(h, rs), "usaha Anda perlu terdaftar dulu")
	for _, a := range answers {
		say(t, h, siti, a.in, a.want...)
	}
	if n := len(bookings(t, h, siti)); n != 0 {
		t.Fatal("booked before the registration was saved")
	}
	// Simpan saves the registration and books at once: no menu, no second
	// tap on Daftar.
	rs = say(t, h, siti, "simpan", "reg_saved", "train_booked")
	contains(t, plain(h, rs), "Kode pendaftaran: PLT-1-0001")
	if b := bookings(t, h, siti); len(b) != 1 || b[0].Status != store.BookingBooked {
		t.Fatalf("bookings %+v", b)
	}
	if s := h.Session(siti); s.Then != "" || s.Flow != "" {
		t.Errorf("session after the booking: %+v", s)
	}
}

func TestRegistrationCancelledForgetsBooking(t *testing.T) {
	h := newHarness(t)
	seed(t, h, store.Training{})
	say(t, h, siti, "/pelatihan 1", "train_detail")
	tap(t, h, siti, "Daftar", "train_need_registration", "reg_consent")
	if got := h.Session(siti).Then; got != "/pelatihan daftar 1" {
		t.Fatalf("Then = %q", got)
	}
	say(t, h, siti, "batal", "cancel_done", "menu_prompt")
	if got := h.Session(siti).Then; got != "" {
		t.Errorf("Then after batal = %q", got)
	}
}

func TestBookingClosed(t *testing.T) {
	h := newHarness(t)
	register(t, h, siti, "Siti Aminah", "Kue Siti")
	dec3 := wibTime(2026, 12, 3, 9, 0)
	seed(t, h, store.Training{StartAt: dec3})
	gone := seed(t, h, store.Training{Title: "Ekspor Perdana", Topic: store.TopicExport})
	if _, err := h.Store.CancelTraining(context.Background(), staff, gone.ID, nil); err != nil {
		t.Fatal(err)
	}

	say(t, h, siti, "/pelatihan 1", "train_detail")
	// The deadline (Rabu, 2 Desember 2026 pukul 23.59 WIB) passes while the
	// detail is on screen.
	h.Advance(wibTime(2026, 12, 3, 0, 30).Sub(h.Now()))
	rs := tap(t, h, siti, "Daftar", "train_closed_deadline")
	contains(t, plain(h, rs), "sudah ditutup pada Rabu, 2 Desember 2026 pukul 23.59 WIB")
	rs = say(t, h, siti, "/pelatihan 1", "train_detail")
	contains(t, plain(h, rs), "Kursi: pendaftaran sudah ditutup")
	if got := labels(h, siti); !slices.Equal(got, []string{"‹ Jadwal pelatihan"}) {
		t.Errorf("closed detail buttons %q", got)
	}
	say(t, h, siti, "/pelatihan daftar 1", "train_closed_deadline")
	rs = say(t, h, siti, "/pelatihan", "train_list")
	contains(t, plain(h, rs), "pendaftaran sudah ditutup")

	h.Advance(dec3.Add(time.Hour).Sub(h.Now()))
	say(t, h, siti, "/pelatihan daftar 1", "train_closed_started")
	rs = say(t, h, siti, "/pelatihan 1", "train_detail")
	contains(t, plain(h, rs), "Kursi: sudah dimulai")
	say(t, h, siti, "/pelatihan daftar 2", "train_closed_cancelled")
	if n := len(bookings(t, h, siti)); n != 0 {
		t.Errorf("%d bookings in closed trainings", n)
	}
}

func TestDetailInEnglishReadsWell(t *testing.T) {
	h := newHarness(t)
	register(t, h, siti, "Siti Aminah", "Kue Basah Bu Siti")
	seed(t, h, store.Training{})
	rs := h.SendLang(siti, "en", "/pelatihan 1")
	ft.Want(t, rs, "train_detail")
	got := h.Plain(rs)
	contains(t, got, "📅 Thursday, 14 January 2027 at 09.00 WIB until 12.00 WIB", "Seats: 20 left")
	for _, bad := range []string{"until at", "Seats: seats"} {
		if strings.Contains(got, bad) {
			t.Errorf("detail says %q:\n%s", bad, got)
		}
	}
	rs = h.SendLang(siti, "en", "/pelatihan daftar 1")
	ft.Want(t, rs, "train_booked")
	contains(t, h.Plain(rs), "📅 Thursday, 14 January 2027 at 09.00 WIB until 12.00 WIB")
}
