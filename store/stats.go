package store

import (
	"context"
	"time"
)

// Count is a number of records under a key (a day, a class, a sector, a
// kecamatan code).
type Count struct {
	Key string
	N   int
}

// RegistrationSummary counts the live (not anonymised) registrations.
type RegistrationSummary struct {
	Total int
	// Daily counts the registrations of each of the 30 WIB days ending
	// with today, oldest first, days without any included; keys are
	// "2006-01-02".
	Daily []Count
	// ByClass, BySector and ByKecamatan count by stored key, most first;
	// keys without registrations are left out.
	ByClass, BySector, ByKecamatan []Count
}

// Filter values of RegistrationQuery.NIB.
const (
	HasNIB = "ya"
	NoNIB  = "tidak"
)

// RegistrationQuery selects live registrations for the dashboard. Empty
// fields do not filter.
type RegistrationQuery struct {
	Kecamatan, Desa, Sector, Class string
	// NIB is HasNIB, NoNIB or "".
	NIB string
	// Halal is a stored halal value ("sudah", "proses", "belum"), "none" for
	// the registrations that gave none, or "".
	Halal string
	// From and To bound the registration time, From included and To not;
	// zero is open.
	From, To time.Time
	// Limit is the page size (0: every row), Offset the rows skipped.
	Limit, Offset int
}

// TrainingFigures is a training with its bookings counted by status.
type TrainingFigures struct {
	Training
	// Booked counts the seats taken: booked, offered, attended and absent
	// places (an absent owner held the seat all the same).
	Booked     int
	Waitlisted int
	Attended   int
	Absent     int
}

// TopicFigures sums the trainings of one topic that have started: the
// places taken (booked, attended or absent) and those attended.
type TopicFigures struct {
	Topic     string
	Trainings int
	Places    int
	Attended  int
}

// LoanStageFigures counts the loans in one stage and sums their amounts
// (approved, or requested while none is approved).
type LoanStageFigures struct {
	Stage  string
	Loans  int
	Amount int64
}

// StageDuration is how long loans stayed in a stage: every stay that
// ended, and the current stays until now.
type StageDuration struct {
	Stage string
	// Loans counts the loans that ever reached the stage (the funnel).
	Loans   int
	Stays   int
	AvgDays float64
	MaxDays float64
}

// LoanTotals are the fund's totals: what was disbursed and what came back.
type LoanTotals struct {
	// Disbursed counts the loans disbursed (DICAIRKAN and every stage
	// after it); Lent sums their approved amounts.
	Disbursed int
	Lent      int64
	// Repaid sums every payment received.
	Repaid int64
}

// LoanPayments is a loan with every payment received.
type LoanPayments struct {
	Loan
	Payments []Payment
}

// CampaignFigures is a campaign with its outbox rows counted by status and
// the times of its first and last delivery (zero before any).
type CampaignFigures struct {
	Campaign
	CampaignStats
	FirstSent, LastSent time.Time
}

// StatsStore answers the dashboard's questions with aggregates computed in
// the store, so that a page reads a few rows whatever the volume.
type StatsStore interface {
	RegistrationSummary(ctx context.Context, now time.Time) (RegistrationSummary, error)
	// QueryRegistrations lists the matching registrations, newest first,
	// one page of them, and counts them all.
	QueryRegistrations(ctx context.Context, q RegistrationQuery) (list []Registration, total int, err error)
	// TrainingFigures lists trainings with their counts: when upcoming,
	// the open ones starting after now, soonest first; otherwise all,
	// latest first. total counts them all.
	TrainingFigures(ctx context.Context, now time.Time, upcoming bool, offset, limit int) (list []TrainingFigures, total int, err error)
	// TopicFigures sums the trainings started before now by topic.
	TopicFigures(ctx context.Context, now time.Time) ([]TopicFigures, error)
	LoanStages(ctx context.Context) ([]LoanStageFigures, error)
	StageDurations(ctx context.Context, now time.Time) ([]StageDuration, error)
	LoanTotals(ctx context.Context) (LoanTotals, error)
	// LoansInStage lists the loans in stage with their payments, oldest
	// first.
	LoansInStage(ctx context.Context, stage string) ([]LoanPayments, error)
	// CampaignFigures lists the latest campaigns, newest first.
	CampaignFigures(ctx context.Context, limit int) ([]CampaignFigures, error)
}
