package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// interruptible returns a context that SIGINT, SIGTERM or SIGHUP cancels,
// so that a command stops where it is, says "cancelled" and exits 130. A
// second signal is ignored: the command is already on its way out, undoing
// what it wrote early.
//
// SIGHUP (an SSH connection dropped, a console window closed) ends a run
// like Ctrl+C, so that the wizard takes back what it wrote early (the
// recovery-codes file) instead of dying with it on disk. It is left alone
// when the program started with it ignored (nohup, a daemon): Notify would
// otherwise stop ignoring it.
func interruptible(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	sigs := []os.Signal{os.Interrupt, syscall.SIGTERM}
	if !signal.Ignored(syscall.SIGHUP) {
		sigs = append(sigs, syscall.SIGHUP)
	}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, sigs...)
	go func() {
		<-ch
		cancel()
	}()
	return ctx
}
