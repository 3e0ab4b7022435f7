package redis

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// The forms of REDIS_URL that ParseURL reads:
//
//	redis://[[user]:password@]host:port[/db][?option=value&...]   one server (rediss:// for TLS,
//	unix://[[user]:password@]/path/to/socket[?db=N]                unix:// for a socket)
//	redis+sentinel://[[user]:password@]h1:26379,h2:26379/master[/db][?option=value&...]
//	redis+cluster://[[user]:password@]h1:7000,h2:7001[?option=value&...]
//	redis://[[user]:password@]h1:7000,redis://h2:7001,...          also a Cluster
//
// A Sentinel URL lists the Sentinels (port 26379 when left out) and names
// the master; its user and password are the master's (and its replicas'),
// the Sentinels' own, when they have one, go in the options
// sentinel_username and sentinel_password. A Cluster URL lists some of the
// nodes (port 6379 when left out); the client finds the rest. A Cluster
// has one database, 0. "rediss+sentinel" and "rediss+cluster" use TLS.
// The options of the one-server form are go-redis's (redis.ParseURL); the
// Sentinel and Cluster forms take dial_timeout, read_timeout,
// write_timeout (a Go duration, or seconds), pool_size, max_retries and
// client_name, and Sentinel also sentinel_username, sentinel_password. A
// password holding "," "@" "/" or ":" must be percent-encoded.

// ParseURL reads a REDIS_URL in one of the forms above into options for
// goredis.NewUniversalClient: one Addr for one server, MasterName set for
// Sentinel, IsClusterMode set for a Cluster. Its errors never contain the
// URL's passwords.
func ParseURL(raw string) (*goredis.UniversalOptions, error) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return nil, errors.New("redis: the URL has no scheme (redis://, rediss://, redis+sentinel://, redis+cluster://)")
	}
	var (
		o   *goredis.UniversalOptions
		err error
	)
	switch scheme {
	case "redis+sentinel", "rediss+sentinel":
		o, err = parseMulti(scheme, rest, true)
	case "redis+cluster", "rediss+cluster":
		o, err = parseMulti(scheme, rest, false)
	case "redis", "rediss":
		if strings.Contains(raw, ",") {
			o, err = parseList(raw)
		} else {
			o, err = parseSingle(raw)
		}
	case "unix":
		o, err = parseSingle(raw)
	default:
		return nil, fmt.Errorf("redis: unknown URL scheme %q (want redis, rediss, unix, redis+sentinel or redis+cluster)", scheme)
	}
	if err != nil {
		return nil, errors.New(scrubAll(err.Error(), raw))
	}
	return o, nil
}

// parseSingle reads the one-server form with go-redis's own parser.
func parseSingle(raw string) (*goredis.UniversalOptions, error) {
	if _, err := url.Parse(raw); err != nil {
		// url.Error quotes the whole URL, password included: say less.
		return nil, errors.New("redis: the URL does not parse")
	}
	opt, err := goredis.ParseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("redis: invalid URL %s: %s", redact(raw), strings.TrimPrefix(err.Error(), "redis: "))
	}
	u := &goredis.UniversalOptions{
		Addrs: []string{opt.Addr}, DB: opt.DB, Username: opt.Username, Password: opt.Password,
		TLSConfig: opt.TLSConfig, ClientName: opt.ClientName, Protocol: opt.Protocol,
		MaxRetries: opt.MaxRetries, MinRetryBackoff: opt.MinRetryBackoff, MaxRetryBackoff: opt.MaxRetryBackoff,
		DialTimeout: opt.DialTimeout, ReadTimeout: opt.ReadTimeout, WriteTimeout: opt.WriteTimeout,
		PoolFIFO: opt.PoolFIFO, PoolSize: opt.PoolSize, PoolTimeout: opt.PoolTimeout,
		MinIdleConns: opt.MinIdleConns, MaxIdleConns: opt.MaxIdleConns, MaxActiveConns: opt.MaxActiveConns,
		ConnMaxIdleTime: opt.ConnMaxIdleTime, ConnMaxLifetime: opt.ConnMaxLifetime,
		DisableIdentity: opt.DisableIdentity, IdentitySuffix: opt.IdentitySuffix,
	}
	if opt.Network == "unix" {
		// UniversalOptions has no network: dial the socket whatever it is told.
		path := opt.Addr
		u.Dialer = func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", path)
		}
	}
	return u, nil
}

