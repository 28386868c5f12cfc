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

// Issue 22, point 14: trusting a certificate never replaces the file
// already at its place (perhaps the CA file in use: its certificates are
// kept, the new one added), never follows a symlink there, and writes
// mode 0644 before the rename.
func TestSaveTrustKeepsWhatIsThere(t *testing.T) {
	t.Parallel()
	self, err := testpki.SelfSignedServerCert(testpki.ServerCertOptions{CommonName: "relay.example.net"})
	if err != nil {
		t.Fatal(err)
	}
	tr := checkview.NewTrust(&smtpauth.Diagnosis{Code: smtpauth.CodeCertSelfSigned, Chain: []*x509.Certificate{self.Leaf}})
	dir := t.TempDir()
	path := filepath.Join(dir, "site-config-smtp-ca.pem")
	const inUse = "-----BEGIN CERTIFICATE-----\nMIIBinUse\n-----END CERTIFICATE-----\n"
	os.WriteFile(path, []byte(inUse), 0o600)
	if _, err := saveTrustAt(path, tr); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(b), inUse) || !strings.Contains(string(b), string(tr.PEM())) {
		t.Errorf("the CA file in use was replaced:\n%s", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", fi.Mode())
	}
	if _, err := saveTrustAt(path, tr); err != nil || strings.Count(readString(path), "BEGIN CERTIFICATE") != 2 {
		t.Errorf("trusting twice adds it twice: %v", err)
	}
	// A symlink there is refused, its target untouched.
	target := filepath.Join(dir, "target")
	os.WriteFile(target, []byte("precious\n"), 0o600)
	link := filepath.Join(dir, "link.pem")
	os.Symlink(target, link)
	if _, err := saveTrustAt(link, tr); err == nil || readString(target) != "precious\n" {
		t.Errorf("a symlink was followed: %v", err)
	}
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o600 {
		t.Errorf("the link's target was chmodded: %v", fi.Mode())
	}
	// A file holding no certificate is not replaced.
	notes := filepath.Join(dir, "notes.pem")
	os.WriteFile(notes, []byte("notes\n"), 0o600)
	if _, err := saveTrustAt(notes, tr); err == nil || readString(notes) != "notes\n" {
		t.Errorf("a file without certificates was replaced: %v", err)
	}
}

func readString(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}
