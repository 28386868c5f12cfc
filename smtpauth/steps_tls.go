package smtpauth

import (
	"errors"
	"fmt"
	"time"

	"github.com/emersion/go-smtp"
)

// certWarnBefore is how long before a certificate expires the check warns.
const certWarnBefore = 14 * 24 * time.Hour

// implicitTLS is the TLS step for security: tls, straight after connecting.
func (c *checker) implicitTLS() (string, *Diagnosis) {
	return c.handshake(true)
}

// startTLS is the TLS step for security: starttls. STARTTLS must be
// offered: going on without it would send everything, credentials
// included, in clear text (a downgrade an attacker can force by deleting
// one EHLO line).
func (c *checker) startTLS() (string, *Diagnosis) {
	start := time.Now()
	if !c.conn.has("STARTTLS") {
		return "", &Diagnosis{
			Code:    CodeSTARTTLSMissing,
			Field:   "smtp.security",
			Summary: fmt.Sprintf("%s does not offer STARTTLS (%s), so the connection cannot be encrypted; the check stopped before AUTH", c.addr, c.extensionsDetail()),
			Remedy:  "enable STARTTLS on the server, or use its implicit-TLS port with security: tls (usually 465); only for a relay on this machine is security: none acceptable",
		}
	}
	if err := c.conn.startTLS(); err != nil {
		return "", c.diagnoseIO(StepTLS, err, start)
	}
	detail, d := c.handshake(false)
	if d != nil {
		return "", d
	}
	// RFC 3207: forget everything learnt before TLS and ask again.
	if err := c.conn.hello(c.ehloName()); err != nil {
		return "", c.diagnoseHello(StepTLS, err, start)
	}
	return detail + "; after STARTTLS " + c.extensionsDetail(), nil
}

// handshake runs the TLS handshake over the current connection.
func (c *checker) handshake(implicit bool) (string, *Diagnosis) {
	start := time.Now()
	cfg, err := c.tlsConfig()
	if err != nil {
		return "", &Diagnosis{
			Code:    CodeCAFileUnreadable,
			Field:   "smtp.ca_file",
			Summary: "cannot use the CA file: " + err.Error(),
			Remedy:  "point smtp.ca_file at a readable file holding the CA certificate(s) in PEM format",
		}
	}
	tc, err := handshake(c.conn.raw, cfg)
	if err != nil {
		if d := c.cancelled(); d != nil {
			return "", d
		}
		return "", c.diagnoseTLS(err, implicit, start)
	}
	c.conn.attach(tc)
	st := c.conn.tls
	if len(st.PeerCertificates) > 0 {
		cert := st.PeerCertificates[0]
		if left := cert.NotAfter.Sub(c.o.Now()); left < certWarnBefore {
			c.warn(Diagnosis{
				Step: StepTLS, Code: CodeCertExpiresSoon,
				Summary: fmt.Sprintf("the server's certificate expires on %s (in %s)", cert.NotAfter.UTC().Format("2006-01-02"), left.Round(time.Hour)),
				Remedy:  "ask the mail server's administrator to renew the certificate before then: mail will stop when it expires",
			})
		}
	}
	return tlsDetail(st), nil
}

// asSMTP unwraps an SMTP reply error.
func asSMTP(err error) (*smtp.SMTPError, bool) {
	var se *smtp.SMTPError
	ok := errors.As(err, &se)
	return se, ok
}
