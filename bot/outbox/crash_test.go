package outbox_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/postgres"
	"github.com/diskum-tangerang/umkmbot/store/postgres/pgtest"
	redisstore "github.com/diskum-tangerang/umkmbot/store/redis"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
)

// The environment of TestHelperSenderProcess, set by TestCrashSafety.
const (
	envDB     = "UMKMBOT_OUTBOX_HELPER_DB"
	envPrefix = "UMKMBOT_OUTBOX_HELPER_PREFIX"
	envAPI    = "UMKMBOT_OUTBOX_HELPER_API"
	envWorker = "UMKMBOT_OUTBOX_HELPER_WORKER"
)

// TestHelperSenderProcess is not a test: run by TestCrashSafety as a child
// process (this test binary again), it is a sender process on the
// parent's database, Redis prefix and fake Bot API, until it is killed.
func TestHelperSenderProcess(t *testing.T) {
	dbURL := os.Getenv(envDB)
	if dbURL == "" {
		t.Skip("the sender process of TestCrashSafety")
	}
	// A child whose parent died must not run for ever.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// Named after the worker, so that the parent can see when the
	// process's sessions are gone (gone).
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("application_name", os.Getenv(envWorker))
	u.RawQuery = q.Encode()
	db, err := postgres.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rdb, err := redisstore.NewClient(ctx, redistest.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	s := newSender(db, rdb, os.Getenv(envPrefix), os.Getenv(envAPI), os.Getenv(envWorker), t)
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
}

// kill is what TestCrashSafety saw at one SIGKILL.
type kill struct {
	at       time.Time
	finished int // rows sent or blocked
	inFlight int // rows the killed process held (status sending)
	dups     int // owners who got the campaign twice across this kill
}

// TestCrashSafety kills the sender process with SIGKILL twice in the
// middle of a 2,000-owner campaign and starts a new one each time: no
// owner is missed, and the duplicates of each kill are at most the rows
// the killed process held.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("a 25-second campaign with two crashes")
	}
	const owners = 2000
	e := newEnv(t)
	e.seedOwners(t, owners)
	blocked := e.blockSome(owners)
	c := e.campaign(t, "Siaran yang selamat dari crash", owners)
	var dbName string
	if err := e.db.Pool().QueryRow(t.Context(), "SELECT current_database()").Scan(&dbName); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), envDB+"="+pgtest.WithDatabase(pgtest.URL(), dbName), envPrefix+"="+e.prefix,
		envAPI+"="+e.fake.URL)

	var kills []kill
	for i, share := range []float64{0.3, 0.6, 1} {
		child := startChild(t, append(env, fmt.Sprintf("%s=child-%d", envWorker, i+1)))
		if share == 1 {
			e.waitDone(t, c.ID, 180*time.Second)
			break
		}
		target := int(share * owners)
		waitFor(t, 60*time.Second, fmt.Sprintf("%d rows sent", target), func() bool {
			return e.count(t, "sent", "blocked") >= target
		})
		// Kill just after the fake answered a message: the worst moment,
		// when the child has sent it and not yet recorded it.
		e.fake.WaitCount("sendMessage", e.fake.Count("sendMessage")+1, 2*time.Second)
		k := kill{at: time.Now()}
		if err := child.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = child.Wait()
		// Statements the child sent just before dying may still commit.
		e.gone(t, fmt.Sprintf("child-%d", i+1))
		k.finished, k.inFlight = e.count(t, "sent", "blocked"), e.count(t, "sending")
		kills = append(kills, k)
	}

	e.checkDelivery(t, c, owners, blocked)
	// A duplicate belongs to the kill that came between its two copies.
	for chat := range e.fake.SentCounts() {
		msgs := e.fake.Sent(chat)
		for j := 1; j < len(msgs); j++ {
			for k := range kills {
				if msgs[0].Time.Before(kills[k].at) && msgs[j].Time.After(kills[k].at) {
					kills[k].dups++
					break
				}
			}
		}
	}
	for i, k := range kills {
		t.Logf("kill %d at %d/%d rows finished: %d rows in flight (status sending), %d duplicates", i+1,
			k.finished, owners, k.inFlight, k.dups)
		if k.dups > k.inFlight {
			t.Errorf("kill %d: %d duplicates, more than the %d rows in flight", i+1, k.dups, k.inFlight)
		}
	}
}

