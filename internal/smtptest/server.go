package smtptest

import (
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"sitecfg/internal/testpki"
)

// Options tune a Server. The zero value is a submission server: STARTTLS
// with a certificate from a CA made for the run, AUTH PLAIN and LOGIN
// after STARTTLS only, MAIL only after AUTH, a random password.
type Options struct {
	// Dir is where the CA certificate is written, as CAFileName; empty
	// means a new temporary folder, removed by Close.
	Dir string
	// CAFileName defaults to "ca.pem".
	CAFileName string
	// CA signs the server's certificate; nil means a new CA named CAName,
	// valid for 398 days (no client warns of a certificate near expiry).
	CA *testpki.CA
	// CAName is the new CA's common name; empty means "sitecfg smtptest
	// CA (throwaway)".
	CAName string
	// Certificate, when set, is served instead of one signed by CA (an
	// expired, self-signed or wrong-host certificate, say).
	Certificate *tls.Certificate
	// NoTLS offers neither STARTTLS nor TLS.
	NoTLS bool
	// ImplicitTLS speaks TLS from the first byte (port 465's "SSL").
	ImplicitTLS bool
	// MinTLSVersion and MaxTLSVersion bound the versions the server
	// speaks; zero means TLS 1.2 and crypto/tls's maximum.
	MinTLSVersion, MaxTLSVersion uint16
	// Domain is the server's name in its greeting; empty means localhost.
	Domain string

	// Username and Password are the credentials PLAIN and LOGIN accept;
	// an empty Password means a random one (see Server.Password).
	Username, Password string
	// Mechanisms are the AUTH mechanisms offered; nil means PLAIN and
	// LOGIN, an empty slice none. XOAUTH2 and OAUTHBEARER accept
	// Username with one of Tokens.
	Mechanisms []string
	// Tokens returns the bearer tokens XOAUTH2 and OAUTHBEARER accept.
	Tokens func() []string
	// AllowInsecureAuth offers AUTH before TLS.
	AllowInsecureAuth bool
	// AllowAnonymous takes MAIL, RCPT and DATA without AUTH (a relay).
	AllowAnonymous bool

	// AuthError, when set, is the reply to AUTH PLAIN, LOGIN and XOAUTH2
	// whatever the credentials (XOAUTH2 sends its error challenge first,
	// as Exchange does).
	AuthError *smtp.SMTPError
	// DropAuth hangs up as soon as the client's credentials arrive.
	DropAuth bool
	// MailError, when set, is the reply to every MAIL FROM.
	MailError *smtp.SMTPError
	// RejectRecipients are refused at RCPT TO with 550 5.1.1.
	RejectRecipients []string
	// DeferRecipients are refused for now at RCPT TO with 450 4.2.0
	// (greylisting).
	DeferRecipients []string
	// MaxRecipients, when positive, is how many recipients one message
	// may have: RCPT TO beyond it gets Exchange Online's 452 4.5.3.
	MaxRecipients int
	// StrictHELO refuses, as Postfix's reject_non_fqdn_helo_hostname
	// does (at RCPT TO, its default smtpd_delay_reject), a HELO/EHLO name
	// that is neither a dotted name nor an address literal.
	StrictHELO bool
	// DataError, when set, is the reply to every message, once read.
	DataError *smtp.SMTPError

	// Timeout bounds each read and write; zero means a minute.
	Timeout time.Duration
}

// caLife is long enough that a client's live check has no expiry warning
// to give about the server's own certificate.
const caLife = 398 * 24 * time.Hour

// Server is a running SMTP server on 127.0.0.1.
type Server struct {
	// Addr is "127.0.0.1:PORT"; Host and Port are its parts.
	Addr string
	Host string
	Port int
	// CA signed the server's certificate (nil with NoTLS), and CAFile is
	// its PEM file: the ca_file a client needs to verify the server.
	CA     *testpki.CA
	CAFile string
	// Username and Password are the credentials the server accepts.
	Username, Password string
	// Wire is everything clients sent.
	Wire *Wire

	o       Options
	reject  map[string]bool
	deferTo map[string]bool
	srv     *smtp.Server
	ln      net.Listener
	served  chan struct{}
	tempDir string

	mu     sync.Mutex
	msgs   []Message
	logins []string
}

// Message is one message the server accepted.
type Message struct {
	From string
	To   []string
	// Data is the message as received: headers, blank line, body.
	Data []byte
	// User is who authenticated to send it ("" when anonymous).
	User string
	At   time.Time
}

