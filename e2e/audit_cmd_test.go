package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"sitecfg/audit"
	"sitecfg/config"
	"sitecfg/internal/testkit"
)

// auditLines reads the audit log beside cfg, failing on any line that is
// not a whole entry.
func auditLines(t *testing.T, cfg string) []audit.Entry {
	t.Helper()
	data, err := os.ReadFile(audit.Path(cfg))
	if err != nil {
		t.Fatal(err)
	}
	l := audit.Parse(data)
	if l.Skipped != 0 {
		t.Fatalf("%d unreadable lines in the audit log:\n%s", l.Skipped, data)
	}
	return l.Entries
}

// historyJSON is what these tests read of `history --json`.
type historyJSON struct {
	ChangedOutside *audit.Drift  `json:"changed_outside"`
	Skipped        int           `json:"skipped_lines"`
	Entries        []audit.Entry `json:"entries"`
}

func sha(t *testing.T, path string) string {
	t.Helper()
	h, err := audit.HashFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// Every command that writes the config, the recovery codes or a password
// appends exactly one line — also when it fails or is cancelled and
// writes nothing — saying who, where, what, the outcome, the changed
// field paths and the config's SHA-256 before and after. No line holds a
// secret, a code or a hash. Each command runs as its own process, as an
// operator would run it.
func TestEveryWritingCommandAppendsOneAuditLine(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	srv := startSMTP(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "site-config.yaml")
	host, _ := os.Hostname()
	var secrets []string
	var entries []audit.Entry
	// step runs one command and returns its one new audit line.
	step := func(name string, wantCode int, r runResult) audit.Entry {
		t.Helper()
		if r.code != wantCode {
			t.Fatalf("%s: exit %d, want %d\n%s%s", name, r.code, wantCode, r.stdout, r.stderr)
		}
		all := auditLines(t, cfg)
		if len(all) != len(entries)+1 {
			t.Fatalf("%s: %d new audit lines, want 1", name, len(all)-len(entries))
		}
		e := all[len(all)-1]
		entries = all
		if e.Result != wantCode || e.Host != host || e.UID != os.Getuid() || e.User == "" || time.Since(e.Time) > time.Minute {
			t.Errorf("%s: %+v", name, e)
		}
		if e.Written {
			if e.After != sha(t, cfg) {
				t.Errorf("%s: after %s, the file is %s", name, e.After, sha(t, cfg))
			}
			// The chain: each write starts from what the last one left.
			if prev := (&audit.Log{Entries: all[:len(all)-1]}).LastWrite(); prev != nil && e.Before != prev.After {
				t.Errorf("%s: before %s, the last write left %s", name, e.Before, prev.After)
			}
		} else if e.Before != e.After || (e.Before != "" && e.Before != sha(t, cfg)) {
			t.Errorf("%s wrote nothing, but before %s after %s", name, e.Before, e.After)
		}
		return e
	}
	hasFields := func(name string, e audit.Entry, want ...string) {
		t.Helper()
		for _, f := range want {
			if !slices.Contains(e.Fields, f) {
				t.Errorf("%s: fields %v lack %s", name, e.Fields, f)
			}
		}
	}

	// The wizard's commit (line prompts over a pipe, first deploy).
	secrets = append(secrets, srv.Password)
	e := step("wizard", 0, runBin(t, dir, nil, strings.Join(accessibleAnswers(srv, false), "\n")+"\n", "--accessible", "--config", cfg))
	if e.Command != "wizard" || !e.Written || e.Before != "" {
		t.Errorf("wizard: %+v", e)
	}
	hasFields("wizard", e, "smtp.server", "smtp.password", "emails.ui_admin")
	if fi, err := os.Stat(audit.Path(cfg)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("audit log mode: %v %v", fi.Mode(), err)
	}

	// The wizard cancelled with Ctrl+C at its first question.
	s := startSession(t, dir, "--accessible", "--config", cfg)
	s.waitFor("Send email through an SMTP server")
	s.cmd.Process.Signal(syscall.SIGINT)
	e = step("wizard cancelled", exitCancel, runResult{code: s.exit()})
	if e.Command != "wizard" || e.Written {
		t.Errorf("wizard cancelled: %+v", e)
	}

	// apply: SMTP off, then invalid answers; a dry run is not logged.
	env := []string{"ADMIN_PASSWORD=Canary-Audit-Admin-1!", "SUPPORT_PASSWORD=Canary-Audit-Supp-2!"}
	secrets = append(secrets, "Canary-Audit-Admin-1!", "Canary-Audit-Supp-2!")
	answers := copyAnswers(t, dir, "smtp-off.yaml")
	e = step("apply", 0, runBin(t, dir, env, "", "apply", "--answers", answers, "--config", cfg))
	hasFields("apply", e, "smtp.enabled", "smtp.server", "users.admin.password_hash", "users.admin.recovery_codes")
	codes := readCodes(t, filepath.Join(dir, "siteadmin-recovery-codes.txt"))
	bad := copyAnswers(t, dir, "bad-duplicate-emails.yaml")
	e = step("apply invalid", exitInvalid, runBin(t, dir, nil, "", "apply", "--answers", bad, "--config", cfg))
	if e.Command != "apply" || e.Written || len(e.Fields) != 0 {
		t.Errorf("apply invalid: %+v", e)
	}
	if r := runBin(t, dir, env, "", "apply", "--answers", answers, "--config", cfg, "--dry-run"); r.code != 0 || len(auditLines(t, cfg)) != len(entries) {
		t.Errorf("a dry run was logged (exit %d)", r.code)
	}

	// recovery-codes.
	out := filepath.Join(dir, "new-codes.txt")
	e = step("recovery-codes", 0, runBin(t, dir, nil, "", "recovery-codes", "--user", "siteadmin", "--out", out, "--config", cfg))
	// The creation time only shows when the second changed since apply.
	if !slices.Equal(e.Fields, []string{"users.admin.recovery_codes", "users.admin.recovery_codes_created"}) && !slices.Equal(e.Fields, []string{"users.admin.recovery_codes"}) {
		t.Errorf("recovery-codes fields: %v", e.Fields)
	}
	fresh := readCodes(t, out)

	// reset-password: a wrong (old) code, then a good one.
	e = step("reset-password wrong code", exitInvalid, runBin(t, dir, nil, codes[0]+"\nCanary-Audit-New-3!\nCanary-Audit-New-3!\n", "reset-password", "--user", "siteadmin", "--config", cfg))
	if e.Command != "reset-password" || e.Written {
		t.Errorf("reset-password wrong code: %+v", e)
	}
	e = step("reset-password", 0, runBin(t, dir, nil, fresh[0]+"\nCanary-Audit-New-3!\nCanary-Audit-New-3!\n", "reset-password", "--user", "siteadmin", "--config", cfg))
	if !slices.Equal(e.Fields, []string{"users.admin.password_hash", "users.admin.recovery_codes"}) {
		t.Errorf("reset-password fields: %v", e.Fields)
	}
	secrets = append(secrets, "Canary-Audit-New-3!")

	// Canary: no secret, code or hash in the log, nor in history.
	for _, c := range append(codes, fresh...) {
		secrets = append(secrets, c, strings.ReplaceAll(c, "-", ""))
	}
	site, _, err := config.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, site.Users.Admin.PasswordHash, site.Users.Support.PasswordHash, site.Users.Admin.RecoveryCodes[0])
	log, _ := os.ReadFile(audit.Path(cfg))
	hist := runBin(t, dir, nil, "", "history", "--config", cfg)
	histJSON := runBin(t, dir, nil, "", "history", "--config", cfg, "--json")
	all := string(log) + hist.stdout + hist.stderr + histJSON.stdout
	testkit.NoSecret(t, all, secrets...)
	if strings.Contains(all, "$argon2") {
		t.Error("a hash in the audit log or history")
	}

	// history: newest first, one line per run.
	lines := strings.Split(strings.TrimSpace(hist.stdout), "\n")
	if hist.code != 0 || len(lines) != len(entries) || !strings.Contains(lines[0], "reset-password") || !strings.Contains(lines[0], "changed users.admin.password_hash") ||
		!strings.Contains(lines[len(lines)-1], "wizard") || !strings.Contains(lines[len(lines)-2], "cancelled") {
		t.Errorf("history:\n%s", hist.stdout)
	}
	var hj historyJSON
	if err := json.Unmarshal([]byte(histJSON.stdout), &hj); err != nil || len(hj.Entries) != len(entries) || hj.Entries[0].Command != "reset-password" || hj.ChangedOutside != nil {
		t.Errorf("history --json: %v\n%s", err, histJSON.stdout)
	}
}

