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
		{"RecordThenPending", testIngestRead},
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
	rec, err := g.Record(bg(t), inbound(10, 11, 12), 13)
	if err != nil || !slices.Equal(ids(rec), []int64{10, 11, 12}) {
		t.Fatalf("Record = %v, %v", ids(rec), err)
	}
	if rec[0].ChatID != 1 || string(rec[0].Raw) != `{"update_id":10}` || rec[0].Seq == "" || rec[0].Received.Before(before) ||
		rec[0].Seq == rec[1].Seq {
		t.Errorf("recorded %+v", rec[:2])
	}
	if err := g.Ack(bg(t), rec[1].Seq); err != nil {
		t.Fatal(err)
	}
	pending, err := g.Pending(bg(t))
	if err != nil || !slices.Equal(ids(pending), []int64{10, 12}) || pending[0].Seq != rec[0].Seq ||
		string(pending[1].Raw) != `{"update_id":12}` || pending[1].ChatID != 0 || !pending[0].Received.Equal(rec[0].Received) {
		t.Fatalf("Pending = %+v, %v", pending, err)
	}
	if off, _ := g.Offset(bg(t)); off != 13 {
		t.Errorf("Offset = %d, want 13", off)
	}
}

func testIngestOffset(t *testing.T, newIngest NewIngest) {
	g, restart := newIngest(t)
	if _, err := g.Record(bg(t), inbound(10, 11), 12); err != nil {
		t.Fatal(err)
	}
	// A crash between recording and confirming: Telegram sends 10 and 11
	// again, with 12.
	g = restart()
	rec, err := g.Record(bg(t), inbound(10, 11, 12), 13)
	if err != nil || !slices.Equal(ids(rec), []int64{12}) {
		t.Fatalf("Record of a redelivered batch = %v, %v; want only 12 appended", ids(rec), err)
	}
	got, _ := g.Pending(bg(t))
	if !slices.Equal(ids(got), []int64{10, 11, 12}) {
		t.Fatalf("Pending after the restart = %v, want each once", ids(got))
	}
	if rec, err := g.Record(bg(t), nil, 20); err != nil || len(rec) != 0 {
		t.Fatalf("Record of an empty batch = %v, %v", ids(rec), err)
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
	rec, err := g.Record(bg(t), inbound(1, 2, 3, 4), 5)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Ack(bg(t), rec[0].Seq, rec[2].Seq); err != nil {
		t.Fatal(err)
	}
	// Killed with 2 and 4 taken in and not done: the next run finds them.
	g = restart()
	got, _ := g.Pending(bg(t))
	if !slices.Equal(ids(got), []int64{2, 4}) {
		t.Fatalf("Pending after a restart = %v, want 2 and 4", ids(got))
	}
	if err := g.Ack(bg(t), got[0].Seq); err != nil {
		t.Fatal(err)
	}
	more, _ := g.Record(bg(t), inbound(5), 6)
	g = restart()
	got, _ = g.Pending(bg(t))
	if !slices.Equal(ids(got), []int64{4, 5}) {
		t.Fatalf("Pending after a second restart = %v, want 4 and 5", ids(got))
	}
	if err := g.Ack(bg(t), got[0].Seq, more[0].Seq); err != nil {
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
