package training_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/flows/training"
	"github.com/diskum-tangerang/umkmbot/store"
)

func TestEditRaisesCapacityAndOffers(t *testing.T) {
	h := newHarness(t)
	_, _, budiB, aniB := fullTraining(t, h)

	rs := say(t, h, staff, "/pelatihanedit 1", "train_edit_preview")
	contains(t, plain(h, rs), "Pelatihan nomor 1", "Kuota: 1 kursi")
	tap(t, h, staff, "Ubah", "train_fields")
	tap(t, h, staff, "Kuota", "train_new_cap")
	say(t, h, staff, "2", "train_edit_preview")
	rs = tap(t, h, staff, "Simpan", "train_updated")
	contains(t, plain(h, rs), "https://t.me/umkm_tangerang_bot?start=pelatihan_1")
	if tr := savedTraining(t, h, 1); tr.Capacity != 2 || tr.Booked != 2 || tr.Waitlisted != 1 {
		t.Errorf("after the raise %+v", tr)
	}
	offer := decode(t, outbox(t, h, fmt.Sprint("offer:", budiB.ID)))
	ft.Want(t, []flows.Reply{offer}, "train_offer")
	checkRendered(t, h, []flows.Reply{offer})
	if hasOutbox(h, fmt.Sprint("offer:", aniB.ID)) {
		t.Error("ani was offered a seat that went to budi")
	}

	// A capacity below the places taken is refused, and the form stays.
	say(t, h, staff, "/pelatihanedit", "train_pick")
	tap(t, h, staff, "1", "train_edit_preview")
	tap(t, h, staff, "Ubah", "train_fields")
	tap(t, h, staff, "Kuota", "train_new_cap")
	say(t, h, staff, "1", "train_edit_preview")
	rs = tap(t, h, staff, "Simpan", "train_edit_cap_low")
	contains(t, plain(h, rs), "Kuota 1 lebih kecil dari jumlah yang sudah terdaftar (2 orang)")
	if s := h.Session(staff); s.Flow != training.EditName || s.State != "preview" {
		t.Errorf("session after a refused save %+v", s)
	}
	say(t, h, staff, "batal", "cancel_done", "menu_prompt")
	if tr := savedTraining(t, h, 1); tr.Capacity != 2 {
		t.Errorf("capacity %d after a refused save", tr.Capacity)
	}

	say(t, h, staff, "/pelatihanedit abc", "train_bad_id")
	say(t, h, staff, "/pelatihanedit 99", "train_not_found")
}

func TestCancelTrainingTellsEveryone(t *testing.T) {
	h := newHarness(t)
	tr, sitiB, budiB, aniB := fullTraining(t, h)
	other := seed(t, h, store.Training{Title: "Jualan di Marketplace", Topic: store.TopicMarketing})

	rs := say(t, h, staff, "/pelatihanbatal 1", "train_tcancel_ask")
	contains(t, plain(h, rs), "1 peserta dan 2 orang di daftar tunggu akan diberi tahu")
	tap(t, h, staff, "Tidak", "train_tcancel_kept")
	if got := savedTraining(t, h, tr.ID); got.Status != store.TrainingOpen {
		t.Fatal("cancelled after No")
	}
	say(t, h, staff, "/pelatihanbatal", "train_pick")
	tap(t, h, staff, "1", "train_tcancel_ask")
	rs = tap(t, h, staff, "Ya, batalkan pelatihan", "train_tcancel_done")
	contains(t, plain(h, rs), "Pemberitahuan dikirim kepada 3 orang")
	for _, b := range []store.Booking{sitiB, budiB, aniB} {
		it := outbox(t, h, fmt.Sprintf("tcancel:%d:%d", tr.ID, b.ID))
		if it.ChatID != b.UserID || it.Kind != training.KindTraining {
			t.Errorf("notice %+v", it)
		}
		r := decode(t, it)
		ft.Want(t, []flows.Reply{r}, "train_cancelled")
		checkRendered(t, h, []flows.Reply{r})
		contains(t, plain(h, []flows.Reply{r}), "Pencatatan Keuangan Sederhana",
			"Kamis, 14 Januari 2027 pukul 09.00 WIB", "dibatalkan oleh Dinas")
	}
	say(t, h, staff, "/pelatihanbatal 1", "train_already_cancelled")
	say(t, h, staff, "/pelatihanedit 1", "train_edit_cancelled")
	say(t, h, siti, "/pelatihan daftar 1", "train_closed_cancelled")
	say(t, h, siti, "/pelatihansaya", "train_mine_empty")
	rs = say(t, h, siti, "/pelatihan", "train_list")
	if text := plain(h, rs); strings.Contains(text, tr.Title) || !strings.Contains(text, other.Title) {
		t.Errorf("list after the cancellation:\n%s", text)
	}
}

