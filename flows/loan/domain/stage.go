// Package domain is the pure core of UPDB revolving-fund loans (dana
// bergulir): the stages of an application as a looplab/fsm machine
// (domain.md §5.3), the instalment schedule computed from the terms in whole
// rupiah, and a borrower's standing (next due, arrears, balance) from the
// payments received.
//
// It does no I/O and keeps no state: the loan conversation (flows/loan),
// the staff commands and cmd's imports may import it. It imports only
// looplab/fsm, store and the standard library.
package domain

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/looplab/fsm"
)

// Stages of a loan application (domain.md §5.3). The codes are what the
// stores keep.
const (
	Diajukan      = "DIAJUKAN"       // form received
	Verifikasi    = "VERIFIKASI"     // completeness check
	PerluLengkapi = "PERLU_LENGKAPI" // files returned, documents missing
	Survei        = "SURVEI"         // on-the-spot 5C survey
	RapatKomite   = "RAPAT_KOMITE"   // committee (Pokja) decision pending
	Disetujui     = "DISETUJUI"      // approved: open an account, sign the akad
	Ditolak       = "DITOLAK"        // rejected (terminal)
	Akad          = "AKAD"           // signing scheduled
	Dicairkan     = "DICAIRKAN"      // disbursed; the schedule starts
	Berjalan      = "BERJALAN"       // repaying, current
	Menunggak     = "MENUNGGAK"      // overdue instalments
	Lunas         = "LUNAS"          // paid off (terminal)
	Dibatalkan    = "DIBATALKAN"     // withdrawn by the applicant (terminal)
)

// Order is the happy path, for timelines: the stages an application passes
// through from the form to the last instalment. Callers must not modify it.
var Order = []string{Diajukan, Verifikasi, Survei, RapatKomite, Disetujui, Akad, Dicairkan, Berjalan, Lunas}

// stages lists every stage, in the order Allowed reports them: the happy
// path, then the side roads.
var stages = []string{Diajukan, Verifikasi, PerluLengkapi, Survei, RapatKomite, Disetujui, Akad,
	Dicairkan, Berjalan, Menunggak, Lunas, Ditolak, Dibatalkan}

// events is the machine: one event per destination stage, named after it,
// whose sources are the stages that may move there. DIBATALKAN is reachable
// from every stage before the money is disbursed, except the terminal
// DITOLAK.
var events = fsm.Events{
	{Name: Verifikasi, Src: []string{Diajukan, PerluLengkapi}, Dst: Verifikasi},
	{Name: PerluLengkapi, Src: []string{Verifikasi}, Dst: PerluLengkapi},
	{Name: Survei, Src: []string{Verifikasi}, Dst: Survei},
	{Name: RapatKomite, Src: []string{Survei}, Dst: RapatKomite},
	{Name: Disetujui, Src: []string{RapatKomite}, Dst: Disetujui},
	{Name: Ditolak, Src: []string{RapatKomite}, Dst: Ditolak},
	{Name: Akad, Src: []string{Disetujui}, Dst: Akad},
	{Name: Dicairkan, Src: []string{Akad}, Dst: Dicairkan},
	{Name: Berjalan, Src: []string{Dicairkan, Menunggak}, Dst: Berjalan},
	{Name: Menunggak, Src: []string{Berjalan}, Dst: Menunggak},
	{Name: Lunas, Src: []string{Berjalan, Menunggak}, Dst: Lunas},
	{Name: Dibatalkan, Src: []string{Diajukan, Verifikasi, PerluLengkapi, Survei, RapatKomite, Disetujui, Akad},
		Dst: Dibatalkan},
}

// ErrStage: a stage change the machine does not allow, or a stage code it
// does not know.
var ErrStage = errors.New("loan stage change not allowed")

// Stages returns every stage code: the happy path first, then
// PERLU_LENGKAPI, MENUNGGAK and the other terminal stages.
func Stages() []string { return slices.Clone(stages) }

// Known tells whether stage is one of the stage codes.
func Known(stage string) bool { return slices.Contains(stages, stage) }

// machine returns a fresh machine at stage. It is built per question and
// never kept: an fsm instance describes one state, and one whose context
// was cancelled stays wedged.
func machine(stage string) *fsm.FSM { return fsm.NewFSM(stage, events, nil) }

// Allowed lists the stages a loan at from may move to, in the order of
// Stages; none for a terminal or unknown stage.
func Allowed(from string) []string {
	if !Known(from) {
		return nil
	}
	next := machine(from).AvailableTransitions() // event names are the destinations; random order
	slices.SortFunc(next, func(a, b string) int {
		return cmp.Compare(slices.Index(stages, a), slices.Index(stages, b))
	})
	return next
}

// CanMove says whether a loan at from may move to to: nil, or an error
// wrapping ErrStage that names both stages and what is allowed instead.
func CanMove(from, to string) error {
	for _, s := range []string{from, to} {
		if !Known(s) {
			return fmt.Errorf("%w: unknown stage %q (moving %s to %s)", ErrStage, s, from, to)
		}
	}
	m := machine(from)
	// A fresh machine, no callbacks and a context never cancelled: Event
	// only fails when the machine has no such transition from here.
	if err := m.Event(context.Background(), to); err != nil || m.Current() != to {
		next := Allowed(from)
		if len(next) == 0 {
			return fmt.Errorf("%w: from %s to %s: %s is final", ErrStage, from, to, from)
		}
		return fmt.Errorf("%w: from %s to %s (from %s only to %s)", ErrStage, from, to, from,
			strings.Join(next, ", "))
	}
	return nil
}

// Terminal tells whether stage is final: DITOLAK, LUNAS or DIBATALKAN.
func Terminal(stage string) bool { return Known(stage) && len(Allowed(stage)) == 0 }

// StageMessageID is the locale message ID of a stage's label shown to
// owners ("loan_stage_diajukan", ...).
func StageMessageID(stage string) string { return "loan_stage_" + strings.ToLower(stage) }

// Diagram draws the machine as a Mermaid state diagram, for reviewers:
// a change to the stages shows up as a diff of the golden file.
func Diagram() string {
	d, err := fsm.VisualizeForMermaidWithGraphType(machine(Diajukan), fsm.StateDiagram)
	if err != nil {
		panic(err) // StateDiagram is a known type
	}
	return d
}
