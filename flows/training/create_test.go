package training_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/store"
)

// toStart runs /pelatihanbaru up to the start question.
func toStart(t *testing.T, h *ft.Harness, title string) {
	t.Helper()
	say(t, h, staff, "/pelatihanbaru", "train_new_topic")
	tap(t, h, staff, "Keuangan", "train_new_title")
	say(t, h, staff, title, "train_new_desc")
	tap(t, h, staff, "Lewati", "train_new_start")
}

// savedTraining returns training id as the store keeps it.
func savedTraining(t *testing.T, h *ft.Harness, id int64) store.TrainingSeats {
	t.Helper()
	tr, err := h.Store.Training(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestCreateWithEachDateFormat(t *testing.T) {
	cases := []struct {
		in   string
		want time.Time
	}{
		{"14 Jan 2027 09.00", jan14},
		{"14/01/2027 9:00", jan14},
		{"14-1-2027 jam 9", jan14},
		{"Kamis 14 Januari 2027 pukul 09.00", jan14},
		{"Kamis, 14 Januari 2027 pukul 09.00 WIB", jan14},
		{"besok jam 9", wibTime(2026, 11, 28, 9, 0)},
		{"lusa 13.30", wibTime(2026, 11, 29, 13, 30)},
		{"besok pagi", wibTime(2026, 11, 28, 9, 0)},
		{"lusa jam 13", wibTime(2026, 11, 29, 13, 0)},
		{"senin depan jam 9", wibTime(2026, 11, 30, 9, 0)},
		{"tomorrow 9am", wibTime(2026, 11, 28, 9, 0)},
		{"next Monday 9:00", wibTime(2026, 11, 30, 9, 0)},
	}
	h := newHarness(t)
	for i, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			toStart(t, h, "Pencatatan Keuangan Sederhana")
			rs := say(t, h, staff, tc.in, "train_start_ok", "train_new_end")
			contains(t, plain(h, rs), "Dicatat: ")
			say(t, h, staff, "3 jam", "train_new_place")
			say(t, h, staff, "Aula Kantor Kecamatan Cikupa", "train_new_cap")
			say(t, h, staff, "30 orang", "train_new_deadline")
			tap(t, h, staff, "Pakai batas ini", "train_preview")
			rs = tap(t, h, staff, "Simpan", "train_created")
			id := int64(i + 1)
			contains(t, plain(h, rs), "https://t.me/umkm_tangerang_bot?start=pelatihan_"+strconv.FormatInt(id, 10))
			tr := savedTraining(t, h, id)
			s := tc.want.In(wib)
			deadline := time.Date(s.Year(), s.Month(), s.Day()-1, 23, 59, 0, 0, wib)
			if !tr.StartAt.Equal(tc.want) || !tr.EndAt.Equal(tc.want.Add(3*time.Hour)) || !tr.Deadline.Equal(deadline) ||
				tr.Capacity != 30 || tr.Place != "Aula Kantor Kecamatan Cikupa" || tr.Topic != store.TopicFinance ||
				tr.Status != store.TrainingOpen || tr.CreatedBy != staff {
				t.Errorf("saved %+v", tr.Training)
			}
		})
	}
}

