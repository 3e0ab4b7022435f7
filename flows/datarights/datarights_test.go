package datarights_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/datarights"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/flows/menu"
	"github.com/diskum-tangerang/umkmbot/flows/registration"
	"github.com/diskum-tangerang/umkmbot/store"
)

const (
	owner = 1001
	staff = 7001
	nik   = "3603124507900003"
	name  = "Siti Aminah"
	phone = "+6281234567890"
)

func newHarness(t *testing.T) *ft.Harness {
	t.Helper()
	h := ft.New(t, ft.Options{
		Menu: menu.Options{Registration: registration.Name},
		Flows: func(h *ft.Harness) []*flows.Flow {
			opt := registration.Options{ConsentVersion: "2026-11"}
			return []*flows.Flow{
				registration.New(h.Store, opt), registration.NewEdit(h.Store, opt),
				datarights.NewData(h.Store, datarights.Options{}),
				datarights.NewDelete(h.Store, datarights.Options{}),
				datarights.NewExport(h.Store, datarights.Options{}),
			}
		},
	})
	h.Staff[staff] = true
	return h
}

// register runs a whole registration of user, typed.
func register(t *testing.T, h *ft.Harness, user int64, business string) {
	t.Helper()
	answers := []string{"/daftar", "setuju", name, nik, "ya", "0812-3456-7890", business, "kuliner",
		"kue basah", "pasar kemis", "lewati", "Jl. Raya Pasar Kemis No. 12", "2019", "3", "50 juta",
		"10 juta per bulan", "belum punya", "belum"}
	for _, a := range answers {
		if a == "setuju" && h.Session(user).State != "consent" {
			continue
		}
		h.Send(user, a)
	}
	ft.Want(t, h.Send(user, "simpan"), "reg_saved", "menu_prompt")
}

func TestDataSayaShowsMaskedNIK(t *testing.T) {
	h := newHarness(t)
	ft.Want(t, h.Send(owner, "/datasaya"), "data_intro", "data_rest", "menu_prompt")
	register(t, h, owner, "Kue Basah Bu Siti")
	register(t, h, owner, "Katering Bu Siti")
	rs := h.Send(owner, "/datasaya")
	ft.Want(t, rs, "data_intro", "data_registration", "data_registration", "data_rest", "menu_prompt")
	plain := h.Plain(rs)
	for _, s := range []string{"************0003", "Kue Basah Bu Siti", "Katering Bu Siti", "0812-3456-7890",
		"setuju — pendaftaran usaha, pemberitahuan versi 2026-11", "Bahasa: Bahasa Indonesia", "/ubahdata", "/hapusdata"} {
		if !strings.Contains(plain, s) {
			t.Errorf("/datasaya lacks %q:\n%s", s, plain)
		}
	}
	if strings.Contains(plain, nik) || strings.Contains(plain, "3603124507") {
		t.Errorf("/datasaya shows more of the NIK than its last 4 digits:\n%s", plain)
	}
	for _, r := range rs {
		if out := h.Catalog.Plain("en", r.Text); strings.Contains(out, nik) || strings.Contains(out, "data_") {
			t.Errorf("English rendering: %s", out)
		}
	}
	log, _ := h.Store.AuditLog(context.Background(), fmt.Sprintf("user:%d", owner))
	if len(log) == 0 || log[len(log)-1].Action != "access" {
		t.Errorf("the access is not audited: %+v", log)
	}
}

