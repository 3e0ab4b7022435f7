package training_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/flows/training"
	"github.com/diskum-tangerang/umkmbot/locales"
	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/memory"
)

// importNow is the flowstest clock's start.
var importNow = wibTime(2026, 11, 27, 9, 0)

const header = "kode;topik;judul;deskripsi;mulai;selesai;tempat;tautan;kuota;batas_daftar\n"

func TestImportCSV(t *testing.T) {
	file := "\ufeff" + header +
		"KEU-01;Keuangan;Pencatatan Keuangan Sederhana;Mencatat kas harian.;14 Jan 2027 09.00;12.00;Aula Kecamatan Tigaraksa;;30;\n" +
		"\n" +
		"PEM-01;pemasaran digital;Jualan di Marketplace;;14/01/2027 13:00;2 jam;;https://zoom.us/j/1234567890;100;12 Jan 2027\n" +
		"LEG-01;legalitas;Mengurus NIB;;Kamis 14 Januari 2027 pukul 09.00;sampai 15 Jan 2027 12.00;Aula Kecamatan Cikupa;;0;13/01/2027 17.00\n"
	got, errs, err := training.ImportCSV(strings.NewReader(file), importNow)
	if err != nil || len(errs) != 0 {
		t.Fatalf("err %v, row errors %v", err, errs)
	}
	want := []store.Training{
		{Topic: store.TopicFinance, Title: "Pencatatan Keuangan Sederhana", Description: "Mencatat kas harian.",
			StartAt: jan14, EndAt: wibTime(2027, 1, 14, 12, 0), Place: "Aula Kecamatan Tigaraksa", Capacity: 30,
			Deadline: wibTime(2027, 1, 13, 23, 59), Status: store.TrainingOpen, ImportKey: "KEU-01"},
		{Topic: store.TopicMarketing, Title: "Jualan di Marketplace", StartAt: wibTime(2027, 1, 14, 13, 0),
			EndAt: wibTime(2027, 1, 14, 15, 0), Link: "https://zoom.us/j/1234567890", Capacity: 100,
			Deadline: wibTime(2027, 1, 12, 23, 59), Status: store.TrainingOpen, ImportKey: "PEM-01"},
		{Topic: store.TopicLegal, Title: "Mengurus NIB", StartAt: jan14, EndAt: wibTime(2027, 1, 15, 12, 0),
			Place: "Aula Kecamatan Cikupa", Capacity: 0, Deadline: wibTime(2027, 1, 13, 17, 0),
			Status: store.TrainingOpen, ImportKey: "LEG-01"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d trainings, want %d", len(got), len(want))
	}
	for i := range want {
		if !sameTraining(got[i], want[i]) {
			t.Errorf("row %d\n %+v\nwant\n %+v", i, got[i], want[i])
		}
	}

	// The store imports them, and a second run changes nothing.
	mem := memory.New(memory.WithClock(func() time.Time { return importNow }))
	for run, wantCreated := range []int{3, 0} {
		r, err := mem.ImportTrainings(context.Background(), staff, got, training.MovedNotify(importNow))
		if err != nil || r.Created != wantCreated || r.Updated != 0 || r.Told != 0 {
			t.Errorf("run %d: %+v, err %v", run+1, r, err)
		}
	}
}

func sameTraining(a, b store.Training) bool {
	return a.Topic == b.Topic && a.Title == b.Title && a.Description == b.Description && a.StartAt.Equal(b.StartAt) &&
		a.EndAt.Equal(b.EndAt) && a.Place == b.Place && a.Link == b.Link && a.Capacity == b.Capacity &&
		a.Deadline.Equal(b.Deadline) && a.Status == b.Status && a.ImportKey == b.ImportKey
}

func TestImportCSVCommasAndColumnOrder(t *testing.T) {
	file := "Judul,Kode,Mulai,Kuota,Topik,Tempat\r\n" +
		"\"Ekspor Perdana, Langkah Awal\",EKS-01,14-1-2027 jam 9,25 orang,ekspor,\"Gedung PLUT, Tigaraksa\"\r\n"
	got, errs, err := training.ImportCSV(strings.NewReader(file), importNow)
	if err != nil || len(errs) != 0 || len(got) != 1 {
		t.Fatalf("got %v, errs %v, err %v", got, errs, err)
	}
	if g := got[0]; g.Title != "Ekspor Perdana, Langkah Awal" || g.Place != "Gedung PLUT, Tigaraksa" || g.Capacity != 25 ||
		!g.StartAt.Equal(jan14) || !g.EndAt.Equal(jan14.Add(3*time.Hour)) || g.Topic != store.TopicExport {
		t.Errorf("imported %+v", g)
	}
}

func TestImportCSVRowErrors(t *testing.T) {
	cases := []struct {
		row    string
		column string
		msg    string
	}{
		{"KEU-01;Keuangan;Pencatatan;;31 Februari 2027 09.00;;Aula Kecamatan;;30;", "mulai", "train_date_impossible"},
		{"KEU-01;Keuangan;Pencatatan;;1 Nov 2026 09.00;;Aula Kecamatan;;30;", "mulai", "train_date_past"},
		{"KEU-01;Keuangan;Pencatatan;;14 Jan 2027;;Aula Kecamatan;;30;", "mulai", "train_date_no_time"},
		{"KEU-01;Olahraga;Pencatatan;;14 Jan 2027 09.00;;Aula Kecamatan;;30;", "topik", "train_import_topic"},
		{"KEU-01;Keuangan;Cat;;14 Jan 2027 09.00;;Aula Kecamatan;;30;", "judul", "train_title_length"},
		{";Keuangan;Pencatatan;;14 Jan 2027 09.00;;Aula Kecamatan;;30;", "kode", "train_import_key"},
		{"KEU-01;Keuangan;Pencatatan;;14 Jan 2027 09.00;08.00;Aula Kecamatan;;30;", "selesai", "train_end_before"},
		{"KEU-01;Keuangan;Pencatatan;;14 Jan 2027 09.00;;;;30;", "tempat", "train_import_where"},
		{"KEU-01;Keuangan;Pencatatan;;14 Jan 2027 09.00;;Aula Kecamatan;https://zoom.us/j/1;30;", "tautan", "train_import_both"},
		{"KEU-01;Keuangan;Pencatatan;;14 Jan 2027 09.00;;;zoom.us/j/1;30;", "tautan", "train_link_invalid"},
		{"KEU-01;Keuangan;Pencatatan;;14 Jan 2027 09.00;;Aula Kecamatan;;banyak;", "kuota", "train_cap_invalid"},
		{"KEU-01;Keuangan;Pencatatan;;14 Jan 2027 09.00;;Aula Kecamatan;;30;15 Jan 2027", "batas_daftar", "train_deadline_after"},
		{"KEU-01;Keuangan;Pencatatan;;14 Jan 2027 09.00;;Aula Kecamatan;;30;20 Nov 2026", "batas_daftar", "train_deadline_past"},
		{"KEU-01;Keuangan;Pencatatan;" + strings.Repeat("x", 1001) + ";14 Jan 2027 09.00;;Aula Kecamatan;;30;", "deskripsi", "train_import_desc"},
	}
	cat, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.msg, func(t *testing.T) {
			good := "OK-01;Keuangan;Arus Kas Warung;;15 Jan 2027 09.00;;Aula Kecamatan;;30;\n"
			got, errs, err := training.ImportCSV(strings.NewReader(header+good+tc.row+"\n"), importNow)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].ImportKey != "OK-01" {
				t.Errorf("imported %v, want the good row only", got)
			}
			if len(errs) != 1 || errs[0].Line != 3 || errs[0].Column != tc.column || errs[0].Msg.ID != tc.msg {
				t.Fatalf("errors %+v, want line 3 column %s %s", errs, tc.column, tc.msg)
			}
			checkImportText(t, cat, errs[0].Text())
		})
	}
}

