package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"sitecfg/internal/testkit"
)

// An expired or nearly expired client certificate is one problem, said
// once, on its field with its line:column in the answers file.
func TestApplyReportsCertificateExpiryOnce(t *testing.T) {
	t.Parallel()
	key := testkit.RSAKey(t)
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
			t.Parallel()
			dir := t.TempDir()
			cert := testkit.ClientCert(t, key, c.notAfter.AddDate(-1, 0, 0), c.notAfter)
			pemPath := testkit.WriteFile(t, dir, "client.pem", testkit.CertPEM(cert), testkit.KeyPEM(t, key, "RSA PRIVATE KEY"))
			b, _ := os.ReadFile(testdata("answers", "microsoft.yaml"))
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
