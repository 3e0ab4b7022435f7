package memory_test

import (
	"testing"

	"github.com/diskum-tangerang/umkmbot/store/memory"
	"github.com/diskum-tangerang/umkmbot/store/storetest"
)

func TestTrainingStore(t *testing.T) {
	storetest.RunTrainingStore(t, func(*testing.T) storetest.TrainingStores {
		s := memory.New()
		// No Restart: the data lives in the process.
		return storetest.TrainingStores{Trainings: s, Outbox: s.Outbox(), Registrations: s}
	})
}
