package smtpauth

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// diagnoseTLS explains a failed TLS handshake. The certificate a
// verification failure is about comes with the error
// (tls.CertificateVerificationError), so no second, unverified handshake is
// needed to describe it.
func (c *checker) diagnoseTLS(err error, implicit bool, since time.Time) *Diagnosis {
	var cve *tls.CertificateVerificationError
	if errors.As(err, &cve) {
		return c.diagnoseCert(cve)
	}
	var rhe tls.RecordHeaderError
	if errors.As(err, &rhe) {
		said := Printable(string(rhe.RecordHeader[:]))
		if implicit {
			return &Diagnosis{
				Code:       CodePortWantsSTARTTLS,
				Field:      "smtp.security",
				Summary:    fmt.Sprintf("%s answered the TLS handshake in plain text (%q…): this port expects STARTTLS, not implicit TLS", c.addr, said),
				Remedy:     "set security: starttls (usually port 587), or use the server's implicit-TLS port (usually 465) with security: tls",
				ServerSaid: said,
			}
		}
		return &Diagnosis{Code: CodeTLSNotTLS, Summary: fmt.Sprintf("after STARTTLS, %s did not speak TLS (%q…)", c.addr, said),
			Remedy: "the server's STARTTLS is broken, or something in between interferes; ask its administrator", ServerSaid: said}
	}
	switch {
	case isOldTLS(err):
		return &Diagnosis{
			Code:       CodeTLSTooOld,
			Summary:    fmt.Sprintf("%s only offers TLS below 1.2 (TLS 1.0/1.1 are obsolete and refused)", c.addr),
			Remedy:     "enable TLS 1.2 or 1.3 on the mail server",
			ServerSaid: err.Error(),
		}
	case isTimeout(err):
		d := c.noAnswer(StepTLS, since)
		if implicit {
			d.Field = "smtp.security"
			d.Remedy = "the server did not answer the TLS handshake: if this is a STARTTLS port (usually 587), set security: starttls"
		}
		return d
	case isDropped(err):
		d := &Diagnosis{
			Code:       CodeTLSDropped,
			Summary:    fmt.Sprintf("%s closed the connection during the TLS handshake", c.addr),
			Remedy:     "the server and this client share no TLS version or cipher, or the server wants a client certificate; its logs say which",
			ServerSaid: err.Error(),
		}
		if implicit {
			d.Field = "smtp.security"
			d.Remedy = "if this is a STARTTLS port (usually 587), set security: starttls; otherwise " + d.Remedy
		}
		return d
	}
	return &Diagnosis{
		Code:       CodeTLSFailed,
		Summary:    fmt.Sprintf("the TLS handshake with %s failed: %v", c.addr, err),
		Remedy:     "the server and this client could not agree on TLS (TLS 1.2 or later is required); its logs say why",
		ServerSaid: err.Error(),
	}
}

// diagnoseCert explains a certificate that failed verification, naming
// what it is, who issued it, until when, and for which names.
func (c *checker) diagnoseCert(cve *tls.CertificateVerificationError) *Diagnosis {
	d := &Diagnosis{Code: CodeCertInvalid, Field: "smtp.ca_file", ServerSaid: cve.Err.Error()}
	var cert *x509.Certificate
	if len(cve.UnverifiedCertificates) > 0 {
		cert = cve.UnverifiedCertificates[0]
	}
	about := ""
	if cert != nil {
		about = " (" + certSummary(cert) + ")"
	}
	var he x509.HostnameError
	var ue x509.UnknownAuthorityError
	var ie x509.CertificateInvalidError
	switch {
	case errors.As(cve.Err, &he):
		d.Code, d.Field = CodeCertWrongHost, "smtp.server"
		d.Summary = fmt.Sprintf("the server's certificate is not valid for %q%s", c.s.Host, about)
		d.Remedy = "set smtp.server to a name the certificate is valid for, or have the certificate reissued to include " + c.s.Host
	case errors.As(cve.Err, &ie) && ie.Reason == x509.Expired:
		d.Code, d.Field = CodeCertExpired, ""
		now := c.o.Now().UTC().Format("2006-01-02 15:04 MST")
		d.Summary = fmt.Sprintf("the server's certificate has expired or is not yet valid (this machine's clock says %s)%s", now, about)
		d.Remedy = "the mail server's administrator must renew the certificate; if the dates look right, check this machine's clock"
	case errors.As(cve.Err, &ue):
		selfSigned := cert != nil && len(cve.UnverifiedCertificates) == 1 && cert.Subject.String() == cert.Issuer.String()
		if selfSigned {
			d.Code = CodeCertSelfSigned
			d.Summary = "the server's certificate is self-signed, so no certificate authority vouches for it" + about
			d.Remedy = "if you trust it, save that certificate (PEM) and name the file in smtp.ca_file; better, give the server a certificate from your CA"
		} else {
			d.Code = CodeCertUntrusted
			d.Summary = "the server's certificate was signed by an unknown authority (x509: not a trusted CA)" + about
			d.Remedy = "put the certificate of the CA that issued it (PEM) in the file named by smtp.ca_file"
		}
		if c.s.CAFile != "" {
			d.Remedy += "; the CA in " + c.s.CAFile + " did not sign it"
		}
	default:
		d.Summary = "the server's certificate is not acceptable: " + cve.Err.Error() + about
		d.Remedy = "the mail server's administrator must fix its certificate"
	}
	return d
}
