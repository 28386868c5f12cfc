package smtpauth

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"
)

// resolve looks the host up. An IP literal needs no lookup; with a custom
// dialer (a proxy, a test) the dialer resolves, so nothing is looked up here.
func resolve(ctx context.Context, host string, custom bool) ([]string, string, error) {
	if ip := net.ParseIP(host); ip != nil {
		return []string{host}, "IP address, no lookup", nil
	}
	if custom {
		return []string{host}, "resolved by the configured dialer", nil
	}
	addrs, err := net.DefaultResolver.LookupHost(ctx, host)
	if err != nil {
		return nil, "", err
	}
	if len(addrs) > 4 {
		addrs = addrs[:4]
	}
	return addrs, fmt.Sprint(addrs), nil
}

// connect dials the addresses in turn, sharing what is left of the deadline
// among them so that one blackholed address does not use it all. It returns
// the connection and the address it was dialled with.
func connect(ctx context.Context, dial func(context.Context, string, string) (net.Conn, error), addrs []string, port int) (net.Conn, string, error) {
	var firstErr error
	for i, a := range addrs {
		dctx := ctx
		if dl, ok := ctx.Deadline(); ok && i < len(addrs)-1 {
			share := time.Until(dl) / time.Duration(len(addrs)-i)
			var cancel context.CancelFunc
			dctx, cancel = context.WithTimeout(ctx, share)
			defer cancel()
		}
		addr := net.JoinHostPort(a, strconv.Itoa(port))
		c, err := dial(dctx, "tcp", addr)
		if err == nil {
			return c, addr, nil
		}
		if firstErr == nil {
			firstErr = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, "", firstErr
}

// guardedConn bounds every read and write by the check's deadline: a
// deadline set later can shorten it but never lift it, and once the
// context is done every I/O fails at once.
type guardedConn struct {
	net.Conn
	deadline time.Time

	mu   sync.Mutex
	done bool
	stop func() bool
}

// guard wraps c and arranges for it to be unblocked when ctx is done.
func guard(ctx context.Context, c net.Conn) *guardedConn {
	g := &guardedConn{Conn: c}
	if dl, ok := ctx.Deadline(); ok {
		g.deadline = dl
	}
	_ = c.SetDeadline(g.deadline)
	g.stop = context.AfterFunc(ctx, func() {
		g.mu.Lock()
		g.done = true
		g.mu.Unlock()
		// A deadline in the past wakes any blocked read or write with a
		// timeout, which is then reported as the context's error.
		_ = c.SetDeadline(time.Unix(1, 0))
	})
	return g
}

func (g *guardedConn) clamp(t time.Time) time.Time {
	if t.IsZero() || (!g.deadline.IsZero() && t.After(g.deadline)) {
		return g.deadline
	}
	return t
}

// SetDeadline implements net.Conn, never beyond the check's deadline.
func (g *guardedConn) SetDeadline(t time.Time) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.done {
		return nil
	}
	return g.Conn.SetDeadline(g.clamp(t))
}

// SetReadDeadline implements net.Conn, never beyond the check's deadline.
func (g *guardedConn) SetReadDeadline(t time.Time) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.done {
		return nil
	}
	return g.Conn.SetReadDeadline(g.clamp(t))
}

// SetWriteDeadline implements net.Conn, never beyond the check's deadline.
func (g *guardedConn) SetWriteDeadline(t time.Time) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.done {
		return nil
	}
	return g.Conn.SetWriteDeadline(g.clamp(t))
}

// Close implements net.Conn.
func (g *guardedConn) Close() error {
	g.stop()
	return g.Conn.Close()
}
