package wizard

import (
	"crypto/rand"
	"crypto/subtle"
	"crypto/tls"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// DemoServerOptions tune StartDemoServer. The zero value is usable.
type DemoServerOptions struct {
	// Dir is where the CA certificate is written; empty means a new
	// temporary folder, removed by Close.
	Dir string
	// Username and Password are the credentials the server accepts;
	// empty means demo@sitecfg.test and a random password.
	Username, Password string
}

// DemoServer is an SMTP submission server on the loopback interface, for
// `sitecfg demo` and tests: STARTTLS with a certificate signed by a CA
// made for this run (written to CAFile), AUTH PLAIN and LOGIN only after
// STARTTLS, and every message it accepts kept in memory.
type DemoServer struct {
	// Addr is "127.0.0.1:PORT"; Host and Port are its parts.
	Addr string
	Host string
	Port int
	// CAFile is the PEM file of the CA that signed the server's
	// certificate: the ca_file a client needs to verify it.
	CAFile string
	// Username and Password are the credentials the server accepts.
	Username, Password string

	srv     *smtp.Server
	served  chan struct{}
	tempDir string

	mu   sync.Mutex
	msgs []DemoMessage
}

// DemoMessage is one message the demo server accepted.
type DemoMessage struct {
	From string
	To   []string
	// Data is the message as received: headers, blank line, body.
	Data []byte
	// User is who authenticated to send it.
	User string
	At   time.Time
}

// StartDemoServer starts a DemoServer on 127.0.0.1 at a free port.
func StartDemoServer(o DemoServerOptions) (*DemoServer, error) {
	d := &DemoServer{Username: o.Username, Password: o.Password, served: make(chan struct{})}
	if d.Username == "" {
		d.Username = "demo@sitecfg.test"
	}
	if d.Password == "" {
		d.Password = randomPassword()
	}
	dir := o.Dir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "sitecfg-demo-"); err != nil {
			return nil, err
		}
		d.tempDir = dir
	}
	fail := func(err error) (*DemoServer, error) {
		if d.tempDir != "" {
			_ = os.RemoveAll(d.tempDir)
		}
		return nil, err
	}
	caPEM, leaf, err := demoCerts(time.Now())
	if err != nil {
		return fail(fmt.Errorf("demo certificates: %w", err))
	}
	d.CAFile = filepath.Join(dir, "demo-ca.pem")
	if err := os.WriteFile(d.CAFile, caPEM, 0o644); err != nil {
		return fail(fmt.Errorf("write demo CA: %w", err))
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(fmt.Errorf("demo server: %w", err))
	}
	addr := l.Addr().(*net.TCPAddr)
	d.Addr, d.Host, d.Port = addr.String(), "127.0.0.1", addr.Port

	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &demoSession{d: d}, nil }))
	s.Domain = "localhost"
	s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{leaf}, MinVersion: tls.VersionTLS12}
	// Credentials only after STARTTLS, as a real submission server does.
	s.AllowInsecureAuth = false
	s.ReadTimeout, s.WriteTimeout = time.Minute, time.Minute
	s.MaxMessageBytes, s.MaxRecipients = 1<<20, 50
	// Dropped connections are the client's business, not the screen's.
	s.ErrorLog = log.New(io.Discard, "", 0)
	d.srv = s
	go func() {
		defer close(d.served)
		_ = s.Serve(l)
	}()
	return d, nil
}

// Messages returns a copy of the messages accepted so far.
func (d *DemoServer) Messages() []DemoMessage {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]DemoMessage(nil), d.msgs...)
}

// Close stops the server and removes the folder it made, if any.
func (d *DemoServer) Close() error {
	err := d.srv.Close()
	<-d.served
	if d.tempDir != "" {
		if rerr := os.RemoveAll(d.tempDir); err == nil {
			err = rerr
		}
	}
	return err
}

// randomPassword is a readable password for the demo, shown on screen.
func randomPassword() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	s := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	return "demo-" + s[:4] + "-" + s[4:8] + "-" + s[8:12]
}

// demoSession is one SMTP connection to the demo server.
type demoSession struct {
	d    *DemoServer
	user string
	from string
	to   []string
}

func (s *demoSession) AuthMechanisms() []string { return []string{sasl.Plain, sasl.Login} }

func (s *demoSession) Auth(mech string) (sasl.Server, error) {
	check := func(user, pass string) error {
		u := subtle.ConstantTimeCompare([]byte(user), []byte(s.d.Username))
		p := subtle.ConstantTimeCompare([]byte(pass), []byte(s.d.Password))
		if u&p != 1 {
			return smtp.ErrAuthFailed
		}
		s.user = user
		return nil
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(identity, user, pass string) error {
			if identity != "" && identity != user {
				return smtp.ErrAuthFailed
			}
			return check(user, pass)
		}), nil
	case sasl.Login:
		return &loginServer{check: check}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

func (s *demoSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from, s.to = from, nil
	return nil
}

func (s *demoSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.to = append(s.to, to)
	return nil
}

func (s *demoSession) Data(r io.Reader) error {
	if s.user == "" {
		return smtp.ErrAuthRequired
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.d.mu.Lock()
	defer s.d.mu.Unlock()
	s.d.msgs = append(s.d.msgs, DemoMessage{From: s.from, To: append([]string(nil), s.to...), Data: b, User: s.user, At: time.Now()})
	return nil
}

func (s *demoSession) Reset()        { s.from, s.to = "", nil }
func (s *demoSession) Logout() error { return nil }

// loginServer is the server side of AUTH LOGIN (which go-sasl only
// implements for clients): "Username:", then "Password:".
type loginServer struct {
	check func(user, pass string) error
	user  string
	step  int
}

func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	switch l.step {
	case 0:
		if resp != nil { // the username came with the command
			l.user, l.step = string(resp), 2
			return []byte("Password:"), false, nil
		}
		l.step = 1
		return []byte("Username:"), false, nil
	case 1:
		l.user, l.step = string(resp), 2
		return []byte("Password:"), false, nil
	case 2:
		l.step = 3
		return nil, true, l.check(l.user, string(resp))
	}
	return nil, false, errors.New("unexpected response")
}
