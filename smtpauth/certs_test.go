package smtpauth_test

import (
	"crypto/tls"
	"testing"
	"time"

	"sitecfg/internal/testkit"
)

// serverCert is a server certificate signed by the test CA, or by itself.
func serverCert(t *testing.T, self bool, o testkit.ServerCertOptions) *tls.Certificate {
	t.Helper()
	c, err := testkit.TestCA(t).ServerCert(o)
	if self {
		c, err = testkit.SelfSignedServerCert(o)
	}
	if err != nil {
		t.Fatal(err)
	}
	return &c
}

// expiredCert is signed by the test CA and expired yesterday.
func expiredCert(t *testing.T) *tls.Certificate {
	now := time.Now()
	return serverCert(t, false, testkit.ServerCertOptions{NotBefore: now.Add(-48 * time.Hour), NotAfter: now.Add(-24 * time.Hour)})
}

// wrongHostCert is signed by the test CA, for mail.example.org only.
func wrongHostCert(t *testing.T) *tls.Certificate {
	return serverCert(t, false, testkit.ServerCertOptions{CommonName: "mail.example.org", DNSNames: []string{"mail.example.org"}})
}

// selfSignedCert is for localhost, 127.0.0.1 and ::1, signed by itself.
func selfSignedCert(t *testing.T) *tls.Certificate {
	return serverCert(t, true, testkit.ServerCertOptions{})
}
