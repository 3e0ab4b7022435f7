package broadcast

import "time"

// StartAt is when a broadcast may go out at now: now, or the end of the
// quiet hours when now falls inside them. The sender asks it for every
// announcement, so that a campaign resumed at night, or still running when
// the quiet hours begin, waits for the morning too.
func (o Options) StartAt(now time.Time) time.Time { return o.withDefaults().startAt(now) }

// startAt is when a campaign created at now may start sending: now, or the
// end of the quiet hours when now falls inside them.
func (o Options) startAt(now time.Time) time.Time {
	from, to := o.QuietFrom.minutes(), o.QuietTo.minutes()
	if from == to {
		return now
	}
	local := now.In(o.Loc)
	m := local.Hour()*60 + local.Minute()
	y, mo, d := local.Date()
	end := time.Date(y, mo, d, o.QuietTo.Hour, o.QuietTo.Minute, 0, 0, o.Loc)
	switch {
	case from < to && m >= from && m < to: // quiet hours within one day
		return end
	case from > to && m >= from: // before midnight: ends tomorrow
		return end.AddDate(0, 0, 1)
	case from > to && m < to: // after midnight: ends today
		return end
	}
	return now
}