// parseList reads "redis://h1:7000,redis://h2:7001,..." (each element a
// one-server URL) or "redis://h1:7000,h2:7001" as a Cluster.
func parseList(raw string) (*goredis.UniversalOptions, error) {
	parts := strings.Split(raw, ",")
	if !strings.Contains(parts[1], "://") {
		scheme, rest, _ := strings.Cut(raw, "://")
		return parseMulti(scheme+"+cluster", rest, false)
	}
	var o *goredis.UniversalOptions
	for i, p := range parts {
		if !strings.HasPrefix(p, "redis://") && !strings.HasPrefix(p, "rediss://") {
			return nil, fmt.Errorf("redis: element %d of the URL list is not a redis:// or rediss:// URL", i+1)
		}
		one, err := parseSingle(p)
		if err != nil {
			return nil, fmt.Errorf("element %d of the URL list: %w", i+1, err)
		}
		if one.DB != 0 {
			return nil, fmt.Errorf("redis: element %d of the URL list selects database %d; a Cluster has only 0", i+1, one.DB)
		}
		if o == nil {
			o = one
			o.IsClusterMode = true
			if o.TLSConfig != nil {
				// Each node is verified under its own name.
				o.TLSConfig.ServerName = ""
			}
			continue
		}
		if (one.TLSConfig != nil) != (o.TLSConfig != nil) {
			return nil, errors.New("redis: the URL list mixes redis:// and rediss://")
		}
		if one.Username != "" || one.Password != "" {
			if one.Username != o.Username || one.Password != o.Password {
				return nil, errors.New("redis: the URL list names different users or passwords")
			}
		}
		o.Addrs = append(o.Addrs, one.Addrs[0])
	}
	return o, nil
}

