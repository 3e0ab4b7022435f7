package postgres_test

import (
	"testing"

	"github.com/diskum-tangerang/umkmbot/store/postgres/pgtest"
	"github.com/diskum-tangerang/umkmbot/store/storetest"
)

func TestLoanStore(t *testing.T) {
	storetest.RunLoanStore(t, func(t *testing.T) storetest.LoanStores {
		db := pgtest.New(t)
		return storetest.LoanStores{Loans: db, Outbox: db, Registrations: db}
	})
}
