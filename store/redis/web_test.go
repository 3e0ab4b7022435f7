package redis_test

import (
	"testing"
	"time"

	redisstore "github.com/diskum-tangerang/umkmbot/store/redis"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
	"github.com/diskum-tangerang/umkmbot/store/storetest"
)

func TestWebAuthStore(t *testing.T) {
	storetest.RunWebAuthStore(t, func(t *testing.T) storetest.WebAuth {
		rdb, prefix := redistest.New(t)
		return storetest.WebAuth{Store: redisstore.NewWebAuth(rdb, prefix), Pass: time.Sleep}
	})
}
