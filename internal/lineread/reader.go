// Package lineread reads an operator's answers one line at a time — plain
// lines, or secrets with no echo on a terminal — and gives up at once when
// the context is cancelled (Ctrl+C), even while a read is still waiting
// for input. It owns the terminal while a secret is read and always gives
// it back as it found it. It does not print prompts or decide what an
// answer means.
package lineread

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"golang.org/x/term"
)

// ErrInterrupted is the Ctrl+C byte read from a terminal in raw mode,
// where it raises no signal. It wraps context.Canceled, so callers can
// treat it like a cancelled context.
var ErrInterrupted = fmt.Errorf("interrupted (Ctrl+C): %w", context.Canceled)

// Reader reads lines from one input through a single buffer, so several
// lines arriving at once over a pipe each reach their own prompt. Each
// read runs in a goroutine so that a cancelled context ends a prompt that
// is still waiting. A Reader is not safe for concurrent use.
type Reader struct {
	in io.Reader
	br *bufio.Reader
	// fd is the terminal in reads from, or -1: secrets are then read
	// with echo off.
	fd  int
	out io.Writer
	// pending is a read abandoned by a cancelled prompt; the next read
	// waits for it rather than racing it on the input.
	pending chan result
	// onInterrupt is called when the Ctrl+C byte is read.
	onInterrupt func()
}

type result struct {
	line string
	err  error
}

// New returns a Reader of in. fd is in's file descriptor when in is a
// terminal (secrets are then read with echo off), else -1; a descriptor
// that is not a terminal counts as -1. out receives the line end that a
// no-echo read swallowed (only when a line was read: after Ctrl+C or the
// end of input the caller ends the prompt's line); nil discards it.
func New(in io.Reader, fd int, out io.Writer) *Reader {
	if fd >= 0 && !term.IsTerminal(fd) {
		fd = -1
	}
	if out == nil {
		out = io.Discard
	}
	return &Reader{in: in, br: bufio.NewReader(in), fd: fd, out: out}
}

// Terminal reports whether secrets are read from a terminal with echo off.
func (r *Reader) Terminal() bool { return r.fd >= 0 }

// OnInterrupt sets a function called when the operator's Ctrl+C arrives
// as a byte rather than a signal (a secret is read in raw mode); a
// context's cancel function is the usual choice.
func (r *Reader) OnInterrupt(f func()) { r.onInterrupt = f }

// Line returns the next line without its line ending. io.EOF means the
// input ended with nothing typed; a last line without a newline still
// counts. ctx.Err() means the prompt was cancelled.
func (r *Reader) Line(ctx context.Context) (string, error) { return r.read(ctx, false) }

// Secret is Line with no echo when the input is a terminal. The Ctrl+C
// byte then ends it with ErrInterrupted.
func (r *Reader) Secret(ctx context.Context) (string, error) { return r.read(ctx, true) }

func (r *Reader) read(ctx context.Context, secret bool) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	ch := r.pending
	r.pending = nil
	var restore func()
	if ch == nil {
		ch = make(chan result, 1)
		// A line typed ahead is already in the buffer: take it from
		// there, since the terminal will not deliver it again.
		if secret && r.fd >= 0 && r.br.Buffered() == 0 {
			state, err := term.MakeRaw(r.fd)
			if err != nil {
				return "", fmt.Errorf("turn off echo: %w", err)
			}
			restore = func() { _ = term.Restore(r.fd, state) }
			go func() {
				line, err := readRaw(r.in)
				restore()
				if err == nil {
					fmt.Fprintln(r.out) // the Enter the terminal did not echo
				}
				ch <- result{line, err}
			}()
		} else {
			go func() {
				line, err := r.br.ReadString('\n')
				if err == io.EOF && line != "" {
					err = nil
				}
				ch <- result{strings.TrimRight(line, "\r\n"), err}
			}()
		}
	}
	select {
	case res := <-ch:
		if res.err == ErrInterrupted && r.onInterrupt != nil {
			r.onInterrupt()
		}
		return res.line, res.err
	case <-ctx.Done():
		r.pending = ch
		if restore != nil {
			// The abandoned read still holds the terminal in raw mode:
			// never leave the operator's terminal that way.
			restore()
		}
		return "", ctx.Err()
	}
}
