//go:build !linux

package smtpauth

import "net"

func netPipe() (net.Conn, net.Conn) { return net.Pipe() }