func checkImportText(t *testing.T, cat *locales.Catalog, txt flows.Text) {
	t.Helper()
	for _, lang := range []string{"id", "en"} {
		ft.CheckText(t, cat, lang, txt)
		if out := cat.Plain(lang, txt); !strings.HasPrefix(out, "Baris 3") && !strings.HasPrefix(out, "Line 3") {
			t.Errorf("%s renders badly: %q", lang, out)
		}
	}
}

func TestImportCSVSeveralErrorsAndDuplicates(t *testing.T) {
	file := header +
		"KEU-01;Keuangan;Pencatatan Kas;;14 Jan 2027 09.00;;Aula Kecamatan;;30;\n" +
		"KEU-01;Keuangan;Pencatatan Kas Lagi;;15 Jan 2027 09.00;;Aula Kecamatan;;30;\n" +
		"KEU-02;Olahraga;X;;32 Jan 2027 09.00;;;;-1;\n" +
		"\"KEU-03;Keuangan\n"
	got, errs, err := training.ImportCSV(strings.NewReader(file), importNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Errorf("imported %d rows", len(got))
	}
	type key struct {
		line int
		col  string
		msg  string
	}
	var have []key
	for _, e := range errs {
		have = append(have, key{e.Line, e.Column, e.Msg.ID})
	}
	want := []key{
		{3, "kode", "train_import_dup_key"},
		{4, "topik", "train_import_topic"}, {4, "judul", "train_title_length"}, {4, "tempat", "train_import_where"},
		{4, "kuota", "train_cap_invalid"}, {4, "mulai", "train_date_impossible"},
		{5, "", "train_import_unreadable"},
	}
	if len(have) != len(want) {
		t.Fatalf("errors %v, want %v", have, want)
	}
	for i := range want {
		if have[i] != want[i] {
			t.Errorf("error %d: %v, want %v", i, have[i], want[i])
		}
	}
}

func TestImportCSVBadFiles(t *testing.T) {
	cases := []struct{ file, column, msg string }{
		{"", "", "train_import_empty"},
		{"kode;topik;judul;mulai\n", "kuota", "train_import_missing_column"},
		{"kode;topik;judul;mulai;kuota;tempat;harga\n", "harga", "train_import_unknown_column"},
		{"kode;topik;judul;mulai;kuota;kode\n", "kode", "train_import_dup_column"},
		{"kode;topik\xff;judul\n", "", "train_import_encoding"},
	}
	for _, tc := range cases {
		_, _, err := training.ImportCSV(strings.NewReader(tc.file), importNow)
		var re *training.RowError
		if !errors.As(err, &re) || re.Line != 1 || re.Column != tc.column || re.Msg.ID != tc.msg {
			t.Errorf("%q: error %v, want line 1 column %q %s", tc.file, err, tc.column, tc.msg)
		}
	}
}
