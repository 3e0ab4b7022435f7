package redis

import (
	"context"
	"strings"

	goredis "github.com/redis/go-redis/v9"
)

// Scripts are every Lua script of the package, by name, for the hash-slot
// test; TestScriptsAreListed fails when one is missing.
var Scripts = map[string]*goredis.Script{
	"claim": claimScript, "commit": commitScript, "renew": renewScript, "abort": abortScript,
	"setOwed": setOwedScript, "record": recordScript, "limiterWait": limiterWait,
	"limiterPause": limiterPause, "attempts": attemptsScript,
	"balance": balanceScript, "release": releaseScript, "lead": leadScript, "limiterSpent": limiterSpent,
}

// OwedKeyOf is the key of chat's owed record in s.
func OwedKeyOf(s *Store, chat int64) string { return s.owedKey(chat) }

// Lapse makes replica's renewals lapse at once (storetest.NewPartitioned):
// its leases and polling lease gone, it off the live set, its last renewal
// as if long ago — what they are once their TTLs passed.
func Lapse(t interface{ Fatal(...any) }, g *Ingest, replica string) {
	ctx := context.Background()
	keys := []string{g.key("poll")}
	for p := range g.parts {
		keys = append(keys, g.leaseKey(p))
	}
	for _, k := range keys {
		if v, _ := g.rdb.Get(ctx, k).Result(); v == replica {
			if err := g.rdb.Del(ctx, k).Err(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := g.rdb.ZRem(ctx, g.key("alive"), replica).Err(); err != nil {
		t.Fatal(err)
	}
	if seen, err := g.rdb.HGet(ctx, g.key("nonce"), replica).Result(); err == nil {
		nonce, _, _ := strings.Cut(seen, " ")
		if err := g.rdb.HSet(ctx, g.key("nonce"), replica, nonce+" 0").Err(); err != nil {
			t.Fatal(err)
		}
	}
}
