package redis

import (
	"context"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// leadScript takes the lease at KEYS[1] for ARGV[1] for ARGV[2] ms when it
// is free, renews it when ARGV[1] holds it, and says whether it does.
var leadScript = goredis.NewScript(`
local holder = redis.call("GET", KEYS[1])
if holder == ARGV[1] then
  redis.call("PEXPIRE", KEYS[1], ARGV[2])
  return 1
end
if not holder then
  redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
  return 1
end
return 0
`)

// Lead takes or renews a leader lease: it reports whether holder holds the
// lease at key now, for ttl more.
func Lead(ctx context.Context, rdb goredis.UniversalClient, key, holder string, ttl time.Duration) (bool, error) {
	n, err := leadScript.Run(ctx, rdb, []string{key}, holder, ttl.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("lease %s: %w", key, err)
	}
	return n == 1, nil
}
