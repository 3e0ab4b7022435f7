package redistest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	redisstore "github.com/diskum-tangerang/umkmbot/store/redis"
)

// Cluster starts a Redis Cluster of three masters (no replicas) on
// loopback from the redis-server and redis-cli on PATH (Debian's
// redis-server package), in a temporary directory, on free high ports,
// keeping nothing on disk. It returns its REDIS_URL
// ("redis+cluster://127.0.0.1:<a>,...") and a client of it through
// NewClient; the client is closed and the servers killed when the test
// ends. Without redis-server the test is skipped, or fails when CI=true.
func Cluster(t testing.TB) (goredis.UniversalClient, string) {
	t.Helper()
	server, err := exec.LookPath("redis-server")
	if err != nil {
		Unavailable(t, fmt.Errorf("no redis-server on PATH for a cluster: %w", err))
	}
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		Unavailable(t, fmt.Errorf("no redis-cli on PATH for a cluster: %w", err))
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	ports := freePorts(t, 3)
	addrs := make([]string, len(ports))
	for i, p := range ports {
		addrs[i] = "127.0.0.1:" + strconv.Itoa(p)
		startNode(t, server, dir, p)
	}
	for _, a := range addrs {
		if err := waitPing(ctx, a); err != nil {
			t.Fatalf("cluster node %s: %v (log: %s)", a, err, nodeLog(dir, a))
		}
	}
	args := append([]string{"--cluster", "create"}, addrs...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	out, err := exec.CommandContext(ctx, cli, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	for _, a := range addrs {
		if err := waitClusterOK(ctx, a); err != nil {
			t.Fatalf("cluster node %s: %v", a, err)
		}
	}
	url := "redis+cluster://" + strings.Join(addrs, ",")
	rdb, err := redisstore.NewClient(ctx, url)
	if err != nil {
		t.Fatalf("cluster client: %v", err)
	}
	t.Cleanup(func() { rdb.Close() })
	return rdb, url
}

// freePorts picks n ports p (in 20000-54999) such that p and its cluster
// bus port p+10000 are both free now.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var out []int
	for tries := 0; len(out) < n; tries++ {
		if tries > 200 {
			t.Fatal("no free port pairs for a cluster")
		}
		p := 20000 + rand.IntN(35000)
		if free(p) && free(p+10000) && !contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v || x+10000 == v || v+10000 == x {
			return true
		}
	}
	return false
}

func free(port int) bool {
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// startNode runs one cluster-enabled redis-server, killed at the test's end.
func startNode(t testing.TB, server, dir string, port int) {
	t.Helper()
	p := strconv.Itoa(port)
	cmd := exec.Command(server,
		"--port", p, "--bind", "127.0.0.1", "--protected-mode", "no", "--daemonize", "no",
		"--cluster-enabled", "yes", "--cluster-config-file", "nodes-"+p+".conf",
		"--cluster-node-timeout", "5000", "--dir", dir, "--save", "", "--appendonly", "no",
		"--logfile", filepath.Join(dir, p+".log"))
	if err := cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
}

func nodeLog(dir, addr string) string {
	_, port, _ := strings.Cut(addr, ":")
	b, _ := os.ReadFile(filepath.Join(dir, port+".log"))
	return string(bytes.TrimSpace(b))
}

// waitPing waits until the node answers PING.
func waitPing(ctx context.Context, addr string) error {
	c := goredis.NewClient(&goredis.Options{Addr: addr, MaxRetries: -1, DialTimeout: time.Second})
	defer c.Close()
	return poll(ctx, func() error { return c.Ping(ctx).Err() })
}

// waitClusterOK waits until the node says cluster_state:ok.
func waitClusterOK(ctx context.Context, addr string) error {
	c := goredis.NewClient(&goredis.Options{Addr: addr, MaxRetries: -1})
	defer c.Close()
	return poll(ctx, func() error {
		info, err := c.ClusterInfo(ctx).Result()
		if err != nil {
			return err
		}
		if !strings.Contains(info, "cluster_state:ok") {
			return errors.New("cluster_state is not ok")
		}
		return nil
	})
}

// poll calls f until it succeeds or ctx ends, backing off from 10 ms: it
// waits for a server process to come up, which nothing announces.
func poll(ctx context.Context, f func() error) error {
	wait := 10 * time.Millisecond
	for {
		err := f()
		if err == nil {
			return nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%w (last: %v)", ctx.Err(), err)
		case <-t.C:
		}
		wait = min(2*wait, 200*time.Millisecond)
	}
}
