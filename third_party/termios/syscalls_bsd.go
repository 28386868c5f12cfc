//go:build darwin && netbsd && freebsd && netbsd
// +build darwin,netbsd,freebsd,netbsd

package term

import "syscall"

// sitecfg patch: upstream adds these in init. This file is never built (no
// GOOS satisfies its constraint, and its package name is not the
// package's); it is changed like the others only to keep them alike.
func addPlatformOpts() {
	allCcOpts[STATUS] = syscall.VSTATUS
	allCcOpts[DSUSP] = syscall.VDSUSP
}
