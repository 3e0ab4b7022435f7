package redis_test

import (
	"crypto/rand"
	"testing"

	goredis "github.com/redis/go-redis/v9"

	"github.com/diskum-tangerang/umkmbot/store"
	redisstore "github.com/diskum-tangerang/umkmbot/store/redis"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
	"github.com/diskum-tangerang/umkmbot/store/storetest"
)

// TestCluster runs the session store's and the ingest's contract suites
// and every script of the package on a real three-node Redis Cluster
// started for the test (redistest.Cluster): a script or pipeline whose
// keys span hash slots fails there with CROSSSLOT, and a SCAN that looked
// at one node would miss keys.
func TestCluster(t *testing.T) {
	rdb, url := redistest.Cluster(t)
	if _, ok := rdb.(*goredis.ClusterClient); !ok {
		t.Fatalf("NewClient(%s) made a %T, want a cluster client", url, rdb)
	}
	prefix := func() string { return "test:" + rand.Text() + ":" }

	t.Run("KeySlot", func(t *testing.T) {
		for _, k := range []string{"somekey", "test:X:sess:{42}", "test:X:{ingest}:offset", "test:X:{rl}:chat:7", "a{}b"} {
			want, err := rdb.ClusterKeySlot(t.Context(), k).Result()
			if err != nil {
				t.Fatal(err)
			}
			if got := redistest.KeySlot(k); int64(got) != want {
				t.Errorf("KeySlot(%q) = %d, CLUSTER KEYSLOT says %d", k, got, want)
			}
		}
	})
	t.Run("Scripts", func(t *testing.T) {
		exercise(t, rdb, prefix())
	})
	t.Run("SessionStore", func(t *testing.T) {
		storetest.RunSessionStore(t, func(t *testing.T) store.SessionStore {
			return redisstore.New(rdb, prefix())
		})
	})
	t.Run("IngestStore", func(t *testing.T) {
		storetest.RunIngestStore(t, func(t *testing.T) (store.IngestStore, func() store.IngestStore) {
			p := prefix()
			open := func() store.IngestStore {
				g := redisstore.NewIngest(rdb, p, "bot")
				if err := g.Init(t.Context()); err != nil {
					t.Fatal(err)
				}
				return g
			}
			return open(), open
		})
	})
	t.Run("OwedChatsOnEveryNode", func(t *testing.T) {
		s := redisstore.New(rdb, prefix())
		want := map[int64]bool{}
		nodes := map[string]bool{}
		for chat := int64(1); chat <= 40; chat++ {
			if err := rdb.HSet(t.Context(), redisstore.OwedKeyOf(s, chat), "v", "1", "doc", `{"v":1}`).Err(); err != nil {
				t.Fatal(err)
			}
			want[chat] = true
			n, err := rdb.ClusterKeySlot(t.Context(), redisstore.OwedKeyOf(s, chat)).Result()
			if err != nil {
				t.Fatal(err)
			}
			nodes[slotOwner(t, rdb, n)] = true
		}
		if len(nodes) < 2 {
			t.Fatalf("the owed keys are on %d node(s); the test needs them spread", len(nodes))
		}
		got, err := s.OwedChats(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range got {
			delete(want, c)
		}
		if len(want) != 0 || len(got) != 40 {
			t.Errorf("OwedChats found %d chats, missed %d", len(got), len(want))
		}
	})
}

// slotOwner is the address of the master serving slot.
func slotOwner(t *testing.T, rdb goredis.UniversalClient, slot int64) string {
	t.Helper()
	ranges, err := rdb.ClusterSlots(t.Context()).Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range ranges {
		if int64(r.Start) <= slot && slot <= int64(r.End) && len(r.Nodes) > 0 {
			return r.Nodes[0].Addr
		}
	}
	t.Fatalf("no node serves slot %d", slot)
	return ""
}
