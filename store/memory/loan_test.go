package memory_test

import (
	"testing"

	"github.com/diskum-tangerang/umkmbot/store/memory"
	"github.com/diskum-tangerang/umkmbot/store/storetest"
)

func TestLoanStore(t *testing.T) {
	storetest.RunLoanStore(t, func(*testing.T) storetest.LoanStores {
		s := memory.New()
		return storetest.LoanStores{Loans: s, Outbox: s.Outbox(), Registrations: s}
	})
}
