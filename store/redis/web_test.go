package redis_test

import (
	"context"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	redisstore "github.com/diskum-tangerang/umkmbot/store/redis"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
	"github.com/diskum-tangerang/umkmbot/store/storetest"
)

func TestWebAuthStore(t *testing.T) {
	storetest.RunWebAuthStore(t, func(t *testing.T) storetest.WebAuth {
		rdb, prefix := redistest.New(t)
		return storetest.WebAuth{Store: redisstore.NewWebAuth(rdb, prefix), Pass: func(d time.Duration) {
			passTime(t, rdb, prefix, d)
		}}
	})
}

// passTime makes d go by for the keys under prefix, as Redis sees them:
// every expiry comes d closer, and a key whose expiry passes is gone.
func passTime(t *testing.T, rdb goredis.UniversalClient, prefix string, d time.Duration) {
	t.Helper()
	ctx := context.Background()
	iter := rdb.Scan(ctx, 0, prefix+"*", 100).Iterator()
	for iter.Next(ctx) {
		key := iter.Val()
		left, err := rdb.PTTL(ctx, key).Result()
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case left < 0: // no expiry
		case left <= d:
			err = rdb.Del(ctx, key).Err()
		default:
			err = rdb.PExpire(ctx, key, left-d).Err()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
}
