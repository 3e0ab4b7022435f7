package main

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/flows/menu"
	"github.com/diskum-tangerang/umkmbot/flows/registration"
	"github.com/diskum-tangerang/umkmbot/locales"
	"github.com/diskum-tangerang/umkmbot/store"
)

// TestTextQuestions checks each text fragment the owners recognise against
// the bot's Indonesian messages: present in its own message, absent from
// every other one, so that a reworded prompt fails here and not in a run.
func TestTextQuestions(t *testing.T) {
	cat, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	hon := flows.T("reg_hon_ibu")
	type frag struct{ id, fragment string }
	var frags []frag
	for _, q := range textQuestions {
		frags = append(frags, frag{"reg_" + q.state, q.fragment})
	}
	frags = append(frags, frag{"reg_saved", savedFragment}, frag{"reg_duplicate", duplicateFragment},
		frag{"reg_phone_ok", infoFragments[0]}, frag{"reg_nib_training", infoFragments[1]},
		frag{"menu_prompt", infoFragments[2]}, frag{"reg_consent_known", infoFragments[3]})
	ids := cat.IDs("id")
	for _, f := range frags {
		own := plainText(cat.Render("id", flows.T(f.id, "Hon", hon, "Number", "UMKM-3603-2026-000001")))
		if !strings.Contains(own, f.fragment) {
			t.Errorf("%s does not contain %q: %q", f.id, f.fragment, own)
		}
		for _, id := range ids {
			if id == f.id {
				continue
			}
			if other := plainText(cat.Render("id", flows.T(id, "Hon", hon))); strings.Contains(other, f.fragment) {
				t.Errorf("%q of %s is also in %s", f.fragment, f.id, id)
			}
		}
	}
}

func TestRecognise(t *testing.T) {
	kb := func(data ...string) string {
		var row []map[string]string
		for _, d := range data {
			row = append(row, map[string]string{"text": d, "callback_data": d})
		}
		b, _ := json.Marshal(map[string]any{"inline_keyboard": [][]map[string]string{row}})
		return string(b)
	}
	tests := []struct {
		name, text, markup string
		kind               Kind
		question           string
	}{
		{"buttons win over text", "Ketik <b>nama lengkap</b> Anda sesuai KTP.", kb("reg.sector:kuliner"), KindQuestion, "sector"},
		{"text question", "Ketik <b>nama lengkap</b> Anda sesuai KTP.\nContoh: Siti", "", KindQuestion, "name"},
		{"reply keyboard", "Terima kasih, Ibu. Sekarang nomor HP Anda yang aktif.",
			`{"keyboard":[[{"text":"📱 Bagikan nomor","request_contact":true}]],"resize_keyboard":true}`, KindQuestion, "phone"},
		{"kecamatan page", "📍 Di kecamatan mana", kb("reg.kec:360313", "reg.kec:p0", "reg.kec:p2"), KindQuestion, "kec@360313"},
		{"other flow's buttons", "Ada yang bisa kami bantu?", kb("menu.main:daftar", "/daftar"), KindInfo, ""},
		{"saved", "✅ Pendaftaran berhasil. Nomor pendaftaran Anda: <b>UMKM-3603-2026-000012</b>", "", KindSaved, ""},
		{"unknown", "Maaf, ada gangguan.", "", KindOther, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Recognise(tt.text, tt.markup)
			if s.Kind != tt.kind || s.Question != tt.question {
				t.Errorf("Recognise = kind %d question %q, want %d %q", s.Kind, s.Question, tt.kind, tt.question)
			}
			if tt.kind == KindSaved && s.Number != "UMKM-3603-2026-000012" {
				t.Errorf("number %q", s.Number)
			}
		})
	}
}

func TestConvDuplicatePrompt(t *testing.T) {
	o := NewOwner(rand.New(rand.NewPCG(1, 1)), 0, 1, time.Now())
	c := NewConv(o)
	name := Seen{Kind: KindQuestion, State: qName, Question: qName}
	if act, done := c.See(name); act == nil || done || act.Text != o.Answers[qName].Text {
		t.Fatalf("first ask: %+v %v", act, done)
	}
	if act, done := c.See(name); act != nil || done || len(c.Res.DupPrompts) != 1 {
		t.Fatalf("second ask answered: %+v %v %v", act, done, c.Res.DupPrompts)
	}
	if act, _ := c.See(Seen{Kind: KindQuestion, State: qConsent, Question: qConsent,
		Buttons: []Button{{Data: "reg.consent:no"}}}); o.Answers[qConsent].Tap == "yes" && (act != nil || c.Res.Failed == "") {
		t.Errorf("tapped a missing button: %+v", act)
	}
}

