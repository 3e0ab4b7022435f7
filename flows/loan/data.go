package loan

import (
	"context"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// DataLines lists the loans linked to userID for /datasaya, one line each
// with the application number and its stage; none when nothing is linked.
func DataLines(ctx context.Context, loans store.LoanStore, userID int64) ([]flows.Text, error) {
	list, err := loans.LinkedLoans(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := make([]flows.Text, 0, len(list))
	for _, l := range list {
		out = append(out, flows.T("loan_data_line", "Number", l.Number, "Stage", StageText(l.Stage)))
	}
	return out, nil
}
