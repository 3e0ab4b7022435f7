package broadcast

import (
	"strconv"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// ProgressReply is the staff's progress message of campaign c with figures
// st at rate messages per second: "Terkirim 1.200/5.000 · diblokir 12 ·
// gagal 0 · sisa ± 2 menit" with buttons to pause (or resume) and cancel,
// or the final report without buttons once nothing is pending or the
// campaign has ended. The buttons are command buttons ("/siaranjeda 12"),
// so they work whatever the staff is doing, and tapping one twice only
// gets "sudah dijeda".
//
// The reply is addressed to c.ProgressChat and edits c.ProgressMessage when
// it is known (To and Edit); the outbox sender sends the first one and
// records its id with SetProgressMessage. Lang is left empty: the sender
// chooses it.
func ProgressReply(c store.Campaign, st store.CampaignStats, rate int, now time.Time) flows.Reply {
	if rate <= 0 {
		rate = DefaultRate
	}
	kv := []any{"ID", c.ID, "Sent", Num(st.Sent), "Total", Num(st.Total),
		"Blocked", Num(st.Blocked), "Failed", Num(st.Failed)}
	var r flows.Reply
	switch {
	case c.Status == store.CampaignCancelled:
		r = flows.Say("bc_report_cancelled", append(kv, "Cancelled", Num(st.Cancelled))...)
	case c.Status == store.CampaignDone || st.Pending == 0:
		r = flows.Say("bc_report_done", kv...)
	default:
		state := flows.T("bc_state_running")
		switch {
		case c.Status == store.CampaignPaused:
			state = flows.T("bc_state_paused")
		case c.StartAt.After(now):
			state = flows.T("bc_state_waiting", "Start", flows.DateTime(c.StartAt))
		}
		r = flows.Say("bc_progress", append(kv, "State", state, "Left", Duration(st.Pending, rate))...)
		id := " " + strconv.FormatInt(c.ID, 10)
		first := flows.Btn("bc_btn_pause", "/"+Pause+id)
		if c.Status == store.CampaignPaused {
			first = flows.Btn("bc_btn_resume", "/"+Resume+id)
		}
		r = r.WithRow(first, flows.Btn("bc_btn_cancel", "/"+Cancel+id))
	}
	r.To, r.Edit = c.ProgressChat, c.ProgressMessage
	return r
}
