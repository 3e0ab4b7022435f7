package store_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// fullSession sets every field of a session, with text people type
// (quotes, emoji, new lines) in its data.
func fullSession() *store.Session {
	wib := time.FixedZone("WIB", 7*3600)
	return &store.Session{
		ChatID: -1001234567890, UserID: 987654321, Lang: "id", ClientLang: "en",
		Flow: "daftar", FlowVersion: 3, State: "ask_omzet",
		Data: map[string]string{
			"nama": "Siti \"Bu RT\" Aminah 🙏", "modal": "50000000", "alamat": "Jl. Raya\nNo. 5",
			"kosong": "",
		},
		History: []string{"ask_nama", "ask_nik", "ask_modal"},
		Tries:   2, Then: "/pelatihan 12",
		Drafts: map[string]store.Draft{
			"pinjaman": {FlowVersion: 1, State: "ask_nomor", Data: map[string]string{"nomor": "UPDB-2026-0001"},
				History: []string{"start"}, SavedAt: time.Date(2026, 11, 30, 9, 30, 0, 123456789, wib)},
			"kosong": {},
		},
		LastUpdate: 812345678, Version: 41,
		UpdatedAt: time.Date(2026, 12, 2, 14, 0, 0, 1, time.UTC),
	}
}

// sameInstants puts the times of s in UTC, as a decoded session has them.
func sameInstants(s *store.Session) *store.Session {
	c := *s
	c.UpdatedAt = c.UpdatedAt.UTC()
	if c.Drafts != nil {
		c.Drafts = map[string]store.Draft{}
		for k, d := range s.Drafts {
			if !d.SavedAt.IsZero() {
				d.SavedAt = d.SavedAt.UTC()
			}
			c.Drafts[k] = d
		}
	}
	return &c
}

func TestSessionRoundTrip(t *testing.T) {
	for _, s := range []*store.Session{fullSession(), {ChatID: 42}, {ChatID: 7, Version: 1, Data: map[string]string{"a": "b"}}} {
		raw := store.EncodeSession(s)
		if !bytes.HasPrefix(raw, []byte("S1:")) {
			t.Fatalf("encoded session %q: want the S1 form", raw)
		}
		got, err := store.DecodeSession(raw)
		if err != nil {
			t.Fatalf("DecodeSession(%q): %v", raw, err)
		}
		if want := sameInstants(s); !reflect.DeepEqual(got, want) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
		}
	}
}

// TestSessionVersionInHeader: the Redis commit script compares the version
// in the header, without decoding the rest.
func TestSessionVersionInHeader(t *testing.T) {
	raw := store.EncodeSession(fullSession())
	if !bytes.HasPrefix(raw, []byte("S1:41:")) {
		t.Errorf("encoded session starts %q, want S1:41:", raw[:8])
	}
}

// TestSessionEncodingIsStable: the same session gives the same bytes,
// whatever order its maps were filled in.
func TestSessionEncodingIsStable(t *testing.T) {
	a, b := fullSession(), fullSession()
	b.Data = map[string]string{}
	for _, k := range []string{"kosong", "alamat", "modal", "nama"} {
		b.Data[k] = a.Data[k]
	}
	if !bytes.Equal(store.EncodeSession(a), store.EncodeSession(b)) {
		t.Error("the same session encoded twice differs")
	}
}

// TestJSONStillRead: sessions and owed records stored before the compact
// form (JSON) are read as they were written.
func TestJSONStillRead(t *testing.T) {
	s := fullSession()
	raw, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := store.DecodeSession(raw)
	if err != nil {
		t.Fatalf("DecodeSession(JSON): %v", err)
	}
	if want := sameInstants(s); got.Version != 41 || got.State != want.State || !reflect.DeepEqual(got.Data, want.Data) ||
		!got.UpdatedAt.Equal(want.UpdatedAt) || got.Drafts["pinjaman"].Data["nomor"] != "UPDB-2026-0001" {
		t.Errorf("JSON session read as %+v", got)
	}
	legacy := `{"v":3,"u":9001,"s":"pending","in":"t:50 juta","r":[{"ID":"ask_omzet"}],` +
		`"undo":{"chat":42,"user":7,"lang":"id","state":"ask_modal","v":2,"at":"2026-12-01T10:00:00Z"},"at":"2026-12-01T10:00:01Z"}`
	o, err := store.DecodeOwed([]byte(legacy))
	if err != nil {
		t.Fatalf("DecodeOwed(JSON): %v", err)
	}
	if o.Version != 3 || o.UpdateID != 9001 || o.Status != store.OwedPending || o.Input != "t:50 juta" ||
		string(o.Replies) != `[{"ID":"ask_omzet"}]` || o.At.IsZero() {
		t.Errorf("JSON owed read as %+v", o)
	}
	undo, err := store.DecodeSession(o.Undo)
	if err != nil || undo.State != "ask_modal" || undo.Version != 2 {
		t.Errorf("its undo %q read as %+v (%v)", o.Undo, undo, err)
	}
}

