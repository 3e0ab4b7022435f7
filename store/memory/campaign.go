package memory

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/diskum-tangerang/umkmbot/store"
)

// audience lists, in ascending order, the owners of registrations that are
// not anonymised and match a, leaving out those who stopped announcements
// or blocked the bot; for a training, those holding a seat on it (booked,
// offered or attended). s.mu must be held.
func (o *Outbox) audience(st *outState, a store.Audience) []int64 {
	var seated map[int64]bool
	if a.Training != 0 {
		seated = map[int64]bool{}
		for _, b := range o.s.trains.bookings {
			switch b.Status {
			case store.BookingBooked, store.BookingOffered, store.BookingAttended:
				if b.TrainingID == a.Training {
					seated[b.UserID] = true
				}
			}
		}
	}
	seen := map[int64]bool{}
	var ids []int64
	for _, e := range o.s.reg().regs {
		r := e.r
		if e.anonymised || r.UserID == 0 || seen[r.UserID] || (seated != nil && !seated[r.UserID]) ||
			(a.Kecamatan != "" && r.Kecamatan != a.Kecamatan) || (a.Sector != "" && r.Sector != a.Sector) {
			continue
		}
		seen[r.UserID] = true
		if p := st.prefs[r.UserID]; !p.off && !p.blocked {
			ids = append(ids, r.UserID)
		}
	}
	slices.Sort(ids)
	return ids
}

// AudienceSize implements store.CampaignStore.
func (o *Outbox) AudienceSize(ctx context.Context, a store.Audience) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	st := o.s.out()
	o.s.mu.Lock()
	defer o.s.mu.Unlock()
	return len(o.audience(st, a)), nil
}

// CreateCampaign implements store.CampaignStore under one lock: the
// campaign, one outbox row per recipient and the audit entry. A zero
// StartAt means now; an empty Status means running (paused is the other
// choice). A campaign without recipients is created done.
func (o *Outbox) CreateCampaign(ctx context.Context, c store.Campaign) (store.Campaign, int, error) {
	if err := ctx.Err(); err != nil {
		return store.Campaign{}, 0, err
	}
	if len(c.Payload) == 0 {
		return store.Campaign{}, 0, errors.New("create campaign: empty payload")
	}
	if c.Status == "" {
		c.Status = store.CampaignRunning
	}
	if c.Status != store.CampaignRunning && c.Status != store.CampaignPaused {
		return store.Campaign{}, 0, fmt.Errorf("create campaign: status %q: %w", c.Status, store.ErrConflict)
	}
	reg, st := o.s.reg(), o.s.out()
	o.s.mu.Lock()
	defer o.s.mu.Unlock()
	if c.Key != "" {
		for _, old := range st.campaigns {
			if old.Key == c.Key {
				first := *old
				first.Payload = slices.Clone(old.Payload)
				total := 0
				for _, it := range st.items {
					if it.CampaignID == old.ID {
						total++
					}
				}
				return first, total, nil
			}
		}
	}
	now := o.s.now().UTC().Round(0)
	c.ID, c.CreatedAt, c.Payload = int64(len(st.campaigns)+1), now, slices.Clone(c.Payload)
	if c.StartAt.IsZero() {
		c.StartAt = now
	}
	c.StartAt = c.StartAt.Round(0)
	ids := o.audience(st, c.Audience)
	if len(ids) == 0 {
		c.Status = store.CampaignDone
	}
	saved := c
	st.campaigns = append(st.campaigns, &saved)
	n := 0
	for _, id := range ids {
		key := "bc:" + strconv.FormatInt(c.ID, 10) + ":" + strconv.FormatInt(id, 10)
		if st.byKey[key] == nil {
			st.add(store.OutboxItem{Key: key, ChatID: id, Kind: "broadcast", CampaignID: c.ID, NotBefore: c.StartAt}, now)
			n++
		}
	}
	reg.appendAudit(store.AuditEntry{Actor: c.CreatedBy, Action: "broadcast", Object: campaignObject(c.ID),
		Detail: fmt.Sprintf("kecamatan=%s sector=%s training=%d recipients=%d start=%s status=%s",
			orAll(c.Audience.Kecamatan), orAll(c.Audience.Sector), c.Audience.Training, n, c.StartAt.UTC().Format("2006-01-02T15:04:05Z"), c.Status)}, now)
	c.Payload = slices.Clone(c.Payload)
	return c, n, nil
}

// campaign returns campaign id, or ErrNotFound. s.mu must be held.
func (st *outState) campaign(id int64) (*store.Campaign, error) {
	if id <= 0 || int(id) > len(st.campaigns) {
		return nil, fmt.Errorf("campaign %d: %w", id, store.ErrNotFound)
	}
	return st.campaigns[id-1], nil
}

