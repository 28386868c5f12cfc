package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"sitecfg/config"
	"sitecfg/internal/testkit"
)

// copyAnswers puts a testdata answers file into dir.
func copyAnswers(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(testdata("answers", name))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestApplyAnswersFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		file    string
		args    []string
		env     []string
		code    int
		stdout  []string
		stderr  []string
		written bool
	}{
		{name: "basic skip-check writes", file: "basic-loopback.yaml", args: []string{"--skip-check"},
			env: []string{"SITECFG_TEST_SMTP_PASSWORD=Relay-Pass-1", "SITECFG_TEST_PORT=2525"}, code: 0,
			stdout: []string{"Wrote"}, stderr: []string{"NOT verified"}, written: true},
		{name: "basic dry run writes nothing", file: "basic-loopback.yaml", args: []string{"--skip-check", "--dry-run"},
			env: []string{"SITECFG_TEST_SMTP_PASSWORD=Relay-Pass-1", "SITECFG_TEST_PORT=2525"}, code: 0,
			stdout: []string{"Dry run"}},
		{name: "check fails on a closed port", file: "basic-loopback.yaml",
			env: []string{"SITECFG_TEST_SMTP_PASSWORD=Relay-Pass-1", "SITECFG_TEST_PORT=" + strconv.Itoa(testkit.ClosedPort(t))}, code: 4,
			stderr: []string{"nothing was written"}},
		{name: "microsoft dry run", file: "microsoft.yaml", args: []string{"--skip-check", "--dry-run"},
			env: []string{"SMTP_OAUTH_CLIENT_SECRET=abc~Q8Q~value"}, code: 0},
		{name: "basic against Exchange warns", file: "basic-exchange.yaml", args: []string{"--skip-check", "--dry-run"},
			env: []string{"SITECFG_TEST_SMTP_PASSWORD=Basic-Pass-1"}, code: 0,
			stderr: []string{"warning: smtp.auth: auth basic against Exchange Online: Exchange Online disables SMTP AUTH basic authentication by default for existing tenants at the end of December 2026",
				"second half of 2027", "use auth: microsoft-oauth", "warning: smtp.from: noc@contoso.com is not the mailbox alerts@contoso.com",
				"Add-RecipientPermission -Identity noc@contoso.com -Trustee alerts@contoso.com -AccessRights SendAs"}},
		{name: "smtp off writes codes", file: "smtp-off.yaml",
			env: []string{"ADMIN_PASSWORD=Adm1n!Secure-x", "SUPPORT_PASSWORD=Supp0rt!Secure-x"}, code: 0,
			stdout: []string{"Recovery codes for siteadmin written to ", "/siteadmin-recovery-codes.txt (mode 0600)"}, written: true},
		{name: "duplicate emails", file: "bad-duplicate-emails.yaml", code: 3,
			stderr: []string{"bad-duplicate-emails.yaml:8:3: error: emails.ui_support", "bad-duplicate-emails.yaml:9:3: error: emails.admiral_alerts", "must differ", "nothing was written"}},
		{name: "unknown keys", file: "bad-unknown-keys.yaml", code: 3,
			stderr: []string{`4:3: error: smtp.sever: unknown key "sever" (did you mean "server"?)`, `unknown key "recipients"`, `(did you mean "admiral_alerts"?)`}},
		{name: "microsoft rules", file: "bad-microsoft.yaml", code: 3,
			stderr: []string{"smtp.server", "smtp.office365.com", "smtp.port", "587", "smtp.security", "smtp.oauth.tenant_id", "smtp.oauth.client_id", "secret's ID, not its value"}},
		{name: "clear text credentials", file: "bad-cleartext.yaml", code: 3, stderr: []string{"clear text"}},
		{name: "unset env and missing file", file: "bad-unset-env.yaml", code: 3,
			stderr: []string{"users.admin.password: environment variable SITECFG_TEST_SURELY_UNSET is not set", "users.support.password: cannot read"}},
		{name: "broken yaml", file: "bad-yaml.yaml", code: 3, stderr: []string{"bad-yaml.yaml:3:1: error: not valid YAML"}},
		{name: "password rules", file: "bad-passwords.yaml", code: 3, stderr: []string{"users.admin.password", "users.support.username", "users.support.password"}},
		{name: "port and IPv6", file: "bad-port.yaml", code: 3, stderr: []string{"smtp.port", "65535"}},
		{name: "missing answers file", file: "", args: []string{"--answers", "no-such.yaml"}, code: 3, stderr: []string{"no-such.yaml"}},
		{name: "no --answers", file: "", code: 2, stderr: []string{"--answers FILE is required"}},
		{name: "bad flag", file: "", args: []string{"--frobnicate"}, code: 2, stderr: []string{"frobnicate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			args := []string{"apply", "--config", "site-config.yaml"}
			if tt.file != "" {
				args = append(args, "--answers", copyAnswers(t, dir, tt.file))
			}
			args = append(args, tt.args...)
			r := runBin(t, dir, tt.env, "", args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tt.code, r.stdout, r.stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
			_, err := os.Stat(filepath.Join(dir, "site-config.yaml"))
			if written := err == nil; written != tt.written {
				t.Errorf("config written = %v, want %v", written, tt.written)
			}
		})
	}
}

