package main

import (
	"fmt"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/flows/loan/domain"
	"github.com/diskum-tangerang/umkmbot/store"
)

// demoStages are the loans' current stages with their share in %.
var demoStages = []struct {
	stage string
	w     int
}{
	{domain.Diajukan, 5}, {domain.Verifikasi, 5}, {domain.PerluLengkapi, 3}, {domain.Survei, 4},
	{domain.RapatKomite, 3}, {domain.Disetujui, 3}, {domain.Ditolak, 7}, {domain.Akad, 2},
	{domain.Dicairkan, 3}, {domain.Berjalan, 40}, {domain.Menunggak, 10}, {domain.Lunas, 12}, {domain.Dibatalkan, 3},
}

// demoPath is the stages a loan passed to reach stage, in order.
func demoPath(stage string) []string {
	upTo := func(last string) []string {
		var p []string
		for _, s := range domain.Order {
			p = append(p, s)
			if s == last {
				break
			}
		}
		return p
	}
	switch stage {
	case domain.PerluLengkapi, domain.Dibatalkan:
		return append(upTo(domain.Verifikasi), stage)
	case domain.Ditolak:
		return append(upTo(domain.RapatKomite), stage)
	case domain.Menunggak:
		return append(upTo(domain.Berjalan), stage)
	}
	return upTo(stage)
}

// loans makes n loans with their stage history and payments. Disbursed
// loans pay by their schedule: running ones every instalment due so far,
// loans in arrears all but the last one to four, settled ones everything.
func (g *demoGen) loans(n int) ([]store.Loan, []store.LoanEvent, []store.Payment, error) {
	var loans []store.Loan
	var events []store.LoanEvent
	var pays []store.Payment
	methods := []string{domain.MethodAnnuity, domain.MethodFlat, domain.MethodDeclining}
	for i := range n {
		w := g.r.IntN(100)
		stage := domain.Berjalan
		for _, s := range demoStages {
			if w < s.w {
				stage = s.stage
				break
			}
			w -= s.w
		}
		path := demoPath(stage)
		first, last := g.pick(demoFirstF), g.pick(demoLast)
		l := store.Loan{ID: int64(i + 1), NIK: fmt.Sprintf("3603%012d", 100_000_000+i), ApplicantName: first + " " + last,
			BusinessName: fmt.Sprintf(g.pick(demoKinds["kuliner"]), first), Requested: int64(5+g.r.IntN(46)) * 1_000_000,
			TenorMonths: []int{12, 24, 36}[g.r.IntN(3)], RateBP: 400, Stage: stage}
		// Each step takes 2 to 20 days; a disbursed loan's disbursement
		// day is chosen first, and the steps before it count back.
		steps := make([]time.Duration, len(path))
		for k := range steps {
			steps[k] = time.Duration(2+g.r.IntN(19))*24*time.Hour + time.Duration(g.r.IntN(8*3600))*time.Second
		}
		disbIdx := -1
		for k, s := range path {
			if s == domain.Dicairkan {
				disbIdx = k
			}
		}
		var anchor time.Time
		switch stage {
		case domain.Dicairkan:
			anchor = g.now.AddDate(0, 0, -1-g.r.IntN(20))
		case domain.Berjalan, domain.Menunggak:
			anchor = g.now.AddDate(0, -5-g.r.IntN(l.TenorMonths-4), -g.r.IntN(28))
		case domain.Lunas:
			anchor = g.now.AddDate(0, -l.TenorMonths-1-g.r.IntN(12), -g.r.IntN(28))
		default:
			anchor = g.now.Add(-time.Duration(1+g.r.IntN(40)) * 24 * time.Hour)
			disbIdx = len(path) - 1
		}
		times := make([]time.Time, len(path))
		times[disbIdx] = anchor.Truncate(time.Second)
		for k := disbIdx - 1; k >= 0; k-- {
			times[k] = times[k+1].Add(-steps[k])
		}
		for k := disbIdx + 1; k < len(path); k++ {
			times[k] = times[k-1].Add(steps[k])
			if stage == domain.Lunas && k == len(path)-1 {
				times[k] = anchor.AddDate(0, l.TenorMonths, 3)
			}
			if times[k].After(g.now) {
				times[k] = g.now.Add(-time.Duration(len(path)-k) * time.Hour)
			}
		}
		l.CreatedAt = times[0]
		l.Number = fmt.Sprintf("UPDB-%d-%04d", l.CreatedAt.Year(), i+1)
		approvedAt := -1
		for k, s := range path {
			if s == domain.Disetujui {
				approvedAt = k
			}
		}
		if approvedAt >= 0 {
			l.Approved = l.Requested / 1_000_000 * 1_000_000 * int64(80+g.r.IntN(21)) / 100 / 100_000 * 100_000
			l.Method = methods[g.r.IntN(len(methods))]
		}
		if disbIdx >= 0 && disbIdx < len(path) && path[disbIdx] == domain.Dicairkan {
			l.DisbursedAt = times[disbIdx]
		}
		loans = append(loans, l)
		prev := ""
		for k, s := range path {
			events = append(events, store.LoanEvent{LoanID: l.ID, From: prev, To: s, Actor: demoStaffID, At: times[k]})
			prev = s
		}
		if l.DisbursedAt.IsZero() {
			continue
		}
		sched, err := domain.Schedule(domain.TermsOf(l))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("demo loan %s: %w", l.Number, err)
		}
		skip := 0
		if stage == domain.Menunggak {
			skip = 1 + g.r.IntN(4)
		}
		var due []domain.Instalment
		for _, in := range sched {
			if stage == domain.Lunas || in.Due.Before(g.now) {
				due = append(due, in)
			}
		}
		for k, in := range due[:max(len(due)-skip, 0)] {
			paid := in.Due.Add(time.Duration(g.r.IntN(5*24)-48) * time.Hour)
			if paid.After(g.now) {
				paid = g.now.Add(-time.Hour)
			}
			pays = append(pays, store.Payment{LoanID: l.ID, Amount: in.Total, PaidAt: paid, Actor: demoStaffID,
				Ref: fmt.Sprintf("demo-%d-%d", l.ID, k+1)})
		}
	}
	return loans, events, pays, nil
}

