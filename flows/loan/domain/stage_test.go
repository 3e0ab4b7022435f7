package domain_test

import (
	"errors"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/diskum-tangerang/umkmbot/flows/loan/domain"
)

// next is domain.md §5.3's "next" column, written out independently of the
// package's table, plus DIBATALKAN from every stage before DICAIRKAN that is
// not final.
var next = map[string][]string{
	"DIAJUKAN":       {"VERIFIKASI", "DIBATALKAN"},
	"VERIFIKASI":     {"PERLU_LENGKAPI", "SURVEI", "DIBATALKAN"},
	"PERLU_LENGKAPI": {"VERIFIKASI", "DIBATALKAN"},
	"SURVEI":         {"RAPAT_KOMITE", "DIBATALKAN"},
	"RAPAT_KOMITE":   {"DISETUJUI", "DITOLAK", "DIBATALKAN"},
	"DISETUJUI":      {"AKAD", "DIBATALKAN"},
	"DITOLAK":        nil,
	"AKAD":           {"DICAIRKAN", "DIBATALKAN"},
	"DICAIRKAN":      {"BERJALAN"},
	"BERJALAN":       {"MENUNGGAK", "LUNAS"},
	"MENUNGGAK":      {"BERJALAN", "LUNAS"},
	"LUNAS":          nil,
	"DIBATALKAN":     nil,
}

// TestCanMove tries every pair of stages: the transitions of §5.3 work,
// every other one is refused with an error naming both stages.
func TestCanMove(t *testing.T) {
	if got := domain.Stages(); len(got) != len(next) {
		t.Fatalf("Stages() = %v: %d stages, want %d", got, len(got), len(next))
	}
	allowed := 0
	for _, from := range domain.Stages() {
		want, ok := next[from]
		if !ok {
			t.Fatalf("unexpected stage %s", from)
		}
		for _, to := range domain.Stages() {
			err := domain.CanMove(from, to)
			switch {
			case slices.Contains(want, to):
				allowed++
				if err != nil {
					t.Errorf("CanMove(%s, %s) = %v, want allowed", from, to, err)
				}
			case err == nil:
				t.Errorf("CanMove(%s, %s) allowed, want refused", from, to)
			case !errors.Is(err, domain.ErrStage) || !strings.Contains(err.Error(), "from "+from+" to "+to):
				t.Errorf("CanMove(%s, %s) = %q: want ErrStage naming both stages", from, to, err)
			}
		}
	}
	if allowed != 21 {
		t.Errorf("%d transitions allowed, want 21", allowed)
	}
}

func TestCanMoveMessages(t *testing.T) {
	tests := []struct{ from, to, want string }{
		{"DIAJUKAN", "DISETUJUI", "from DIAJUKAN to DISETUJUI (from DIAJUKAN only to VERIFIKASI, DIBATALKAN)"},
		{"LUNAS", "BERJALAN", "from LUNAS to BERJALAN: LUNAS is final"},
		{"BERJALAN", "BERJALAN", "from BERJALAN to BERJALAN (from BERJALAN only to MENUNGGAK, LUNAS)"},
		{"DICAIRKAN", "DIBATALKAN", "from DICAIRKAN to DIBATALKAN (from DICAIRKAN only to BERJALAN)"},
		{"DIAJUKAN", "SELESAI", `unknown stage "SELESAI"`},
		{"diajukan", "VERIFIKASI", `unknown stage "diajukan"`},
		{"", "VERIFIKASI", `unknown stage ""`},
	}
	for _, tt := range tests {
		err := domain.CanMove(tt.from, tt.to)
		if err == nil || !errors.Is(err, domain.ErrStage) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("CanMove(%q, %q) = %v, want ErrStage containing %q", tt.from, tt.to, err, tt.want)
		}
	}
}

func TestAllowedAndTerminal(t *testing.T) {
	for from, want := range next {
		if got := domain.Allowed(from); !slices.Equal(got, want) {
			t.Errorf("Allowed(%s) = %v, want %v", from, got, want)
		}
		if got := domain.Terminal(from); got != (len(want) == 0) {
			t.Errorf("Terminal(%s) = %t", from, got)
		}
		if !domain.Known(from) {
			t.Errorf("Known(%s) = false", from)
		}
	}
	for _, s := range []string{"", "lunas", "SELESAI"} {
		if domain.Allowed(s) != nil || domain.Terminal(s) || domain.Known(s) {
			t.Errorf("unknown stage %q: Allowed %v, Terminal %t, Known %t", s, domain.Allowed(s), domain.Terminal(s), domain.Known(s))
		}
	}
}

// TestOrder checks that the happy path is a chain of allowed moves from
// the first stage to a final one.
func TestOrder(t *testing.T) {
	if domain.Order[0] != domain.Diajukan || !domain.Terminal(domain.Order[len(domain.Order)-1]) {
		t.Fatalf("Order = %v: want DIAJUKAN to a final stage", domain.Order)
	}
	for i := 1; i < len(domain.Order); i++ {
		if err := domain.CanMove(domain.Order[i-1], domain.Order[i]); err != nil {
			t.Errorf("Order step %d: %v", i, err)
		}
	}
}

func TestStageMessageID(t *testing.T) {
	tests := map[string]string{
		domain.Diajukan:      "loan_stage_diajukan",
		domain.PerluLengkapi: "loan_stage_perlu_lengkapi",
		domain.RapatKomite:   "loan_stage_rapat_komite",
		domain.Lunas:         "loan_stage_lunas",
	}
	for stage, want := range tests {
		if got := domain.StageMessageID(stage); got != want {
			t.Errorf("StageMessageID(%s) = %s, want %s", stage, got, want)
		}
	}
}

var update = flag.Bool("update", false, "rewrite testdata/stages.mmd")

// TestDiagram keeps testdata/stages.mmd, the machine as a Mermaid diagram,
// in step with the table (go test -update rewrites it).
func TestDiagram(t *testing.T) {
	got := domain.Diagram()
	const golden = "testdata/stages.mmd"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("the diagram changed; run go test -update and review the diff:\n%s", got)
	}
	if n := strings.Count(got, "-->"); n != 22 { // 21 transitions and the start
		t.Errorf("diagram has %d arrows, want 22", n)
	}
}
