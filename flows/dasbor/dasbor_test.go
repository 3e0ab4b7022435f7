package dasbor_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/dasbor"
	"github.com/diskum-tangerang/umkmbot/flows/flowstest"
	"github.com/diskum-tangerang/umkmbot/store"
)

// links gives numbered links, then refuses like the dashboard past its
// limit, or fails.
type links struct {
	n, limit int
	err      error
}

func (l *links) LoginLink(_ context.Context, staff int64) (string, time.Time, error) {
	if l.err != nil {
		return "", time.Time{}, l.err
	}
	if l.n++; l.n > l.limit {
		return "", time.Time{}, fmt.Errorf("dashboard: too many login links: %w", store.ErrFull)
	}
	return fmt.Sprintf("https://dasbor.example/masuk?t=%d-%d", staff, l.n), time.Time{}, nil
}

func TestDasbor(t *testing.T) {
	l := &links{limit: 2}
	h := flowstest.New(t, flowstest.Options{}, dasbor.New(l))
	h.Staff[9001] = true

	// Not staff: the unknown-command answer, and no link made.
	flowstest.Want(t, h.Send(1001, "/dasbor"), "err_unknown_command")
	if l.n != 0 {
		t.Fatalf("a link was made for a non-staff user")
	}

	r := flowstest.Has(t, h.Send(9001, "/dasbor"), "dash_link")
	if r.Data["URL"] != "https://dasbor.example/masuk?t=9001-1" || len(r.Buttons) != 1 ||
		r.Buttons[0][0].URL != r.Data["URL"] {
		t.Errorf("link reply %+v", r)
	}
	if text := h.Plain([]flows.Reply{r}); !strings.Contains(text, "https://dasbor.example/masuk?t=9001-1") ||
		!strings.Contains(text, "10 menit") {
		t.Errorf("link message reads %q", text)
	}
	flowstest.Want(t, h.Send(9001, "/dasbor"), "dash_link")
	flowstest.Want(t, h.Send(9001, "/dasbor"), "dash_too_many")

	// An internal error is the generic apology, never a link.
	l.err = errors.New("redis down")
	if rs := h.Send(9001, "/dasbor"); len(rs) == 0 || rs[0].ID == "dash_link" {
		t.Errorf("with the store down: %v", flowstest.IDs(rs))
	}

	// Without a dashboard (chat on memory stores) it says so.
	off := flowstest.New(t, flowstest.Options{}, dasbor.New(nil))
	off.Staff[9001] = true
	rs := off.Send(9001, "/dasbor")
	flowstest.Want(t, rs, "dash_off")
	if !strings.Contains(off.Plain(rs), "basis data") {
		t.Errorf("dash_off reads %q", off.Plain(rs))
	}
}
