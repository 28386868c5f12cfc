package smtpauth

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"testing"
	"time"

	"sitecfg/internal/testpki"
)

// With a ca_file, the server is verified against that file alone first;
// the system store is only consulted (loaded) when the file's CA is not
// the signer, and the error is then the full verification's.
func TestVerifyCAFileFirst(t *testing.T) {
	now := time.Now()
	mine, err := testpki.NewCA("ca_file CA", now.Add(-time.Hour), now.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	other, err := testpki.NewCA("another CA", now.Add(-time.Hour), now.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	state := func(ca *testpki.CA) tls.ConnectionState {
		leaf, err := ca.ServerCert(testpki.ServerCertOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var chain []*x509.Certificate
		for _, der := range leaf.Certificate {
			c, err := x509.ParseCertificate(der)
			if err != nil {
				t.Fatal(err)
			}
			chain = append(chain, c)
		}
		return tls.ConnectionState{PeerCertificates: chain}
	}
	for _, tt := range []struct {
		name      string
		signer    *testpki.CA
		host      string
		fallback  bool // whether the rest of the roots were needed
		wantErr   any
		restRoots *x509.CertPool
	}{
		{"signed by ca_file", mine, "localhost", false, nil, x509.NewCertPool()},
		{"wrong host, ca_file's CA", mine, "mail.example.test", false, x509.HostnameError{}, x509.NewCertPool()},
		{"unknown CA", other, "localhost", true, x509.UnknownAuthorityError{}, x509.NewCertPool()},
		{"signed by a system root", other, "localhost", true, nil, other.Pool()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			used := false
			err := verifyFirst(state(tt.signer), tt.host, now, mine.Pool(), func() *x509.CertPool { used = true; return tt.restRoots })
			if used != tt.fallback {
				t.Errorf("fell back to the other roots: %v, want %v", used, tt.fallback)
			}
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			var cve *tls.CertificateVerificationError
			if !errors.As(err, &cve) || len(cve.UnverifiedCertificates) == 0 {
				t.Fatalf("err = %#v, want a *tls.CertificateVerificationError", err)
			}
			switch tt.wantErr.(type) {
			case x509.HostnameError:
				var he x509.HostnameError
				if !errors.As(cve.Err, &he) {
					t.Errorf("err = %v, want a HostnameError", cve.Err)
				}
			case x509.UnknownAuthorityError:
				var ue x509.UnknownAuthorityError
				if !errors.As(cve.Err, &ue) {
					t.Errorf("err = %v, want an UnknownAuthorityError", cve.Err)
				}
			}
		})
	}
}

// withQuickAck wraps sockets only.
func TestWithQuickAckWrapsSocketsOnly(t *testing.T) {
	a, b := netPipe()
	defer a.Close()
	defer b.Close()
	if c := withQuickAck(a); c != a {
		t.Errorf("a pipe was wrapped: %T", c)
	}
}
