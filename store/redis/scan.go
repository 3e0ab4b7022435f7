package redis

import (
	"context"
	"sync"

	goredis "github.com/redis/go-redis/v9"
)

// ScanKeys calls fn, from one goroutine at a time, with each key matching
// pattern. A Cluster's SCAN sees one node only, so there every master is
// scanned. It is for start-up and tests, not for the hot path.
func ScanKeys(ctx context.Context, rdb goredis.UniversalClient, pattern string, fn func(key string)) error {
	scan := func(ctx context.Context, c goredis.Cmdable, fn func(string)) error {
		iter := c.Scan(ctx, 0, pattern, 1000).Iterator()
		for iter.Next(ctx) {
			fn(iter.Val())
		}
		return iter.Err()
	}
	cc, ok := rdb.(*goredis.ClusterClient)
	if !ok {
		return scan(ctx, rdb, fn)
	}
	var mu sync.Mutex
	return cc.ForEachMaster(ctx, func(ctx context.Context, node *goredis.Client) error {
		return scan(ctx, node, func(k string) {
			mu.Lock()
			defer mu.Unlock()
			fn(k)
		})
	})
}
