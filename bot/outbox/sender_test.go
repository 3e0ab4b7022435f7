package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/bot/outbox"
	"github.com/diskum-tangerang/umkmbot/bot/telegramtest"
	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/memory"
	redisstore "github.com/diskum-tangerang/umkmbot/store/redis"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
)

// TestDefaultClassify sorts the errors the Telegram adapter really returns.
func TestDefaultClassify(t *testing.T) {
	fake := telegramtest.Start(t)
	b := newTransport(t, fake.URL)
	dead := httptest.NewServer(nil)
	dead.Close()
	tests := []struct {
		name      string
		setup     func()
		transport outbox.Transport
		empty     bool // send a reply with no text
		blocked   bool
		retry     time.Duration
		transient bool
	}{
		{name: "403 blocked", setup: func() { fake.FailChat(1, 403) }, blocked: true},
		{name: "429 flood", setup: func() { fake.FailChat(1, 429) }, retry: time.Second},
		{name: "400 chat not found", setup: func() { fake.FailChat(1, 400) }},
		{name: "502", setup: func() { fake.Fail("sendMessage", telegramtest.APIError{Code: 502, Times: 1}) }, transient: true},
		{name: "connection refused", transport: newTransport(t, dead.URL), transient: true},
		{name: "empty reply", empty: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake.FailChat(1, 0)
			if tt.setup != nil {
				tt.setup()
			}
			tr := tt.transport
			if tr == nil {
				tr = b
			}
			reply := flows.Reply{Text: flows.Raw("halo")}
			if tt.empty {
				reply = flows.Reply{}
			}
			_, err := tr.Send(t.Context(), 1, reply)
			if err == nil {
				t.Fatal("Send succeeded, want an error")
			}
			blocked, retry, transient := outbox.DefaultClassify(err)
			if blocked != tt.blocked || retry != tt.retry || transient != tt.transient {
				t.Errorf("DefaultClassify(%v) = %v, %s, %v; want %v, %s, %v", err,
					blocked, retry, transient, tt.blocked, tt.retry, tt.transient)
			}
		})
	}
}

// TestRetryBackoff sends through a Bot API answering 502: the row is
// retried with doubling waits, then sent once the API recovers, or failed
// with the reason after MaxAttempts.
func TestRetryBackoff(t *testing.T) {
	const base = 50 * time.Millisecond
	tests := []struct {
		name         string
		failures     int // 0: every call fails
		wantStatus   string
		wantCalls    int
		wantAttempts int
	}{
		{"recovers", 2, store.OutboxSent, 3, 2},
		{"gives up", 0, store.OutboxFailed, 5, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := telegramtest.Start(t)
			fake.Fail("sendMessage", telegramtest.APIError{Code: 502, Times: tt.failures})
			ob := memory.New().Outbox()
			if _, err := ob.Enqueue(t.Context(), store.OutboxItem{Key: "r", ChatID: 7, Kind: "reminder",
				Payload: payload(t, "pengingat")}); err != nil {
				t.Fatal(err)
			}
			lim := memory.NewLimiter(100)
			lim.ChatGap = time.Millisecond
			run(t, &outbox.Sender{Store: ob, Limiter: lim, Transport: newTransport(t, fake.URL), Worker: "w",
				Backoff: base, Poll: 10 * time.Millisecond, Log: testLog(t)})
			waitFor(t, 10*time.Second, "the row to finish", func() bool {
				return item(t, ob, "r").Status == tt.wantStatus
			})
			it := item(t, ob, "r")
			at := callTimes(fake)
			if len(at) != tt.wantCalls || it.Attempts != tt.wantAttempts {
				t.Errorf("%d calls, %d attempts; want %d, %d", len(at), it.Attempts, tt.wantCalls, tt.wantAttempts)
			}
			for i := 1; i < len(at); i++ {
				if gap, want := at[i].Sub(at[i-1]), base<<(i-1); gap < want*9/10 {
					t.Errorf("retry %d came %s after the call before, want at least %s", i, gap, want)
				}
			}
			if tt.wantStatus == store.OutboxFailed && !strings.Contains(it.LastError, "502") {
				t.Errorf("failed row's reason %q does not say 502", it.LastError)
			}
		})
	}
}