func TestOwedRoundTrip(t *testing.T) {
	undo := store.EncodeSession(fullSession())
	for _, o := range []*store.Owed{
		{Version: 7, UpdateID: 812345678, Status: store.OwedPending, Input: "t:1,5 juta",
			Replies: []byte(`[{"ID":"ask_omzet"}]`), Undo: undo},
		{Version: 1, Status: store.OwedDelivered, At: time.Date(2026, 12, 2, 14, 0, 0, 5, time.UTC)},
	} {
		raw := store.EncodeOwed(o)
		got, err := store.DecodeOwed(raw)
		if err != nil {
			t.Fatalf("DecodeOwed(%q): %v", raw, err)
		}
		if !reflect.DeepEqual(got, o) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, o)
		}
	}
}

// TestCorruptRecords: every cut of an encoded record and random damage to
// it give ErrCorrupt (or, for damage that happens to decode, a record),
// never a panic or a huge allocation.
func TestCorruptRecords(t *testing.T) {
	sess := store.EncodeSession(fullSession())
	owed := store.EncodeOwed(&store.Owed{Version: 2, Status: store.OwedPending, Input: "x", Undo: sess})
	for _, raw := range [][]byte{sess, owed} {
		decode := func(b []byte) error {
			if raw[0] == 'S' {
				_, err := store.DecodeSession(b)
				return err
			}
			_, err := store.DecodeOwed(b)
			return err
		}
		for n := range len(raw) {
			if err := decode(raw[:n]); !errors.Is(err, store.ErrCorrupt) {
				t.Fatalf("%q cut to %d bytes: %v, want ErrCorrupt", raw[:3], n, err)
			}
		}
		if err := decode(append(bytes.Clone(raw), 0)); !errors.Is(err, store.ErrCorrupt) {
			t.Errorf("%q with a byte more: %v, want ErrCorrupt", raw[:3], err)
		}
		r := rand.New(rand.NewPCG(1, 2))
		for range 5000 {
			b := bytes.Clone(raw)
			for range 1 + r.IntN(4) {
				b[3+r.IntN(len(b)-3)] = byte(r.IntN(256))
			}
			if err := decode(b); err != nil && !errors.Is(err, store.ErrCorrupt) {
				t.Fatalf("damaged %q: %v, want ErrCorrupt", raw[:3], err)
			}
		}
	}
	if _, err := store.DecodeSession([]byte("S1:x:")); !errors.Is(err, store.ErrCorrupt) {
		t.Errorf("bad header: %v, want ErrCorrupt", err)
	}
	if _, err := store.DecodeSession([]byte("not a session")); !errors.Is(err, store.ErrCorrupt) {
		t.Errorf("garbage: %v, want ErrCorrupt", err)
	}
}

func FuzzDecodeSession(f *testing.F) {
	f.Add(store.EncodeSession(fullSession()))
	f.Add([]byte(`{"chat":1,"v":2}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		s, err := store.DecodeSession(raw)
		if err != nil || !strings.HasPrefix(string(raw), "S1:") {
			return
		}
		// What decodes encodes back to what decodes the same.
		again, err := store.DecodeSession(store.EncodeSession(s))
		if err != nil || !reflect.DeepEqual(again, s) {
			t.Errorf("re-encoded %+v decodes to %+v (%v)", s, again, err)
		}
	})
}

// BenchmarkSessionCodec compares the compact form with the JSON the stores
// wrote before it, for a session half-way through a registration.
func BenchmarkSessionCodec(b *testing.B) {
	s := fullSession()
	js, _ := json.Marshal(s)
	compact := store.EncodeSession(s)
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			raw, _ := json.Marshal(s)
			var d store.Session
			if err := json.Unmarshal(raw, &d); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(js)), "bytes/session")
	})
	b.Run("compact", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := store.DecodeSession(store.EncodeSession(s)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(compact)), "bytes/session")
	})
}
