package postgres_test

import (
	"testing"

	"github.com/diskum-tangerang/umkmbot/store/postgres/pgtest"
	"github.com/diskum-tangerang/umkmbot/store/storetest"
)

func newOutboxStores(t *testing.T) storetest.OutboxStores {
	db := pgtest.New(t)
	return storetest.OutboxStores{Outbox: db, Campaigns: db, Registrations: db, Trainings: db}
}

func TestOutboxStore(t *testing.T) { storetest.RunOutboxStore(t, newOutboxStores) }

func TestCampaignStore(t *testing.T) { storetest.RunCampaignStore(t, newOutboxStores) }