// TestFloodPausesEverySender has the Bot API answer one 429 (retry_after
// 1 s) to one of two senders sharing a limiter through Redis: neither
// sends during the pause, and the refused message goes out after it
// without counting an attempt.
func TestFloodPausesEverySender(t *testing.T) {
	rdb, prefix := redistest.New(t)
	fake := telegramtest.Start(t)
	fake.Fail("sendMessage", telegramtest.APIError{Code: 429, RetryAfter: 1, Times: 1})
	ob := memory.New().Outbox()
	const rows = 30
	for i := range rows {
		if _, err := ob.Enqueue(t.Context(), store.OutboxItem{Key: key("n", i), ChatID: int64(100 + i),
			Kind: "notice", Payload: payload(t, "kabar")}); err != nil {
			t.Fatal(err)
		}
	}
	var limiters []*redisstore.Limiter
	for _, w := range []string{"a", "b"} {
		l := redisstore.NewLimiter(rdb, prefix, 20)
		limiters = append(limiters, l)
		run(t, &outbox.Sender{Store: ob, Limiter: l, Transport: newTransport(t, fake.URL), Worker: w,
			Batch: 10, Parallel: 2, Log: testLog(t)})
	}
	waitFor(t, 15*time.Second, "every row to be sent", func() bool { return fake.Count("sendMessage") >= rows+1 })
	time.Sleep(200 * time.Millisecond) // let the outcomes be recorded

	at := callTimes(fake)
	t0 := at[0] // the call answered 429
	// Slots reserved before the pause (MaxAhead's worth) may still go.
	quietFrom, quietTo := t0.Add(limiters[0].MaxAhead+200*time.Millisecond), t0.Add(950*time.Millisecond)
	during := 0
	for _, c := range at[1:] {
		if c.After(quietFrom) && c.Before(quietTo) {
			during++
		}
	}
	t.Logf("%d calls; %d between %s and %s after the 429", len(at), during, quietFrom.Sub(t0), quietTo.Sub(t0))
	if during != 0 || len(at) != rows+1 {
		t.Errorf("%d calls during the pause and %d in all; want 0 and %d", during, len(at), rows+1)
	}
	for i := range rows {
		if it := item(t, ob, key("n", i)); it.Status != store.OutboxSent || it.Attempts != 0 {
			t.Errorf("row %d: %s after %d attempts; want sent, 0", i, it.Status, it.Attempts)
		}
	}
}

// TestShutdownFinishesInFlight stops a sender in the middle of a slow
// send: the send completes and is recorded, and nothing else starts.
func TestShutdownFinishesInFlight(t *testing.T) {
	ob := memory.New().Outbox()
	for i := range 5 {
		if _, err := ob.Enqueue(t.Context(), store.OutboxItem{Key: key("s", i), ChatID: int64(i + 1), Kind: "notice",
			Payload: payload(t, "kabar")}); err != nil {
			t.Fatal(err)
		}
	}
	started := make(chan struct{}, 5)
	tr := &recorder{fn: func(int64, flows.Reply) (int, error) {
		started <- struct{}{}
		time.Sleep(300 * time.Millisecond)
		return 42, nil
	}}
	r := run(t, &outbox.Sender{Store: ob, Limiter: memory.NewLimiter(0), Transport: tr, Worker: "w", Parallel: 1,
		Log: testLog(t)})
	<-started
	begin := time.Now()
	r.stop(t)
	if took := time.Since(begin); took < 200*time.Millisecond {
		t.Errorf("Run returned %s after the cancel, before the send in flight finished", took)
	}
	calls := tr.sent()
	if len(calls) != 1 {
		t.Fatalf("%d sends, want the one in flight only", len(calls))
	}
	for i := range 5 {
		it := item(t, ob, key("s", i))
		if sent := it.Status == store.OutboxSent; sent != (it.ChatID == calls[0].chat) {
			t.Errorf("row %d: %s; want sent only for the chat in flight", i, it.Status)
		}
	}
}

// TestProgressAndDone runs a campaign with one blocked owner: progress is
// reported, at most once per ProgressEvery, and the campaign is marked done
// before the last report.
func TestProgressAndDone(t *testing.T) {
	st := memory.New()
	ob := st.Outbox()
	for i := range 30 {
		if _, _, err := st.CreateRegistration(t.Context(), key("reg", i), store.Registration{UserID: int64(500 + i),
			NIK: fmt.Sprintf("3603%012d", i), BusinessName: key("Usaha", i),
			Kecamatan: "360312", Sector: "kuliner"}); err != nil {
			t.Fatal(err)
		}
	}
	c, n, err := ob.CreateCampaign(t.Context(), store.Campaign{CreatedBy: 1, Payload: payload(t, "Siaran")})
	if err != nil || n != 30 {
		t.Fatalf("CreateCampaign = %d, %v", n, err)
	}
	errBlocked := errors.New("blocked")
	tr := &recorder{fn: func(chat int64, _ flows.Reply) (int, error) {
		if chat == 510 {
			return 0, errBlocked
		}
		return 1, nil
	}}
	type report struct{ status string }
	reports := make(chan report, 100)
	s := &outbox.Sender{Store: ob, Campaigns: ob, Limiter: memory.NewLimiter(100), Transport: tr, Worker: "w",
		ProgressEvery: 100 * time.Millisecond, Log: testLog(t),
		Classify: func(err error) (bool, time.Duration, bool) { return errors.Is(err, errBlocked), 0, false },
		OnProgress: func(id int64) {
			got, _ := ob.Campaign(context.Background(), id)
			reports <- report{got.Status}
		}}
	run(t, s)
	start := time.Now()
	var last report
	var n2 int
	for last.status != store.CampaignDone {
		select {
		case last = <-reports:
			n2++
		case <-time.After(10 * time.Second):
			t.Fatalf("campaign not done after 10 s; %d reports", n2)
		}
	}
	if most := int(time.Since(start)/(100*time.Millisecond)) + 2; n2 > most {
		t.Errorf("%d progress reports in %s, want at most one per 100 ms (%d)", n2, time.Since(start), most)
	}
	p, err := s.Report(t.Context(), c.ID)
	want := store.CampaignStats{Total: 30, Sent: 29, Blocked: 1}
	if err != nil || p.CampaignStats != want || p.Percent() != 100 || p.Estimated() {
		t.Errorf("Report = %+v (%d %%), %v; want %+v, 100 %%, no ETA", p, p.Percent(), err, want)
	}
	if on, _ := ob.AudienceSize(t.Context(), store.Audience{}); on != 29 {
		t.Errorf("audience after the campaign = %d, want 29 (the blocked owner left out)", on)
	}
	t.Logf("%d progress reports", n2)
}

