package broadcast_test

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/broadcast"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/store"
)

// TestComposeToKecamatanWithURL walks the whole staff conversation: text
// with formatting, a URL button, the kecamatan keyboard, the count, the
// preview and Kirim; the campaign is created once, for the right audience,
// with a payload that decodes to exactly the preview.
func TestComposeToKecamatanWithURL(t *testing.T) {
	f := newFixture(t, broadcast.Options{})
	h := f.h
	ft.Want(t, h.Send(staff, "/siaran"), "bc_ask_text")
	ft.Want(t, f.sendHTML("Bazar UMKM & Expo", "<b>Bazar UMKM</b> &amp; Expo"), "bc_ask_button")
	ft.Want(t, h.TapLabel(staff, "Tautan (URL)"), "bc_ask_label")
	ft.Want(t, h.Send(staff, "Info Lengkap"), "bc_ask_url")
	ft.Want(t, h.Send(staff, "http://tangerangkab.go.id"), "bc_url_invalid")
	ft.Want(t, h.Send(staff, "https://tangerangkab.go.id/bazar?x=1&y=2"), "bc_ask_audience")
	rs := h.TapLabel(staff, "Per kecamatan")
	ft.Want(t, rs, "bc_ask_kec")
	contains(t, h.Plain(rs), "halaman 1 dari 3")
	rs = h.TapLabel(staff, "Berikutnya ›")
	contains(t, h.Plain(rs), "halaman 2 dari 3")
	if got := h.Buttons(staff)[0].Label.Raw; got != field.Kecamatans()[10].Name {
		t.Fatalf("page 2 starts with %q", got)
	}
	ft.Want(t, h.Send(staff, "Serpong"), "bc_kec_outside")
	ft.Want(t, h.Send(staff, "Kecamatan Entahlah"), "bc_kec_unknown")
	rs = h.Send(staff, "kec. cikupa")
	ft.Want(t, rs, "bc_preview_intro", "bc_message", "bc_confirm")
	preview := rs[1]
	contains(t, f.plain(rs[2:]), "Penerima: 2 (pemilik usaha di Kecamatan Cikupa)")
	contains(t, f.plain(rs[2:]), "Perkiraan lama pengiriman: ± 1 menit.")
	if html := h.Catalog.Render("id", preview.Text); !strings.Contains(html, "\n\n<b>Bazar UMKM</b> &amp; Expo") {
		t.Fatalf("preview renders as %q", html)
	}
	wantButtons := [][]flows.Button{
		{{Label: flows.Raw("Info Lengkap"), URL: "https://tangerangkab.go.id/bazar?x=1&y=2"}},
		{{Label: flows.T("bc_btn_stop"), Data: "/berhenti"}},
	}
	if !reflect.DeepEqual(preview.Buttons, wantButtons) || preview.Lang != "id" {
		t.Fatalf("preview buttons %+v lang %q", preview.Buttons, preview.Lang)
	}
	ft.Want(t, h.TapLabel(staff, "Kirim"), "bc_created")

	calls := f.camps.calls()
	if len(calls) != 1 {
		t.Fatalf("CreateCampaign called %d times", len(calls))
	}
	c := calls[0]
	if c.Audience != (store.Audience{Kecamatan: kec(t, "Cikupa")}) || c.CreatedBy != staff ||
		c.ProgressChat != staff || c.Status != store.CampaignRunning || !c.StartAt.Equal(ft.Start) {
		t.Fatalf("campaign %+v", c)
	}
	got, err := flows.DecodeReply(c.Payload)
	if err != nil {
		t.Fatal(err)
	}
	if got.Lang != "" {
		t.Fatalf("payload in %q; want no language, so that each owner gets their own", got.Lang)
	}
	got.Lang = preview.Lang
	if !reflect.DeepEqual(got, preview) {
		t.Fatalf("payload decodes to\n%+v\nthe preview was\n%+v", got, preview)
	}
	for _, o := range []int64{owner1, owner2} {
		if _, err := f.out.OutboxItem(context.Background(), "bc:1:"+itoa(o)); err != nil {
			t.Fatalf("owner %d has no outbox row: %v", o, err)
		}
	}
	if _, err := f.out.OutboxItem(context.Background(), "bc:1:"+itoa(owner3)); err == nil {
		t.Fatal("an owner of Balaraja got a row")
	}
}

