package storetest

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// NewIngest returns a fresh, empty ingest for one (sub)test, and a function
// that returns the same ingest as a restarted process sees it.
type NewIngest = func(t *testing.T) (g store.IngestStore, restart func() store.IngestStore)

// RunIngestStore runs the store.IngestStore contract.
func RunIngestStore(t *testing.T, newIngest NewIngest) {
	tests := []struct {
		name string
		run  func(t *testing.T, newIngest NewIngest)
	}{
		{"RecordThenRead", testIngestRead},
		{"RecordedTwiceKeptOnce", testIngestOffset},
		{"PendingAfterRestart", testIngestPending},
		{"DeadLettersBounded", testDeadLetters},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newIngest)
		})
	}
}

func inbound(ids ...int64) []store.Inbound {
	var out []store.Inbound
	for _, id := range ids {
		out = append(out, store.Inbound{UpdateID: id, ChatID: id % 3, Raw: []byte(`{"update_id":` + strconv.FormatInt(id, 10) + `}`)})
	}
	return out
}

func ids(ins []store.Inbound) []int64 {
	var out []int64
	for _, in := range ins {
		out = append(out, in.UpdateID)
	}
	return out
}

func testIngestRead(t *testing.T, newIngest NewIngest) {
	g, _ := newIngest(t)
	if off, err := g.Offset(bg(t)); err != nil || off != 0 {
		t.Fatalf("Offset of a new ingest = %d, %v", off, err)
	}
	before := time.Now().Add(-time.Second)
	if n, err := g.Record(bg(t), inbound(10, 11, 12), 13); err != nil || n != 3 {
		t.Fatalf("Record = %d, %v", n, err)
	}
	got, err := g.Read(bg(t), 2, time.Second)
	if err != nil || !slices.Equal(ids(got), []int64{10, 11}) {
		t.Fatalf("Read(2) = %v, %v", ids(got), err)
	}
	if got[0].ChatID != 1 || string(got[0].Raw) != `{"update_id":10}` || got[0].Seq == "" || got[0].Received.Before(before) {
		t.Errorf("read back %+v", got[0])
	}
	rest, err := g.Read(bg(t), 10, time.Second)
	if err != nil || !slices.Equal(ids(rest), []int64{12}) {
		t.Fatalf("second Read = %v, %v", ids(rest), err)
	}
	start := time.Now()
	none, err := g.Read(bg(t), 10, 100*time.Millisecond)
	if err != nil || len(none) != 0 || time.Since(start) < 50*time.Millisecond {
		t.Fatalf("Read of an empty ingest = %v, %v after %v", ids(none), err, time.Since(start))
	}
	if off, _ := g.Offset(bg(t)); off != 13 {
		t.Errorf("Offset = %d, want 13", off)
	}
}

func testIngestOffset(t *testing.T, newIngest NewIngest) {
	g, _ := newIngest(t)
	if _, err := g.Record(bg(t), inbound(10, 11), 12); err != nil {
		t.Fatal(err)
	}
	// A crash between recording and confirming: Telegram sends 10 and 11
	// again, with 12.
	n, err := g.Record(bg(t), inbound(10, 11, 12), 13)
	if err != nil || n != 1 {
		t.Fatalf("Record of a redelivered batch = %d, %v; want only 12 appended", n, err)
	}
	got, _ := g.Read(bg(t), 10, time.Second)
	if !slices.Equal(ids(got), []int64{10, 11, 12}) {
		t.Fatalf("Read = %v", ids(got))
	}
	if n, err := g.Record(bg(t), nil, 20); err != nil || n != 0 {
		t.Fatalf("Record of an empty batch = %d, %v", n, err)
	}
	if off, _ := g.Offset(bg(t)); off != 20 {
		t.Errorf("Offset = %d, want 20", off)
	}
	if _, err := g.Record(bg(t), nil, 15); err != nil {
		t.Fatal(err)
	}
	if off, _ := g.Offset(bg(t)); off != 20 {
		t.Errorf("Offset went back to %d", off)
	}
}

func testIngestPending(t *testing.T, newIngest NewIngest) {
	g, restart := newIngest(t)
	if _, err := g.Record(bg(t), inbound(1, 2, 3, 4), 5); err != nil {
		t.Fatal(err)
	}
	got, _ := g.Read(bg(t), 3, time.Second)
	if err := g.Ack(bg(t), got[1].Seq); err != nil {
		t.Fatal(err)
	}
	g2 := restart()
	pending, err := g2.Pending(bg(t))
	if err != nil || !slices.Equal(ids(pending), []int64{1, 3}) {
		t.Fatalf("Pending after a restart = %v, %v; want the read and unacknowledged 1 and 3", ids(pending), err)
	}
	fresh, _ := g2.Read(bg(t), 10, time.Second)
	if !slices.Equal(ids(fresh), []int64{4}) {
		t.Fatalf("Read after a restart = %v, want 4", ids(fresh))
	}
	if err := g2.Ack(bg(t), pending[0].Seq, pending[1].Seq, fresh[0].Seq); err != nil {
		t.Fatal(err)
	}
	if again, _ := restart().Pending(bg(t)); len(again) != 0 {
		t.Fatalf("Pending after every ack = %v", ids(again))
	}
}

func testDeadLetters(t *testing.T, newIngest NewIngest) {
	g, _ := newIngest(t)
	at := time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)
	for i := range store.MaxDeadLetters + 5 {
		if err := g.AddDeadLetter(bg(t), store.DeadLetter{UpdateID: int64(i), Type: "message", Reason: "bad", At: at}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := g.DeadLetters(bg(t), 3)
	if err != nil || len(got) != 3 || got[0].UpdateID != store.MaxDeadLetters+4 || !got[0].At.Equal(at) || got[0].Type != "message" {
		t.Fatalf("DeadLetters(3) = %+v, %v", got, err)
	}
	all, _ := g.DeadLetters(bg(t), 5000)
	if len(all) != store.MaxDeadLetters {
		t.Errorf("%d dead letters kept, want at most %d", len(all), store.MaxDeadLetters)
	}
}
