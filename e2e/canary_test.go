package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sitecfg/internal/smtptest"
	"sitecfg/internal/testkit"
)

// TestApplyNeverPrintsSecrets applies answers carrying distinctive secret
// values through every outcome — success with a real check and a test
// message, a failed AUTH, invalid answers, dry run, skip-check — with and
// without --json, and scans stdout and stderr for each secret and its
// base64 forms (alone or inside an AUTH PLAIN blob).
func TestApplyNeverPrintsSecrets(t *testing.T) {
	t.Parallel()
	const goodPw = "Canary-Smtp-Pw-5150!"
	const badPw = "Canary-Wrong-Pw-8086!"
	srv := smtptest.Start(t, smtptest.Options{Dir: t.TempDir(), Username: "alerts@example.com", Password: goodPw})

	answers := func(dir, pw, extra string) string {
		p := filepath.Join(dir, "answers.yaml")
		y := fmt.Sprintf(`version: 1
smtp:
  enabled: true
  auth: basic
  server: 127.0.0.1
  port: %d
  security: starttls
  ca_file: %s
  username: alerts@example.com
  password: %s
  from: alerts@example.com
  default_recipients: [noc@example.com]
emails:
  ui_admin: admin@example.com
  ui_support: support@example.com
  admiral_alerts: %s
`, srv.Port, srv.CAFile, pw, extra)
		os.WriteFile(p, []byte(y), 0o600)
		return p
	}
	tests := []struct {
		name   string
		pw     string
		alerts string
		args   []string
		code   int
	}{
		{"check passes and sends", goodPw, "health@example.com", []string{"--send-test"}, 0},
		{"auth fails", badPw, "health@example.com", nil, 4},
		{"invalid answers", goodPw, "admin@example.com", nil, 3},
		{"dry run", goodPw, "health@example.com", []string{"--dry-run"}, 0},
		{"skip check", badPw, "health@example.com", []string{"--skip-check"}, 0},
	}
	for _, tt := range tests {
		for _, asJSON := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s json=%v", tt.name, asJSON), func(t *testing.T) {
				dir := t.TempDir()
				args := append([]string{"apply", "--answers", answers(dir, tt.pw, tt.alerts)}, tt.args...)
				if asJSON {
					args = append(args, "--json")
				}
				r := runBin(t, dir, nil, "", args...)
				if r.code != tt.code {
					t.Fatalf("exit %d, want %d\n%s\n%s", r.code, tt.code, r.stdout, r.stderr)
				}
				testkit.NoSecret(t, r.stdout+"\n"+r.stderr, goodPw, badPw)
				if tt.code == 4 && !asJSON && !strings.Contains(r.stdout, "smtp.password") {
					t.Errorf("a failed AUTH should point at smtp.password:\n%s", r.stdout)
				}
			})
		}
	}
	if n := len(srv.Messages()); n != 2 {
		t.Errorf("the server received %d test messages, want 2 (one per --send-test run)", n)
	}
}
