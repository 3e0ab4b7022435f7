package bot

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestConfigDefaults(t *testing.T) {
	tests := []struct {
		name                     string
		in                       Config
		wantPoll, wantHTTP       time.Duration
		wantWorkers, wantFlight  int
		wantURL, wantDefaultLang string
	}{
		{name: "zero", wantPoll: 30 * time.Second, wantHTTP: 45 * time.Second, wantWorkers: 64, wantFlight: 1024,
			wantURL: "https://api.telegram.org", wantDefaultLang: "id"},
		{name: "http timeout not above poll is raised", in: Config{PollTimeout: 50 * time.Second, HTTPTimeout: 50 * time.Second},
			wantPoll: 50 * time.Second, wantHTTP: 65 * time.Second, wantWorkers: 64, wantFlight: 1024,
			wantURL: "https://api.telegram.org", wantDefaultLang: "id"},
		{name: "explicit", in: Config{PollTimeout: 10 * time.Second, HTTPTimeout: 12 * time.Second, Workers: 3, MaxInFlight: 5,
			APIURL: "http://127.0.0.1:8081/", DefaultLang: "en"},
			wantPoll: 10 * time.Second, wantHTTP: 12 * time.Second, wantWorkers: 3, wantFlight: 5,
			wantURL: "http://127.0.0.1:8081", wantDefaultLang: "en"},
		{name: "negative sizes", in: Config{Workers: -1, MaxInFlight: -1}, wantPoll: 30 * time.Second, wantHTTP: 45 * time.Second,
			wantWorkers: 64, wantFlight: 1024, wantURL: "https://api.telegram.org", wantDefaultLang: "id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.in.withDefaults()
			if c.PollTimeout != tt.wantPoll || c.HTTPTimeout != tt.wantHTTP || c.Workers != tt.wantWorkers ||
				c.MaxInFlight != tt.wantFlight || c.APIURL != tt.wantURL || c.DefaultLang != tt.wantDefaultLang || c.Log == nil ||
				c.FloodBurst != 20 || c.FloodRate != 1 || c.DeliverTimeout != 10*time.Minute {
				t.Errorf("got %+v", c)
			}
		})
	}
}

func TestNewRejects(t *testing.T) {
	if _, err := New(Config{Token: " "}, echo, stubRenderer{}); err == nil {
		t.Error("empty token accepted")
	}
	if _, err := New(Config{Token: "1:T"}, echo, nil); err == nil {
		t.Error("nil renderer accepted")
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{in: "forbidden, Forbidden: bot was blocked by the user", want: "forbidden, Forbidden: bot was blocked by the user"},
		{in: `error get updates, error decode response body for method getUpdates, {"ok":true,"result":[{"text":"NIK 3603"}]}, invalid character`,
			want: "error get updates, error decode response body for method getUpdates"},
	}
	for _, tt := range tests {
		if got := redact(fmt.Errorf("wrapped: %w", errors.New(tt.in))); got != "wrapped: "+tt.want {
			t.Errorf("redact(%q) = %q", tt.in, got)
		}
	}
}
