package smtpauth

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"sitecfg/internal/fileread"
)

// errNotTLS stands for a greeting that turned out to be a TLS record.
var errNotTLS = errors.New("TLS record instead of a greeting")

// errNoCertsInCAFile is returned when ca_file holds no PEM certificate.
var errNoCertsInCAFile = errors.New("no PEM certificate found")

// tlsConfig builds the client TLS configuration: TLS 1.2 or later, the
// server's name checked against its certificate, and the trust anchors the
// operator chose.
//
// With a ca_file the server is verified against that file first, and only
// if it is not the signer against the system roots plus the file: a check
// against a private CA then never parses the system store (hundreds of
// certificates, milliseconds of CPU and megabytes of memory), and the
// diagnosis of an untrusted certificate is that of the full verification,
// as before. The handshake's own verification is replaced by the same
// steps crypto/tls takes (x509 Verify with the server name, the
// intermediates sent and the check's clock), in VerifyConnection.
func tlsConfig(s Settings, now func() time.Time) (*tls.Config, error) {
	cfg := &tls.Config{
		MinVersion: tls.VersionTLS12,
		ServerName: s.Host,
		Time:       now,
	}
	if s.CAFile == "" {
		cfg.RootCAs = s.RootCAs
		if cfg.RootCAs == nil {
			cfg.RootCAs = systemRoots()
		}
		return cfg, nil
	}
	pem, err := fileread.Regular(s.CAFile, fileread.PEM)
	if err != nil {
		return nil, err
	}
	own := x509.NewCertPool()
	if !own.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s: %w", s.CAFile, errNoCertsInCAFile)
	}
	// Everything else: the caller's roots or the system's, plus the file.
	all := func() *x509.CertPool {
		var pool *x509.CertPool
		if s.RootCAs != nil {
			pool = s.RootCAs.Clone()
		} else {
			pool = systemRoots().Clone()
		}
		pool.AppendCertsFromPEM(pem)
		return pool
	}
	cfg.InsecureSkipVerify = true // verified below, never skipped
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		return verifyFirst(cs, s.Host, now(), own, all)
	}
	return cfg, nil
}

// verifyFirst verifies the server's chain against first, and when no
// chain leads there (an unknown authority) against rest(). A failure is
// a *tls.CertificateVerificationError, as crypto/tls's own.
func verifyFirst(cs tls.ConnectionState, host string, now time.Time, first *x509.CertPool, rest func() *x509.CertPool) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("tls: server sent no certificate")
	}
	opts := x509.VerifyOptions{DNSName: host, CurrentTime: now, Roots: first, Intermediates: x509.NewCertPool()}
	for _, c := range cs.PeerCertificates[1:] {
		opts.Intermediates.AddCert(c)
	}
	_, err := cs.PeerCertificates[0].Verify(opts)
	var ua x509.UnknownAuthorityError
	if errors.As(err, &ua) {
		opts.Roots = rest()
		_, err = cs.PeerCertificates[0].Verify(opts)
	}
	if err != nil {
		return &tls.CertificateVerificationError{UnverifiedCertificates: cs.PeerCertificates, Err: err}
	}
	return nil
}

// systemRoots is the system certificate store (loaded once per process by
// crypto/x509), or an empty pool when there is none.
func systemRoots() *x509.CertPool {
	sys, err := x509.SystemCertPool()
	if err != nil || sys == nil {
		return x509.NewCertPool()
	}
	return sys
}

// handshake runs the TLS client handshake over c, a guarded connection
// (guard): the check's deadline and cancellation reach the handshake
// through it, as they reach every other step, so the handshake is given
// no context of its own (HandshakeContext would start a goroutine to
// watch one, on every check).
func handshake(c *guardedConn, cfg *tls.Config) (*tls.Conn, error) {
	tc := tls.Client(c, cfg)
	if err := tc.Handshake(); err != nil {
		return nil, err
	}
	return tc, nil
}

// tlsDetail describes an established TLS session for the step's detail.
func tlsDetail(st *tls.ConnectionState) string {
	d := tls.VersionName(st.Version) + ", " + tls.CipherSuiteName(st.CipherSuite)
	if len(st.PeerCertificates) > 0 {
		cert := st.PeerCertificates[0]
		d += fmt.Sprintf(", certificate for %s issued by %s, valid until %s",
			certNames(cert), name(cert.Issuer.CommonName, cert.Issuer.String()), cert.NotAfter.UTC().Format("2006-01-02"))
	}
	return d
}

// certNames lists the names a certificate is valid for.
func certNames(cert *x509.Certificate) string {
	var names []string
	names = append(names, cert.DNSNames...)
	for _, ip := range cert.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 {
		return "no DNS names (subject " + cert.Subject.String() + ")"
	}
	return strings.Join(names, ", ")
}

func name(preferred, fallback string) string {
	if preferred != "" {
		return preferred
	}
	return fallback
}

// certSummary describes a certificate for a diagnosis.
func certSummary(cert *x509.Certificate) string {
	return fmt.Sprintf("subject %q, issuer %q, valid %s to %s, for names: %s",
		cert.Subject.String(), cert.Issuer.String(),
		cert.NotBefore.UTC().Format("2006-01-02"), cert.NotAfter.UTC().Format("2006-01-02"),
		certNames(cert))
}

// isTLSRecord reports whether b starts like a TLS record (handshake or
// alert, any TLS version): what a server on an implicit-TLS port sends
// when it is spoken to in plain text.
func isTLSRecord(b []byte) bool {
	return len(b) >= 2 && (b[0] == 0x15 || b[0] == 0x16) && b[1] == 0x03
}

// isOldTLS reports whether err says the server wanted a TLS version below
// our minimum.
func isOldTLS(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "unsupported protocol version") ||
		strings.Contains(msg, "protocol version not supported") ||
		strings.Contains(msg, "no supported versions")
}
