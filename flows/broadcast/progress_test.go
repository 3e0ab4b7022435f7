package broadcast_test

import (
	"slices"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows/broadcast"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/locales"
	"github.com/diskum-tangerang/umkmbot/store"
)

func TestProgressReply(t *testing.T) {
	cat, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	now := ft.Start
	camp := func(status string, start time.Time) store.Campaign {
		return store.Campaign{ID: 7, Status: status, StartAt: start, ProgressChat: staff, ProgressMessage: 44}
	}
	running := store.CampaignStats{Total: 5000, Sent: 1200, Blocked: 12, Pending: 2788}
	tests := []struct {
		name    string
		c       store.Campaign
		st      store.CampaignStats
		rate    int
		lang    string
		want    string
		buttons []string
	}{
		{name: "running", c: camp(store.CampaignRunning, now), st: running, rate: 25, lang: "id",
			want:    "⏳ Siaran #7 — sedang dikirim\nTerkirim 1.200/5.000 · diblokir 12 · gagal 0 · sisa ± 2 menit",
			buttons: []string{"/siaranjeda 7", "/siaranbatal 7"}},
		{name: "running in English", c: camp(store.CampaignRunning, now), st: running, rate: 25, lang: "en",
			want:    "⏳ Broadcast #7 — sending\nSent 1,200/5,000 · blocked 12 · failed 0 · about 2 min left",
			buttons: []string{"/siaranjeda 7", "/siaranbatal 7"}},
		{name: "default rate", c: camp(store.CampaignRunning, now), st: running, lang: "id",
			want:    "Terkirim 1.200/5.000 · diblokir 12 · gagal 0 · sisa ± 2 menit",
			buttons: []string{"/siaranjeda 7", "/siaranbatal 7"}},
		{name: "slow rate, hours", c: camp(store.CampaignRunning, now),
			st: store.CampaignStats{Total: 100000, Pending: 100000}, rate: 25, lang: "id",
			want:    "Terkirim 0/100.000 · diblokir 0 · gagal 0 · sisa ± 1 jam 7 menit",
			buttons: []string{"/siaranjeda 7", "/siaranbatal 7"}},
		{name: "paused", c: camp(store.CampaignPaused, now), st: running, rate: 25, lang: "id",
			want: "Siaran #7 — dijeda\n", buttons: []string{"/siaranlanjut 7", "/siaranbatal 7"}},
		{name: "waiting for quiet hours", c: camp(store.CampaignRunning, now.Add(9*time.Hour)), st: running, rate: 25, lang: "id",
			want:    "Siaran #7 — menunggu jam tenang berakhir, mulai Jumat, 27 November 2026 pukul 18.00 WIB\n",
			buttons: []string{"/siaranjeda 7", "/siaranbatal 7"}},
		{name: "finished", c: camp(store.CampaignRunning, now), rate: 25, lang: "id",
			st:   store.CampaignStats{Total: 5000, Sent: 4988, Blocked: 12},
			want: "✅ Siaran #7 selesai\nTerkirim 4.988/5.000 · diblokir 12 · gagal 0"},
		{name: "done", c: camp(store.CampaignDone, now), rate: 25, lang: "id",
			st:   store.CampaignStats{Total: 3, Sent: 2, Failed: 1},
			want: "✅ Siaran #7 selesai\nTerkirim 2/3 · diblokir 0 · gagal 1"},
		{name: "cancelled", c: camp(store.CampaignCancelled, now), rate: 25, lang: "id",
			st:   store.CampaignStats{Total: 5000, Sent: 1200, Blocked: 12, Cancelled: 3788},
			want: "Siaran #7 dibatalkan\nTerkirim 1.200/5.000 · diblokir 12 · gagal 0 · tidak dikirim 3.788"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := broadcast.ProgressReply(tt.c, tt.st, tt.rate, now)
			contains(t, cat.Plain(tt.lang, r.Text), tt.want)
			if got := buttonData(r); !slices.Equal(got, tt.buttons) {
				t.Errorf("buttons %q, want %q", got, tt.buttons)
			}
			if r.To != staff || r.Edit != 44 || r.Lang != "" {
				t.Errorf("To %d Edit %d Lang %q", r.To, r.Edit, r.Lang)
			}
		})
	}
}

func TestNumAndDuration(t *testing.T) {
	cat, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	nums := []struct {
		n      int
		id, en string
	}{{0, "0", "0"}, {7, "7", "7"}, {999, "999", "999"}, {1000, "1.000", "1,000"},
		{1234567, "1.234.567", "1,234,567"}, {-1200, "-1.200", "-1,200"}}
	for _, tc := range nums {
		if got := cat.Plain("id", broadcast.Num(tc.n)); got != tc.id {
			t.Errorf("Num(%d) id = %q, want %q", tc.n, got, tc.id)
		}
		if got := cat.Plain("en", broadcast.Num(tc.n)); got != tc.en {
			t.Errorf("Num(%d) en = %q, want %q", tc.n, got, tc.en)
		}
	}
	durs := []struct {
		n, rate int
		want    string
	}{
		{1, 25, "± 1 menit"}, {1500, 25, "± 1 menit"}, {1501, 25, "± 2 menit"}, {5000, 25, "± 4 menit"},
		{89999, 25, "± 1 jam"}, {90000, 25, "± 1 jam"}, {100000, 25, "± 1 jam 7 menit"},
		{5000, 0, "± 4 menit"}, {0, 25, "± 1 menit"},
	}
	for _, tc := range durs {
		if got := cat.Plain("id", broadcast.Duration(tc.n, tc.rate)); got != tc.want {
			t.Errorf("Duration(%d, %d) = %q, want %q", tc.n, tc.rate, got, tc.want)
		}
	}
}
