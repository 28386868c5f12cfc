package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"sitecfg/internal/testkit"
	"sitecfg/internal/testpki"
)

// A certificate the config trusts (smtp.ca_file) that nears its expiry is
// said by `check` itself, not only by --metrics and --notify: once it has
// expired the server's certificate can no longer be verified and the
// cluster stops sending email.
func TestCheckWarnsOfTrustedCertificateExpiry(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notAfter := time.Now().Add(10 * 24 * time.Hour)
	ca, err := testpki.NewCA("Expiring Test CA", time.Now().Add(-time.Hour), notAfter)
	if err != nil {
		t.Fatal(err)
	}
	caFile, err := ca.WriteFile(dir, "ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(testdata("answers", "basic-loopback.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	answers := filepath.Join(dir, "answers.yaml")
	y := strings.Replace(string(b), "  security: starttls\n", "  security: starttls\n  ca_file: "+caFile+"\n", 1)
	if err := os.WriteFile(answers, []byte(y), 0o600); err != nil {
		t.Fatal(err)
	}
	// Nothing listens on the port: the check fails, after the warning.
	env := []string{"SITECFG_TEST_SMTP_PASSWORD=Relay-Pass-1", "SITECFG_TEST_PORT=" + strconv.Itoa(testkit.ClosedPort(t))}
	if r := runBin(t, dir, env, "", "apply", "--answers", answers, "--skip-check"); r.code != 0 {
		t.Fatalf("apply: %d\n%s", r.code, r.stderr)
	}
	date := notAfter.UTC().Format(time.DateOnly)
	r := runBin(t, dir, nil, "", "check", "--timeout", "5s")
	if !strings.Contains(r.stderr, "smtp.ca_file") || !strings.Contains(r.stderr, "expires on "+date) {
		t.Errorf("check does not warn that the trusted certificate expires on %s:\n%s", date, r.stderr)
	}
	r = runBin(t, dir, nil, "", "check", "--json", "--timeout", "5s")
	if !strings.Contains(r.stdout, `"field": "smtp.ca_file"`) || !strings.Contains(r.stdout, "expires on "+date) {
		t.Errorf("check --json does not carry the warning:\n%s", r.stdout)
	}
}
