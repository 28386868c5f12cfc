package testkit

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"sitecfg/internal/testpki"
)

// rsaKey is made once per test binary: RSA key generation is slow.
var rsaKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

// RSAKey returns the test binary's 2048-bit RSA key (the same one on every
// call).
func RSAKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	k, err := rsaKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// ECKey returns a new P-256 key.
func ECKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// ClientCert makes a self-signed client certificate for key, named
// "CN=sitecfg SMTP", valid from notBefore to notAfter: the certificate an
// app registration's credential holds.
func ClientCert(t testing.TB, key crypto.Signer, notBefore, notAfter time.Time) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: testpki.Serial(),
		Subject:      pkix.Name{CommonName: "sitecfg SMTP"},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// CertPEM is c as a PEM CERTIFICATE block.
func CertPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

// KeyPEM encodes key in one of the PEM forms operators meet: "RSA PRIVATE
// KEY" (PKCS #1), "EC PRIVATE KEY" (SEC 1), or "PRIVATE KEY" (PKCS #8).
func KeyPEM(t testing.TB, key crypto.Signer, form string) []byte {
	t.Helper()
	var (
		der []byte
		err error
	)
	switch form {
	case "RSA PRIVATE KEY":
		der = x509.MarshalPKCS1PrivateKey(key.(*rsa.PrivateKey))
	case "EC PRIVATE KEY":
		der, err = x509.MarshalECPrivateKey(key.(*ecdsa.PrivateKey))
	case "PRIVATE KEY":
		der, err = x509.MarshalPKCS8PrivateKey(key)
	default:
		t.Fatalf("KeyPEM: unknown form %q", form)
	}
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: form, Bytes: der})
}

// WriteFile writes parts, one after the other, to dir/name with mode 0600
// (it may hold a key) and returns the path; an empty dir means a new
// t.TempDir().
func WriteFile(t testing.TB, dir, name string, parts ...[]byte) string {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, name)
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
