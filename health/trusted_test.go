package health

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sitecfg/config"
	"sitecfg/internal/testpki"
)

// Issue 22, point 14: the certificate smtp.ca_file trusts (a pinned
// server certificate, say) has its expiry exported as
// kind="server_certificate" and noticed before it expires.
func TestTrustedCertificateExpiry(t *testing.T) {
	now := time.Now().UTC()
	cert, err := testpki.SelfSignedServerCert(testpki.ServerCertOptions{CommonName: "relay.example.net", NotAfter: now.AddDate(0, 0, 10)})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ca := filepath.Join(dir, "site-config-smtp-ca.pem")
	os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Leaf.Raw}), 0o644)
	a := &config.Answers{SMTP: config.SMTP{Enabled: true, Auth: config.AuthBasic, CAFile: ca}}
	xs := Expiries(a)
	if len(xs) != 1 || xs[0].Kind != KindServerCertificate || !xs[0].At.Equal(cert.Leaf.NotAfter) {
		t.Fatalf("expiries: %+v", xs)
	}
	ns := Notices(a, now, Where{Host: "node1", ConfigPath: "/etc/sitecfg/site-config.yaml"})
	if len(ns) != 1 || !strings.Contains(ns[0].Subject, "trusted mail server certificate expires on") || !strings.Contains(ns[0].Text, ca) {
		t.Errorf("notices: %+v", ns)
	}
}
