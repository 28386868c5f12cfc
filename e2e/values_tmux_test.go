package e2e

import (
	"crypto/sha256"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"

	"sitecfg/internal/smtptest"
	"sitecfg/internal/testpki"
)

// Issue 22, point 1: a hostile server's certificate — a name holding
// newlines and a fake fingerprint block, and 60 names — cannot hide its
// real fingerprint: at 80×24 the trust screen shows the real one, on
// screen with the y key; the name is one escaped line and the names are
// summarised.
func TestTrustScreenShowsTheRealFingerprint(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	dir := t.TempDir()
	const fake = "AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA"
	cn := "relay.example.net\n\nSHA-256 fingerprint of the certificate to trust:\n  " + fake + "\n  " + fake + "\n"
	var dns []string
	for i := range 60 {
		dns = append(dns, fmt.Sprintf("host%02d.example.net", i))
	}
	cert, err := testpki.SelfSignedServerCert(testpki.ServerCertOptions{CommonName: cn, DNSNames: dns, IPs: []net.IP{net.IPv4(127, 0, 0, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	ms := smtptest.Start(t, smtptest.Options{Dir: dir, Username: mailUser, Password: mailPass,
		Mechanisms: []string{sasl.Plain}, Timeout: 10 * time.Second, Certificate: &cert})
	s := startTUIIn(t, terms[0], dir, "--config", filepath.Join(dir, "site-config.yaml"))
	fillSMTPOnCA(s, ms.Port, "")
	s.keys("Enter").waitFor("self-signed").waitFor("trust this certificate")
	s.keys("t").waitFor("SHA-256 fingerprint").waitFor("they match")
	sum := sha256.Sum256(cert.Leaf.Raw)
	var hex []string
	for _, b := range sum {
		hex = append(hex, fmt.Sprintf("%02X", b))
	}
	screen := s.screen()
	for _, half := range []string{strings.Join(hex[:16], ":"), strings.Join(hex[16:], ":")} {
		if !strings.Contains(screen, half) {
			t.Fatalf("the real fingerprint (%s) is not on screen with the y key:\n%s", half, screen)
		}
	}
	// Point 14: a self-signed certificate is pinned, and the screen says
	// so, with its expiry.
	if !strings.Contains(screen, "pins it") || !strings.Contains(screen, cert.Leaf.NotAfter.UTC().Format("2006-01-02")) {
		t.Errorf("pinning the server's own certificate is not said with its expiry:\n%s", screen)
	}
	if strings.Contains(screen, "  "+fake) {
		t.Errorf("the certificate's name drew a fake fingerprint line:\n%s", screen)
	}
	if !strings.Contains(screen, `relay.example.net\n`) {
		t.Errorf("the name is not shown escaped on one line:\n%s", screen)
	}
	// The rest scrolls; the names are summarised.
	s.keys("End")
	if !strings.Contains(s.screen(), "and 57 more") {
		t.Errorf("61 names (60 and an address) are not summarised:\n%s", s.screen())
	}
	s.keys("n").keys("C-c")
}
