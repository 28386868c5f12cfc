// Command sitecfg configures a cluster's email settings: a console wizard,
// unattended answers files, a live SMTP check and a safe, atomic write of
// the site-config file. See README.md and docs/reference.md.
package main

import (
	"context"
	"os"
)

func main() {
	// os.Exit ends the process with the signal handler still installed:
	// stopping it first would only wait for its goroutine.
	os.Exit(run(interruptible(context.Background()), os.Args[1:], newEnv()))
}
