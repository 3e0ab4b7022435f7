package flows_test

import (
	"sync/atomic"
	"testing"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/flows/menu"
)

// TestPhrasesStartAFlowOutsideFlows: a flow's phrase, typed loosely, starts
// it with its arguments from the menu or from no flow, but not inside
// another flow.
func TestPhrasesStartAFlowOutsideFlows(t *testing.T) {
	f := testFlow(1, &atomic.Int64{})
	f.Phrases = map[string]string{"isi formulir": "x"}
	var args []string
	f.Enter = func(c *flows.Ctx) (string, error) {
		args = append(args, c.Update.Command+" "+c.Update.Args)
		return "", nil
	}
	h := ft.New(t, ft.Options{}, f)
	ft.Want(t, h.Send(owner, "Isi formulir!"), "raw:q:name")
	h.Send(owner, "menu")
	ft.Want(t, h.Send(owner, "isi  formulir"), "raw:q:name")
	// Inside the flow the phrase is an answer like any other.
	ft.Want(t, h.Send(owner, "isi formulir"), "raw:q:age")
	if len(args) != 2 || args[0] != "uji x" || args[1] != "uji x" {
		t.Errorf("Enter saw %q", args)
	}
}

// TestPhrasesClaimedTwice: two flows cannot share a phrase, a phrase
// cannot be a global word, and a flow with phrases needs a command.
func TestPhrasesClaimedTwice(t *testing.T) {
	cfg := func(h *ft.Harness) flows.Config {
		return flows.Config{Sessions: h.Store, Users: h.Store, Labels: h.Catalog, Menu: "menu"}
	}
	h := ft.New(t, ft.Options{})
	for name, phrases := range map[string][2]map[string]string{
		"twice":  {{"ambil": ""}, {"Ambil!": ""}},
		"global": {{"batal": ""}, nil},
	} {
		a, b := testFlow(1, &atomic.Int64{}), testFlow(1, &atomic.Int64{})
		b.Name, b.Commands = "tf2", []string{"uji2"}
		a.Phrases, b.Phrases = phrases[0], phrases[1]
		if _, err := flows.New(cfg(h), a, b, menu.New(menu.Options{})); err == nil {
			t.Errorf("%s: New accepted the phrases", name)
		}
	}
	a := testFlow(1, &atomic.Int64{})
	a.Commands, a.Phrases = nil, map[string]string{"ambil": ""}
	if _, err := flows.New(cfg(h), a, menu.New(menu.Options{})); err == nil {
		t.Error("New accepted phrases without a command")
	}
}
