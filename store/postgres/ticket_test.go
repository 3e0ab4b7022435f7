package postgres_test

import (
	"testing"

	"github.com/diskum-tangerang/umkmbot/store/postgres/pgtest"
	"github.com/diskum-tangerang/umkmbot/store/storetest"
)

func TestTicketStore(t *testing.T) {
	storetest.RunTicketStore(t, func(t *testing.T) storetest.TicketStores {
		db := pgtest.New(t)
		return storetest.TicketStores{Tickets: db, Outbox: db, Registrations: db}
	})
}
