package main

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sitecfg/wizard"
)

// TestApplyNeverPrintsSecrets applies answers carrying distinctive secret
// values through every outcome — success with a real check and a test
// message, a failed AUTH, invalid answers, dry run, skip-check — with and
// without --json, and scans stdout and stderr for each secret and its
// base64 forms.
func TestApplyNeverPrintsSecrets(t *testing.T) {
	const goodPw = "Canary-Smtp-Pw-5150!"
	const badPw = "Canary-Wrong-Pw-8086!"
	srv, err := wizard.StartDemoServer(wizard.DemoServerOptions{Dir: t.TempDir(), Username: "alerts@example.com", Password: goodPw})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

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
	secrets := []string{goodPw, badPw}
	for _, s := range []string{goodPw, badPw} {
		secrets = append(secrets,
			base64.StdEncoding.EncodeToString([]byte("\x00alerts@example.com\x00"+s)),
			base64.StdEncoding.EncodeToString([]byte(s)))
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
				for _, s := range secrets {
					if strings.Contains(r.stdout, s) || strings.Contains(r.stderr, s) {
						t.Errorf("secret %q appeared in the output:\n%s\n%s", s, r.stdout, r.stderr)
					}
				}
				if tt.code == 4 && !asJSON && !strings.Contains(r.stdout, "smtp.password") {
					t.Errorf("a failed AUTH should point at smtp.password:\n%s", r.stdout)
				}
			})
		}
	}
	if n := len(srv.Messages()); n != 2 {
		t.Errorf("the demo server received %d test messages, want 2 (one per --send-test run)", n)
	}
}
