package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
)

// scenario is what the owners of a load run do, one conversation after
// another: the registration of a new business each time, or, by a
// registered owner, booking a training seat and cancelling it, or checking
// a loan.
type scenario interface {
	// seed prepares the run's database for owners closed-loop owners.
	seed(ctx context.Context, h *Harness, owners int) error
	// play runs conversation number n (from 0, over the whole run) of the
	// owner in slot (from 0).
	play(ctx context.Context, p *Player, slot, n int) *Result
	// stored counts what the database holds for the conversations and how
	// many it should hold, with a label for the report.
	stored(ctx context.Context, conn *pgx.Conn, results []*Result) (got, want int, label string, err error)
}

// scenarios are the --script choices of load.
var scenarios = map[string]func(h *Harness) scenario{
	"registration": func(h *Harness) scenario { return &registrationScript{h: h} },
	"training":     func(h *Harness) scenario { return &trainingScript{h: h} },
	"loan":         func(h *Harness) scenario { return &loanScript{h: h} },
}

// registrationScript: each conversation is a new Telegram user
// registering a new business through /daftar (Conv reads the form).
type registrationScript struct {
	h     *Harness
	genMu sync.Mutex
}

func (s *registrationScript) seed(context.Context, *Harness, int) error { return nil }

func (s *registrationScript) play(ctx context.Context, p *Player, _, n int) *Result {
	s.genMu.Lock()
	o := s.h.Owners(1, n)[0]
	s.genMu.Unlock()
	res := p.Play(ctx, o)
	p.Inbox.Forget(o.ID)
	return res
}

func (s *registrationScript) stored(ctx context.Context, conn *pgx.Conn, results []*Result) (int, int, string, error) {
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM registrations").Scan(&n); err != nil {
		return 0, 0, "", fmt.Errorf("count registrations: %w", err)
	}
	return n, completed(results), "registrations stored", nil
}

func completed(results []*Result) int {
	n := 0
	for _, r := range results {
		if r.Done {
			n++
		}
	}
	return n
}

// trainingScript: registered owners (seeded) open /pelatihan, open the
// seeded training, book a seat, go to /pelatihansaya from the
// confirmation's button, cancel the seat and confirm; the bot says they
// hold no seat any more, and the next round can book again.
type trainingScript struct {
	h      *Harness
	owners []*Owner
}

func (s *trainingScript) seed(ctx context.Context, h *Harness, owners int) error {
	s.owners = h.Owners(owners, 0)
	if err := seedOwners(ctx, h.Scratch.URL, s.owners); err != nil {
		return err
	}
	_, err := seedTraining(ctx, h.Scratch.URL)
	return err
}

// Fragments of the training messages the owners recognise (checked against
// the locale file by TestScriptFragments).
const (
	trainBookedFragment    = "Anda terdaftar di pelatihan"
	trainCancelledFragment = "sudah dibatalkan. Terima kasih sudah memberi tahu"
	trainEmptyFragment     = "Anda belum terdaftar di pelatihan mana pun yang akan datang"
	menuFragment           = "Ada yang bisa kami bantu?"
)

// trainingRules is one round of the training script.
func trainingRules() []Rule {
	return []Rule{
		{Name: "booked", When: func(m Msg) bool { return textIs(trainBookedFragment)(m) && m.HasButton("/pelatihansaya") },
			Answer: tapButton("/pelatihansaya")},
		{Name: "cancelled", When: textIs(trainCancelledFragment)},
		{Name: "no seat left", When: textIs(trainEmptyFragment), Done: true},
		buttonRule("list", "train.list:d"),
		buttonRule("detail", "train.detail:book"),
		buttonRule("my seats", "trainmine.mine:c"),
		buttonRule("cancel?", "trainmine.confirm:yes"),
		{Name: "menu", When: textIs(menuFragment)},
	}
}

func (s *trainingScript) play(ctx context.Context, p *Player, slot, _ int) *Result {
	o := s.owners[slot]
	return p.PlayScript(ctx, o.ID, o, "/pelatihan", trainingRules())
}

func (s *trainingScript) stored(ctx context.Context, conn *pgx.Conn, results []*Result) (int, int, string, error) {
	var cancelled, active int
	if err := conn.QueryRow(ctx, `SELECT count(*) FILTER (WHERE status = 'cancelled'),
		count(*) FILTER (WHERE status <> 'cancelled') FROM bookings`).Scan(&cancelled, &active); err != nil {
		return 0, 0, "", fmt.Errorf("count bookings: %w", err)
	}
	if active > 0 {
		// A round cut short leaves its seat booked: that shows as a
		// difference.
		cancelled = -active
	}
	return cancelled, completed(results), "bookings cancelled (none left active)", nil
}

// loanScript: owners with a seeded running loan ask /pinjaman; the first
// time they link it with the application number and their NIK. Each round
// they read the loan's card, open its schedule and go back to the loan.
type loanScript struct {
	h      *Harness
	owners []*Owner
	loans  map[int64]seededLoan
}

func (s *loanScript) seed(ctx context.Context, h *Harness, owners int) error {
	s.owners = h.Owners(owners, 0)
	if err := seedOwners(ctx, h.Scratch.URL, s.owners); err != nil {
		return err
	}
	var err error
	s.loans, err = seedLoans(ctx, h.Scratch.URL, s.owners, 0)
	return err
}

// Fragments of the loan messages the owners recognise.
const (
	loanAskNumberFragment = "Ketik nomor pengajuan pinjaman Anda"
	loanLinkedFragment    = "sudah terhubung dengan pengajuan"
	loanIntroFragment     = "mencocokkan akun Telegram Anda dengan pengajuan"
	loanCardFragment      = "Pinjaman UPDB-"
	loanSchedFragment     = "Jadwal angsuran"
)

// loanRules is one round of the loan script for loan l.
func loanRules(l seededLoan) []Rule {
	sawSchedule := false
	return []Rule{
		{Name: "number", When: textIs(loanAskNumberFragment), Answer: typeText(l.Number)},
		{Name: "nik", When: func(m Msg) bool { return m.HasButton("loan.nik:") }, Answer: typeText(l.NIK)},
		{Name: "schedule", When: func(m Msg) bool { return m.HasButton("loan.sched:back") },
			Answer: func(m Msg) *Action { sawSchedule = true; return tapButton("loan.sched:back")(m) }},
		{Name: "loan", When: func(m Msg) bool { return m.HasButton("loan.view:") && sawSchedule }, Done: true},
		buttonRule("loan", "loan.view:sched"),
		{Name: "intro", When: textIs(loanIntroFragment)},
		{Name: "linked", When: textIs(loanLinkedFragment)},
		{Name: "card", When: textIs(loanCardFragment)},
		{Name: "schedule page", When: textIs(loanSchedFragment)},
		{Name: "menu", When: textIs(menuFragment)},
	}
}

func (s *loanScript) play(ctx context.Context, p *Player, slot, _ int) *Result {
	o := s.owners[slot]
	return p.PlayScript(ctx, o.ID, o, "/pinjaman", loanRules(s.loans[o.ID]))
}

func (s *loanScript) stored(ctx context.Context, conn *pgx.Conn, results []*Result) (int, int, string, error) {
	var links int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM loan_links`).Scan(&links); err != nil {
		return 0, 0, "", fmt.Errorf("count loan links: %w", err)
	}
	linked := map[int64]bool{}
	for _, r := range results {
		if r.Done && r.Owner != nil {
			linked[r.Owner.ID] = true
		}
	}
	return links, len(linked), "loans linked (one per owner who checked)", nil
}
