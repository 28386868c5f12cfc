package config

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	"sitecfg/internal/fileread"
)

// ExpiryWarnDays is how many days before a client secret or certificate
// expires the checks start warning.
const ExpiryWarnDays = 30

// ClientCertificate is an OAuth client certificate and its private key,
// loaded from one PEM file. It signs the client assertion that replaces a
// client secret (RFC 7523). The key never leaves memory: only the file's
// path is stored or exported.
type ClientCertificate struct {
	// Cert is the certificate whose public part is registered with the
	// identity provider.
	Cert *x509.Certificate
	// Key is the certificate's private key (*rsa.PrivateKey or
	// *ecdsa.PrivateKey).
	Key crypto.Signer
	// NotAfter is when the certificate expires.
	NotAfter time.Time
}

// LoadClientCertificate reads a PEM file holding a certificate and its
// private key (RSA or ECDSA; PKCS#1, PKCS#8 or SEC 1 "EC PRIVATE KEY").
// When the file holds a chain, the certificate that matches the key is
// taken. The error says what is missing or wrong, in words an operator
// can act on.
func LoadClientCertificate(path string) (*ClientCertificate, error) {
	data, err := fileread.Regular(path, fileread.PEM)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %v", path, readError(err))
	}
	c, err := ParseClientCertificate(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// Sentinel errors of ParseClientCertificate, for callers that branch.
var (
	ErrNoCertificate = errors.New("no certificate (-----BEGIN CERTIFICATE-----) in the file")
	ErrNoPrivateKey  = errors.New("no private key in the file: put the certificate and its private key in one PEM file (cat cert.pem key.pem > client.pem)")
	ErrKeyMismatch   = errors.New("the private key does not belong to the certificate: the file mixes two different key pairs")
)

// ParseClientCertificate parses PEM data as LoadClientCertificate does.
func ParseClientCertificate(data []byte) (*ClientCertificate, error) {
	var (
		certs []*x509.Certificate
		key   crypto.Signer
	)
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		switch b.Type {
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("the certificate cannot be parsed: %v", err)
			}
			certs = append(certs, c)
		case "RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY":
			if key != nil {
				return nil, errors.New("the file holds more than one private key: keep only the certificate's own key")
			}
			if _, encrypted := b.Headers["Proc-Type"]; encrypted {
				return nil, errEncryptedKey
			}
			k, err := parsePrivateKey(b)
			if err != nil {
				return nil, err
			}
			key = k
		case "ENCRYPTED PRIVATE KEY":
			return nil, errEncryptedKey
		}
	}
	switch {
	case len(certs) == 0 && key == nil:
		if strings.Contains(string(data), "-----BEGIN") {
			return nil, ErrNoCertificate
		}
		return nil, errors.New("not a PEM file: expected -----BEGIN CERTIFICATE----- and -----BEGIN PRIVATE KEY----- blocks (a .pfx must be converted first: openssl pkcs12 -in app.pfx -nodes -out client.pem)")
	case len(certs) == 0:
		return nil, ErrNoCertificate
	case key == nil:
		return nil, ErrNoPrivateKey
	}
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok {
		return nil, ErrKeyMismatch
	}
	for _, c := range certs {
		if pub.Equal(c.PublicKey) {
			return &ClientCertificate{Cert: c, Key: key, NotAfter: c.NotAfter}, nil
		}
	}
	return nil, ErrKeyMismatch
}

var errEncryptedKey = errors.New("the private key is encrypted: sitecfg needs it unencrypted in a file only root can read (openssl pkey -in key.pem -out key-plain.pem)")

// parsePrivateKey accepts the RSA and ECDSA keys a client assertion can
// be signed with.
func parsePrivateKey(b *pem.Block) (crypto.Signer, error) {
	var (
		k   any
		err error
	)
	switch b.Type {
	case "RSA PRIVATE KEY":
		k, err = x509.ParsePKCS1PrivateKey(b.Bytes)
	case "EC PRIVATE KEY":
		k, err = x509.ParseECPrivateKey(b.Bytes)
	default:
		k, err = x509.ParsePKCS8PrivateKey(b.Bytes)
	}
	if err != nil {
		return nil, fmt.Errorf("the private key cannot be parsed: %v", err)
	}
	switch k := k.(type) {
	case *rsa.PrivateKey:
		if k.N.BitLen() < 2048 {
			return nil, fmt.Errorf("the RSA key has %d bits: use at least 2048", k.N.BitLen())
		}
		return k, nil
	case *ecdsa.PrivateKey:
		switch k.Curve.Params().BitSize {
		case 256, 384, 521:
			return k, nil
		}
		return nil, fmt.Errorf("the ECDSA curve %s is not supported: use P-256, or an RSA key", k.Curve.Params().Name)
	case ed25519.PrivateKey:
		return nil, errors.New("an Ed25519 key cannot sign a client assertion here: use an RSA key (or ECDSA P-256)")
	}
	return nil, fmt.Errorf("unsupported private key type %T: use an RSA key", k)
}

// IsRSA reports whether the key is an RSA key, the kind Microsoft Entra
// documents for certificate credentials.
func (c *ClientCertificate) IsRSA() bool {
	_, ok := c.Key.(*rsa.PrivateKey)
	return ok
}

// DaysLeft is the whole days from now until the certificate expires,
// negative once it has.
func (c *ClientCertificate) DaysLeft(now time.Time) int {
	const day = 24 * time.Hour
	d := c.NotAfter.Sub(now)
	days := int(d / day)
	if d < 0 && d%day != 0 {
		days-- // an hour past expiry is day -1, not day 0
	}
	return days
}

// CertificateExpiry returns the problem with a certificate's validity at
// now: an error once it has expired (or before it is valid), a warning
// within ExpiryWarnDays of its expiry, and false when there is nothing to
// say. The message carries the steps to roll the certificate over.
func CertificateExpiry(c *ClientCertificate, now time.Time) (Problem, bool) {
	const field = "smtp.oauth.client_certificate"
	roll := "create a new certificate, upload its public part (.cer/.pem, without the key) under App registrations → the app → " +
		"Certificates & secrets → Certificates, point smtp.oauth.client_certificate at the new PEM file (certificate and key), " +
		"re-run sitecfg check, then remove the old certificate from the app"
	date := c.NotAfter.UTC().Format(time.DateOnly)
	days := c.DaysLeft(now)
	switch {
	case !now.Before(c.NotAfter):
		return Problem{Field: field, Severity: SeverityError,
			Message: fmt.Sprintf("the client certificate expired on %s (%s): %s", date, ago(-days), roll)}, true
	case now.Before(c.Cert.NotBefore):
		return Problem{Field: field, Severity: SeverityError,
			Message: fmt.Sprintf("the client certificate is not valid before %s: check this machine's clock, or wait", c.Cert.NotBefore.UTC().Format(time.DateOnly))}, true
	case days <= ExpiryWarnDays:
		return Problem{Field: field, Severity: SeverityWarning,
			Message: fmt.Sprintf("the client certificate expires on %s, %s: %s", date, in(days), roll)}, true
	}
	return Problem{}, false
}

func ago(days int) string {
	if days <= 1 {
		return "1 day ago"
	}
	return fmt.Sprintf("%d days ago", days)
}

func in(days int) string {
	switch days {
	case 0:
		return "within a day"
	case 1:
		return "in 1 day"
	}
	return fmt.Sprintf("in %d days", days)
}
