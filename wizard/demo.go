package wizard

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"sitecfg/internal/smtptest"
	"sitecfg/internal/testpki"
	"sitecfg/microsoft"
	"sitecfg/smtpauth"
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
// `sitecfg demo` and tests: the smtptest server with its zero options
// (STARTTLS with a certificate signed by a CA made for this run, written
// to CAFile; AUTH PLAIN and LOGIN only after STARTTLS; every message it
// accepts kept in memory), plus the demo's answers and texts.
type DemoServer struct {
	*smtptest.Server
	// Entra is the imitation of Microsoft Entra ID the demo's Microsoft
	// methods sign in at: client credentials with DemoClientSecret, or a
	// delegated sign-in that approves by itself (no browser needed).
	Entra *smtptest.Entra
}

// The demo tenant's app and its client secret (shown on screen).
const (
	DemoTenant       = "5a1e0000-0000-4000-8000-00000000de30"
	DemoClientID     = "5a1e0000-0000-4000-8000-0000000c1e47"
	DemoClientSecret = "demo~client-secret-not-for-real-use"
)

// DemoMessage is one message the demo server accepted.
type DemoMessage smtptest.Message

// StartDemoServer starts a DemoServer on 127.0.0.1 at a free port.
func StartDemoServer(o DemoServerOptions) (*DemoServer, error) {
	if o.Username == "" {
		o.Username = "demo@sitecfg.test"
	}
	if o.Password == "" {
		o.Password = randomPassword()
	}
	// The CA goes in the demo config's ca_file, so the live check verifies
	// the server's certificate for real rather than skipping verification.
	entra, err := smtptest.NewEntra(DemoTenant, DemoClientID, o.Username)
	if err != nil {
		return nil, fmt.Errorf("demo server: %w", err)
	}
	entra.ClientSecret = DemoClientSecret
	// One certificate for loopback and every cloud's Exchange Online host:
	// the Microsoft methods' checks reach this server under those names.
	ca, err := testpki.NewCA("sitecfg demo CA (throwaway)", time.Now().Add(-time.Hour), time.Now().Add(398*24*time.Hour))
	if err != nil {
		entra.Close()
		return nil, fmt.Errorf("demo server: %w", err)
	}
	names := []string{"localhost"}
	for _, c := range microsoft.Clouds {
		names = append(names, c.SMTPHosts()...)
	}
	cert, err := ca.ServerCert(testpki.ServerCertOptions{DNSNames: names, IPs: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}})
	if err != nil {
		entra.Close()
		return nil, fmt.Errorf("demo server: %w", err)
	}
	s, err := smtptest.NewServer(smtptest.Options{
		Dir: o.Dir, CAFileName: "demo-ca.pem", CA: ca, Certificate: &cert,
		Username: o.Username, Password: o.Password,
		Mechanisms: []string{"PLAIN", "LOGIN", "XOAUTH2"}, Tokens: entra.AccessTokens,
	})
	if err != nil {
		entra.Close()
		return nil, fmt.Errorf("demo server: %w", err)
	}
	return &DemoServer{Server: s, Entra: entra}, nil
}

// Close stops the server and the imitation of Entra.
func (d *DemoServer) Close() error {
	d.Entra.Close()
	return d.Server.Close()
}

// Check is the live check against the demo: Exchange Online's hosts are
// this server, Microsoft's sign-in hosts the imitation of Entra.
func (d *DemoServer) Check(ctx context.Context, s smtpauth.Settings, o smtpauth.Options) (*smtpauth.Report, error) {
	if microsoft.IsSubmissionHost(s.Host) {
		o.Dial = func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, d.Addr)
		}
	}
	o.HTTPClient = d.Entra.HTTPClient()
	return smtpauth.Check(ctx, s, o)
}

// SignInClient reaches the imitation of Entra as Microsoft's sign-in
// hosts, for the delegated sign-in.
func (d *DemoServer) SignInClient() *http.Client { return d.Entra.HTTPClient() }

// ApproveSignIn is the demo's sign-in page: it approves the sign-in at
// url by itself and returns the address a browser would land on.
func (d *DemoServer) ApproveSignIn(url string) (string, error) { return d.Entra.SignIn(url) }

// Messages returns a copy of the messages accepted so far.
func (d *DemoServer) Messages() []DemoMessage {
	var out []DemoMessage
	for _, m := range d.Server.Messages() {
		out = append(out, DemoMessage(m))
	}
	return out
}

// randomPassword is a readable password for the demo, shown on screen.
func randomPassword() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	s := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	return "demo-" + s[:4] + "-" + s[4:8] + "-" + s[8:12]
}
