package smtpauth_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"io"
	"log"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"sitecfg/smtpauth"
)

// wire records every byte clients send to a test server at the TCP level:
// before TLS that is clear text, after it ciphertext, so a secret found
// here was sent in clear text.
type wire struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *wire) bytes() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]byte(nil), w.buf.Bytes()...)
}

type wireListener struct {
	net.Listener
	w *wire
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
	w *wire
}

func (c *wireConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.w.mu.Lock()
	c.w.buf.Write(b[:n])
	c.w.mu.Unlock()
	return n, err
}

// listen opens a recorded listener on 127.0.0.1:0.
func listen(t *testing.T) (net.Listener, *wire) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	w := &wire{}
	t.Cleanup(func() { ln.Close() })
	return wireListener{Listener: ln, w: w}, w
}

// serverOpts configure a go-smtp test server.
type serverOpts struct {
	cert     *tls.Certificate // nil: no TLS at all (no STARTTLS offered)
	implicit bool             // TLS from the first byte
	minTLS   uint16
	maxTLS   uint16
	mechs    []string // AUTH mechanisms offered; nil: PLAIN LOGIN
	insecure bool     // offer AUTH before TLS
	user     string
	pass     string
	token    func() []string // tokens the XOAUTH2/OAUTHBEARER servers accept
	authErr  *smtp.SMTPError // returned instead of success by bearer mechanisms
	dropAuth bool            // hang up when the credentials arrive
	mailErr  *smtp.SMTPError
	dataErr  *smtp.SMTPError
	reject   map[string]bool // recipients refused with 550 5.1.1
}

// testServer is a running go-smtp server.
type testServer struct {
	host string
	port int
	wire *wire
	be   *backend
}

func (s *testServer) addr() string { return net.JoinHostPort(s.host, strconv.Itoa(s.port)) }

// startServer runs a go-smtp server on loopback with o.
func startServer(t *testing.T, o serverOpts) *testServer {
	t.Helper()
	if o.mechs == nil {
		o.mechs = []string{sasl.Plain, sasl.Login}
	}
	be := &backend{o: o}
	srv := smtp.NewServer(be)
	srv.Domain = "mx.test"
	srv.AllowInsecureAuth = o.insecure
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)
	if o.cert != nil {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*o.cert}, MinVersion: o.minTLS, MaxVersion: o.maxTLS}
	}
	ln, w := listen(t)
	var l net.Listener = ln
	if o.implicit {
		l = tls.NewListener(ln, srv.TLSConfig)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { srv.Close() })
	a := ln.Addr().(*net.TCPAddr)
	return &testServer{host: "127.0.0.1", port: a.Port, wire: w, be: be}
}

// backend records what the server received.
type backend struct {
	o        serverOpts
	mu       sync.Mutex
	messages []string
	authed   []string // mechanism:user of successful logins
}

func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{b: b, c: c}, nil
}

func (b *backend) received() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.messages...)
}

type session struct {
	b *backend
	c *smtp.Conn
}

func (s *session) AuthMechanisms() []string { return s.b.o.mechs }

func (s *session) Auth(mech string) (sasl.Server, error) {
	o := s.b.o
	ok := func(user string) {
		s.b.mu.Lock()
		s.b.authed = append(s.b.authed, mech+":"+user)
		s.b.mu.Unlock()
	}
	if o.dropAuth {
		return dropServer{s.c}, nil
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(_, user, pass string) error {
			if user != o.user || pass != o.pass {
				return smtp.ErrAuthFailed
			}
			ok(user)
			return nil
		}), nil
	case sasl.Login:
		return &loginServer{check: func(user, pass string) error {
			if user != o.user || pass != o.pass {
				return smtp.ErrAuthFailed
			}
			ok(user)
			return nil
		}}, nil
	case "XOAUTH2":
		return &xoauth2Server{check: func(user, token string) error {
			if o.authErr != nil {
				return o.authErr
			}
			if user != o.user || !contains(o.token(), token) {
				return smtp.ErrAuthFailed
			}
			ok(user)
			return nil
		}}, nil
	case sasl.OAuthBearer:
		return sasl.NewOAuthBearerServer(func(opts sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
			if opts.Username != o.user || !contains(o.token(), opts.Token) {
				return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
			}
			ok(opts.Username)
			return nil
		}), nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.b.o.mailErr != nil {
		return s.b.o.mailErr
	}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.b.o.reject[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user: " + to}
	}
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.b.o.dataErr != nil {
		return s.b.o.dataErr
	}
	s.b.mu.Lock()
	s.b.messages = append(s.b.messages, string(b))
	s.b.mu.Unlock()
	return nil
}

