package broadcast

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// statusDone is the confirmation of each status change.
var statusDone = map[string]string{
	store.CampaignPaused:    "bc_paused",
	store.CampaignRunning:   "bc_resumed",
	store.CampaignCancelled: "bc_cancelled",
}

// statusSame answers a change to the status the campaign already has: a
// double tap.
var statusSame = map[string]string{
	store.CampaignPaused:    "bc_already_paused",
	store.CampaignRunning:   "bc_already_running",
	store.CampaignCancelled: "bc_already_cancelled",
}

// statusFlow is /siaranjeda, /siaranlanjut or /siaranbatal <id>: it moves
// campaign id to target.
func (b *bc) statusFlow(name, target string) *flows.Flow {
	return commandFlow(name, true, flows.T("bc_title"), func(c *flows.Ctx) error {
		return b.setStatus(c, name, target)
	})
}

func (b *bc) setStatus(c *flows.Ctx, cmd, target string) error {
	id, ok := parseID(c.Update.Args)
	if !ok {
		c.Say("bc_bad_id", "Cmd", "/"+cmd)
		return nil
	}
	camp, err := b.camps.Campaign(c, id)
	if errors.Is(err, store.ErrNotFound) {
		c.Say("bc_not_found", "ID", id)
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case camp.Status == target:
		c.Reply(flows.Reply{Text: flows.T(statusSame[target], "ID", id), Toast: true})
		return nil
	case camp.Status == store.CampaignDone || camp.Status == store.CampaignCancelled:
		c.Reply(flows.Reply{Text: flows.T("bc_already_ended", "ID", id, "Status", statusText(camp.Status)), Toast: true})
		return nil
	}
	err = b.camps.SetCampaignStatus(c, c.UserID(), id, target)
	switch {
	case errors.Is(err, store.ErrNotFound):
		c.Say("bc_not_found", "ID", id)
		return nil
	case errors.Is(err, store.ErrConflict):
		c.Say("bc_status_changed", "ID", id)
		return nil
	case err != nil:
		return err
	}
	camp.Status = target
	st, err := b.camps.CampaignStats(c, id)
	if err != nil {
		return err
	}
	c.Reply(flows.Reply{Text: flows.T(statusDone[target], "ID", id), Toast: true})
	pr := ProgressReply(camp, st, b.opt.Rate, c.Now)
	// A tap on the progress message updates it in place; a typed command
	// gets the figures as a new message.
	if c.Update.Kind != flows.KindButton || camp.ProgressMessage == 0 || camp.ProgressChat != c.ChatID() {
		pr.To, pr.Edit = 0, 0
	}
	c.Reply(pr)
	return nil
}

// parseID reads a campaign number: "12" or "#12".
func parseID(args string) (int64, bool) {
	s := strings.TrimPrefix(strings.TrimSpace(args), "#")
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// listFlow is /siaranlist: the latest campaigns with their figures.
func (b *bc) listFlow() *flows.Flow {
	return commandFlow(List, true, flows.T("bc_title"), func(c *flows.Ctx) error {
		cs, err := b.camps.Campaigns(c, listLimit)
		if err != nil {
			return err
		}
		if len(cs) == 0 {
			c.Say("bc_list_empty")
			return nil
		}
		lines := make([]flows.Text, 0, len(cs))
		for _, camp := range cs {
			st, err := b.camps.CampaignStats(c, camp.ID)
			if err != nil {
				return err
			}
			lines = append(lines, flows.T("bc_list_line", "ID", camp.ID, "Date", flows.DateTime(camp.CreatedAt),
				"Audience", audienceText(camp.Audience), "Sent", Num(st.Sent), "Total", Num(st.Total),
				"Blocked", Num(st.Blocked), "Failed", Num(st.Failed), "Status", b.listStatus(camp, st, c.Now)))
		}
		c.Say("bc_list", "Lines", lines)
		return nil
	})
}

// listStatus names a campaign's status in /siaranlist: a running campaign
// with messages left that may not send now (it was created, resumed or is
// running in the quiet hours) is waiting for them to end.
func (b *bc) listStatus(camp store.Campaign, st store.CampaignStats, now time.Time) flows.Text {
	if camp.Status != store.CampaignRunning || st.Pending == 0 {
		return statusText(camp.Status)
	}
	start := b.opt.startAt(now)
	if camp.StartAt.After(start) {
		start = camp.StartAt
	}
	if !start.After(now) {
		return statusText(camp.Status)
	}
	return flows.T("bc_status_quiet", "Start", flows.DateTime(start))
}
