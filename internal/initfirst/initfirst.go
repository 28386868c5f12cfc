// Package initfirst keeps the TUI libraries' package initialisation from
// costing commands that draw no TUI a child process.
//
// lipgloss initialises a package variable (lipgloss.Writer) by detecting
// the terminal's colour profile, and under tmux that detection runs
// `tmux info` — a fork and exec on every sitecfg command, `version`,
// `check` and `apply` included, when stdout is a terminal. sitecfg never
// uses that variable (the TUI detects the profile itself when it starts),
// so this package hides TMUX from the environment while the packages
// initialise, and main puts it back (Restore) before anything runs.
//
// It is a module of its own only for its import path: Go initialises
// packages in import-path order as soon as their imports are ready
// (Go 1.21 and later), and "a.sitecfg.invalid/…" sorts before
// "charm.land/…", so this init runs before lipgloss's. It imports only os.
package initfirst

import "os"

var (
	tmux    string
	hadTMUX bool
)

func init() {
	tmux, hadTMUX = os.LookupEnv("TMUX")
	if hadTMUX {
		_ = os.Unsetenv("TMUX")
	}
}

// Restore puts TMUX back as it was when the process started.
func Restore() {
	if hadTMUX {
		_ = os.Setenv("TMUX", tmux)
	}
}
