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

// Tail reads a file within the bound whole, and a longer one from the
// first line that starts within its last limit bytes.
func TestTail(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "log")
	if err := os.WriteFile(p, []byte("one\ntwo\nthree\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := Tail(p, 100); err != nil || string(got) != "one\ntwo\nthree\n" {
		t.Errorf("within the bound: %q, %v", got, err)
	}
	if got, err := Tail(p, 8); err != nil || string(got) != "three\n" {
		t.Errorf("over the bound: %q, %v, want the last whole line", got, err)
	}
	if _, err := Tail(dir, 8); !errors.Is(err, ErrNotRegular) {
		t.Errorf("a directory: %v, want ErrNotRegular", err)
	}
}