func TestComposeBySectorWithDaftarButton(t *testing.T) {
	f := newFixture(t, broadcast.Options{})
	h := f.h
	h.Send(staff, "/siaran")
	// The terminal has no HTML: the text is escaped.
	ft.Want(t, h.Send(staff, "Harga <promo> & diskon"), "bc_ask_button")
	ft.Want(t, h.TapLabel(staff, "Daftar Usaha"), "bc_ask_audience")
	ft.Want(t, h.TapLabel(staff, "Per sektor"), "bc_ask_sector")
	ft.Want(t, h.Send(staff, "sesuatu yang aneh"), "bc_sector_unknown")
	// Nobody is in digital_kreatif: no Kirim, the question again.
	rs := h.TapData(staff, "siaran.sector:digital_kreatif")
	ft.Want(t, rs, "bc_audience_empty", "bc_ask_sector")
	rs = h.Send(staff, "kuliner")
	ft.Want(t, rs, "bc_preview_intro", "bc_message", "bc_confirm")
	if body := rs[1].Data["Body"]; body != flows.HTML("Harga &lt;promo&gt; &amp; diskon") {
		t.Fatalf("body %q", body)
	}
	if b := rs[1].Buttons[0][0]; b.Data != "/daftar" {
		t.Fatalf("first button %+v", b)
	}
	contains(t, f.plain(rs[2:]), "Penerima: 2 (pemilik usaha sektor")
	ft.Want(t, h.TapLabel(staff, "Kirim"), "bc_created")
	if c := f.camps.calls(); len(c) != 1 || c[0].Audience != (store.Audience{Sector: "kuliner"}) {
		t.Fatalf("campaigns %+v", c)
	}
}

func TestEditTextGoesStraightBackToThePreview(t *testing.T) {
	f := newFixture(t, broadcast.Options{})
	f.toConfirm(t)
	ft.Want(t, f.h.TapLabel(staff, "Ubah teks"), "bc_ask_text")
	rs := f.sendHTML("Bazar UMKM diundur", "Bazar UMKM <i>diundur</i>")
	ft.Want(t, rs, "bc_preview_intro", "bc_message", "bc_confirm")
	if body := rs[1].Data["Body"]; body != flows.HTML("Bazar UMKM <i>diundur</i>") {
		t.Fatalf("body %q", body)
	}
	contains(t, f.plain(rs[2:]), "Penerima: 3 (semua pemilik usaha)")
	ft.Want(t, f.h.TapLabel(staff, "Batal"), "bc_aborted")
	if n := len(f.camps.calls()); n != 0 {
		t.Fatalf("Batal created %d campaigns", n)
	}
}

func TestGlobalWordsWhileComposing(t *testing.T) {
	f := newFixture(t, broadcast.Options{})
	h := f.h
	h.Send(staff, "/siaran")
	f.sendHTML("Bazar", "Bazar")
	h.TapLabel(staff, "Tanpa tombol")
	ft.Want(t, h.Send(staff, "kembali"), "bc_ask_button")
	ft.Want(t, h.Send(staff, "bantuan"), "bc_help_button", "bc_ask_button")
	ft.Want(t, h.Send(staff, "tanpa tombol"), "bc_ask_audience")
	ft.Want(t, h.Send(staff, "batal"), "cancel_kept", "menu_prompt")
	ft.Want(t, h.Send(staff, "/siaran"), "resume_offer")
	ft.Want(t, h.TapLabel(staff, "Lanjutkan"), "bc_ask_audience")
}

func TestDoubleKirimMakesOneCampaign(t *testing.T) {
	f := newFixture(t, broadcast.Options{})
	f.toConfirm(t)
	send := f.h.Buttons(staff)[0].Data
	ft.Want(t, f.h.TapData(staff, send), "bc_created")
	rs := f.h.TapData(staff, send)
	ft.Want(t, rs, "err_stale_button")
	if n := len(f.camps.calls()); n != 1 {
		t.Fatalf("two taps made %d campaigns", n)
	}
}

