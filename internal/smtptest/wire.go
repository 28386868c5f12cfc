package smtptest

import (
	"bytes"
	"net"
	"sync"
)

// Wire records every byte clients send to a server at the TCP level:
// before TLS that is clear text, after it ciphertext, so a secret found
// here was sent in clear text.
type Wire struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Bytes returns a copy of what clients have sent so far.
func (w *Wire) Bytes() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	return bytes.Clone(w.buf.Bytes())
}

// String is what clients have sent so far, as a string.
func (w *Wire) String() string { return string(w.Bytes()) }

func (w *Wire) write(b []byte) {
	w.mu.Lock()
	w.buf.Write(b)
	w.mu.Unlock()
}

// wireListener hands out connections whose reads are recorded.
type wireListener struct {
	net.Listener
	w *Wire
}

func (l wireListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &wireConn{Conn: c, w: l.w}, nil
}

type wireConn struct {
	net.Conn
	w *Wire
}

func (c *wireConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.w.write(b[:n])
	return n, err
}

// listen opens a recorded listener on 127.0.0.1 at a free port.
func listen() (wireListener, *net.TCPAddr, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return wireListener{}, nil, err
	}
	return wireListener{Listener: ln, w: &Wire{}}, ln.Addr().(*net.TCPAddr), nil
}
