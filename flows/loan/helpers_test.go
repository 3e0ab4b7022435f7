package loan_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/flows/loan"
	"github.com/diskum-tangerang/umkmbot/flows/menu"
	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/memory"
)

const (
	ownerA = 1001
	ownerB = 1002
	staffU = 7001
	// nikA is Siti Aminah's (a woman born 5 July 1990), nikB Budi's (a man
	// born 12 March 1985).
	nikA = "3603124507900003"
	nikB = "3603121203850001"
)

// countingLoans counts the store's Link calls: a locked owner must not
// reach it.
type countingLoans struct {
	*memory.Store
	links atomic.Int64
}

func (c *countingLoans) Link(ctx context.Context, userID int64, number, nik string) (store.Loan, error) {
	c.links.Add(1)
	return c.Store.Link(ctx, userID, number, nik)
}

// fixture is a harness with both loan flows on its memory store.
type fixture struct {
	*ft.Harness
	loans *countingLoans
	tries *memory.Attempts
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{}
	f.Harness = ft.New(t, ft.Options{
		Menu: menu.Options{Loan: loan.Name},
		Flows: func(h *ft.Harness) []*flows.Flow {
			f.loans = &countingLoans{Store: h.Store}
			f.tries = memory.NewAttempts(5, 24*time.Hour, h.Now)
			opt := loan.Options{Users: h.Store}
			return []*flows.Flow{
				loan.New(f.loans, f.tries, opt),
				loan.NewStaff(f.loans, f.tries, h.Store, opt),
			}
		},
	})
	f.Staff[staffU] = true
	return f
}

// seed stores a loan; stage "" is DIAJUKAN.
func (f *fixture) seed(t *testing.T, l store.Loan) store.Loan {
	t.Helper()
	if l.NIK == "" {
		l.NIK = nikA
	}
	if l.ApplicantName == "" {
		l.ApplicantName = "Siti Aminah"
	}
	if l.BusinessName == "" {
		l.BusinessName = "Kue Basah Bu Siti"
	}
	if l.Requested == 0 {
		l.Requested = 25_000_000
	}
	if l.TenorMonths == 0 {
		l.TenorMonths = 36
	}
	if l.RateBP == 0 {
		l.RateBP = 400
	}
	if l.Method == "" {
		l.Method = "flat"
	}
	saved, created, err := f.Store.UpsertLoan(context.Background(), 0, l)
	if err != nil || !created {
		t.Fatalf("seed %s: created %v, %v", l.Number, created, err)
	}
	return saved
}

// running returns a disbursed loan of Rp25.000.000 over 36 months at 4 %
// flat (Rp777.778 a month), paid out on 15 November 2026, at stage.
func running(number, stage string) store.Loan {
	return store.Loan{Number: number, Approved: 25_000_000, Stage: stage,
		DisbursedAt: time.Date(2026, 11, 15, 0, 0, 0, 0, wib)}
}

var wib = time.FixedZone("WIB", 7*60*60)

// do sends text (or a command) and checks every reply renders.
func (f *fixture) do(t *testing.T, user int64, text string) []flows.Reply {
	t.Helper()
	rs := f.Send(user, text)
	checkRendered(t, f.Harness, rs)
	return rs
}

// tap taps the button labelled label and checks every reply renders.
func (f *fixture) tap(t *testing.T, user int64, label string) []flows.Reply {
	t.Helper()
	rs := f.TapLabel(user, label)
	checkRendered(t, f.Harness, rs)
	return rs
}

// link links user to number with nik through the conversation.
func (f *fixture) link(t *testing.T, user int64, number, nik string) []flows.Reply {
	t.Helper()
	f.do(t, user, "/pinjaman")
	f.do(t, user, number)
	return f.do(t, user, nik)
}

// linked lists the numbers linked to user.
func (f *fixture) linked(t *testing.T, user int64) []string {
	t.Helper()
	list, err := f.Store.LinkedLoans(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range list {
		out = append(out, l.Number)
	}
	return out
}

// outbox claims every queued outbox row (each only once).
func (f *fixture) outbox(t *testing.T) []store.OutboxItem {
	t.Helper()
	items, err := f.Store.Outbox().Claim(context.Background(), "test", 1000, 24*365*time.Hour, f.Now())
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// plain renders replies in Indonesian.
func (f *fixture) plain(rs []flows.Reply) string { return f.Plain(rs) }

// contains fails unless text holds every part.
func contains(t *testing.T, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("missing %q in:\n%s", p, text)
		}
	}
}

// lacks fails when text holds any part.
func lacks(t *testing.T, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(text, p) {
			t.Errorf("unexpected %q in:\n%s", p, text)
		}
	}
}

// checkRendered renders replies in both languages and fails on anything a
// user should not see (flowstest.Harness.CheckRendered).
func checkRendered(t *testing.T, h *ft.Harness, rs []flows.Reply) {
	t.Helper()
	h.CheckRendered(t, rs)
}

// checkText checks one text in one language.
func checkText(t *testing.T, h *ft.Harness, lang string, txt flows.Text) {
	t.Helper()
	h.CheckText(t, lang, txt)
}
