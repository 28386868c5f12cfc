package smtpauth

import (
	"crypto/x509"
	"fmt"
	"net"
	"strings"
)

// interceptedBy reports whether a certificate presented for host belongs
// to something else: it is not valid for host, and none of its names
// shares host's domain (a proxy that inspects TLS answers with its own
// certificate, or one for whatever it last relayed — package mirrors,
// its own portal). A certificate for another name of the same domain is
// a wrong name, not an interception.
func interceptedBy(cert *x509.Certificate, host string) bool {
	if cert == nil || cert.VerifyHostname(host) == nil {
		return false
	}
	if net.ParseIP(host) != nil {
		return false // an address: no domain to compare with
	}
	domain := parentDomain(host)
	for _, n := range append([]string{cert.Subject.CommonName}, cert.DNSNames...) {
		n = strings.ToLower(strings.TrimPrefix(n, "*."))
		if n != "" && (n == domain || strings.HasSuffix(n, "."+domain)) {
			return false
		}
	}
	return true
}

// parentDomain is host's last two labels ("mail.example.com" →
// "example.com"); a host of two labels or fewer is its own.
func parentDomain(host string) string {
	labels := strings.Split(strings.ToLower(strings.TrimSuffix(host, ".")), ".")
	if len(labels) <= 2 {
		return strings.Join(labels, ".")
	}
	return strings.Join(labels[len(labels)-2:], ".")
}

// intercepted is the diagnosis for a TLS answer that came from something
// between this machine and the server, not from the server: neither the
// security setting nor the certificate is to be changed.
func (c *checker) intercepted(cert *x509.Certificate, what string) *Diagnosis {
	return &Diagnosis{
		Code:  CodeTLSIntercepted,
		Field: "smtp.server",
		Summary: fmt.Sprintf("%s by a certificate for %s, not for %s: something between this machine and the server (a TLS-inspecting proxy or firewall) is answering in its place",
			what, certNames(cert), c.s.Host),
		Remedy: fmt.Sprintf("do not change smtp.security and do not trust that certificate: ask the network team to let this machine reach %s directly (no proxy or TLS inspection for SMTP), then run the check again; "+
			"only if those names are your mail provider's own, set smtp.server to one of them", c.addr),
	}
}
