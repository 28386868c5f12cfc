package wizard

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sitecfg/checkview"
	"sitecfg/internal/testpki"
	"sitecfg/smtpauth"
)

// The line prompts offer to trust an untrusted certificate as the TUI
// does: the chain and fingerprint first, then, once confirmed, the
// certificate saved next to the config, ca_file naming it, the check run
// again.
func TestRunLinesTrustCertificate(t *testing.T) {
	t.Parallel()
	cert, err := testpki.SelfSignedServerCert(testpki.ServerCertOptions{CommonName: "relay.example.net"})
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	fc := &fakeCheck{fail: []*smtpauth.Diagnosis{{Step: smtpauth.StepTLS, Code: smtpauth.CodeCertSelfSigned, Field: "smtp.ca_file",
		Summary: "the server's certificate is self-signed", Chain: []*x509.Certificate{leaf}}}}
	r := runLinesWith(t, ans(join(smtpOnAnswers("2525"), []string{"", "y", "n", "t", "y"})...), fc, nil)
	if r.err != nil || r.site == nil {
		t.Fatalf("err = %v\n%s", r.err, r.screen)
	}
	fp := checkview.Fingerprint(leaf)
	for _, want := range []string{"t = trust this certificate", "relay.example.net", "self-signed", fp[:47], fp[48:], "Compare it with the fingerprint"} {
		if !strings.Contains(r.screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, r.screen)
		}
	}
	caFile := filepath.Join(filepath.Dir(r.path), "site-config-smtp-ca.pem")
	if r.site.SMTP.CAFile != caFile || fc.count() != 2 {
		t.Fatalf("ca_file %q (want %q), %d checks", r.site.SMTP.CAFile, caFile, fc.count())
	}
	if fi, err := os.Stat(caFile); err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("saved certificate: %v %v", fi, err)
	}
}
