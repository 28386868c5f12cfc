package config

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"time"

	"sitecfg/internal/fileread"
)

// TrustedExpiry is the earliest expiry among the certificates the PEM file
// at path holds (smtp.ca_file: a CA, or a server's own certificate pinned
// by "trust this certificate"). An error when the file cannot be read or
// holds no certificate.
func TrustedExpiry(path string) (time.Time, error) {
	data, err := fileread.Regular(path, fileread.PEM)
	if err != nil {
		return time.Time{}, err
	}
	var first time.Time
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err == nil && (first.IsZero() || c.NotAfter.Before(first)) {
			first = c.NotAfter
		}
	}
	if first.IsZero() {
		return time.Time{}, errors.New("no certificate in it")
	}
	return first, nil
}

// validateTrustedExpiry warns when a certificate the CA file holds has
// expired or expires within ExpiryWarnDays: the server's certificate can
// then no longer be verified (a pinned server certificate also stops
// working at the server's next renewal). A warning, not an error: the
// live check proves whether the server still chains to what is left. A
// file that cannot be read is the live check's to say.
func validateTrustedExpiry(ps *problemSet, s *SMTP, now time.Time) {
	if s.CAFile == "" || s.Security == SecurityNone {
		return
	}
	at, err := TrustedExpiry(s.CAFile)
	if err != nil {
		return
	}
	date := at.UTC().Format(time.DateOnly)
	const what = "get the renewed certificate (or its CA) from the mail server's administrator, compare its SHA-256 fingerprint, and point smtp.ca_file at it (the wizard's live check offers to trust it)"
	switch days := int(at.Sub(now) / (24 * time.Hour)); {
	case !now.Before(at):
		ps.warnf("smtp.ca_file", "a certificate in %s expired on %s: %s", s.CAFile, date, what)
	case days <= ExpiryWarnDays:
		ps.warnf("smtp.ca_file", "a certificate in %s expires on %s, %s: %s", s.CAFile, date, in(days), what)
	}
}
