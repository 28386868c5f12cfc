// Command sitecfg configures a cluster's email settings: a console wizard,
// unattended answers files, a live SMTP check and a safe, atomic write of
// the site-config file. See README.md and the SPEC for the contract.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"a.sitecfg.invalid/initfirst"
)

func main() {
	initfirst.Restore() // see package initfirst: TMUX was hidden from package initialisation
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], newEnv())
	stop()
	os.Exit(code)
}
