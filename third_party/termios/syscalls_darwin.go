//go:build darwin
// +build darwin

package termios

import "syscall"

// addPlatformOpts adds macOS's options to the maps buildOpts builds.
// sitecfg patch: upstream adds them in init; see buildOpts.
func addPlatformOpts() {
	allLineOpts[IUTF8] = syscall.IUTF8
}