func TestParticipantsCSVAndAttendance(t *testing.T) {
	h := newHarness(t)
	register(t, h, siti, "Siti Aminah", "Kue Siti")
	register(t, h, budi, "=Budi", "Bengkel Budi")
	register(t, h, ani, "Ani Lestari", "Jahit Ani")
	tr := seed(t, h, store.Training{Capacity: 2})
	for _, u := range []int64{siti, budi, ani} {
		if _, err := h.Store.Book(context.Background(), tr.ID, u, h.Now()); err != nil {
			t.Fatal(err)
		}
	}

	rs := say(t, h, staff, "/peserta 1", "train_csv_caption", "train_parts")
	doc := rs[0].Document
	if doc == nil || doc.Name != "peserta-pelatihan-1.csv" {
		t.Fatalf("document %+v", doc)
	}
	if !bytes.HasPrefix(doc.Content, []byte("\ufeff")) || !bytes.Contains(doc.Content, []byte("\r\n")) {
		t.Error("the CSV lacks its BOM or CRLF line ends")
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(doc.Content, []byte("\ufeff"))))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"No", "Kode", "Nama pemilik", "No. HP", "Nama usaha", "Kecamatan", "Status", "Urutan daftar tunggu",
			"Batas konfirmasi", "Mendaftar pada"},
		{"1", "PLT-1-0001", "Siti Aminah", "0812-3456-7890", "Kue Siti", "Pasar Kemis", "Terdaftar", "", "", "2026-11-27 09:00"},
		{"2", "PLT-1-0002", "'=Budi", "0812-3456-7890", "Bengkel Budi", "Pasar Kemis", "Terdaftar", "", "", "2026-11-27 09:00"},
		{"3", "PLT-1-0003", "Ani Lestari", "0812-3456-7890", "Jahit Ani", "Pasar Kemis", "Daftar tunggu", "1", "", "2026-11-27 09:00"},
	}
	if !slices.EqualFunc(rows, want, slices.Equal) {
		t.Errorf("CSV rows\n %q\nwant\n %q", rows, want)
	}
	text := plain(h, rs)
	contains(t, text, "Peserta: Pencatatan Keuangan Sederhana", "Terdaftar 2 dari 2 kursi · daftar tunggu 1 orang",
		"1. Siti Aminah · 0812-3456-7890", "Kue Siti, Kec. Pasar Kemis", "⏳ Daftar tunggu ke-1",
		"Kehadiran bisa dicatat setelah pelatihan dimulai (Kamis, 14 Januari 2027 pukul 09.00 WIB)")
	if len(rs[1].Buttons) != 0 {
		t.Errorf("attendance buttons before the start: %+v", rs[1].Buttons)
	}
	say(t, h, staff, "hadir", "train_view_choose")
	rs = h.TapData(staff, "peserta.view:a1")
	ft.Want(t, rs, "train_attend_early")
	checkRendered(t, h, rs)

	h.Advance(jan14.Add(30 * time.Minute).Sub(h.Now()))
	rs = say(t, h, staff, "/peserta", "train_pick")
	contains(t, plain(h, rs), "Pencatatan Keuangan Sederhana (nomor 1)", "Terdaftar 2/2 · daftar tunggu 1")
	rs = tap(t, h, staff, "1", "train_csv_caption", "train_parts")
	contains(t, plain(h, rs), "Catat kehadiran")
	if got := labels(h, staff); !slices.Equal(got, []string{"1. Hadir", "1. Tidak hadir", "2. Hadir", "2. Tidak hadir"}) {
		t.Errorf("attendance buttons %q", got)
	}
	rs = tap(t, h, staff, "1. Hadir", "train_attend_saved", "train_parts")
	if !rs[0].Toast {
		t.Error("the attendance notice is not a toast")
	}
	contains(t, plain(h, rs), "Siti Aminah: ✅ Hadir", "1. Siti Aminah · 0812-3456-7890")
	tap(t, h, staff, "2. Tidak hadir", "train_attend_saved", "train_parts")
	parts, err := h.Store.Participants(context.Background(), tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]string{}
	for _, p := range parts {
		got[p.UserID] = p.Status
	}
	if got[siti] != store.BookingAttended || got[budi] != store.BookingAbsent || got[ani] != store.BookingWaitlisted {
		t.Errorf("statuses %v", got)
	}
	// The waitlisted owner has no attendance to record.
	rs = h.TapData(staff, fmt.Sprintf("peserta.view:a%d", parts[2].ID))
	ft.Want(t, rs, "train_attend_not_booked")
}

func TestParticipantsPages(t *testing.T) {
	h := newHarness(t)
	tr := seed(t, h, store.Training{Capacity: 30})
	for u := int64(2001); u <= 2012; u++ {
		register(t, h, u, fmt.Sprint("Pemilik ", u), fmt.Sprint("Usaha ", u))
		if _, err := h.Store.Book(context.Background(), tr.ID, u, h.Now()); err != nil {
			t.Fatal(err)
		}
	}
	rs := say(t, h, staff, "/peserta 1", "train_csv_caption", "train_parts")
	contains(t, plain(h, rs), "halaman 1 dari 2", "10. Pemilik 2010")
	rs = tap(t, h, staff, "Berikutnya ›", "train_parts")
	contains(t, plain(h, rs), "halaman 2 dari 2", "11. Pemilik 2011", "12. Pemilik 2012")
	if text := plain(h, rs); strings.Contains(text, "Pemilik 2001") {
		t.Error("page 2 repeats page 1")
	}
}
