package bot

import (
	"context"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
)

// BenchmarkUpdateRoundTrip measures one update end to end on loopback: the
// fake's long poll wakes, the bot decodes, serializes and handles the
// update, and the reply's sendMessage reaches the fake.
func BenchmarkUpdateRoundTrip(b *testing.B) {
	reply := []flows.Reply{{Text: flows.Raw("ok")}}
	h := start(b, handlerFunc(func(context.Context, flows.Update) []flows.Reply { return reply }), Config{FloodBurst: 1 << 30})
	h.fake.SetMaxWait(time.Second)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		h.fake.PushText(7, "halo", "id")
		if got := h.fake.WaitCount("sendMessage", n, 5*time.Second); got < n {
			b.Fatalf("update %d: no reply", n)
		}
	}
}