// Parallel processes that all write (or try to) each append one whole
// line: redemptions of one code by twelve processes at once — one
// succeeds, the rest are refused — leave thirteen readable lines.
func TestParallelWritersAppendWholeLines(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	dir, cfg, codes := setupLocalUsers(t)
	const n = 12
	var wg sync.WaitGroup
	results := make([]runResult, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = runBin(t, dir, nil, codes[0]+"\nParallel-Passw0rd-1\nParallel-Passw0rd-1\n", "reset-password", "--user", "siteadmin", "--config", cfg)
		}()
	}
	wg.Wait()
	entries := auditLines(t, cfg)
	if len(entries) != n+1 {
		t.Fatalf("%d audit lines, want %d (the apply, then one per process)", len(entries), n+1)
	}
	written, refused := 0, 0
	for _, e := range entries[1:] {
		switch {
		case e.Command != "reset-password":
			t.Errorf("line: %+v", e)
		case e.Written && e.Result == 0:
			written++
		case !e.Written && e.Result == exitInvalid:
			refused++
		}
	}
	ok := 0
	for _, r := range results {
		if r.code == 0 {
			ok++
		}
	}
	if written != 1 || refused != n-1 || ok != 1 {
		t.Errorf("%d written and %d refused lines, %d processes succeeded", written, refused, ok)
	}
	if last := (&audit.Log{Entries: entries}).LastWrite(); last.After != sha(t, cfg) {
		t.Error("the last write's SHA-256 is not the file's: the lines are out of order")
	}
}

