package wizard

import (
	"fmt"
	"io"
	"strings"

	"sitecfg/config"
)

// The demo's addresses: three distinct notification addresses, a sender
// and a default recipient, all in a domain reserved for tests.
const (
	demoAdmin     = "admin@sitecfg.test"
	demoSupport   = "support@sitecfg.test"
	demoAlerts    = "admiral-alerts@sitecfg.test"
	demoFrom      = "alerts@sitecfg.test"
	demoRecipient = "noc@sitecfg.test"
)

// DemoAnswers are answers that use the demo server: SMTP on, basic auth
// with its credentials, STARTTLS verified against its CA.
func (d *DemoServer) DemoAnswers() config.Answers {
	return config.Answers{
		Version: config.Version,
		SMTP: config.SMTP{
			Enabled:           true,
			Auth:              config.AuthBasic,
			Server:            d.Host,
			Port:              d.Port,
			Security:          config.SecurityStartTLS,
			CAFile:            d.CAFile,
			Username:          d.Username,
			Password:          config.Secret{Value: d.Password},
			From:              demoFrom,
			DefaultRecipients: []string{demoRecipient},
		},
		Emails: config.Emails{UIAdmin: demoAdmin, UISupport: demoSupport, AdmiralAlerts: demoAlerts},
	}
}

// Defaults is a wizard state prefilled to use the demo server: each
// question's default is the demo's answer, so pressing Enter throughout
// configures it.
func (d *DemoServer) Defaults() *State {
	return &State{Answers: d.DemoAnswers()}
}

// Describe writes what the demo server is and how to log in to it.
func (d *DemoServer) Describe(w io.Writer) {
	fmt.Fprintf(w, "Demo SMTP server listening on %s\n", d.Addr)
	fmt.Fprintf(w, "  security:  STARTTLS, certificate signed by a CA made for this run\n")
	fmt.Fprintf(w, "  CA file:   %s\n", d.CAFile)
	fmt.Fprintf(w, "  username:  %s\n", d.Username)
	fmt.Fprintf(w, "  password:  %s   (AUTH PLAIN or LOGIN)\n", d.Password)
	fmt.Fprintf(w, "Microsoft 365, rehearsed: Entra ID and Exchange Online are imitated here (any cloud)\n")
	fmt.Fprintf(w, "  tenant ID: %s   client ID: %s   mailbox: %s\n", DemoTenant, DemoClientID, d.Username)
	fmt.Fprintf(w, "  microsoft-oauth:     client secret %s\n", DemoClientSecret)
	fmt.Fprintf(w, "  microsoft-delegated: the demo's sign-in page approves by itself and shows the\n")
	fmt.Fprintf(w, "                       http://localhost address to paste back (no browser needed)\n")
}

// Format shows a received message as the server got it: envelope, then
// headers and body.
func (m DemoMessage) Format() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Envelope: MAIL FROM:<%s> RCPT TO:<%s> (authenticated as %s)\n", m.From, strings.Join(m.To, ">, <"), m.User)
	b.WriteString(strings.ReplaceAll(string(m.Data), "\r\n", "\n"))
	if !strings.HasSuffix(b.String(), "\n") {
		b.WriteByte('\n')
	}
	return b.String()
}
