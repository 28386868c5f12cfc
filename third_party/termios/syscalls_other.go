//go:build dragonfly || freebsd || netbsd || openbsd || solaris
// +build dragonfly freebsd netbsd openbsd solaris

package termios

// addPlatformOpts adds nothing on these systems: upstream has no init
// function for them. sitecfg patch: a file of its own because buildOpts
// calls addPlatformOpts on every system termios.go is built for.
func addPlatformOpts() {}
