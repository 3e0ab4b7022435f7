package outbox

import (
	"context"
	"errors"
	"math"
	"sync"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// meterWindow is how far back Rate looks.
const meterWindow = 5 * time.Second

// meter measures the send rate over the last meterWindow.
type meter struct {
	mu    sync.Mutex
	start time.Time
	sent  []time.Time // ascending, within the window
}

func (m *meter) add(at time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.start.IsZero() {
		m.start = at
	}
	m.sent = append(m.prune(at), at)
}

// prune drops the sends before the window. m.mu must be held.
func (m *meter) prune(now time.Time) []time.Time {
	i := 0
	for i < len(m.sent) && now.Sub(m.sent[i]) > meterWindow {
		i++
	}
	return append(m.sent[:0], m.sent[i:]...)
}

func (m *meter) rate(now time.Time) float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = m.prune(now)
	span := min(now.Sub(m.start), meterWindow)
	if len(m.sent) == 0 || span < 100*time.Millisecond {
		return 0
	}
	return float64(len(m.sent)) / span.Seconds()
}

// Rate is how many messages a second this sender delivered over the last
// five seconds; other senders sharing the budget are not counted.
func (s *Sender) Rate() float64 { return s.meter.rate(time.Now()) }

// Progress is a campaign's state for the staff's progress message.
type Progress struct {
	store.CampaignStats
	// Rate is the send rate the ETA assumes, messages a second.
	Rate float64
	// ETA is how long the pending rows take at Rate; 0 when none are left
	// or the rate is unknown (see Estimated).
	ETA time.Duration
}

// NewProgress computes the ETA of st at rate messages a second.
func NewProgress(st store.CampaignStats, rate float64) Progress {
	p := Progress{CampaignStats: st, Rate: rate}
	if st.Pending > 0 && rate > 0 {
		p.ETA = time.Duration(math.Ceil(float64(st.Pending)/rate)) * time.Second
	}
	return p
}

// Percent is the share of the campaign's rows that are finished (sent,
// blocked, failed or cancelled), 100 for an empty campaign.
func (p Progress) Percent() int {
	if p.Total == 0 {
		return 100
	}
	return (p.Total - p.Pending) * 100 / p.Total
}

// Estimated says whether ETA means something: rows are left and the rate
// is known.
func (p Progress) Estimated() bool { return p.Pending > 0 && p.Rate > 0 }

// Report returns the campaign's statistics and an ETA at this sender's
// current rate. It needs Campaigns.
func (s *Sender) Report(ctx context.Context, campaignID int64) (Progress, error) {
	if s.Campaigns == nil {
		return Progress{}, errors.New("outbox: Report needs Campaigns")
	}
	st, err := s.Campaigns.CampaignStats(ctx, campaignID)
	if err != nil {
		return Progress{}, err
	}
	return NewProgress(st, s.Rate()), nil
}

// touch notes that a row of campaign id was finished.
func (s *Sender) touch(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.touched == nil {
		s.touched = map[int64]bool{}
	}
	s.touched[id] = true
}

// progressLoop reports progress every c.every until ctx ends.
func (s *Sender) progressLoop(ctx context.Context, c *config) {
	t := time.NewTicker(c.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.flushProgress(ctx, c)
		}
	}
}

// flushProgress finishes the touched campaigns that have nothing left to
// send and calls OnProgress for each.
func (s *Sender) flushProgress(ctx context.Context, c *config) {
	s.mu.Lock()
	ids := s.touched
	s.touched = nil
	s.mu.Unlock()
	for id := range ids {
		s.finishCampaign(ctx, c, id)
		if c.onProgress != nil {
			c.onProgress(id)
		}
	}
}

// finishCampaign marks campaign id done when none of its rows is left.
// Several senders may try at once; setting done twice is a no-op, and a
// cancelled campaign stays cancelled (ErrConflict, ignored).
func (s *Sender) finishCampaign(ctx context.Context, c *config, id int64) {
	if c.campaigns == nil {
		return
	}
	st, err := c.campaigns.CampaignStats(ctx, id)
	if err != nil {
		c.log.Error("outbox: campaign stats failed", "campaign", id, "err", err)
		return
	}
	if st.Pending > 0 {
		return
	}
	err = c.campaigns.SetCampaignStatus(ctx, 0, id, store.CampaignDone)
	switch {
	case err == nil:
		c.log.Info("outbox: campaign finished", "campaign", id, "sent", st.Sent, "blocked", st.Blocked, "failed", st.Failed)
	case !errors.Is(err, store.ErrConflict):
		c.log.Error("outbox: finishing campaign failed", "campaign", id, "err", err)
	}
}

// sweepCampaigns notes the latest running campaigns that have started, so
// that the next progress tick finishes those with nothing left to send:
// the sender that sent their last rows may have died before it could.
func (s *Sender) sweepCampaigns(ctx context.Context, c *config) {
	list, err := c.campaigns.Campaigns(ctx, 20)
	if err != nil {
		c.log.Error("outbox: listing campaigns failed", "err", err)
		return
	}
	for _, cp := range list {
		if cp.Status == store.CampaignRunning && !cp.StartAt.After(c.now()) {
			s.touch(cp.ID)
		}
	}
}