func TestNewProgress(t *testing.T) {
	tests := []struct {
		st      store.CampaignStats
		rate    float64
		eta     time.Duration
		percent int
	}{
		{store.CampaignStats{Total: 2000, Sent: 1000, Pending: 1000}, 25, 40 * time.Second, 50},
		{store.CampaignStats{Total: 2000, Sent: 1999, Pending: 1}, 25, time.Second, 99},
		{store.CampaignStats{Total: 10, Pending: 10}, 0, 0, 0},
		{store.CampaignStats{Total: 10, Sent: 8, Blocked: 1, Failed: 1}, 30, 0, 100},
		{store.CampaignStats{}, 0, 0, 100},
	}
	for _, tt := range tests {
		p := outbox.NewProgress(tt.st, tt.rate)
		if p.ETA != tt.eta || p.Percent() != tt.percent || p.Estimated() != (tt.eta > 0) {
			t.Errorf("NewProgress(%+v, %v) = ETA %s, %d %%; want %s, %d %%", tt.st, tt.rate, p.ETA, p.Percent(), tt.eta, tt.percent)
		}
	}
}

func TestSettings(t *testing.T) {
	ob := memory.New().Outbox()
	tests := []struct {
		name string
		s    *outbox.Sender
	}{
		{"no store", &outbox.Sender{Limiter: memory.NewLimiter(1), Transport: &recorder{}, Worker: "w"}},
		{"no worker", &outbox.Sender{Store: ob, Limiter: memory.NewLimiter(1), Transport: &recorder{}}},
		{"lease too short", &outbox.Sender{Store: ob, Limiter: memory.NewLimiter(1), Transport: &recorder{}, Worker: "w",
			Lease: 5 * time.Second, SendTimeout: 5 * time.Second}},
	}
	for _, tt := range tests {
		if err := tt.s.Run(t.Context()); err == nil {
			t.Errorf("%s: Run succeeded, want an error", tt.name)
		}
	}
}

// TestDeferHoldsAnnouncements: an item the Defer hook holds back (quiet
// hours) is not sent and waits, pending, until the time it gives; others go.
func TestDeferHoldsAnnouncements(t *testing.T) {
	st := memory.New()
	ob := st.Outbox()
	if _, _, err := st.CreateRegistration(t.Context(), "reg-1", store.Registration{UserID: 700,
		NIK: "3603000000000700", BusinessName: "Usaha", Kecamatan: "360312", Sector: "kuliner"}); err != nil {
		t.Fatal(err)
	}
	c, _, err := ob.CreateCampaign(t.Context(), store.Campaign{CreatedBy: 1, Payload: payload(t, "Siaran")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ob.Enqueue(t.Context(), store.OutboxItem{Key: "remind:1", ChatID: 701, Kind: "reminder",
		Payload: payload(t, "Pengingat")}); err != nil {
		t.Fatal(err)
	}
	morning := time.Now().Add(8 * time.Hour)
	tr := &recorder{fn: func(int64, flows.Reply) (int, error) { return 1, nil }}
	s := &outbox.Sender{Store: ob, Campaigns: ob, Limiter: memory.NewLimiter(100), Transport: tr, Worker: "w",
		Log: testLog(t), Defer: func(it store.OutboxItem, now time.Time) time.Time {
			if it.CampaignID != 0 {
				return morning
			}
			return now
		}}
	if _, err := s.Drain(t.Context()); err != nil {
		t.Fatal(err)
	}
	if st, _ := ob.CampaignStats(t.Context(), c.ID); st.Sent != 0 || st.Pending != 1 {
		t.Fatalf("announcement during quiet hours: %+v, want it pending", st)
	}
	it, err := ob.OutboxItem(t.Context(), "bc:1:700")
	if err != nil || it.Status != store.OutboxPending || !it.NotBefore.Equal(morning.Round(0)) && it.NotBefore.Before(morning.Add(-time.Second)) {
		t.Fatalf("held item: %+v %v, want pending until %s", it, err, morning)
	}
	if r, _ := ob.OutboxItem(t.Context(), "remind:1"); r.Status != store.OutboxSent {
		t.Fatalf("reminder: %s, want sent (quiet hours are for announcements only)", r.Status)
	}
}