func TestConcurrentKirimMakesOneCampaign(t *testing.T) {
	f := newFixture(t, broadcast.Options{})
	f.toConfirm(t)
	send := f.h.Buttons(staff)[0].Data
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { f.h.TapData(staff, send) })
	}
	wg.Wait()
	if n := len(f.camps.calls()); n != 1 {
		t.Fatalf("8 concurrent taps made %d campaigns", n)
	}
	if cs, _ := f.out.Campaigns(context.Background(), 10); len(cs) != 1 {
		t.Fatalf("%d campaigns stored", len(cs))
	}
}

func TestQuietHoursDelayTheStart(t *testing.T) {
	f := newFixture(t, broadcast.Options{})
	f.h.Advance(13 * time.Hour) // Friday 22.00 WIB
	rs := f.toConfirm(t)
	contains(t, f.plain(rs[2:]), "jam tenang, jadi pengiriman baru dimulai Sabtu, 28 November 2026 pukul 06.00 WIB")
	rs = f.h.TapLabel(staff, "Kirim")
	ft.Want(t, rs, "bc_created")
	contains(t, f.plain(rs), "Siaran akan mulai Sabtu, 28 November 2026 pukul 06.00 WIB")
	want := time.Date(2026, 11, 27, 23, 0, 0, 0, time.UTC)
	if c := f.camps.calls(); len(c) != 1 || !c[0].StartAt.Equal(want) {
		t.Fatalf("campaigns %+v, want start %v", c, want)
	}
	it, err := f.out.OutboxItem(context.Background(), "bc:1:"+itoa(owner1))
	if err != nil || !it.NotBefore.Equal(want) {
		t.Fatalf("row %+v %v", it, err)
	}
}

func TestOutsideQuietHoursStartsNow(t *testing.T) {
	f := newFixture(t, broadcast.Options{QuietFrom: broadcast.TimeOfDay{Hour: 22}, QuietTo: broadcast.TimeOfDay{Hour: 5}})
	f.h.Advance(12*time.Hour + 30*time.Minute) // 21.30: quiet by default, not here
	rs := f.toConfirm(t)
	if _, ok := rs[2].Data["Quiet"]; ok {
		t.Fatal("quiet note outside the configured quiet hours")
	}
	rs = f.h.TapLabel(staff, "Kirim")
	contains(t, f.plain(rs), "Pengiriman dimulai sekarang")
	if c := f.camps.calls(); !c[0].StartAt.Equal(f.h.Now()) {
		t.Fatalf("start %v, want now", c[0].StartAt)
	}
}

func TestStaffCommandsAreUnknownToOthers(t *testing.T) {
	f := newFixture(t, broadcast.Options{})
	for _, cmd := range []string{"/siaran", "/siaranjeda 1", "/siaranlanjut 1", "/siaranbatal 1", "/siaranlist"} {
		ft.Want(t, f.h.Send(owner1, cmd), "err_unknown_command")
		ft.Want(t, f.h.TapData(owner1, cmd), "err_unknown_command")
	}
	// A forged tap on a compose step is stale, not a way in.
	ft.Want(t, f.h.TapData(owner1, "siaran.confirm:send"), "err_stale_button")
	if n := len(f.camps.calls()); n != 0 {
		t.Fatalf("%d campaigns", n)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestKirimWhenEveryoneLeft(t *testing.T) {
	f := newFixture(t, broadcast.Options{})
	f.toConfirm(t)
	for _, o := range []int64{owner1, owner2, owner3} {
		ft.Want(t, f.h.Send(o, "/berhenti"), "bc_unsubscribed")
	}
	rs := f.h.TapLabel(staff, "Kirim")
	ft.Want(t, rs, "bc_created_empty")
	contains(t, f.plain(rs), "Siaran #1 tidak dikirim ke siapa pun")
	if c, _ := f.out.Campaign(context.Background(), 1); c.Status != store.CampaignDone {
		t.Fatalf("status %s", c.Status)
	}
}
