package recovery

import (
	"testing"
	"time"
)

func TestDelay(t *testing.T) {
	tests := []struct {
		failures int
		want     time.Duration
	}{
		{-1, 0}, {0, 0}, {1, 0}, {2, 0},
		{3, time.Second}, {4, 2 * time.Second}, {5, 4 * time.Second},
		{7, 16 * time.Second}, {8, MaxDelay}, {9, MaxDelay}, {1000, MaxDelay},
	}
	for _, tt := range tests {
		if got := Delay(tt.failures); got != tt.want {
			t.Errorf("Delay(%d) = %v, want %v", tt.failures, got, tt.want)
		}
	}
}
