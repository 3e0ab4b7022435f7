package memory_test

import (
	"testing"

	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/memory"
	"github.com/diskum-tangerang/umkmbot/store/storetest"
)

func TestSessionStore(t *testing.T) {
	storetest.RunSessionStore(t, func(*testing.T) store.SessionStore { return memory.New() })
}

func TestUserStore(t *testing.T) {
	storetest.RunUserStore(t, func(*testing.T) store.UserStore { return memory.New() })
}

func TestStaffStore(t *testing.T) {
	storetest.RunStaffStore(t, func(*testing.T) store.StaffStore { return memory.New() })
}

func TestIngestStore(t *testing.T) {
	storetest.RunIngestStore(t, func(t *testing.T) (store.IngestStore, func() store.IngestStore) {
		g := memory.NewIngest()
		return g, func() store.IngestStore { return g }
	})
}
