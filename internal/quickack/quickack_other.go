//go:build !linux

// Package quickack turns TCP_QUICKACK on before every read (Linux only;
// see quickack_linux.go).
package quickack

import "net"

// Wrap returns c as it is: other systems have no TCP_QUICKACK, and the
// delayed-ACK stall it removes is measured on Linux.
func Wrap(c net.Conn) net.Conn { return c }