// NewServer starts a Server on 127.0.0.1 at a free port.
func NewServer(o Options) (*Server, error) {
	s := &Server{Username: o.Username, Password: o.Password, o: o, served: make(chan struct{}), reject: map[string]bool{}, deferTo: map[string]bool{}}
	for _, r := range o.RejectRecipients {
		s.reject[r] = true
	}
	for _, r := range o.DeferRecipients {
		s.deferTo[r] = true
	}
	if s.Password == "" {
		s.Password = randomPassword()
	}
	if s.o.Mechanisms == nil {
		s.o.Mechanisms = []string{sasl.Plain, sasl.Login}
	}
	tlsConfig, err := s.makeTLS()
	if err != nil {
		return nil, s.fail(err)
	}

	ln, addr, err := listen()
	if err != nil {
		return nil, s.fail(fmt.Errorf("smtp test server: %w", err))
	}
	s.Addr, s.Host, s.Port, s.Wire = addr.String(), "127.0.0.1", addr.Port, ln.w

	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{s: s, c: c}, nil }))
	srv.Domain = o.Domain
	if srv.Domain == "" {
		srv.Domain = "localhost"
	}
	srv.TLSConfig = tlsConfig
	srv.AllowInsecureAuth = o.AllowInsecureAuth
	srv.ReadTimeout, srv.WriteTimeout = o.Timeout, o.Timeout
	if o.Timeout == 0 {
		srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	}
	srv.MaxMessageBytes, srv.MaxRecipients = 1<<20, 50
	// Dropped connections are the client's business, not the screen's.
	srv.ErrorLog = log.New(io.Discard, "", 0)
	s.srv, s.ln = srv, ln

	var l net.Listener = ln
	if o.ImplicitTLS && tlsConfig != nil {
		l = tls.NewListener(ln, tlsConfig)
	}
	go func() {
		defer close(s.served)
		_ = srv.Serve(l)
	}()
	return s, nil
}

// Start is NewServer for a test: a failure ends the test, and the server
// is closed when the test ends.
func Start(t TB, o Options) *Server {
	t.Helper()
	s, err := NewServer(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// makeTLS makes the server's certificate and writes its CA's file.
func (s *Server) makeTLS() (*tls.Config, error) {
	o := s.o
	if o.NoTLS {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: o.MinTLSVersion, MaxVersion: o.MaxTLSVersion}
	if cfg.MinVersion == 0 {
		cfg.MinVersion = tls.VersionTLS12
	}
	s.CA = o.CA
	if s.CA == nil {
		now := time.Now()
		name := o.CAName
		if name == "" {
			name = "sitecfg smtptest CA (throwaway)"
		}
		ca, err := testpki.NewCA(name, now.Add(-time.Hour), now.Add(caLife))
		if err != nil {
			return nil, fmt.Errorf("test CA: %w", err)
		}
		s.CA = ca
	}
	if o.Certificate != nil {
		cfg.Certificates = []tls.Certificate{*o.Certificate}
	} else {
		leaf, err := s.CA.ServerCert(testpki.ServerCertOptions{})
		if err != nil {
			return nil, err
		}
		cfg.Certificates = []tls.Certificate{leaf}
	}
	dir := o.Dir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "smtptest-"); err != nil {
			return nil, err
		}
		s.tempDir = dir
	}
	name := o.CAFileName
	if name == "" {
		name = "ca.pem"
	}
	var err error
	s.CAFile, err = s.CA.WriteFile(dir, name)
	return cfg, err
}

// fail undoes what NewServer did before err.
func (s *Server) fail(err error) error {
	if s.tempDir != "" {
		_ = os.RemoveAll(s.tempDir)
	}
	return err
}

// Messages returns a copy of the messages accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Logins returns "MECHANISM:user" for each successful AUTH so far.
func (s *Server) Logins() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.logins...)
}

// Close stops the server and removes the folder it made, if any.
func (s *Server) Close() error {
	err := s.srv.Close()
	// Serve may not have taken the listener yet, and then srv.Close
	// cannot close it.
	_ = s.ln.Close()
	<-s.served
	if errors.Is(err, smtp.ErrServerClosed) {
		err = nil
	}
	if s.tempDir != "" {
		if rerr := os.RemoveAll(s.tempDir); err == nil {
			err = rerr
		}
	}
	return err
}

func (s *Server) record(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
}

func (s *Server) loggedIn(mech, user string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logins = append(s.logins, mech+":"+user)
}

// randomPassword is a password no client guesses.
func randomPassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
