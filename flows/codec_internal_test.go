package flows

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// TestAppendReplyMatchesJSON: the hand-written wire form decodes to what
// encoding/json's form of the same reply decodes to, for awkward strings
// and every kind of value.
func TestAppendReplyMatchesJSON(t *testing.T) {
	odd := "quote \" backslash \\ tab\t nl\n cr\r bell\a nul\x00 bad\xff utf8 é 😀 <b>&amp;</b> \u2028"
	replies := []Reply{
		{Text: Raw(odd)},
		{Text: T("x", "s", odd, "html", HTML("<b>x</b>"), "i", 42, "neg", int64(-7), "b", true, "rp", Rupiah(1_500_000),
			"d", Date(time.Date(2022, 7, 12, 0, 0, 0, 0, time.UTC)), "nested", T("y", "k", odd),
			"list", []Text{T("a"), Raw(odd)}), Lang: "id", To: 99, Toast: true, Edit: 3, AskContact: true, RemoveKeyboard: true},
		{Text: Raw(odd), To: -1001, Media: &Media{Kind: MediaPhoto, FileID: odd},
			Topic: &Topic{Thread: 7, Key: 12, Name: odd}},
		{Text: Raw("x"), Topic: &Topic{Key: 3}},
		Say("menu").WithRow(Btn("btn_a", "a:"+odd), Button{Label: Raw(odd), URL: "https://x.example/?a=1&b=2"}).WithRow(Btn("z", "")),
	}
	for i, r := range replies {
		got, err := EncodeReply(r)
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(got) {
			t.Fatalf("reply %d: invalid JSON %s", i, got)
		}
		w := wireReply{Text: encodeText(r.Text), Lang: r.Lang, AskContact: r.AskContact,
			RemoveKeyboard: r.RemoveKeyboard, To: r.To, Toast: r.Toast, Edit: r.Edit, Media: r.Media, Topic: r.Topic}
		for _, row := range r.Buttons {
			var wr []wireButton
			for _, b := range row {
				wr = append(wr, wireButton{Label: encodeText(b.Label), Data: b.Data, URL: b.URL})
			}
			w.Buttons = append(w.Buttons, wr)
		}
		want, _ := json.Marshal(w)
		a, err1 := DecodeReply(got)
		b, err2 := DecodeReply(want)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(a, b) {
			t.Errorf("reply %d:\n got %s\nwant %s\n(%v, %v)", i, got, want, err1, err2)
		}
	}
	// The owed record's list: the same replies, a document left out, read
	// back as each reply alone reads back.
	withDoc := append(append([]Reply{}, replies[:2]...), Reply{Text: Raw("ekspor"), Document: &Document{Name: "x.csv"}})
	withDoc = append(withDoc, replies[2:]...)
	list, err := encodeReplies(withDoc)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(list) {
		t.Fatalf("encodeReplies: invalid JSON %s", list)
	}
	back, err := decodeReplies(list)
	if err != nil || len(back) != len(replies) {
		t.Fatalf("decodeReplies: %d replies (%v), want %d", len(back), err, len(replies))
	}
	for i, r := range replies {
		one, _ := EncodeReply(r)
		want, _ := DecodeReply(one)
		if !reflect.DeepEqual(back[i], want) {
			t.Errorf("listed reply %d:\n got %+v\nwant %+v", i, back[i], want)
		}
	}
	if empty, _ := encodeReplies(nil); string(empty) != "[]" {
		t.Errorf("no replies: %s, want []", empty)
	}
}
