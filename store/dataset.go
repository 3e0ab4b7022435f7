package store

// Dataset is a bulk of records for an empty database: the generated demo
// data of `umkmbot demo-data`. The caller numbers every record (ID,
// Number, booking Code) and links them by those IDs; CreatedAt and the
// other times are kept as given.
type Dataset struct {
	Registrations []Registration
	Trainings     []Training
	Bookings      []Booking
	Loans         []Loan
	LoanEvents    []LoanEvent
	Payments      []Payment
	Campaigns     []Campaign
	// Outbox holds the campaigns' rows, with their Status and SentAt.
	Outbox []OutboxItem
}
