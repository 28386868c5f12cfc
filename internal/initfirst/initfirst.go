// Package initfirst does what must happen before the other packages
// initialise. It is a module of its own only for its import path: Go
// initialises packages in import-path order as soon as their imports are
// ready (Go 1.21 and later), and "a.sitecfg.invalid/…" sorts before
// "charm.land/…" and every other library sitecfg uses, so this init runs
// before theirs. It imports only the standard library.
//
// The SIGINT/SIGTERM/SIGHUP handler starts installing here, on a
// goroutine of its own. Installing it starts one of the runtime's threads
// (≈ 0.2 ms on a small machine); during package initialisation the other
// core is idle, so it is done by the time a command runs. A program that
// does not Claim the handler keeps the default behaviour: a signal it
// receives ends it as if no handler had been installed.
//
// (Until the TUI libraries were patched in third_party/, this package also
// hid TMUX from their initialisation: lipgloss ran `tmux info` there.)
package initfirst

import (
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

var (
	installed   = make(chan struct{})
	interrupted = make(chan struct{})
	claimed     atomic.Bool
)

func init() {
	go handleSignals()
}

// Claim makes SIGINT, SIGTERM and SIGHUP (see signals) the program's to
// handle: from now on the first one closes the interrupted channel
// instead of ending the process (later ones are ignored). The installed
// channel is closed once the handler is in place.
func Claim() (installedCh, interruptedCh <-chan struct{}) {
	claimed.Store(true)
	return installed, interrupted
}

func handleSignals() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, signals()...)
	close(installed)
	sig := <-ch
	if !claimed.Load() {
		// Nobody asked for it (a test binary): end as without a handler.
		signal.Reset(sig)
		if s, ok := sig.(syscall.Signal); ok {
			_ = syscall.Kill(os.Getpid(), s)
		}
		return
	}
	close(interrupted)
}

// signals are the signals the handler takes: SIGINT, SIGTERM and SIGHUP —
// the terminal went away (an SSH connection dropped, a console window
// closed), which ends a run like Ctrl+C, so that the wizard takes back
// what it wrote early (the recovery-codes file) instead of dying with it
// on disk. SIGHUP is left alone when the program started with it ignored
// (nohup, a daemon): Notify would otherwise stop ignoring it.
func signals() []os.Signal {
	sigs := []os.Signal{os.Interrupt, syscall.SIGTERM}
	if !signal.Ignored(syscall.SIGHUP) {
		sigs = append(sigs, syscall.SIGHUP)
	}
	return sigs
}
