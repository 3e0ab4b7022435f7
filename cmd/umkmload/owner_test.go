package main

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows/field"
)

// TestOwnersAreValid checks the generated answers against the bot's own
// parsers: each typed answer parses to the value the owner is expected to
// have stored.
func TestOwnersAreValid(t *testing.T) {
	now := time.Date(2026, 12, 2, 16, 0, 0, 0, time.FixedZone("WIB", 7*3600))
	r := rand.New(rand.NewPCG(7, 11))
	niks := map[string]bool{}
	for i := range 2000 {
		o := NewOwner(r, i, int64(100+i), now)
		w := o.Want
		fail := func(q string, format string, args ...any) {
			t.Helper()
			t.Errorf("owner %d, %s (answer %s): "+format, append([]any{i, q, o.Answers[q]}, args...)...)
		}
		if len(o.Answers) != len(questions) {
			t.Fatalf("owner %d answers %d questions, want %d", i, len(o.Answers), len(questions))
		}
		if got := collapse(o.Answers[qName].Text); got != w.OwnerName {
			fail(qName, "collapses to %q, want %q", got, w.OwnerName)
		}
		n, err := field.ParseNIK(o.Answers[qNIK].Text, now)
		if err != nil || n.Digits != w.NIK || n.BirthDate.Format(time.DateOnly) != w.BirthDate || n.Female != w.Female {
			fail(qNIK, "parses to %v %v %v, %v", n, n.BirthDate, n.Female, err)
		}
		if n.Age(now) < 18 || n.Region() != w.Kecamatan {
			fail(qNIK, "age %d, region %s, kecamatan %s", n.Age(now), n.Region(), w.Kecamatan)
		}
		if niks[w.NIK] {
			fail(qNIK, "NIK given twice")
		}
		niks[w.NIK] = true
		phone := o.Answers[qPhone].Text + o.Answers[qPhone].Contact
		if got, err := field.ParsePhone(phone); err != nil || got != w.Phone {
			fail(qPhone, "parses to %q, %v; want %q", got, err, w.Phone)
		}
		if a := o.Answers[qSector]; a.Text != "" {
			if s, err := field.MatchSector(a.Text); err != nil || s.Key != w.Sector {
				fail(qSector, "matches %q, %v; want %q", s.Key, err, w.Sector)
			}
		}
		if a := o.Answers[qKec]; a.Text != "" {
			if k, err := field.MatchKecamatan(a.Text); err != nil || k.Code != w.Kecamatan {
				fail(qKec, "matches %q, %v", k.Code, err)
			}
		} else if _, ok := field.KecamatanByCode(a.Tap); !ok || a.Tap != w.Kecamatan {
			fail(qKec, "not a kecamatan code")
		}
		switch a := o.Answers[qDesa]; {
		case w.Desa == "":
			if a.Tap != "skip" && !field.IsSkip(a.Text) {
				fail(qDesa, "does not skip")
			}
		case a.Text != "":
			if d, err := field.MatchDesa(w.Kecamatan, a.Text); err != nil || d.Code != w.Desa {
				fail(qDesa, "matches %q, %v; want %q", d.Code, err, w.Desa)
			}
		default:
			if _, ok := field.DesaByCode(w.Kecamatan + a.Tap); !ok || w.Kecamatan+a.Tap != w.Desa {
				fail(qDesa, "not a desa of %s", w.Kecamatan)
			}
		}
		if got := collapse(o.Answers[qAddress].Text); got != w.Address {
			fail(qAddress, "collapses to %q, want %q", got, w.Address)
		}
		if y, err := field.ParseYear(o.Answers[qYear].Text, now); err != nil || y != w.YearStarted {
			fail(qYear, "parses to %d, %v", y, err)
		}
		if c, err := field.ParseCount(o.Answers[qWorkers].Text); err != nil || c != w.Workers {
			fail(qWorkers, "parses to %d, %v; want %d", c, err, w.Workers)
		}
		if m, perMonth, err := field.ParseMoney(o.Answers[qCapital].Text); err != nil || perMonth || m != w.Capital {
			fail(qCapital, "parses to %d (monthly %v), %v; want %d", m, perMonth, err, w.Capital)
		}
		switch a := o.Answers[qTurnover]; {
		case a.Tap == "unknown" || field.IsSkip(a.Text):
			if w.Turnover != 0 || w.ClassBasis != "modal" {
				fail(qTurnover, "unknown turnover but want %d, basis %s", w.Turnover, w.ClassBasis)
			}
		default:
			m, perMonth, err := field.ParseMoney(a.Text)
			if perMonth {
				m *= 12
			}
			if err != nil || m != w.Turnover || perMonth != w.TurnoverMonthly {
				fail(qTurnover, "parses to %d (monthly %v), %v; want %d", m, perMonth, err, w.Turnover)
			}
		}
		if w.Class == string(field.ClassBesar) || w.Class == "" {
			fail(qTurnover, "class %q: the owner would leave the registration", w.Class)
		}
		if a := o.Answers[qNIB]; w.NIB == "" {
			if a.Tap != "none" && !field.IsSkip(a.Text) && !field.IsNo(a.Text) {
				fail(qNIB, "does not say none")
			}
		} else if nib, err := field.ParseNIB(a.Text); err != nil || nib != w.NIB {
			fail(qNIB, "parses to %q, %v", nib, err)
		}
	}
}

func TestDotted(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1.000", 50_000_000: "50.000.000", 1_500_000: "1.500.000"} {
		if got := dotted(n); got != want {
			t.Errorf("dotted(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestParseStatCPU(t *testing.T) {
	stat := "4242 (umkm bot) S 1 4242 4242 0 -1 4194560 1200 0 3 0 250 130 0 0 20 0 12 0 100 0 0"
	got, err := parseStatCPU(stat)
	if err != nil || got != 3800*time.Millisecond {
		t.Errorf("parseStatCPU = %v, %v; want 3.8s", got, err)
	}
	if _, err := parseStatCPU("garbage"); err == nil {
		t.Error("garbage parsed")
	}
}

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{50: 50 * time.Millisecond, 90: 90 * time.Millisecond,
		99: 99 * time.Millisecond, 100: 100 * time.Millisecond, 0: time.Millisecond} {
		if got := percentile(ds, p); got != want {
			t.Errorf("p%v = %v, want %v", p, got, want)
		}
	}
	if percentile(nil, 50) != 0 {
		t.Error("empty")
	}
}