// markup renders a reply's buttons the way the bot sends them.
func markup(cat *locales.Catalog, r flows.Reply) string {
	if len(r.Buttons) == 0 {
		return ""
	}
	var rows [][]map[string]string
	for _, row := range r.Buttons {
		var out []map[string]string
		for _, b := range row {
			out = append(out, map[string]string{"text": cat.Label("id", b.Label), "callback_data": b.Data})
		}
		rows = append(rows, out)
	}
	b, _ := json.Marshal(map[string]any{"inline_keyboard": rows})
	return string(b)
}

// TestOwnersThroughEngine plays generated owners through the real
// conversation engine on memory stores, recognising its rendered
// questions as the driver does, and checks every stored value against the
// owner's: the driver's data, recognition and oracle agree with the bot
// without any process, network or database.
func TestOwnersThroughEngine(t *testing.T) {
	h := ft.New(t, ft.Options{
		Menu: menu.Options{Registration: registration.Name},
		Flows: func(h *ft.Harness) []*flows.Flow {
			return []*flows.Flow{registration.New(h.Store, registration.Options{ConsentVersion: "2026-11"})}
		},
	})
	r := rand.New(rand.NewPCG(3, 5))
	now := h.Now().In(time.FixedZone("WIB", 7*3600))
	n := 150
	if testing.Short() {
		n = 40
	}
	for i := range n {
		o := NewOwner(r, i, int64(5000+i), now)
		c := NewConv(o)
		replies := h.Send(o.ID, "/daftar")
		for done := false; !done; {
			if len(replies) == 0 {
				t.Fatalf("owner %d: no reply after %s", i, c.Last)
			}
			var act *Action
			for _, rep := range replies {
				a, d := c.See(Recognise(h.Catalog.Render("id", rep.Text), markup(h.Catalog, rep)))
				if a != nil {
					act = a
				}
				done = done || d
			}
			if done {
				break
			}
			if act == nil {
				t.Fatalf("owner %d: nothing to answer after %s: %v", i, c.Last, ft.IDs(replies))
			}
			switch {
			case act.Contact != "":
				replies = h.Contact(o.ID, act.Contact)
			case act.Data != "":
				replies = h.TapData(o.ID, act.Data)
			default:
				replies = h.Send(o.ID, act.Text)
			}
		}
		if res := c.Res; !res.OK() || len(res.Unexpected) > 0 {
			t.Fatalf("owner %d: %+v", i, res)
		}
		regs, err := h.Store.RegistrationsOf(context.Background(), o.ID)
		if err != nil || len(regs) != 1 {
			t.Fatalf("owner %d: %d registrations, %v", i, len(regs), err)
		}
		for _, m := range compare(o.ID, recordOf(regs[0]), o.Want) {
			t.Errorf("owner %d field %s: stored %q, want %q (answer %s)", i, m.Field, m.Stored, m.Want, answerFor(o, m.Field))
		}
	}
}

func recordOf(r store.Registration) Record {
	birth := ""
	if !r.BirthDate.IsZero() {
		birth = r.BirthDate.Format(time.DateOnly)
	}
	return Record{OwnerName: r.OwnerName, NIK: r.NIK, BirthDate: birth, Female: r.Female, Phone: r.Phone,
		BusinessName: r.BusinessName, Sector: r.Sector, Products: r.Products, Kecamatan: r.Kecamatan, Desa: r.Desa,
		Address: r.Address, YearStarted: r.YearStarted, Workers: r.Workers, Capital: r.Capital, Turnover: r.Turnover,
		TurnoverMonthly: r.TurnoverMonthly, Class: r.Class, ClassBasis: r.ClassBasis, NIB: r.NIB, Halal: r.Halal}
}
