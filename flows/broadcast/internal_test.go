package broadcast

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
)

func TestStartAt(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, wib) }
	def := Options{}.withDefaults()
	day := Options{QuietFrom: TimeOfDay{12, 0}, QuietTo: TimeOfDay{13, 30}}.withDefaults()
	off := Options{QuietFrom: TimeOfDay{5, 0}, QuietTo: TimeOfDay{5, 0}}.withDefaults()
	tests := []struct {
		name string
		opt  Options
		now  time.Time
		want time.Time
	}{
		{"day time", def, at(27, 9, 0), at(27, 9, 0)},
		{"just before", def, at(27, 20, 59), at(27, 20, 59)},
		{"quiet starts", def, at(27, 21, 0), at(28, 6, 0)},
		{"late evening", def, at(27, 23, 45), at(28, 6, 0)},
		{"after midnight", def, at(28, 0, 10), at(28, 6, 0)},
		{"last quiet minute", def, at(28, 5, 59), at(28, 6, 0)},
		{"quiet ends", def, at(28, 6, 0), at(28, 6, 0)},
		{"month end", def, at(30, 22, 0), time.Date(2026, 12, 1, 6, 0, 0, 0, wib)},
		{"utc input", def, time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC), at(28, 6, 0)},
		{"same-day window", day, at(27, 12, 30), at(27, 13, 30)},
		{"same-day window, outside", day, at(27, 13, 30), at(27, 13, 30)},
		{"no quiet hours", off, at(27, 23, 0), at(27, 23, 0)},
	}
	for _, tt := range tests {
		if got := tt.opt.startAt(tt.now); !got.Equal(tt.want) {
			t.Errorf("%s: startAt(%v) = %v, want %v", tt.name, tt.now, got, tt.want)
		}
	}
}

func TestCheckURL(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"https://tangerangkab.go.id", true},
		{"  https://tangerangkab.go.id/pelatihan?id=3&x=y#top  ", true},
		{"HTTPS://Tangerangkab.go.id", true},
		{"http://tangerangkab.go.id", false},
		{"tangerangkab.go.id", false},
		{"https://", false},
		{"https://localhost/x", false},
		{"https://user:pw@evil.example/x", false},
		{"https://a.b/x y", false},
		{`https://a.b/"><b>`, false},
		{"https://a.b/\x00", false},
		{"javascript:alert(1)", false},
		{"tg://resolve?domain=x", false},
		{"https://." + strings.Repeat("a", 600) + ".id", false},
		{"https://example.", false},
	}
	for _, tt := range tests {
		if _, ok := checkURL(tt.in); ok != tt.ok {
			t.Errorf("checkURL(%q) = %v, want %v", tt.in, ok, tt.ok)
		}
	}
}

func TestBodyOf(t *testing.T) {
	long := strings.Repeat("é", maxBody+1)
	tests := []struct {
		name    string
		u       flows.Update
		want    string
		wantErr string
	}{
		{"html kept", flows.Update{Text: "Halo semua", HTML: "<b>Halo</b> semua"}, "<b>Halo</b> semua", ""},
		{"text escaped", flows.Update{Text: `a < b & "c"`}, "a &lt; b &amp; &quot;c&quot;", ""},
		{"exactly the limit", flows.Update{Text: long[:len(long)-len("é")]}, long[:len(long)-len("é")], ""},
		{"too long", flows.Update{Text: long}, "", "bc_text_too_long"},
		{"empty", flows.Update{Text: "  "}, "", "bc_text_empty"},
		{"short text, long HTML", flows.Update{Text: strings.Repeat("a", 100),
			HTML: strings.Repeat(`<a href="https://tangerangkab.go.id/`+strings.Repeat("x", 30)+`">a</a>`, 100)}, "", "bc_text_too_rich"},
		{"escapes count", flows.Update{Text: strings.Repeat("&", 1000)}, "", "bc_text_too_rich"},
	}
	for _, tt := range tests {
		got, err := bodyOf(tt.u)
		var ue *flows.UserError
		switch {
		case tt.wantErr != "" && (!errors.As(err, &ue) || ue.Msg.ID != tt.wantErr):
			t.Errorf("%s: err %v, want %s", tt.name, err, tt.wantErr)
		case tt.wantErr == "" && (err != nil || got != tt.want):
			t.Errorf("%s: %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestFlowsAreValid(t *testing.T) {
	fs := New(nil, Options{})
	names := map[string]bool{}
	for _, f := range fs {
		names[f.Name] = f.StaffOnly
	}
	want := map[string]bool{Compose: true, Pause: true, Resume: true, Cancel: true, List: true,
		Unsubscribe: false, Subscribe: false, StopAsk: false}
	if len(names) != len(want) {
		t.Fatalf("flows %v", names)
	}
	for n, staff := range want {
		if s, ok := names[n]; !ok || s != staff {
			t.Errorf("flow %s: present %v, staff only %v; want staff only %v", n, ok, s, staff)
		}
	}
}
