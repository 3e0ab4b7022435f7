package main

import "context"

// Demo data for `umkmbot chat` on memory stores, clearly not real: the ids
// are the ones the README's examples use.
const (
	demoStaffID   = 9001
	demoStaffName = "Petugas Demo (data contoh)"
)

// seedDemo fills the memory stores with the demo data set.
func seedDemo(ctx context.Context, a *app) error {
	return a.staff.AddStaff(ctx, demoStaffID, demoStaffName)
}