func TestCreateRefusesBadAnswers(t *testing.T) {
	h := newHarness(t)
	say(t, h, staff, "/pelatihanbaru", "train_new_topic")
	say(t, h, staff, "olahraga", "train_topic_choose")
	say(t, h, staff, "pemasaran", "train_new_title")
	say(t, h, staff, "Foto", "train_title_length")
	say(t, h, staff, "Foto Produk dengan HP", "train_new_desc")
	say(t, h, staff, "Singkat", "train_desc_length")
	say(t, h, staff, "Cara memotret produk agar menarik pembeli di marketplace.", "train_new_start")

	for _, tc := range []struct{ in, want string }{
		{"31 Februari 2027 09.00", "train_date_impossible"},
		{"1 November 2026 09.00", "train_date_past"},
		{"hari ini 08.00", "train_date_past"},
		{"14/13/2027 9:00", "train_date_month"},
		{"Jumat 14 Januari 2027 09.00", "train_date_weekday"},
		{"14 Jan 2027", "train_date_no_time"},
		{"jam 9", "train_date_no_date"},
		{"14 Jan 2027 25.00", "train_time_invalid"},
		{"5 Jan 2030 09.00", "train_date_far"},
		{"secepatnya", "train_date_format"},
	} {
		rs := h.Send(staff, tc.in)
		checkRendered(t, h, rs)
		if rs[0].ID != tc.want {
			t.Errorf("%q: replies %q, want %s first", tc.in, ft.IDs(rs), tc.want)
		}
		if tc.want == "train_date_impossible" {
			contains(t, plain(h, rs), "Tanggal 31 Februari 2027 tidak ada", "hanya sampai tanggal 28")
		}
		if s := h.Session(staff); s.State != "start" {
			t.Fatalf("%q moved the form to %s", tc.in, s.State)
		}
	}
	say(t, h, staff, "14 Jan 2027 09.00", "train_start_ok", "train_new_end")
	say(t, h, staff, "08.00", "train_end_before")
	say(t, h, staff, "nanti saja", "train_end_format")
	say(t, h, staff, "sampai 12.00", "train_new_place")
	say(t, h, staff, "http://zoom.us/j/1234567890", "train_link_invalid")
	say(t, h, staff, "Aula", "train_place_length")
	say(t, h, staff, "https://zoom.us/j/1234567890", "train_new_cap")
	say(t, h, staff, "banyak", "train_cap_invalid")
	say(t, h, staff, "-3", "train_cap_invalid")
	rs := say(t, h, staff, "0", "train_cap0_ask")
	contains(t, plain(h, rs), "semua yang mendaftar masuk daftar tunggu")
	tap(t, h, staff, "Ubah kuota", "train_new_cap")
	say(t, h, staff, "0", "train_cap0_ask")
	say(t, h, staff, "ya", "train_new_deadline")
	say(t, h, staff, "15 Jan 2027", "train_deadline_after")
	say(t, h, staff, "14 Jan 2027 09.00", "train_deadline_after")
	say(t, h, staff, "26 Nov 2026", "train_deadline_past", "err_three_strikes")
	rs = say(t, h, staff, "12 Jan 2027", "train_preview")
	contains(t, plain(h, rs), "Topik: Pemasaran digital", "Judul: Foto Produk dengan HP", "📍 Daring: https://zoom.us/j/1234567890",
		"Kuota: 0 kursi", "⚠️ Kuota 0", "Batas daftar: Selasa, 12 Januari 2027 pukul 23.59 WIB",
		"Selesai: pukul 12.00 WIB")

	// A later start keeps the length and the typed deadline.
	tap(t, h, staff, "Ubah", "train_fields")
	tap(t, h, staff, "Mulai", "train_new_start")
	say(t, h, staff, "15 Jan 2027 10.00", "train_start_ok", "train_preview")
	tap(t, h, staff, "Ubah", "train_fields")
	tap(t, h, staff, "Kuota", "train_new_cap")
	say(t, h, staff, "25", "train_preview")
	// A start before the typed deadline puts the deadline back to the
	// default.
	tap(t, h, staff, "Ubah", "train_fields")
	tap(t, h, staff, "Mulai", "train_new_start")
	rs = say(t, h, staff, "12 Jan 2027 08.00", "train_start_ok", "train_deadline_reset", "train_preview")
	contains(t, plain(h, rs), "Senin, 11 Januari 2027 pukul 23.59 WIB", "Selesai: pukul 11.00 WIB")
	tap(t, h, staff, "Simpan", "train_created")
	tr := savedTraining(t, h, 1)
	if !tr.StartAt.Equal(wibTime(2027, 1, 12, 8, 0)) || !tr.EndAt.Equal(wibTime(2027, 1, 12, 11, 0)) ||
		!tr.Deadline.Equal(wibTime(2027, 1, 11, 23, 59)) || tr.Capacity != 25 || tr.Place != "" ||
		tr.Link != "https://zoom.us/j/1234567890" || tr.Topic != store.TopicMarketing ||
		tr.Description != "Cara memotret produk agar menarik pembeli di marketplace." {
		t.Errorf("saved %+v", tr.Training)
	}
}

func TestCreateKeepsDraft(t *testing.T) {
	h := newHarness(t)
	toStart(t, h, "Pencatatan Keuangan Sederhana")
	say(t, h, staff, "batal", "cancel_kept", "menu_prompt")
	say(t, h, staff, "/pelatihanbaru", "resume_offer")
	tap(t, h, staff, "Lanjutkan", "train_new_start")
}

func TestStaffCommandsAreHidden(t *testing.T) {
	h := newHarness(t)
	seed(t, h, store.Training{})
	for _, cmd := range []string{"/pelatihanbaru", "/pelatihanedit 1", "/pelatihanedit", "/pelatihanbatal 1",
		"/peserta 1", "/peserta"} {
		say(t, h, siti, cmd, "err_unknown_command")
	}
	if s := h.Session(siti); s != nil && s.Flow != "" {
		t.Errorf("an owner entered %s", s.Flow)
	}
}
