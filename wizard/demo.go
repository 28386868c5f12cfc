package wizard

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"

	"sitecfg/internal/smtptest"
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
}

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
	s, err := smtptest.NewServer(smtptest.Options{
		Dir: o.Dir, CAFileName: "demo-ca.pem", CAName: "sitecfg demo CA (throwaway)",
		Username: o.Username, Password: o.Password,
	})
	if err != nil {
		return nil, fmt.Errorf("demo server: %w", err)
	}
	return &DemoServer{Server: s}, nil
}

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
