package flows_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
)

func TestReplyCodecKeepsTypes(t *testing.T) {
	at := time.Date(2027, 1, 14, 2, 0, 0, 0, time.UTC)
	r := flows.Reply{
		Text: flows.T("menu_prompt", "Name", "Bu Siti <3", "Body", flows.HTML("<b>Halo</b>"),
			"Amount", flows.Rupiah(1500000), "Day", flows.Date(at), "When", flows.DateTime(at),
			"At", flows.Clock(at), "N", int64(3), "Ok", true,
			"Nested", flows.T("btn_yes", "X", flows.Rupiah(5)), "List", []flows.Text{flows.Raw("a"), flows.T("btn_no")}),
		Lang: "en",
	}.WithRow(flows.Btn("btn_yes", "g:stop"), flows.Button{Label: flows.Raw("Situs"), URL: "https://example.org"})
	b, err := flows.EncodeReply(r)
	if err != nil {
		t.Fatal(err)
	}
	got, err := flows.DecodeReply(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Fatalf("round trip:\n got %#v\nwant %#v", got, r)
	}
	if _, err := flows.EncodeReply(flows.Say("x", "Bad", struct{}{})); err == nil {
		t.Fatal("an unsupported value was accepted")
	}
	if _, err := flows.DecodeReply([]byte("{")); err == nil {
		t.Fatal("garbage decoded")
	}
}
