package broadcast

import "time"

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