func TestApplyWritesWhatTheContractSays(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := []string{"SITECFG_TEST_SMTP_PASSWORD=Relay-Pass-1", "SITECFG_TEST_PORT=2525"}
	answers := copyAnswers(t, dir, "basic-loopback.yaml")
	if r := runBin(t, dir, env, "", "apply", "--answers", answers, "--skip-check"); r.code != 0 {
		t.Fatalf("apply: %d\n%s", r.code, r.stderr)
	}
	// SITECFG_CONFIG is not set, so the default is ./site-config.yaml.
	path := filepath.Join(dir, "site-config.yaml")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %o", fi.Mode().Perm())
	}
	s, _, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.SMTP.From != "alerts@example.com" || s.Emails.UIAdmin != "admin@example.com" {
		t.Errorf("emails not lower-cased: %+v %+v", s.SMTP.From, s.Emails)
	}
	if got := strings.Join(s.SMTP.DefaultRecipients, ","); got != "noc@example.com,oncall@example.com" {
		t.Errorf("recipients %q", got)
	}
	if s.SMTP.Password.Ref != "${SITECFG_TEST_SMTP_PASSWORD}" {
		t.Errorf("an ${ENV} secret must be stored as the reference, got %q", s.SMTP.Password.Stored())
	}
	raw, _ := os.ReadFile(path)
	if strings.Contains(string(raw), "Relay-Pass-1") {
		t.Error("the resolved secret was written")
	}

	// A second run keeps the first file as .bak; SITECFG_CONFIG picks the path.
	env = append(env, "SITECFG_CONFIG="+path, "SITECFG_TEST_PORT=2526")
	if r := runBin(t, dir, env, "", "apply", "--answers", answers, "--skip-check"); r.code != 0 {
		t.Fatalf("second apply: %d\n%s", r.code, r.stderr)
	}
	bak, _, err := config.Load(path + ".bak")
	if err != nil || bak.SMTP.Port != 2525 {
		t.Fatalf("backup: %v %v", bak, err)
	}
	if fi, _ := os.Stat(path + ".bak"); fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %o", fi.Mode().Perm())
	}
	now, _, _ := config.Load(path)
	if now.SMTP.Port != 2526 {
		t.Errorf("port %d", now.SMTP.Port)
	}
}

func TestApplyJSON(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	answers := copyAnswers(t, dir, "bad-duplicate-emails.yaml")
	r := runBin(t, dir, nil, "", "apply", "--answers", answers, "--json")
	if r.code != 3 {
		t.Fatalf("exit %d", r.code)
	}
	var res struct {
		OK       bool             `json:"ok"`
		ExitCode int              `json:"exit_code"`
		Written  bool             `json:"written"`
		Problems []config.Problem `json:"problems"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
	}
	if res.OK || res.ExitCode != 3 || res.Written || len(res.Problems) < 2 || res.Problems[0].Line == 0 {
		t.Errorf("json = %+v", res)
	}
	if r.stderr != "" {
		t.Errorf("--json should keep stderr quiet, got %q", r.stderr)
	}
}

func TestApplyRefusesWhileLocked(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "site-config.yaml")
	l, err := config.Acquire(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	answers := copyAnswers(t, dir, "basic-loopback.yaml")
	r := runBin(t, dir, []string{"SITECFG_TEST_SMTP_PASSWORD=Relay-Pass-1", "SITECFG_TEST_PORT=2525"}, "", "apply", "--answers", answers, "--skip-check", "--config", path)
	if r.code != 5 || !strings.Contains(r.stderr, "another sitecfg run") {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("written while locked")
	}
}

func TestApplyKeepsABrokenConfigAsBackup(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "site-config.yaml")
	broken := "version: 1\nsmtp: [this is broken\n"
	os.WriteFile(path, []byte(broken), 0o600)
	answers := copyAnswers(t, dir, "basic-loopback.yaml")
	r := runBin(t, dir, []string{"SITECFG_TEST_SMTP_PASSWORD=Relay-Pass-1", "SITECFG_TEST_PORT=2525"}, "", "apply", "--answers", answers, "--skip-check", "--replace-unreadable")
	if r.code != 0 || !strings.Contains(r.stderr, "cannot be read") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	bak, _ := os.ReadFile(path + ".bak")
	if string(bak) != broken {
		t.Errorf("broken file not kept: %q", bak)
	}
}

func TestApplyRefusesNewerConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "site-config.yaml")
	newer := "version: 9\nsmtp:\n  enabled: false\n"
	os.WriteFile(path, []byte(newer), 0o600)
	answers := copyAnswers(t, dir, "basic-loopback.yaml")
	r := runBin(t, dir, []string{"SITECFG_TEST_SMTP_PASSWORD=Relay-Pass-1", "SITECFG_TEST_PORT=2525"}, "", "apply", "--answers", answers, "--skip-check")
	if r.code != 3 || !strings.Contains(r.stderr, "newer sitecfg") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(path); string(b) != newer {
		t.Error("newer config was changed")
	}
}

func TestApplyChecksTheSecretExpiry(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, date string
		code       int
		stderr     string
	}{
		{"expired", time.Now().AddDate(0, 0, -2).Format(time.DateOnly), 3, "error: smtp.oauth.client_secret_expires: the client secret expired"},
		{"expiring", time.Now().AddDate(0, 0, 10).Format(time.DateOnly), 0, "warning: smtp.oauth.client_secret_expires: the client secret expires on"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			b, _ := os.ReadFile(testdata("answers", "microsoft.yaml"))
			p := filepath.Join(dir, "ms.yaml")
			os.WriteFile(p, []byte(strings.Replace(string(b), "2099-06-30", c.date, 1)), 0o600)
			r := runBin(t, dir, []string{"SMTP_OAUTH_CLIENT_SECRET=abc~Q8Q~value"}, "", "apply", "--answers", p, "--skip-check", "--dry-run")
			if r.code != c.code || !strings.Contains(r.stderr, c.stderr) {
				t.Fatalf("exit %d (want %d)\n%s", r.code, c.code, r.stderr)
			}
		})
	}
}
