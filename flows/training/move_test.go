package training_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/store"
)

// TestEditMoveTellsEveryone: moving a training (date, time or place) says
// in the preview how many owners will be told, and once saved tells every
// booked and waitlisted owner once through the outbox, old → new, in their
// language; a change of anything else tells nobody.
func TestEditMoveTellsEveryone(t *testing.T) {
	h := newHarness(t)
	_, sitiB, budiB, aniB := fullTraining(t, h)
	if err := h.Store.SetLanguage(context.Background(), ani, "en"); err != nil {
		t.Fatal(err)
	}

	// Another title is no move.
	say(t, h, staff, "/pelatihanedit 1", "train_edit_preview")
	tap(t, h, staff, "Ubah", "train_fields")
	tap(t, h, staff, "Judul", "train_new_title")
	rs := say(t, h, staff, "Pencatatan Keuangan untuk UMKM", "train_edit_preview")
	if strings.Contains(plain(h, rs), "Waktu lama") || strings.Contains(plain(h, rs), "diberi kabar") {
		t.Errorf("a new title previews a move:\n%s", plain(h, rs))
	}
	rs = tap(t, h, staff, "Simpan", "train_updated")
	if strings.Contains(plain(h, rs), "Kabar perubahan") || hasOutbox(h, fmt.Sprint("tmove:1:1:", sitiB.ID)) {
		t.Fatalf("a new title told the owners:\n%s", plain(h, rs))
	}

	// A new start: the preview says who will be told, before saving.
	say(t, h, staff, "/pelatihanedit 1", "train_edit_preview")
	tap(t, h, staff, "Ubah", "train_fields")
	tap(t, h, staff, "Mulai", "train_new_start")
	rs = say(t, h, staff, "15 Jan 2027 13.00", "train_start_ok", "train_edit_preview")
	contains(t, plain(h, rs), "Waktu atau tempat berubah",
		"Waktu lama: Kamis, 14 Januari 2027 pukul 09.00 WIB sampai pukul 12.00 WIB",
		"Waktu baru: Jumat, 15 Januari 2027 pukul 13.00 WIB sampai pukul 16.00 WIB",
		"Tempat tetap: Aula Kecamatan Tigaraksa",
		"kabar perubahan ini dikirim kepada 1 peserta dan 2 orang di daftar tunggu")
	for _, bk := range []store.Booking{sitiB, budiB, aniB} {
		if hasOutbox(h, fmt.Sprint("tmove:1:1:", bk.ID)) {
			t.Fatal("told before saving")
		}
	}
	rs = tap(t, h, staff, "Simpan", "train_updated")
	contains(t, plain(h, rs), "Kabar perubahan jadwal atau tempat sedang dikirim kepada 3 pemilik usaha.")

	want := map[int64]struct {
		lang  string
		parts []string
	}{
		siti: {"id", []string{"Jadwal pelatihan berubah", "Pencatatan Keuangan untuk UMKM",
			"Waktu lama: Kamis, 14 Januari 2027 pukul 09.00 WIB sampai pukul 12.00 WIB",
			"Waktu baru: Jumat, 15 Januari 2027 pukul 13.00 WIB sampai pukul 16.00 WIB",
			"Tempat tetap: Aula Kecamatan Tigaraksa", "Kode pendaftaran Anda tetap PLT-1-0001"}},
		budi: {"id", []string{"yang daftar tunggunya Anda ikuti, berubah", "Waktu baru: Jumat, 15 Januari 2027 pukul 13.00 WIB"}},
		ani: {"en", []string{"Training rescheduled", "whose waitlist you are on",
			"Old time: Thursday, 14 January 2027 at 09.00 WIB until 12.00 WIB",
			"New time: Friday, 15 January 2027 at 13.00 WIB until 16.00 WIB",
			"Place unchanged: Aula Kecamatan Tigaraksa"}},
	}
	for _, bk := range []store.Booking{sitiB, budiB, aniB} {
		it := outbox(t, h, fmt.Sprint("tmove:1:1:", bk.ID))
		r := decode(t, it)
		ft.Want(t, []flows.Reply{r}, "train_moved")
		checkRendered(t, h, []flows.Reply{r})
		w := want[bk.UserID]
		if it.ChatID != bk.UserID || it.Kind != "training" || r.Lang != "" {
			t.Errorf("notice %+v in %q: want chat %d, kind training, the owner's language when sent", it, r.Lang, bk.UserID)
		}
		contains(t, h.Catalog.Plain(w.lang, r.Text), w.parts...)
		if len(r.Buttons) != 1 || r.Buttons[0][0].Data != "/pelatihansaya" {
			t.Errorf("notice buttons %+v", r.Buttons)
		}
	}
	if tr := savedTraining(t, h, 1); !tr.StartAt.Equal(wibTime(2027, 1, 15, 13, 0)) {
		t.Errorf("start %s", tr.StartAt)
	}

	// A new place is the second move, told once more.
	say(t, h, staff, "/pelatihanedit 1", "train_edit_preview")
	tap(t, h, staff, "Ubah", "train_fields")
	tap(t, h, staff, "Tempat/tautan", "train_new_place")
	rs = say(t, h, staff, "Gedung Serbaguna Cikupa", "train_edit_preview")
	contains(t, plain(h, rs), "Tempat lama: Aula Kecamatan Tigaraksa", "Tempat baru: Gedung Serbaguna Cikupa",
		"Waktu tetap: Jumat, 15 Januari 2027")
	tap(t, h, staff, "Simpan", "train_updated")
	r := decode(t, outbox(t, h, fmt.Sprint("tmove:1:2:", sitiB.ID)))
	contains(t, h.Catalog.Plain("id", r.Text), "Tempat lama: Aula Kecamatan Tigaraksa",
		"Tempat baru: Gedung Serbaguna Cikupa")
	// Saving the same form again tells nobody twice.
	say(t, h, staff, "/pelatihanedit 1", "train_edit_preview")
	rs = tap(t, h, staff, "Simpan", "train_updated")
	if strings.Contains(plain(h, rs), "Kabar perubahan") || hasOutbox(h, fmt.Sprint("tmove:1:3:", sitiB.ID)) {
		t.Errorf("an unchanged save told the owners again:\n%s", plain(h, rs))
	}
}

