package smtpauth

import (
	"io"
	"net"
	"syscall"
	"testing"
)

func netPipe() (net.Conn, net.Conn) { return net.Pipe() }

// On Linux a TCP connection is wrapped, and each read through it puts the
// socket in quick-ACK mode. In a command/reply conversation the kernel
// otherwise leaves that mode after the first exchange (delayed ACKs, the
// "pingpong" mode the Postfix stall comes from): the unwrapped control
// shows it, so the test tells the two apart.
func TestQuickAckOnRead(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 64)
				for i := 0; i < 4; i++ {
					if _, err := c.Write([]byte("250 ok\r\n")); err != nil {
						return
					}
					if _, err := c.Read(buf); err != nil {
						return
					}
				}
				_, _ = io.Copy(io.Discard, c)
			}()
		}
	}()
	quickAckAfterReads := func(wrap bool) []int {
		raw, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		c := raw
		if wrap {
			c = withQuickAck(raw)
			if c == net.Conn(raw) {
				t.Fatalf("a TCP connection was not wrapped: %T", c)
			}
		}
		sc, _ := raw.(*net.TCPConn).SyscallConn()
		var out []int
		buf := make([]byte, 64)
		for i := 0; i < 4; i++ {
			if _, err := c.Read(buf); err != nil {
				t.Fatal(err)
			}
			var v int
			_ = sc.Control(func(fd uintptr) { v, _ = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK) })
			out = append(out, v)
			if _, err := c.Write([]byte("NOOP\r\n")); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	if got := quickAckAfterReads(true); got[1] != 1 || got[2] != 1 || got[3] != 1 {
		t.Errorf("TCP_QUICKACK after each read = %v, want 1 every time", got)
	}
	if got := quickAckAfterReads(false); got[3] != 0 {
		t.Logf("control: without the wrapper TCP_QUICKACK = %v (this kernel stays in quick-ACK mode)", got)
	}
}