// parseMulti reads the part after "scheme://" of a Sentinel or Cluster URL:
// [[user]:password@]host[:port],host[:port]...[/path][?query].
func parseMulti(scheme, rest string, sentinel bool) (*goredis.UniversalOptions, error) {
	what, port := "cluster", "6379"
	if sentinel {
		what, port = "sentinel", "26379"
	}
	o := &goredis.UniversalOptions{}
	rest, query, _ := strings.Cut(rest, "?")
	authority, path, _ := strings.Cut(rest, "/")
	if at := strings.LastIndex(authority, "@"); at >= 0 {
		u, err := url.Parse("x://" + authority[:at] + "@h")
		if err != nil || u.User == nil {
			return nil, fmt.Errorf("redis: the user and password of the %s URL do not parse (percent-encode them)", what)
		}
		o.Username = u.User.Username()
		o.Password, _ = u.User.Password()
		authority = authority[at+1:]
	}
	for h := range strings.SplitSeq(authority, ",") {
		if h == "" {
			return nil, fmt.Errorf("redis: an empty host in the %s URL", what)
		}
		if _, _, err := net.SplitHostPort(h); err != nil {
			h = net.JoinHostPort(strings.Trim(h, "[]"), port)
		}
		host, p, err := net.SplitHostPort(h)
		if err != nil || host == "" {
			return nil, fmt.Errorf("redis: host %q of the %s URL: want host or host:port", h, what)
		}
		if n, err := strconv.Atoi(p); err != nil || n <= 0 || n > 65535 {
			return nil, fmt.Errorf("redis: host %q of the %s URL: bad port", h, what)
		}
		o.Addrs = append(o.Addrs, h)
	}
	segs := strings.FieldsFunc(path, func(r rune) bool { return r == '/' })
	if sentinel {
		if len(segs) == 0 || len(segs) > 2 {
			return nil, errors.New("redis: a sentinel URL ends in /<master name>[/<db>]")
		}
		o.MasterName = segs[0]
		segs = segs[1:]
	} else {
		o.IsClusterMode = true
	}
	if len(segs) > 1 {
		return nil, fmt.Errorf("redis: the %s URL's path has too many parts", what)
	}
	if len(segs) == 1 {
		db, err := strconv.Atoi(segs[0])
		if err != nil || db < 0 {
			return nil, fmt.Errorf("redis: database %q of the %s URL is not a number", segs[0], what)
		}
		if !sentinel && db != 0 {
			return nil, fmt.Errorf("redis: a Cluster has only database 0, not %d", db)
		}
		o.DB = db
	}
	if strings.HasPrefix(scheme, "rediss") {
		o.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if err := multiOptions(o, query, sentinel, what); err != nil {
		return nil, err
	}
	return o, nil
}

// multiOptions applies the query options of a Sentinel or Cluster URL.
func multiOptions(o *goredis.UniversalOptions, query string, sentinel bool, what string) error {
	q, err := url.ParseQuery(query)
	if err != nil {
		return fmt.Errorf("redis: the options of the %s URL do not parse", what)
	}
	dur := func(k, v string) (time.Duration, error) {
		if n, err := strconv.Atoi(v); err == nil {
			return time.Duration(n) * time.Second, nil
		}
		d, err := time.ParseDuration(v)
		if err != nil {
			return 0, fmt.Errorf("redis: option %s=%q is not a duration", k, v)
		}
		return d, nil
	}
	num := func(k, v string) (int, error) {
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, fmt.Errorf("redis: option %s=%q is not a number", k, v)
		}
		return n, nil
	}
	for k, vs := range q {
		v := vs[len(vs)-1]
		var err error
		switch k {
		case "dial_timeout":
			o.DialTimeout, err = dur(k, v)
		case "read_timeout":
			o.ReadTimeout, err = dur(k, v)
		case "write_timeout":
			o.WriteTimeout, err = dur(k, v)
		case "pool_size":
			o.PoolSize, err = num(k, v)
		case "max_retries":
			o.MaxRetries, err = num(k, v)
		case "client_name":
			o.ClientName = v
		case "sentinel_username", "sentinel_password":
			if !sentinel {
				return fmt.Errorf("redis: option %s is for sentinel URLs only", k)
			}
			if k == "sentinel_username" {
				o.SentinelUsername = v
			} else {
				o.SentinelPassword = v
			}
		default:
			return fmt.Errorf("redis: unknown option %q in the %s URL", k, what)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// NewClient opens a client from a REDIS_URL (see ParseURL): a single
// server, a Sentinel-watched master or a Cluster. It speaks RESP2 (cheaper
// per reply than RESP3's push-notification peek), honours context
// deadlines on socket I/O, and pings the server. The returned error never
// contains the URL's passwords.
func NewClient(ctx context.Context, rawURL string) (goredis.UniversalClient, error) {
	opt, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	opt.Protocol = 2
	opt.ContextTimeoutEnabled = true
	rdb := goredis.NewUniversalClient(opt)
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("redis: ping %s: %s", redact(rawURL), scrubAll(err.Error(), rawURL))
	}
	return rdb, nil
}

// redact returns rawURL with every password masked (the user info of each
// URL in a list, and a sentinel_password option).
func redact(rawURL string) string {
	parts := strings.Split(rawURL, ",")
	for i, p := range parts {
		parts[i] = redactOne(p)
	}
	return strings.Join(parts, ",")
}

func redactOne(p string) string {
	if _, rest, ok := strings.Cut(p, "://"); ok {
		authority := rest
		if j := strings.IndexAny(authority, "/?"); j >= 0 {
			authority = authority[:j]
		}
		if at := strings.LastIndex(authority, "@"); at >= 0 {
			if user, _, hasPw := strings.Cut(authority[:at], ":"); hasPw {
				start := len(p) - len(rest)
				p = p[:start] + user + ":xxxxx" + p[start+at:]
			}
		}
	}
	if q := strings.Index(p, "sentinel_password="); q >= 0 {
		end := strings.IndexByte(p[q:], '&')
		if end < 0 {
			end = len(p) - q
		}
		p = p[:q] + "sentinel_password=xxxxx" + p[q+end:]
	}
	return p
}

// scrubAll masks, wherever they occur in msg, the passwords rawURL holds:
// as written and percent-decoded.
func scrubAll(msg, rawURL string) string {
	for _, pw := range passwords(rawURL) {
		if len(pw) >= 3 {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
	}
	return msg
}

// passwords returns the password-like substrings of rawURL: each user
// info's part after ":" and each sentinel_password value, raw and decoded.
func passwords(rawURL string) []string {
	var out []string
	add := func(s string) {
		out = append(out, s)
		if d, err := url.PathUnescape(s); err == nil && d != s {
			out = append(out, d)
		}
	}
	for p := range strings.SplitSeq(rawURL, ",") {
		if _, rest, ok := strings.Cut(p, "://"); ok {
			if at := strings.LastIndex(rest, "@"); at >= 0 {
				if _, pw, ok := strings.Cut(rest[:at], ":"); ok {
					add(pw)
				}
			}
		}
		if _, v, ok := strings.Cut(p, "sentinel_password="); ok {
			v, _, _ = strings.Cut(v, "&")
			add(v)
		}
	}
	return out
}
