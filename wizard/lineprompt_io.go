package wizard

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/term"
)

// ErrInputEnded is returned by RunLines when its input ends before the
// flow is complete: an unanswered question is never skipped silently.
var ErrInputEnded = errors.New("input ended")

// lineReader reads answers one line at a time from a single bufio.Reader,
// so several lines arriving at once over a pipe each reach their own
// prompt. Each read runs in a goroutine so that Ctrl+C (the context) ends
// a prompt that is still waiting for input.
type lineReader struct {
	br *bufio.Reader
	// fd is the terminal In reads from, or -1: passwords are then read
	// with echo off.
	fd  int
	out io.Writer
	// pending is a read abandoned by a cancelled prompt; the next read
	// waits for it rather than racing it on br.
	pending chan readResult
}

type readResult struct {
	line string
	err  error
}

func newLineReader(in io.Reader, fd int, out io.Writer) *lineReader {
	if fd >= 0 && !term.IsTerminal(fd) {
		fd = -1
	}
	return &lineReader{br: bufio.NewReader(in), fd: fd, out: out}
}

// read returns the next line without its line ending. secret reads it
// with no echo when the input is a terminal. io.EOF means the input ended
// with nothing typed; ctx.Err() means the prompt was cancelled.
func (r *lineReader) read(ctx context.Context, secret bool) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	ch := r.pending
	r.pending = nil
	var restore func()
	if ch == nil {
		ch = make(chan readResult, 1)
		// A line typed ahead is already in the buffer: take it from there,
		// since the terminal will not deliver it again.
		if secret && r.fd >= 0 && r.br.Buffered() == 0 {
			state, err := term.GetState(r.fd)
			if err == nil {
				restore = func() { _ = term.Restore(r.fd, state) }
			}
			go func() {
				b, err := term.ReadPassword(r.fd)
				fmt.Fprintln(r.out) // the Enter the terminal did not echo
				ch <- readResult{string(b), err}
			}()
		} else {
			go func() {
				line, err := r.br.ReadString('\n')
				if err == io.EOF && line != "" {
					err = nil // a last line without a newline still counts
				}
				ch <- readResult{line, err}
			}()
		}
	}
	select {
	case res := <-ch:
		line := strings.TrimRight(res.line, "\r\n")
		if r.fd < 0 && res.err == nil {
			// Nothing echoes input that does not come from a terminal: show
			// the answer so the transcript reads as a conversation (never a
			// secret).
			shown := line
			if secret {
				shown = ""
			}
			fmt.Fprintln(r.out, shown)
		}
		return line, res.err
	case <-ctx.Done():
		r.pending = ch
		if restore != nil {
			// The abandoned read still has echo off: never leave the
			// operator's terminal that way.
			restore()
		}
		return "", ctx.Err()
	}
}
