package smtpauth_test

import (
	"crypto/x509"
	"net"
	"strconv"
	"testing"
	"time"

	"sitecfg/internal/smtptest"
	"sitecfg/internal/testkit"
	"sitecfg/smtpauth"
)

// testServer is a running test server: a go-smtp one or a scripted one.
type testServer struct {
	host string
	port int
	wire *smtptest.Wire
	pool *x509.CertPool // the test CA
	srv  *smtptest.Server
}

func (s *testServer) addr() string { return net.JoinHostPort(s.host, strconv.Itoa(s.port)) }

// startServer runs a go-smtp server on loopback with o, its certificate
// (unless o brings one) signed by the test CA. Unlike a submission server
// it takes mail without AUTH, as a relay does.
func startServer(t *testing.T, o smtptest.Options) *testServer {
	t.Helper()
	ca := testkit.TestCA(t)
	o.CA, o.Dir, o.Domain, o.Timeout, o.AllowAnonymous = ca, t.TempDir(), "mx.test", 10*time.Second, true
	s := smtptest.Start(t, o)
	return &testServer{host: s.Host, port: s.Port, wire: s.Wire, pool: ca.Pool(), srv: s}
}

// received returns the messages the server accepted, as received.
func (s *testServer) received() []string {
	var out []string
	for _, m := range s.srv.Messages() {
		out = append(out, string(m.Data))
	}
	return out
}

// scriptServer runs handle on every connection to a recorded listener.
func scriptServer(t *testing.T, handle func(c net.Conn)) *testServer {
	t.Helper()
	s := smtptest.StartScript(t, handle)
	return &testServer{host: s.Host, port: s.Port, wire: s.Wire, pool: testkit.TestCA(t).Pool()}
}

// basic returns basic-auth settings for the server.
func (s *testServer) basic(sec smtpauth.Security, user, pass string) smtpauth.Settings {
	return smtpauth.Settings{
		Host: s.host, Port: s.port, Security: sec,
		RootCAs: s.pool, Method: smtpauth.MethodBasic,
		Username: user, Password: pass, From: user,
	}
}
