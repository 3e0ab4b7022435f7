package broadcast_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/broadcast"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	ft "github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/memory"
)

const (
	staff  = 9001
	owner1 = 1001 // Cikupa, kuliner
	owner2 = 1002 // Cikupa, fesyen
	owner3 = 1003 // Balaraja, kuliner
)

// countingCamps records every CreateCampaign call on the way to the memory
// store.
type countingCamps struct {
	store.CampaignStore
	mu      sync.Mutex
	created []store.Campaign
}

func (c *countingCamps) CreateCampaign(ctx context.Context, camp store.Campaign) (store.Campaign, int, error) {
	c.mu.Lock()
	c.created = append(c.created, camp)
	c.mu.Unlock()
	return c.CampaignStore.CreateCampaign(ctx, camp)
}

func (c *countingCamps) calls() []store.Campaign {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]store.Campaign(nil), c.created...)
}

// fixture is a harness with the broadcast flows on the memory store, one
// staff member and three registered owners.
type fixture struct {
	h     *ft.Harness
	camps *countingCamps
	out   *memory.Outbox
}

func kec(t testing.TB, name string) string {
	t.Helper()
	k, err := field.MatchKecamatan(name)
	if err != nil {
		t.Fatalf("kecamatan %s: %v", name, err)
	}
	return k.Code
}

func newFixture(t testing.TB, opt broadcast.Options) *fixture {
	t.Helper()
	f := &fixture{}
	f.h = ft.New(t, ft.Options{StopFlow: broadcast.StopAsk, Flows: func(h *ft.Harness) []*flows.Flow {
		f.out = h.Store.Outbox()
		f.camps = &countingCamps{CampaignStore: f.out}
		if opt.Owners == nil {
			opt.Owners = h.Store
		}
		return broadcast.New(f.camps, opt)
	}})
	f.h.Staff[staff] = true
	for _, o := range []struct {
		id          int64
		kec, sector string
	}{{owner1, "Cikupa", "kuliner"}, {owner2, "Cikupa", "fesyen"}, {owner3, "Balaraja", "kuliner"}} {
		_, _, err := f.h.Store.CreateRegistration(context.Background(), fmt.Sprint("key", o.id), store.Registration{
			UserID: o.id, NIK: fmt.Sprintf("36030141019%05d", o.id), BusinessName: fmt.Sprint("Usaha ", o.id),
			Sector: o.sector, Kecamatan: kec(t, o.kec)})
		if err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// sendHTML sends text as the staff with the HTML the transport made of it.
func (f *fixture) sendHTML(text, html string) []flows.Reply {
	u := flows.NewText(staff, staff, text)
	u.HTML, u.LanguageCode = html, "id"
	return f.h.Do(u)
}

// toConfirm composes an announcement without a button to all owners and
// stops at the confirmation; it returns the replies of the last step.
func (f *fixture) toConfirm(t testing.TB) []flows.Reply {
	t.Helper()
	ft.Want(t, f.h.Send(staff, "/siaran"), "bc_ask_text")
	ft.Want(t, f.sendHTML("Bazar UMKM", "<b>Bazar UMKM</b>"), "bc_ask_button")
	ft.Want(t, f.h.TapLabel(staff, "Tanpa tombol"), "bc_ask_audience")
	rs := f.h.TapLabel(staff, "Semua pemilik usaha")
	ft.Want(t, rs, "bc_preview_intro", "bc_message", "bc_confirm")
	return rs
}

// plain renders replies in Indonesian, whatever their language.
func (f *fixture) plain(rs []flows.Reply) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(f.h.Catalog.Plain("id", r.Text) + "\n")
	}
	return b.String()
}

func contains(t testing.TB, got, want string) {
	t.Helper()
	if !strings.Contains(got, want) {
		t.Fatalf("%q\nlacks %q", got, want)
	}
}
