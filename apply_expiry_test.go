package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// An expired or nearly expired client certificate is one problem, said
// once, on its field with its line:column in the answers file.
func TestApplyReportsCertificateExpiryOnce(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		notAfter time.Time
		code     int
		severity string
	}{
		{"expired", time.Now().Add(-48 * time.Hour), exitInvalid, "error"},
		{"expiring", time.Now().Add(10 * 24 * time.Hour), exitOK, "warning"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "sitecfg SMTP"},
				NotBefore: c.notAfter.AddDate(-1, 0, 0), NotAfter: c.notAfter}
			der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
			if err != nil {
				t.Fatal(err)
			}
			pemPath := filepath.Join(dir, "client.pem")
			os.WriteFile(pemPath, append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
				pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})...), 0o600)
			b, _ := os.ReadFile(filepath.Join("testdata", "answers", "microsoft.yaml"))
			y := strings.Replace(string(b), "client_secret: ${SMTP_OAUTH_CLIENT_SECRET}\n    client_secret_expires: 2099-06-30", "client_certificate: "+pemPath, 1)
			p := filepath.Join(dir, "ms.yaml")
			os.WriteFile(p, []byte(y), 0o600)
			r := runBin(t, dir, nil, "", "apply", "--answers", p, "--skip-check", "--dry-run")
			if r.code != c.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, c.code, r.stderr)
			}
			var about []string
			for _, l := range strings.Split(r.stderr, "\n") {
				if strings.Contains(l, "client certificate") {
					about = append(about, l)
				}
			}
			if len(about) != 1 {
				t.Fatalf("the certificate's expiry is said %d times, want once:\n%s", len(about), r.stderr)
			}
			want := regexp.MustCompile(`^` + regexp.QuoteMeta(p) + `:\d+:\d+: ` + c.severity + `: smtp\.oauth\.client_certificate: `)
			if !want.MatchString(about[0]) {
				t.Errorf("no line:column or wrong field: %q", about[0])
			}
			if c.code == exitInvalid && !strings.Contains(r.stderr, "1 problem(s)") {
				t.Errorf("problem count:\n%s", r.stderr)
			}
		})
	}
}
