//go:build linux
// +build linux

package termios

import "syscall"

// addPlatformOpts adds Linux's options to the maps buildOpts builds.
// sitecfg patch: upstream adds them in init; see buildOpts.
func addPlatformOpts() {
	allCcOpts[SWTCH] = syscall.VSWTC
	allInputOpts[IUCLC] = syscall.IUCLC
	allLineOpts[IUTF8] = syscall.IUTF8
	allLineOpts[XCASE] = syscall.XCASE
	allOutputOpts[OLCUC] = syscall.OLCUC
}
