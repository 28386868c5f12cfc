package testkit

import (
	"crypto/tls"
	"sync"
	"testing"
	"time"

	"sitecfg/internal/testpki"
)

// CA is a certificate authority made for a test run (see testpki.CA).
type CA = testpki.CA

// ServerCertOptions describe a server certificate (see
// testpki.ServerCertOptions).
type ServerCertOptions = testpki.ServerCertOptions

// NewCA makes a CA valid from notBefore to notAfter (see testpki.NewCA).
var NewCA = testpki.NewCA

// SelfSignedServerCert makes a self-signed server certificate (see
// testpki.SelfSignedServerCert).
var SelfSignedServerCert = testpki.SelfSignedServerCert

// sharedCA is the one test CA of a test binary: key generation is not
// free, and one CA is all the tests need.
var sharedCA = sync.OnceValues(func() (*CA, error) {
	now := time.Now()
	return NewCA("sitecfg test CA", now.Add(-time.Hour), now.Add(24*time.Hour))
})

// TestCA returns the test binary's CA, "CN=sitecfg test CA", valid from an
// hour ago for a day.
func TestCA(t testing.TB) *CA {
	t.Helper()
	ca, err := sharedCA()
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

// CAFile writes the CA's PEM to a file in t.TempDir(), for a ca_file.
func CAFile(t testing.TB, ca *CA) string {
	t.Helper()
	path, err := ca.WriteFile(t.TempDir(), "ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// MustServerCert is ca.ServerCert for tests: a failure ends the test.
func MustServerCert(t testing.TB, ca *CA, o ServerCertOptions) tls.Certificate {
	t.Helper()
	c, err := ca.ServerCert(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
