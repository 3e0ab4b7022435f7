package flows_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
)

// BenchmarkEngineStep measures one typed answer in a flow on memory stores:
// claim, fsm transition, prompt, commit.
func BenchmarkEngineStep(b *testing.B) {
	h := ft.New(b, ft.Options{}, testFlow(1, &atomic.Int64{}))
	ctx := context.Background()
	h.Send(owner, "/uji")
	u := flows.NewText(owner, owner, "Siti")
	back := flows.NewText(owner, owner, "kembali")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		u.ID = int64(2*i + 1_000_000)
		if rs := h.Engine.Handle(ctx, u); len(rs) != 1 {
			b.Fatalf("replies %q", ft.IDs(rs))
		}
		back.ID = u.ID + 1
		h.Engine.Handle(ctx, back)
	}
}

// BenchmarkEngineMenuTap measures a tap on the main menu (a step that reads
// and writes no record).
func BenchmarkEngineMenuTap(b *testing.B) {
	h := ft.New(b, ft.Options{})
	ctx := context.Background()
	h.Send(owner, "/start")
	data := h.Buttons(owner)[3].Data // Bantuan: answers and stays
	u := flows.Update{UserID: owner, ChatID: owner, Kind: flows.KindButton, Button: data}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		u.ID = int64(i + 1_000_000)
		if rs := h.Engine.Handle(ctx, u); len(rs) != 2 {
			b.Fatalf("replies %q", ft.IDs(rs))
		}
	}
}
