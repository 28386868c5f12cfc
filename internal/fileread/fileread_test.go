package fileread

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func TestRegularRefusesWhatCouldHangOrFlood(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big")
	os.WriteFile(big, make([]byte, 2000), 0o600)
	small := filepath.Join(dir, "small")
	os.WriteFile(small, []byte("ok\n"), 0o600)
	tests := []struct {
		path string
		want error
	}{
		{fifo, ErrNotRegular}, {"/dev/zero", ErrNotRegular}, {dir, ErrNotRegular}, {big, ErrTooLarge},
	}
	for _, tt := range tests {
		start := time.Now()
		_, err := Regular(tt.path, 1000)
		if !errors.Is(err, tt.want) || time.Since(start) > time.Second {
			t.Errorf("%s: %v (after %v), want %v", tt.path, err, time.Since(start), tt.want)
		}
	}
	if b, err := Regular(small, 1000); err != nil || string(b) != "ok\n" {
		t.Errorf("small file: %q, %v", b, err)
	}
}
