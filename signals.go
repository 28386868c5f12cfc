package main

import (
	"context"

	"a.sitecfg.invalid/initfirst"
)

// interruptible returns a context that SIGINT, SIGTERM or SIGHUP (unless
// ignored, see package initfirst) cancels, so that a command stops where
// it is, says "cancelled" and exits 130.
//
// The handler started installing while the packages initialised (package
// initfirst: installing it starts one of the runtime's threads, ≈ 0.2 ms
// on a small machine, which `check` would otherwise wait for; README
// "Measured"). No command runs before it is in place: action waits for it
// (signalsInstalled).
func interruptible(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	installed, interrupted := initfirst.Claim()
	go func() {
		<-interrupted
		cancel()
	}()
	return context.WithValue(ctx, signalsKey{}, installed)
}

type signalsKey struct{}

// signalsInstalled waits until the handler of ctx, if it has one, is in
// place.
func signalsInstalled(ctx context.Context) {
	if installed, ok := ctx.Value(signalsKey{}).(<-chan struct{}); ok {
		<-installed
	}
}
