package smtpauth

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
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
func tlsConfig(s Settings, now func() time.Time) (*tls.Config, error) {
	var pool *x509.CertPool
	if s.RootCAs != nil {
		pool = s.RootCAs.Clone()
	} else {
		sys, err := x509.SystemCertPool()
		if err != nil || sys == nil {
			sys = x509.NewCertPool()
		}
		pool = sys
	}
	if s.CAFile != "" {
		pem, err := fileread.Regular(s.CAFile, fileread.PEM)
		if err != nil {
			return nil, err
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s: %w", s.CAFile, errNoCertsInCAFile)
		}
	}
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		ServerName: s.Host,
		RootCAs:    pool,
		Time:       now,
	}, nil
}

// handshake runs the TLS client handshake over c within ctx.
func handshake(ctx context.Context, c net.Conn, cfg *tls.Config) (*tls.Conn, error) {
	tc := tls.Client(c, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
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
