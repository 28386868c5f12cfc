package main

import (
	"io"
	"os"
	"time"

	"golang.org/x/term"
)

// env is everything a command touches outside itself, so tests can give
// their own streams, environment and clock.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	now    func() time.Time
	// stdinTTY and stdoutTTY say whether those streams are terminals.
	stdinTTY, stdoutTTY bool
	// warnings said nothing on stderr (--json): the JSON result carries
	// them (an audit line that could not be written, say).
	warnings []string
}

func newEnv() *env {
	return &env{
		stdin:     os.Stdin,
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		getenv:    os.Getenv,
		now:       time.Now,
		stdinTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		stdoutTTY: term.IsTerminal(int(os.Stdout.Fd())),
	}
}