func TestMaskNIK(t *testing.T) {
	for in, want := range map[string]string{nik: "************0003", "": "", "123": "***"} {
		if got := datarights.MaskNIK(in); got != want {
			t.Errorf("MaskNIK(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHapusDataLeavesNothingPersonal(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	register(t, h, owner, "Kue Basah Bu Siti")
	number := mustRegs(t, h, owner)[0].Number
	if err := h.Store.SetLanguage(ctx, owner, "id"); err != nil {
		t.Fatal(err)
	}
	// A second registration left half-way: the draft holds the NIK.
	for _, a := range []string{"/daftar", name, nik, "ya", "0812-3456-7890"} {
		h.Send(owner, a)
	}
	ft.Want(t, h.Send(owner, "batal"), "cancel_kept", "menu_prompt")

	rs := h.Send(owner, "/hapusdata")
	ft.Want(t, rs, "data_delete_confirm")
	if p := h.Plain(rs); !strings.Contains(p, "di 1 pendaftaran usaha Anda") || !strings.Contains(p, "• 1 catatan persetujuan") {
		t.Errorf("counts:\n%s", p)
	}
	ft.Want(t, h.Send(owner, "ya"), "data_delete_exact")
	ft.Want(t, h.Send(owner, "hapus"), "data_delete_exact")
	ft.Want(t, h.Send(owner, "Hapus data saya"), "data_deleted", "menu_prompt")

	if regs := mustRegs(t, h, owner); len(regs) != 0 {
		t.Errorf("registrations left: %+v", regs)
	}
	kept, err := h.Store.Registration(ctx, number)
	if err != nil || kept.OwnerName != "(dihapus)" || kept.NIK != "" || kept.Phone != "" || kept.UserID != 0 ||
		kept.Sector != "kuliner" || kept.Kecamatan != "360312" {
		t.Errorf("anonymised row %+v, %v", kept, err)
	}
	if _, err := h.Store.FindRegistration(ctx, nik, "Kue Basah Bu Siti"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FindRegistration after deletion: %v", err)
	}
	if cs, _ := h.Store.ConsentsOf(ctx, owner); len(cs) != 0 {
		t.Errorf("consents left: %+v", cs)
	}
	if _, err := h.Store.User(ctx, owner); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("user (language) left: %v", err)
	}
	exported, _ := h.Store.ExportRegistrations(ctx, staff, store.RegistrationFilter{})
	log, _ := h.Store.AuditLog(ctx, "")
	sess, _ := json.Marshal(h.Session(owner))
	everything := fmt.Sprintf("%+v %+v %+v %s", kept, exported, log, sess)
	for _, s := range []string{nik, "3603 1245", name, "Siti", phone, "81234567890", "0812-3456-7890"} {
		if strings.Contains(everything, s) {
			t.Errorf("%q is still kept: %s", s, everything)
		}
	}
	if len(h.Session(owner).Drafts) != 0 {
		t.Errorf("drafts left: %+v", h.Session(owner).Drafts)
	}
	// Registering again starts from the privacy notice.
	ft.Want(t, h.Send(owner, "/daftar"), "reg_consent")
}

func TestHapusDataCancelled(t *testing.T) {
	h := newHarness(t)
	register(t, h, owner, "Kue Basah Bu Siti")
	h.Send(owner, "/hapusdata")
	ft.Want(t, h.TapLabel(owner, "Batal"), "data_delete_kept", "menu_prompt")
	h.Send(owner, "/hapusdata")
	ft.Want(t, h.Send(owner, "batal"), "cancel_done", "menu_prompt")
	if len(mustRegs(t, h, owner)) != 1 {
		t.Fatal("cancelled deletion deleted")
	}
}

func TestEksporForStaffOnly(t *testing.T) {
	h := newHarness(t)
	register(t, h, owner, "Kue Basah Bu Siti")
	ft.Want(t, h.Send(owner, "/ekspor"), "err_unknown_command")

	ft.Want(t, h.Send(staff, "/ekspor"), "data_export_kec")
	ft.Want(t, h.Send(staff, "cikupa"), "data_export_sector")
	ft.Want(t, h.TapLabel(staff, "Semua sektor"), "data_export_empty", "menu_prompt")

	h.Send(staff, "/ekspor")
	ft.Want(t, h.Send(staff, "serpong"), "field_kecamatan_outside")
	ft.Want(t, h.Send(staff, "semua"), "data_export_sector")
	rs := h.Send(staff, "kuliner")
	ft.Want(t, rs, "data_export_done", "menu_prompt")
	doc := rs[0].Document
	if doc == nil || doc.Name != "registrasi-umkm-20261127.csv" {
		t.Fatalf("document %+v", doc)
	}
	if rs[0].Data["Count"] != 1 {
		t.Errorf("count %v", rs[0].Data["Count"])
	}
	if !bytes.HasPrefix(doc.Content, []byte("\xef\xbb\xbfNomor;Tanggal daftar;Nama pemilik;NIK")) ||
		!bytes.Contains(doc.Content, []byte(`"=""`+nik+`"""`)) || !bytes.Contains(doc.Content, []byte("\r\n")) {
		t.Errorf("CSV:\n%s", doc.Content)
	}
	log, _ := h.Store.AuditLog(context.Background(), "registrations")
	if len(log) != 2 || log[1].Actor != staff || log[1].Detail != "kecamatan=* sector=kuliner rows=1" {
		t.Errorf("export audit %+v", log)
	}
}

func mustRegs(t *testing.T, h *ft.Harness, user int64) []store.Registration {
	t.Helper()
	list, err := h.Store.RegistrationsOf(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return list
}