// startChild starts this test binary as a sender process; the test's end
// kills it if it still runs.
func startChild(t testing.TB, env []string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSenderProcess$", "-test.count=1")
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		if t.Failed() && out.Len() > 0 {
			t.Logf("sender process output:\n%s", strings.TrimSpace(out.String()))
		}
	})
	return cmd
}

// twoSenders runs a campaign to owners on two sender processes, replicas
// a and b; with killAt > 0, a is killed with SIGKILL once that share of it
// is done, and not restarted. It returns when the campaign is done.
func twoSenders(tb testing.TB, owners int, killAt float64) (env, store.Campaign, kill) {
	e := newEnv(tb)
	e.seedOwners(tb, owners)
	c := e.campaign(tb, "Siaran untuk dua pengirim", owners)
	var dbName string
	if err := e.db.Pool().QueryRow(tb.Context(), "SELECT current_database()").Scan(&dbName); err != nil {
		tb.Fatal(err)
	}
	environ := append(os.Environ(), envDB+"="+pgtest.WithDatabase(pgtest.URL(), dbName), envPrefix+"="+e.prefix,
		envAPI+"="+e.fake.URL)
	a := startChild(tb, append(environ, envWorker+"=replica-a"))
	startChild(tb, append(environ, envWorker+"=replica-b"))
	var k kill
	if killAt > 0 {
		waitFor(tb, 60*time.Second, "the share before the kill", func() bool {
			return e.count(tb, "sent", "blocked") >= int(killAt*float64(owners))
		})
		if err := a.Process.Signal(syscall.SIGKILL); err != nil {
			tb.Fatal(err)
		}
		_ = a.Wait()
		e.gone(tb, "replica-a") // statements sent before dying may still commit
		k.finished, k.inFlight = e.count(tb, "sent", "blocked"), e.count(tb, "sending")
	}
	e.waitDone(tb, c.ID, 180*time.Second)
	for chat := range e.fake.SentCounts() {
		if n := len(e.fake.Sent(chat)); n > 1 {
			k.dups += n - 1
		}
	}
	return e, c, k
}

// TestSenderKilledOtherGoesOn is two replicas' senders sharing a 500-owner
// campaign; one is killed with SIGKILL at 30 % and not restarted. The other
// sends the rest, the dead one's claimed rows included once its heartbeat
// lapses: every owner once, duplicates at most the rows the dead one held.
// How long it takes is BenchmarkSenderKilled's.
func TestSenderKilledOtherGoesOn(t *testing.T) {
	if testing.Short() {
		t.Skip("a 500-owner campaign")
	}
	const owners = 500
	e, c, k := twoSenders(t, owners, 0.3)
	e.checkDelivery(t, c, owners, nil)
	t.Logf("killed at %d/%d rows: %d in flight, %d duplicates", k.finished, owners, k.inFlight, k.dups)
	if k.dups > k.inFlight {
		t.Errorf("%d duplicates, more than the %d rows in flight at the kill", k.dups, k.inFlight)
	}
}

// BenchmarkSenderKilled is TestSenderKilledOtherGoesOn's campaign as a
// measurement: seconds from its first message to its last, unkilled and
// with one sender killed at 30 %.
func BenchmarkSenderKilled(b *testing.B) {
	const owners = 500
	span := func(e env) float64 {
		var first, last time.Time
		for _, m := range e.fake.Messages() {
			if first.IsZero() || m.Time.Before(first) {
				first = m.Time
			}
			if m.Time.After(last) {
				last = m.Time
			}
		}
		return last.Sub(first).Seconds()
	}
	var alone, killed float64
	for range b.N {
		e, _, _ := twoSenders(b, owners, 0)
		alone += span(e)
		e, _, _ = twoSenders(b, owners, 0.3)
		killed += span(e)
	}
	b.ReportMetric(alone/float64(b.N), "s/unkilled")
	b.ReportMetric(killed/float64(b.N), "s/killed")
}

// gone waits until the database sessions of worker's process have ended
// (its last statements committed or rolled back).
func (e env) gone(tb testing.TB, worker string) {
	tb.Helper()
	waitFor(tb, 30*time.Second, "the killed sender's sessions to end", func() bool {
		var n int
		if err := e.db.Pool().QueryRow(tb.Context(),
			`SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, worker).Scan(&n); err != nil {
			tb.Fatal(err)
		}
		return n == 0
	})
}
