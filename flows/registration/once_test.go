package registration_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/memory"
)

// saveData returns the callback data of the summary's Simpan button.
func saveData(t *testing.T, h *ft.Harness) string {
	t.Helper()
	for _, b := range h.Buttons(owner) {
		if h.Catalog.Label("id", b.Label) == "Simpan" {
			return b.Data
		}
	}
	t.Fatal("no Simpan button")
	return ""
}

func TestSimpanTwiceGivesOneRecord(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "summary")
	data := saveData(t, h)
	ft.Want(t, h.TapData(owner, data), "reg_saved", "menu_prompt")
	ft.Want(t, h.TapData(owner, data), "err_stale_button")
	ft.Want(t, h.Send(owner, "simpan"), "err_not_understood")
	if n := len(registrations(t, h, owner)); n != 1 {
		t.Fatalf("%d registrations", n)
	}
}

func TestConcurrentTapsGiveOneRecord(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "summary")
	data := saveData(t, h)
	var mu sync.Mutex
	var numbers []any
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for _, r := range h.TapData(owner, data) {
				if r.ID == "reg_saved" {
					mu.Lock()
					numbers = append(numbers, r.Data["Number"])
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	regs := registrations(t, h, owner)
	if len(regs) != 1 {
		t.Fatalf("8 taps: %d registrations, want 1", len(regs))
	}
	// A tap handled while the first confirmation is still on its way gets
	// that confirmation again (the reply owed, TestPendingRepliesGoOutFirst):
	// the harness runs the taps at once, where the bot would take one
	// chat's updates one after another. Never another number.
	if len(numbers) == 0 {
		t.Fatal("8 taps and no confirmation")
	}
	for _, n := range numbers {
		if n != regs[0].Number {
			t.Errorf("confirmation with number %v, want %s", n, regs[0].Number)
		}
	}
}

func TestRedeliveredUpdateGivesOneRecord(t *testing.T) {
	h := newHarness(t, nil, nil)
	reach(t, h, owner, "summary")
	u := flows.Update{ID: 990001, UserID: owner, ChatID: owner, Kind: flows.KindButton, Button: saveData(t, h)}
	ft.Want(t, h.Do(u), "reg_saved", "menu_prompt")
	if rs := h.Do(u); len(rs) != 0 {
		t.Fatalf("redelivery answered %q", ft.IDs(rs))
	}
	if n := len(registrations(t, h, owner)); n != 1 {
		t.Fatalf("%d registrations", n)
	}
}

// flaky is a session store whose next Commit fails once armed: the
// registration is written but the session is not, as when the process
// dies between the two.
type flaky struct {
	*memory.Store
	armed atomic.Bool
}

func (f *flaky) Commit(ctx context.Context, c *store.Claim, s *store.Session, o *store.Owed, ttl time.Duration) error {
	if f.armed.CompareAndSwap(true, false) {
		return errors.New("connection reset")
	}
	return f.Store.Commit(ctx, c, s, o, ttl)
}

func TestRetryAfterLostSessionGivesTheSameRecord(t *testing.T) {
	var h *ft.Harness
	mem := memory.New(memory.WithClock(func() time.Time { return h.Now() }))
	sessions := &flaky{Store: mem}
	h = newHarness(t, mem, sessions)
	reach(t, h, owner, "summary")
	u := flows.Update{ID: 990002, UserID: owner, ChatID: owner, Kind: flows.KindButton, Button: saveData(t, h)}
	sessions.armed.Store(true)
	ft.Want(t, h.Do(u), "err_unavailable")
	if n := len(registrations(t, h, owner)); n != 1 {
		t.Fatalf("%d registrations after the failed update", n)
	}
	// Telegram delivers the same update again; the session still holds
	// the run's key, so the store returns the first record.
	rs := h.Do(u)
	ft.Want(t, rs, "reg_saved", "menu_prompt")
	list := registrations(t, h, owner)
	if len(list) != 1 || rs[0].Data["Number"] != list[0].Number {
		t.Fatalf("registrations %+v, confirmed %v", list, rs[0].Data["Number"])
	}
	if n := len(audit(t, h, "register")); n != 1 {
		t.Errorf("%d register audit entries", n)
	}
}

// audit returns the audit entries with action.
func audit(t *testing.T, h *ft.Harness, action string) []store.AuditEntry {
	t.Helper()
	log, err := h.Store.AuditLog(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	var out []store.AuditEntry
	for _, e := range log {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}