// Campaign implements store.CampaignStore.
func (o *Outbox) Campaign(ctx context.Context, id int64) (store.Campaign, error) {
	if err := ctx.Err(); err != nil {
		return store.Campaign{}, err
	}
	st := o.s.out()
	o.s.mu.Lock()
	defer o.s.mu.Unlock()
	c, err := st.campaign(id)
	if err != nil {
		return store.Campaign{}, err
	}
	v := *c
	v.Payload = slices.Clone(c.Payload)
	return v, nil
}

// Campaigns implements store.CampaignStore.
func (o *Outbox) Campaigns(ctx context.Context, limit int) ([]store.Campaign, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st := o.s.out()
	o.s.mu.Lock()
	defer o.s.mu.Unlock()
	var list []store.Campaign
	for i := len(st.campaigns) - 1; i >= 0 && len(list) < limit; i-- {
		v := *st.campaigns[i]
		v.Payload = slices.Clone(v.Payload)
		list = append(list, v)
	}
	return list, nil
}

// SetCampaignStatus implements store.CampaignStore. Running and paused go
// either way; cancelled and done are final (ErrConflict), and done needs
// every row finished (ErrConflict otherwise). Setting the current status
// is a no-op. Cancelling turns the pending rows into cancelled ones; rows
// being sent finish.
func (o *Outbox) SetCampaignStatus(ctx context.Context, actor, id int64, status string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	switch status {
	case store.CampaignRunning, store.CampaignPaused, store.CampaignCancelled, store.CampaignDone:
	default:
		return fmt.Errorf("campaign %d: unknown status %q", id, status)
	}
	reg, st := o.s.reg(), o.s.out()
	o.s.mu.Lock()
	defer o.s.mu.Unlock()
	c, err := st.campaign(id)
	if err != nil {
		return err
	}
	if c.Status == status {
		return nil
	}
	if c.Status == store.CampaignCancelled || c.Status == store.CampaignDone {
		return fmt.Errorf("set campaign %d %s: the campaign is %s: %w", id, status, c.Status, store.ErrConflict)
	}
	detail := "status=" + c.Status + "->" + status
	switch status {
	case store.CampaignDone:
		for _, it := range st.items {
			if it.CampaignID == id && (it.Status == store.OutboxPending || it.Status == store.OutboxSending) {
				return fmt.Errorf("set campaign %d done: rows are still to be sent: %w", id, store.ErrConflict)
			}
		}
	case store.CampaignCancelled:
		n := 0
		for _, it := range st.items {
			if it.CampaignID == id && it.Status == store.OutboxPending {
				it.Status = store.OutboxCancelled
				n++
			}
		}
		detail += " cancelled=" + strconv.Itoa(n)
	}
	c.Status = status
	reg.appendAudit(store.AuditEntry{Actor: actor, Action: "broadcast", Object: campaignObject(id), Detail: detail},
		o.s.now().UTC().Round(0))
	return nil
}

// SetProgressMessage implements store.CampaignStore.
func (o *Outbox) SetProgressMessage(ctx context.Context, id, chat int64, message int) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	st := o.s.out()
	o.s.mu.Lock()
	defer o.s.mu.Unlock()
	c, err := st.campaign(id)
	if err != nil {
		return err
	}
	c.ProgressChat, c.ProgressMessage = chat, message
	return nil
}

// CampaignStats implements store.CampaignStore; Pending counts the rows
// being sent too.
func (o *Outbox) CampaignStats(ctx context.Context, id int64) (store.CampaignStats, error) {
	var cs store.CampaignStats
	if err := ctx.Err(); err != nil {
		return cs, err
	}
	st := o.s.out()
	o.s.mu.Lock()
	defer o.s.mu.Unlock()
	if _, err := st.campaign(id); err != nil {
		return cs, err
	}
	for _, it := range st.items {
		if it.CampaignID != id {
			continue
		}
		cs.Total++
		switch it.Status {
		case store.OutboxSent:
			cs.Sent++
		case store.OutboxBlocked:
			cs.Blocked++
		case store.OutboxFailed:
			cs.Failed++
		case store.OutboxPending, store.OutboxSending:
			cs.Pending++
		case store.OutboxCancelled:
			cs.Cancelled++
		}
	}
	return cs, nil
}

// SetSubscribed implements store.CampaignStore. Subscribing again also
// clears a recorded block: a user who writes /langganan can be reached.
func (o *Outbox) SetSubscribed(ctx context.Context, userID int64, on bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	st := o.s.out()
	o.s.mu.Lock()
	defer o.s.mu.Unlock()
	p := st.prefs[userID]
	p.off = !on
	if on {
		p.blocked = false
	}
	st.prefs[userID] = p
	return nil
}

// Subscribed implements store.CampaignStore; a user with no choice
// recorded is subscribed.
func (o *Outbox) Subscribed(ctx context.Context, userID int64) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	st := o.s.out()
	o.s.mu.Lock()
	defer o.s.mu.Unlock()
	return !st.prefs[userID].off, nil
}

// campaignObject names a campaign in the audit log.
func campaignObject(id int64) string { return "campaign:" + strconv.FormatInt(id, 10) }
