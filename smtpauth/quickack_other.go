//go:build !linux

package smtpauth

import "net"

// quickAck has no effect outside Linux: TCP_QUICKACK is Linux's, and the
// delayed-ACK stall it removes (see quickack_linux.go) is measured there.
var quickAck = true

// withQuickAck returns c as it is: other systems have no TCP_QUICKACK.
func withQuickAck(c net.Conn) net.Conn { return c }