func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }

// loginServer is the server side of LOGIN (go-sasl no longer has one).
type loginServer struct {
	check func(user, pass string) error
	user  string
	step  int
}

func (a *loginServer) Next(resp []byte) ([]byte, bool, error) {
	a.step++
	switch a.step {
	case 1:
		if resp != nil {
			a.user = string(resp)
			return []byte("Password:"), false, nil
		}
		return []byte("Username:"), false, nil
	case 2:
		if a.user == "" {
			a.user = string(resp)
			return []byte("Password:"), false, nil
		}
		return nil, true, a.check(a.user, string(resp))
	default:
		return nil, true, a.check(a.user, string(resp))
	}
}

// xoauth2Server is the server side of XOAUTH2 as Exchange speaks it.
type xoauth2Server struct {
	check  func(user, token string) error
	failed error
	step   int
}

func (a *xoauth2Server) Next(resp []byte) ([]byte, bool, error) {
	a.step++
	if a.failed != nil {
		return nil, true, a.failed // the client acknowledged the error challenge
	}
	if resp == nil {
		return []byte{}, false, nil
	}
	parts := strings.Split(string(resp), "\x01")
	user, _ := strings.CutPrefix(parts[0], "user=")
	var token string
	if len(parts) > 1 {
		token, _ = strings.CutPrefix(parts[1], "auth=Bearer ")
	}
	if len(parts) != 4 || parts[2] != "" || parts[3] != "" {
		return nil, true, errors.New("malformed XOAUTH2 response")
	}
	if err := a.check(user, token); err != nil {
		a.failed = err
		return []byte(`{"status":"401","schemes":"bearer","scope":"https://outlook.office365.com/.default"}`), false, nil
	}
	return nil, true, nil
}

// dropServer hangs up as soon as the client's credentials arrive.
type dropServer struct{ c *smtp.Conn }

func (d dropServer) Next(resp []byte) ([]byte, bool, error) {
	if resp == nil {
		return []byte{}, false, nil
	}
	d.c.Conn().Close()
	return nil, true, errors.New("dropped")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// scriptServer runs handle on every connection to a recorded listener.
func scriptServer(t *testing.T, handle func(c net.Conn)) *testServer {
	t.Helper()
	ln, w := listen(t)
	var wg sync.WaitGroup
	done := make(chan struct{})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				go func() { <-done; c.Close() }()
				handle(c)
			}()
		}
	}()
	t.Cleanup(func() { close(done); ln.Close(); wg.Wait() })
	return &testServer{host: "127.0.0.1", port: ln.Addr().(*net.TCPAddr).Port, wire: w}
}

// wantNoCleartext asserts that none of the secrets (as is, base64, or in a
// PLAIN blob with user) crossed the wire in clear text.
func wantNoCleartext(t *testing.T, w *wire, user string, secrets ...string) {
	t.Helper()
	raw := w.bytes()
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		forms := []string{
			sec,
			base64.StdEncoding.EncodeToString([]byte(sec)),
			base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + sec)),
			base64.StdEncoding.EncodeToString([]byte("user=" + user + "\x01auth=Bearer " + sec + "\x01\x01")),
		}
		for _, f := range forms {
			if bytes.Contains(raw, []byte(f)) {
				t.Errorf("a secret (%.3s…) crossed the wire in clear text", sec)
			}
		}
	}
}

// basic returns basic-auth settings for the server.
func (s *testServer) basic(sec smtpauth.Security, user, pass string) smtpauth.Settings {
	return smtpauth.Settings{
		Host: s.host, Port: s.port, Security: sec,
		RootCAs: testPool(), Method: smtpauth.MethodBasic,
		Username: user, Password: pass, From: user,
	}
}

// testPool is the test CA's pool.
func testPool() *x509.CertPool {
	pkiOnce.Do(func() { pki, pkiErr = newPKI() })
	if pki == nil {
		return nil
	}
	return pki.pool
}
