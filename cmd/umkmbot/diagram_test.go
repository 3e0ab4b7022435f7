package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/looplab/fsm"
)

var update = flag.Bool("update", false, "rewrite the golden flow diagrams in testdata/flows")

// TestFlowDiagrams keeps a Mermaid diagram of every conversation's state
// machine in testdata/flows: a change to a conversation shows up as a diff
// a reviewer can read. Run with -update after changing a flow on purpose.
func TestFlowDiagrams(t *testing.T) {
	cfg, err := parseConfig("chat", nil, func(string) string { return "" }, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	a, err := newApp(context.Background(), cfg, slog.New(slog.DiscardHandler), false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	for _, f := range a.flows() {
		if len(f.Events) == 0 {
			continue
		}
		got, err := fsm.VisualizeWithType(fsm.NewFSM(f.Start, f.Events, nil), fsm.MermaidStateDiagram)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		path := filepath.Join("testdata", "flows", f.Name+".mmd")
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: %v (run go test ./cmd/umkmbot -run TestFlowDiagrams -update)", f.Name, err)
		}
		if string(want) != got {
			t.Errorf("%s: the state machine changed; if on purpose, run with -update and review the diff:\n%s", f.Name, got)
		}
	}
}