// campaigns makes n finished campaigns over the last months, each to one
// kecamatan or sector (the first to everyone), with every row delivered,
// blocked or failed at 25 messages a second.
func (g *demoGen) campaigns(n int, regs []store.Registration) ([]store.Campaign, []store.OutboxItem, error) {
	kecs := field.Kecamatans()
	sectors := field.Sectors()
	var camps []store.Campaign
	var out []store.OutboxItem
	for i := range n {
		var a store.Audience
		switch {
		case i == 0:
		case g.r.IntN(3) == 0:
			a.Sector = sectors[g.r.IntN(len(sectors))].Key
		default:
			a.Kecamatan = kecs[g.r.IntN(len(kecs))].Code
		}
		payload, err := flows.EncodeReply(flows.Reply{Lang: "id", Text: flows.T("bc_message", "Body",
			flows.HTML("Pengumuman contoh untuk "+demoAudience(a)+": pendaftaran pelatihan bulan depan sudah dibuka."))})
		if err != nil {
			return nil, nil, err
		}
		start := g.now.Add(-time.Duration(n-i) * 5 * 24 * time.Hour).Truncate(time.Second)
		c := store.Campaign{ID: int64(i + 1), CreatedBy: demoStaffID, Payload: payload, Audience: a,
			Status: store.CampaignDone, StartAt: start, CreatedAt: start.Add(-10 * time.Minute)}
		camps = append(camps, c)
		k := 0
		for _, r := range regs {
			if (a.Kecamatan != "" && r.Kecamatan != a.Kecamatan) || (a.Sector != "" && r.Sector != a.Sector) {
				continue
			}
			o := store.OutboxItem{Key: fmt.Sprintf("bc:%d:%d", c.ID, r.UserID), ChatID: r.UserID, Kind: "broadcast",
				CampaignID: c.ID, NotBefore: start, Status: store.OutboxSent, CreatedAt: c.CreatedAt}
			switch w := g.r.IntN(100); {
			case w < 3:
				o.Status = store.OutboxBlocked
			case w < 4:
				o.Status = store.OutboxFailed
			default:
				o.SentAt = start.Add(time.Duration(k) * time.Second / 25)
				k++
			}
			out = append(out, o)
		}
	}
	return camps, out, nil
}
