package memory_test

import (
	"testing"

	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/memory"
	"github.com/diskum-tangerang/umkmbot/store/storetest"
)

func TestRegistrationStore(t *testing.T) {
	storetest.RunRegistrationStore(t, func(*testing.T) store.RegistrationStore { return memory.New() })
}