// TestEditMoveNobodyBooked: the preview of a move with no places says so.
func TestEditMoveNobodyBooked(t *testing.T) {
	h := newHarness(t)
	seed(t, h, store.Training{})
	say(t, h, staff, "/pelatihanedit 1", "train_edit_preview")
	tap(t, h, staff, "Ubah", "train_fields")
	tap(t, h, staff, "Tempat/tautan", "train_new_place")
	rs := say(t, h, staff, "Gedung Serbaguna Cikupa", "train_edit_preview")
	contains(t, plain(h, rs), "Belum ada peserta atau daftar tunggu, jadi tidak ada yang perlu diberi kabar.")
	rs = tap(t, h, staff, "Simpan", "train_updated")
	if strings.Contains(plain(h, rs), "Kabar perubahan") {
		t.Errorf("nobody to tell, yet:\n%s", plain(h, rs))
	}

	// An owner books while staff are at the preview: the count is fresh.
	say(t, h, staff, "/pelatihanedit 1", "train_edit_preview")
	tap(t, h, staff, "Ubah", "train_fields")
	tap(t, h, staff, "Tempat/tautan", "train_new_place")
	say(t, h, staff, "Aula Kecamatan Cikupa", "train_edit_preview")
	if _, err := h.Store.Book(context.Background(), 1, siti, h.Now()); err != nil {
		t.Fatal(err)
	}
	tap(t, h, staff, "Ubah", "train_fields")
	tap(t, h, staff, "Tempat/tautan", "train_new_place")
	rs = say(t, h, staff, "Aula Kecamatan Tigaraksa", "train_edit_preview")
	contains(t, plain(h, rs), "Tempat lama: Gedung Serbaguna Cikupa", "kabar perubahan ini dikirim kepada 1 peserta.")
	rs = tap(t, h, staff, "Simpan", "train_updated")
	contains(t, plain(h, rs), "sedang dikirim kepada 1 pemilik usaha")
}
