package lineread

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func TestLinesFromAPipe(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string
		end   error
	}{
		{"several lines at once", "one\ntwo\r\nthree\n", []string{"one", "two", "three"}, io.EOF},
		{"last line without newline", "one\ntwo", []string{"one", "two"}, io.EOF},
		{"empty lines count", "\n\nx\n", []string{"", "", "x"}, io.EOF},
		{"nothing at all", "", nil, io.EOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := New(strings.NewReader(tt.input), -1, nil)
			for i, want := range tt.want {
				read := r.Line
				if i%2 == 1 {
					read = r.Secret // no terminal: a secret is a plain line
				}
				got, err := read(context.Background())
				if err != nil || got != want {
					t.Fatalf("read %d = %q, %v; want %q", i, got, err, want)
				}
			}
			if _, err := r.Line(context.Background()); !errors.Is(err, tt.end) {
				t.Fatalf("after the input: %v, want %v", err, tt.end)
			}
		})
	}
}

// A prompt waiting on input that never comes returns as soon as the
// context is cancelled — Ctrl+C at any prompt — and a line that arrives
// later still reaches the next prompt rather than being lost.
func TestCancelEndsAWaitingRead(t *testing.T) {
	for _, secret := range []bool{false, true} {
		pr, pw := io.Pipe()
		defer pw.Close()
		r := New(pr, -1, nil)
		read := r.Line
		if secret {
			read = r.Secret
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { _, err := read(ctx); done <- err }()
		time.Sleep(20 * time.Millisecond)
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("secret=%v: %v, want context.Canceled", secret, err)
			}
		case <-time.After(2 * time.Second):
			t.Fatalf("secret=%v: the read did not return after cancel", secret)
		}
		if _, err := read(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("secret=%v: a read on a cancelled context: %v", secret, err)
		}
		go func() { _, _ = io.WriteString(pw, "late\n") }()
		got, err := r.Line(context.Background())
		if err != nil || got != "late" {
			t.Fatalf("secret=%v: next read = %q, %v; want the late line", secret, got, err)
		}
	}
}

func TestReadRaw(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  string
		err   error
	}{
		{"enter is CR", "s3cret\rnext", "s3cret", nil},
		{"enter is LF", "s3cret\n", "s3cret", nil},
		{"backspace and delete", "abX\x7fcY\x08d\r", "abcd", nil},
		{"backspace removes a whole character", "pé\x7fe\r", "pe", nil},
		{"ctrl+u clears", "wrong\x15right\r", "right", nil},
		{"ctrl+c interrupts", "half\x03rest\r", "", ErrInterrupted},
		{"ctrl+d on an empty line ends the input", "\x04", "", io.EOF},
		{"ctrl+d after text is ignored", "ab\x04c\r", "abc", nil},
		{"input ends after text", "abc", "abc", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readRaw(strings.NewReader(tt.input))
			if got != tt.want || !errors.Is(err, tt.err) && err != tt.err {
				t.Fatalf("readRaw(%q) = %q, %v; want %q, %v", tt.input, got, err, tt.want, tt.err)
			}
		})
	}
	if !errors.Is(ErrInterrupted, context.Canceled) {
		t.Error("ErrInterrupted should count as a cancelled context")
	}
}
