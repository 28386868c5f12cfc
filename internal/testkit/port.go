package testkit

import (
	"net"
	"testing"
)

// ClosedPort returns a port on 127.0.0.1 that nothing listens on (it was
// free a moment ago): a connection to it is refused.
func ClosedPort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}
