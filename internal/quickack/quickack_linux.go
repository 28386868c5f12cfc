// Package quickack turns TCP_QUICKACK on before every read of a
// connection (Linux), so that the kernel acknowledges what arrives at
// once instead of delaying the ACK. The live check and the benchmark's
// minimal client both use it.
//
// Why: Postfix leaves Nagle's algorithm on and, after a TLS 1.3
// handshake, writes its NewSessionTicket and its reply to our EHLO
// separately. A client that sends EHLO straight after its Finished has
// nothing to carry the ticket's ACK; Linux delays it ≈ 40 ms, and Nagle
// holds the server's EHLO reply back until that ACK comes. Seen in a
// packet capture on lo:
// "CCS+Finished → EHLO → NewSessionTicket → (42 ms) ACK → EHLO reply".
// TCP_QUICKACK is not sticky (the kernel may leave quick-ACK mode on its
// own), hence before each read.
package quickack

import (
	"net"
	"syscall"
)

// conn is a TCP connection that asks for quick ACKs before reads.
type conn struct {
	net.Conn
	raw syscall.RawConn
}

// Wrap returns c asking for a quick ACK before each read when it is a
// socket; any other net.Conn (a test's pipe, a proxy's) is returned as it
// is.
func Wrap(c net.Conn) net.Conn {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return c
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return c
	}
	return &conn{Conn: c, raw: raw}
}

// Read implements net.Conn.
func (q *conn) Read(b []byte) (int, error) {
	_ = q.raw.Control(func(fd uintptr) {
		// Best effort: a socket that refuses (not TCP) just acks as usual.
		_ = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK, 1)
	})
	return q.Conn.Read(b)
}
