package checkview

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"sitecfg/internal/testpki"
	"sitecfg/smtpauth"
)

// Issue 22, point 14: the anchor is the CA that really issued the
// server's certificate when the server sends it; a certificate that does
// not chain is never trusted; without a CA the leaf is pinned, and the
// screen says so and when it expires.
func TestTrustPrefersTheChainsCA(t *testing.T) {
	ca, err := testpki.NewCA("Relay Private CA", time.Now().Add(-time.Hour), time.Now().AddDate(5, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := testpki.NewCA("Unrelated CA", time.Now().Add(-time.Hour), time.Now().AddDate(5, 0, 0))
	srv, _ := ca.ServerCert(testpki.ServerCertOptions{CommonName: "relay.example.net"})
	self, _ := testpki.SelfSignedServerCert(testpki.ServerCertOptions{CommonName: "relay.example.net"})
	for _, tc := range []struct {
		name   string
		chain  []*x509.Certificate
		anchor *x509.Certificate
		pins   bool
	}{
		{"leaf and its CA", []*x509.Certificate{srv.Leaf, ca.Cert}, ca.Cert, false},
		{"leaf and an unrelated CA", []*x509.Certificate{srv.Leaf, other.Cert}, srv.Leaf, true},
		{"self-signed", []*x509.Certificate{self.Leaf}, self.Leaf, true},
	} {
		tr := NewTrust(&smtpauth.Diagnosis{Code: smtpauth.CodeCertUntrusted, Chain: tc.chain})
		if tr == nil || tr.Anchor != tc.anchor || tr.PinsLeaf != tc.pins {
			t.Errorf("%s: anchor %v, pins leaf %v", tc.name, tr.Anchor.Subject, tr.PinsLeaf)
			continue
		}
		lines := tr.AnchorLines()
		if tc.pins && (len(lines) == 0 || !contains(lines, "pins it") || !contains(lines, tc.anchor.NotAfter.UTC().Format("2006-01-02"))) {
			t.Errorf("%s: pinning the leaf is not said with its expiry: %q", tc.name, lines)
		}
	}
}

func contains(lines []string, s string) bool { return strings.Contains(strings.Join(lines, " "), s) }
