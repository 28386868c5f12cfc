package health

import (
	"fmt"
	"strings"
	"time"

	"sitecfg/config"
)

// KindServerCertificate is the certificate the server's must chain to:
// the earliest to expire of those smtp.ca_file holds (a CA, or the
// server's own certificate pinned by "trust this certificate", which
// then stops working at its expiry or the server's next renewal).
const KindServerCertificate = "server_certificate"

// trustedExpiry is the earliest expiry among the certificates in the
// answers' ca_file; none when there is no ca_file or it cannot be read.
func trustedExpiry(a *config.Answers) []Expiry {
	if a.SMTP.CAFile == "" {
		return nil
	}
	first, err := config.TrustedExpiry(a.SMTP.CAFile)
	if err != nil {
		return nil
	}
	return []Expiry{{Kind: KindServerCertificate, At: first, Date: first.UTC().Format(time.DateOnly)}}
}

// trustedNotice is the notice for a trusted certificate near its expiry.
func trustedNotice(a *config.Answers, x Expiry, days int, w Where) Notice {
	when := x.when(days)
	var b strings.Builder
	fmt.Fprintf(&b, "A certificate that %s trusts for its mail server (smtp.ca_file, %s) %s.\n", w.Host, a.SMTP.CAFile, when)
	b.WriteString("When it has expired, the server's certificate can no longer be verified and the cluster can no longer send email.\n\nWhat to do:\n")
	b.WriteString("1. Get the renewed certificate (or its CA) from the mail server's administrator, with its SHA-256 fingerprint.\n")
	fmt.Fprintf(&b, "2. On %s, run sitecfg --config %s: the live check offers to trust it after you compare the fingerprint.\n", w.Host, w.ConfigPath)
	fmt.Fprintf(&b, "3. Prove it: sitecfg check --config %s\n", w.ConfigPath)
	return Notice{
		Key:     x.Kind + ":" + x.Date,
		Subject: fmt.Sprintf("sitecfg on %s: the trusted mail server certificate %s", w.Host, when),
		Text:    b.String(),
	}
}
