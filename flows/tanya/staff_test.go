package tanya

import (
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	tests := map[time.Duration][3]int64{
		0:                             {0, 0, 0},
		90 * time.Second:              {0, 0, 2},
		2*time.Hour + 5*time.Minute:   {0, 2, 5},
		49*time.Hour + 29*time.Second: {2, 1, 0},
	}
	for d, want := range tests {
		got := duration(d)
		if got.Data["D"] != want[0] || got.Data["H"] != want[1] || got.Data["M"] != want[2] {
			t.Errorf("duration(%s) = %v, want days, hours, minutes %v", d, got.Data, want)
		}
	}
}
