package redis_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	redisstore "github.com/diskum-tangerang/umkmbot/store/redis"
)

// kind is the client NewUniversalClient makes of the options.
func kind(o *goredis.UniversalOptions) string {
	switch {
	case o.MasterName != "":
		return "sentinel"
	case o.IsClusterMode || len(o.Addrs) > 1:
		return "cluster"
	}
	return "single"
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		name, url string
		kind      string
		addrs     string // fmt of Addrs
		master    string
		db        int
		user, pw  string
		tls       bool
		check     func(t *testing.T, o *goredis.UniversalOptions)
	}{
		{name: "single", url: "redis://127.0.0.1:6379/0", kind: "single", addrs: "[127.0.0.1:6379]"},
		{name: "single db and password", url: "redis://:s3cret@redis.local:6380/2", kind: "single",
			addrs: "[redis.local:6380]", db: 2, pw: "s3cret"},
		{name: "single user and TLS", url: "rediss://bot:s3cret@redis.local/1", kind: "single",
			addrs: "[redis.local:6379]", db: 1, user: "bot", pw: "s3cret", tls: true},
		{name: "single options", url: "redis://127.0.0.1:6379/0?dial_timeout=3&read_timeout=2s&pool_size=7",
			kind: "single", addrs: "[127.0.0.1:6379]", check: func(t *testing.T, o *goredis.UniversalOptions) {
				if o.DialTimeout != 3*time.Second || o.ReadTimeout != 2*time.Second || o.PoolSize != 7 {
					t.Errorf("dial %s read %s pool %d", o.DialTimeout, o.ReadTimeout, o.PoolSize)
				}
			}},
		{name: "unix socket", url: "unix:///run/redis/redis.sock?db=3", kind: "single",
			addrs: "[/run/redis/redis.sock]", db: 3, check: func(t *testing.T, o *goredis.UniversalOptions) {
				if o.Dialer == nil {
					t.Error("no unix dialer")
				}
			}},
		{name: "sentinel", url: "redis+sentinel://:s3cret@10.0.0.1:26379,10.0.0.2:26379,10.0.0.3/umkmbot",
			kind: "sentinel", addrs: "[10.0.0.1:26379 10.0.0.2:26379 10.0.0.3:26379]", master: "umkmbot", pw: "s3cret"},
		{name: "sentinel db and sentinel password", url: "redis+sentinel://s1:26379/mymaster/4?sentinel_password=sp4ss&dial_timeout=1s",
			kind: "sentinel", addrs: "[s1:26379]", master: "mymaster", db: 4,
			check: func(t *testing.T, o *goredis.UniversalOptions) {
				if o.SentinelPassword != "sp4ss" || o.DialTimeout != time.Second {
					t.Errorf("sentinel password %q dial %s", o.SentinelPassword, o.DialTimeout)
				}
			}},
		{name: "sentinel TLS, one sentinel", url: "rediss+sentinel://bot:pw%2Cx@[::1]:26380/m", kind: "sentinel",
			addrs: "[[::1]:26380]", master: "m", user: "bot", pw: "pw,x", tls: true},
		{name: "cluster scheme", url: "redis+cluster://:s3cret@h1:7000,h2:7001,h3", kind: "cluster",
			addrs: "[h1:7000 h2:7001 h3:6379]", pw: "s3cret"},
		{name: "cluster scheme, one seed", url: "rediss+cluster://h1:7000/0?pool_size=3", kind: "cluster",
			addrs: "[h1:7000]", tls: true},
		{name: "cluster URL list", url: "redis://:s3cret@h1:7000,redis://:s3cret@h2:7001,redis://h3:7002", kind: "cluster",
			addrs: "[h1:7000 h2:7001 h3:7002]", pw: "s3cret"},
		{name: "cluster host list", url: "redis://h1:7000,h2:7001", kind: "cluster", addrs: "[h1:7000 h2:7001]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := redisstore.ParseURL(tt.url)
			if err != nil {
				t.Fatalf("ParseURL: %v", err)
			}
			if got := kind(o); got != tt.kind {
				t.Errorf("kind %s, want %s", got, tt.kind)
			}
			if got := fmt.Sprint(o.Addrs); got != tt.addrs {
				t.Errorf("Addrs %s, want %s", got, tt.addrs)
			}
			if o.MasterName != tt.master || o.DB != tt.db || o.Username != tt.user || o.Password != tt.pw {
				t.Errorf("master %q db %d user %q password %q; want %q %d %q %q",
					o.MasterName, o.DB, o.Username, o.Password, tt.master, tt.db, tt.user, tt.pw)
			}
			if (o.TLSConfig != nil) != tt.tls {
				t.Errorf("TLS %v, want %v", o.TLSConfig != nil, tt.tls)
			}
			if tt.check != nil {
				tt.check(t, o)
			}
		})
	}
}

func TestParseURLErrors(t *testing.T) {
	tests := []struct{ name, url, want string }{
		{"no scheme", "127.0.0.1:6379", "no scheme"},
		{"bad scheme", "http://:hunter2pw@127.0.0.1:6379/0", "unknown URL scheme"},
		{"single unknown option", "redis://:hunter2pw@127.0.0.1:6379/0?bogus=1", "bogus"},
		{"single unparsable", "redis://:hunter2pw@127.0.0.1:port/0", "does not parse"},
		{"sentinel without master", "redis+sentinel://:hunter2pw@s1:26379", "master name"},
		{"sentinel path too long", "redis+sentinel://:hunter2pw@s1/m/0/x", "master name"},
		{"sentinel bad db", "redis+sentinel://:hunter2pw@s1/m/x", "not a number"},
		{"sentinel unknown option", "redis+sentinel://:hunter2pw@s1/m?bogus=1", "bogus"},
		{"sentinel bad timeout", "redis+sentinel://s1/m?dial_timeout=soon&sentinel_password=hunter2pw", "dial_timeout"},
		{"cluster db", "redis+cluster://:hunter2pw@h1:7000,h2:7001/3", "only database 0"},
		{"cluster sentinel option", "redis+cluster://h1:7000?sentinel_password=hunter2pw", "sentinel URLs only"},
		{"cluster bad port", "redis+cluster://:hunter2pw@h1:70000,h2:7001", "bad port"},
		{"cluster empty host", "redis+cluster://:hunter2pw@h1:7000,,h2:7001", "empty host"},
		{"list with a db", "redis://:hunter2pw@h1:7000/1,redis://:hunter2pw@h2:7001/1", "database 1"},
		{"list mixing TLS", "redis://:hunter2pw@h1:7000,rediss://:hunter2pw@h2:7001", "mixes"},
		{"list of two passwords", "redis://:hunter2pw@h1:7000,redis://:other@h2:7001", "different"},
		{"list with another scheme", "redis://:hunter2pw@h1:7000,http://h2:7001", "not a redis"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := redisstore.ParseURL(tt.url)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "hunter2pw") {
				t.Errorf("error reveals the password: %v", err)
			}
		})
	}
}