// history reads a log whose last line a crash cut short: the readable
// lines, newest first, a note about the rest, exit 0.
func TestHistoryWithTornLastLine(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "site-config.yaml")
	os.WriteFile(cfg, []byte("version: 1\n"), 0o600)
	log := `{"time":"2026-11-01T10:00:00Z","user":"ops","uid":1000,"host":"node1","command":"apply","result":0,"written":true,"fields":["smtp.port"],"after":"` + audit.Hash([]byte("version: 1\n")) + `"}
{"time":"2026-11-02T11:00:00Z","user":"root","uid":0,"sudo_user":"ops","host":"node1","command":"recovery-codes","result":5,"written":false}
{"time":"2026-11-03T12:00:00Z","user":"root","uid":0,"host":"node1","comm`
	os.WriteFile(audit.Path(cfg), []byte(log), 0o600)
	r := runBin(t, dir, nil, "", "history", "--config", cfg)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 2 || !strings.HasPrefix(lines[0], "2026-11-02 11:00:00Z  ops (as root)@node1  recovery-codes") ||
		!strings.Contains(lines[0], "failed (exit 5), nothing written") || !strings.Contains(lines[1], "apply") || !strings.Contains(lines[1], "changed smtp.port") {
		t.Errorf("exit %d:\n%s", r.code, r.stdout)
	}
	if !strings.Contains(r.stderr, "1 line(s)") {
		t.Errorf("the torn line is not mentioned:\n%s", r.stderr)
	}
	r = runBin(t, dir, nil, "", "history", "--config", cfg, "--json")
	var hj historyJSON
	if err := json.Unmarshal([]byte(r.stdout), &hj); err != nil || r.code != 0 || len(hj.Entries) != 2 || hj.Skipped != 1 || hj.Entries[0].Command != "recovery-codes" {
		t.Errorf("--json: exit %d %v\n%s", r.code, err, r.stdout)
	}
}

