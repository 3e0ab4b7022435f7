package memory_test

import (
	"testing"

	"github.com/diskum-tangerang/umkmbot/store/memory"
	"github.com/diskum-tangerang/umkmbot/store/storetest"
)

func TestTicketStore(t *testing.T) {
	storetest.RunTicketStore(t, func(*testing.T) storetest.TicketStores {
		s := memory.New()
		return storetest.TicketStores{Tickets: s, Outbox: s.Outbox(), Registrations: s}
	})
}
