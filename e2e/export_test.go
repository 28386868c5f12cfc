package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportNeverPrintsSecretsAndRoundTrips(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// A literal secret in the answers is stored as given (0600 file)...
	answers := filepath.Join(dir, "a.yaml")
	b, _ := os.ReadFile(testdata("answers", "basic-loopback.yaml"))
	literal := strings.Replace(string(b), "${SITECFG_TEST_SMTP_PASSWORD}", "Literal-Canary-Secret-77", 1)
	os.WriteFile(answers, []byte(literal), 0o600)
	env := []string{"SITECFG_TEST_PORT=2525"}
	if r := runBin(t, dir, env, "", "apply", "--answers", answers, "--skip-check"); r.code != 0 {
		t.Fatalf("apply: %d %s", r.code, r.stderr)
	}
	// ...but export replaces it with a reference.
	r := runBin(t, dir, nil, "", "export")
	if r.code != 0 {
		t.Fatalf("export: %d %s", r.code, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, "Literal-Canary-Secret-77") {
		t.Fatal("export printed the secret")
	}
	if !strings.Contains(r.stdout, "password: ${SMTP_PASSWORD}") {
		t.Errorf("export output:\n%s", r.stdout)
	}
	// The export is itself a valid answers file.
	exported := filepath.Join(dir, "exported.yaml")
	os.WriteFile(exported, []byte(r.stdout), 0o600)
	r = runBin(t, dir, []string{"SMTP_PASSWORD=x-Other-1"}, "", "apply", "--answers", exported, "--skip-check", "--dry-run", "--config", filepath.Join(dir, "other.yaml"))
	if r.code != 0 {
		t.Errorf("exported answers do not apply: %d\n%s", r.code, r.stderr)
	}
}

func TestExportOfLegacyConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	b, _ := os.ReadFile(testdata("legacy", "pre-notifier-smtp.yaml"))
	path := filepath.Join(dir, "site-config.yaml")
	os.WriteFile(path, b, 0o600)
	r := runBin(t, dir, nil, "", "export", "--config", path)
	if r.code != 0 || !strings.Contains(r.stderr, "pre-notifier") || strings.Contains(r.stdout, "legacy-smtp-pass") {
		t.Fatalf("export legacy: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

func TestCommandLineBasics(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"version"}, 0, "sitecfg "},
		{[]string{"--help"}, 0, "Usage:"},
		{[]string{"apply", "--help"}, 0, "--answers"},
		{[]string{"check", "--help"}, 0, "--send-test"},
		{[]string{"export", "--help"}, 0, "--config"},
		{[]string{"recovery-codes", "--help"}, 0, "--user"},
		{[]string{"reset-password", "--help"}, 0, "--user"},
		{[]string{"demo", "--help"}, 0, ""},
		{[]string{"frobnicate"}, 2, ""},
		{[]string{"check"}, 5, ""},
		{[]string{"export"}, 5, ""},
		{[]string{"reset-password"}, 2, ""},
	} {
		r := runBin(t, dir, nil, "", c.args...)
		if r.code != c.code || !strings.Contains(r.stdout, c.out) {
			t.Errorf("%v: exit %d (want %d)\n%s%s", c.args, r.code, c.code, r.stdout, r.stderr)
		}
	}
}