// A log line edited by hand (or a SUDO_USER chosen by whoever ran the
// command) reaches the terminal as text, never as escape sequences: an
// OSC sequence in it would retitle the window or write the clipboard.
func TestHistoryPrintsNoEscapeSequences(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "site-config.yaml")
	os.WriteFile(cfg, []byte("version: 1\n"), 0o600)
	const esc = `\u001b]0;owned\u0007`
	log := `{"time":"2026-11-01T10:00:00Z","user":"ops` + esc + `","uid":0,"sudo_user":"a` + esc + `","host":"node1` + esc +
		`","command":"apply` + esc + `","result":0,"written":true,"fields":["smtp.port` + esc + `"],"before":"` + esc + `","after":"` + esc + `"}` + "\n"
	os.WriteFile(audit.Path(cfg), []byte(log), 0o600)
	r := runBin(t, dir, nil, "", "history", "--config", cfg)
	if r.code != 0 || strings.ContainsAny(r.stdout+r.stderr, "\x1b\x07") || strings.Count(r.stdout, `\x1b]0;owned\x07`) < 5 {
		t.Errorf("exit %d; history printed:\n%q\n%q", r.code, r.stdout, r.stderr)
	}
}

// A symlinked config keeps one log beside its real file: runs given the
// link and runs given the target see the same history.
func TestSymlinkedConfigSharesOneLog(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := startSMTP(t)
	real := filepath.Join(dir, "real-config.yaml")
	link := filepath.Join(dir, "site-config.yaml")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	r := runBin(t, dir, nil, strings.Join(accessibleAnswers(srv, false), "\n")+"\n", "--accessible", "--config", link)
	if r.code != 0 {
		t.Fatalf("wizard: %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(real + audit.Suffix); err != nil {
		t.Fatalf("no log beside the real file: %v", err)
	}
	h := runBin(t, dir, nil, "", "history", "--config", real)
	if h.code != 0 || !strings.Contains(h.stdout, "wizard") || strings.Contains(h.stdout, "outside sitecfg") {
		t.Errorf("history of the target:\n%s%s", h.stdout, h.stderr)
	}
}

// A FIFO where the audit log should be stops no command: check says it
// cannot look for edits outside sitecfg and goes on, history refuses it
// (exit 5), apply writes the config and warns that nothing was logged —
// each at once (before, check and history waited on the FIFO forever and
// ignored SIGTERM while they did).
func TestAuditLogThatIsAFIFO(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "site-config.yaml")
	answers := copyAnswers(t, dir, "smtp-off.yaml")
	env := []string{"ADMIN_PASSWORD=Canary-Fifo-Admin-1!", "SUPPORT_PASSWORD=Canary-Fifo-Supp-2!"}
	if r := runBin(t, dir, env, "", "apply", "--answers", answers, "--config", cfg); r.code != 0 {
		t.Fatalf("apply: %d\n%s", r.code, r.stderr)
	}
	os.Remove(audit.Path(cfg))
	if err := syscall.Mkfifo(audit.Path(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"check", "--config", cfg}, 0, "edits outside sitecfg cannot be checked"},
		{[]string{"history", "--config", cfg}, exitIO, "not a regular file"},
		{[]string{"apply", "--answers", answers, "--config", cfg}, 0, "is not a regular file: nothing was logged"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		cmd := exec.CommandContext(ctx, sitecfgBin(t), tt.args...)
		cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		err := cmd.Run()
		hung := ctx.Err() != nil
		cancel()
		if hung {
			t.Fatalf("sitecfg %s hung on the FIFO", tt.args[0])
		}
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		if code != tt.code || !strings.Contains(stderr.String(), tt.says) {
			t.Errorf("sitecfg %s: exit %d, want %d; stderr:\n%s", tt.args[0], code, tt.code, stderr.String())
		}
	}
}
