//go:build linux

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"sitecfg/internal/testkit"
)

// loopbackEnv are the variables basic-loopback.yaml needs, with a port
// nothing listens on.
func loopbackEnv(t *testing.T) []string {
	return []string{"SITECFG_TEST_SMTP_PASSWORD=Relay-Pass-1", "SITECFG_TEST_PORT=" + strconv.Itoa(testkit.ClosedPort(t))}
}

// Point 2: an existing config that cannot be read (one unknown key) is
// never replaced silently: apply refuses with exit 5 in text and JSON
// alike, unless --replace-unreadable; the line-prompt wizard asks and
// refuses on anything but yes.
func TestUnreadableConfigIsNeverReplacedSilently(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	dir, path, _ := setupLocalUsers(t)
	raw, _ := os.ReadFile(path)
	broken := strings.Replace(string(raw), "version: 1\n", "version: 1\nnot_a_key: true\n", 1)
	os.WriteFile(path, []byte(broken), 0o600)
	answers := copyAnswers(t, dir, "basic-loopback.yaml")
	for _, extra := range [][]string{{}, {"--json"}} {
		args := append([]string{"apply", "--answers", answers, "--skip-check"}, extra...)
		r := runBin(t, dir, loopbackEnv(t), "", args...)
		if r.code != 5 || !strings.Contains(r.stdout+r.stderr, "--replace-unreadable") {
			t.Fatalf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
		if len(extra) > 0 {
			var res struct {
				OK      bool `json:"ok"`
				Written bool `json:"written"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || res.OK || res.Written || r.stderr != "" {
				t.Errorf("--json: %+v %v, stderr %q", res, err, r.stderr)
			}
		}
		if now, _ := os.ReadFile(path); string(now) != broken {
			t.Fatalf("%v replaced the unreadable config", args)
		}
	}
	// The wizard asks; "no" keeps the file.
	r := runBin(t, dir, nil, "no\n", "--accessible")
	if r.code != 5 || !strings.Contains(r.stdout, "Type yes to replace it") {
		t.Fatalf("wizard: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if now, _ := os.ReadFile(path); string(now) != broken {
		t.Fatal("the wizard replaced the unreadable config")
	}
	// Said explicitly: replaced, and kept as .bak.
	r = runBin(t, dir, loopbackEnv(t), "", "apply", "--answers", answers, "--skip-check", "--replace-unreadable")
	if r.code != 0 {
		t.Fatalf("--replace-unreadable: exit %d\n%s", r.code, r.stderr)
	}
	if bak, _ := os.ReadFile(path + ".bak"); string(bak) != broken {
		t.Error("the unreadable config was not kept as .bak")
	}
}

// Point 3: no output file may be the config or one of its files, or
// anything but a regular file.
func TestOutputsNeverReplaceTheConfig(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	dir, path, _ := setupLocalUsers(t)
	before, _ := os.ReadFile(path)
	same := func(what string) {
		t.Helper()
		if now, err := os.ReadFile(path); err != nil || string(now) != string(before) {
			t.Fatalf("%s changed or removed the config", what)
		}
	}
	os.Symlink(path, filepath.Join(dir, "link.yaml"))
	os.Link(path, filepath.Join(dir, "hard.yaml"))
	for _, out := range []string{"site-config.yaml", path, "./link.yaml", "hard.yaml", "site-config.yaml.bak", "site-config.yaml.lock", "site-config.yaml.audit.jsonl", "/dev/null"} {
		r := runBin(t, dir, nil, "", "recovery-codes", "--user", "siteadmin", "--out", out, "--force")
		if r.code != 5 {
			t.Errorf("recovery-codes --out %s --force: exit %d\n%s", out, r.code, r.stderr)
		}
		same("recovery-codes --out " + out)
		r = runBin(t, dir, nil, "", "check", "--bundle", out)
		if r.code != 5 || !strings.Contains(r.stderr, "support bundle") {
			t.Errorf("check --bundle %s: exit %d\n%s", out, r.code, r.stderr)
		}
		same("check --bundle " + out)
	}
	// recovery_codes_out naming the config.
	answers := filepath.Join(dir, "off.yaml")
	b, _ := os.ReadFile(testdata("answers", "smtp-off.yaml"))
	os.WriteFile(answers, []byte(strings.Replace(string(b), "./siteadmin-recovery-codes.txt", "./site-config.yaml", 1)), 0o600)
	r := runBin(t, dir, offEnv, "", "apply", "--answers", answers)
	if r.code != 5 {
		t.Errorf("recovery_codes_out = the config: exit %d\n%s", r.code, r.stderr)
	}
	same("recovery_codes_out")
	// --config naming a device node: refused, the node left alone.
	node := filepath.Join(dir, "null")
	if err := syscall.Mknod(node, syscall.S_IFCHR|0o666, int(mkdev(1, 3))); err != nil {
		t.Skipf("mknod (needs root): %v", err)
	}
	r = runBin(t, dir, offEnv, "", "apply", "--answers", filepath.Join(dir, "smtp-off.yaml"), "--config", node)
	if r.code != 5 {
		t.Errorf("--config on a device: exit %d\n%s", r.code, r.stderr)
	}
	if fi, err := os.Lstat(node); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Errorf("the device node was replaced: %v %v", fi.Mode(), err)
	}
}

func mkdev(major, minor uint32) uint64 {
	return uint64(major)<<8 | uint64(minor)
}

// Point 4: a symlinked config is written through: the link stays a link,
// the target gets the new content, .bak and .lock sit beside the target,
// and a run through the link and one on the target share one lock.
func TestSymlinkedConfigIsWrittenThrough(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	dir, target, _ := setupLocalUsers(t)
	link := filepath.Join(t.TempDir(), "site.yaml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(target)
	answers := copyAnswers(t, dir, "basic-loopback.yaml")
	r := runBin(t, dir, loopbackEnv(t), "", "apply", "--answers", answers, "--skip-check", "--config", link)
	if r.code != 0 {
		t.Fatalf("apply through a link: exit %d\n%s", r.code, r.stderr)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("the link was replaced by a regular file")
	}
	now, _ := os.ReadFile(target)
	if string(now) == string(before) || !strings.Contains(string(now), "enabled: true") {
		t.Fatal("the target kept its old content")
	}
	if bak, _ := os.ReadFile(target + ".bak"); string(bak) != string(before) {
		t.Error("no .bak beside the target")
	}
	for _, stray := range []string{link + ".bak", link + ".lock"} {
		if _, err := os.Lstat(stray); err == nil {
			t.Errorf("%s was made beside the link", stray)
		}
	}
	// One lock: while a run holds the target's, a run through the link
	// is refused.
	f, err := os.OpenFile(target+".lock", os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	r = runBin(t, dir, loopbackEnv(t), "", "apply", "--answers", answers, "--skip-check", "--config", link)
	if r.code != 5 || !strings.Contains(r.stderr, "another sitecfg run") {
		t.Errorf("through the link while the target is locked: exit %d\n%s", r.code, r.stderr)
	}
}

// Point 6: check --json --bundle with a bundle that cannot be written
// fails: exit 5, ok false, the error in the object, nothing on stderr.
func TestCheckJSONBundleFailureFails(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	dir, _, _ := setupLocalUsers(t) // SMTP off: the check itself passes
	r := runBin(t, dir, nil, "", "check", "--json", "--bundle", filepath.Join(dir, "no-such-dir", "b.tar.gz"))
	var res struct {
		OK       bool   `json:"ok"`
		ExitCode int    `json:"exit_code"`
		Error    string `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if r.code != 5 || res.OK || res.ExitCode != 5 || !strings.Contains(res.Error, "support bundle") || r.stderr != "" {
		t.Errorf("exit %d, %+v, stderr %q", r.code, res, r.stderr)
	}
}

// Points 12 and 13: a FIFO or a device behind file:, ca_file,
// client_certificate, --answers or --config is refused at once (nothing
// waits on it, nothing reads it to the end), and so is a file larger than
// a secret, a PEM file or an answers file can be.
func TestHostileFilesAreRefusedPromptly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big")
	os.WriteFile(big, []byte(strings.Repeat("A", 200<<10)), 0o600)
	hugeAnswers := filepath.Join(dir, "huge.yaml")
	os.WriteFile(hugeAnswers, []byte("version: 1\n"+strings.Repeat("# padding\n", 200<<10)), 0o600)
	base, _ := os.ReadFile(testdata("answers", "basic-loopback.yaml"))
	withLine := func(name, from, to string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(strings.Replace(string(base), from, to, 1)), 0o600)
		return p
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"password: file:FIFO", []string{"apply", "--answers", withLine("a1.yaml", "${SITECFG_TEST_SMTP_PASSWORD}", "file:"+fifo)}, "not a regular file"},
		{"password: file:/dev/zero", []string{"apply", "--answers", withLine("a2.yaml", "${SITECFG_TEST_SMTP_PASSWORD}", "file:/dev/zero")}, "not a regular file"},
		{"password: file:BIG", []string{"apply", "--answers", withLine("a3.yaml", "${SITECFG_TEST_SMTP_PASSWORD}", "file:"+big)}, "too large"},
		{"ca_file: FIFO", []string{"apply", "--answers", withLine("a4.yaml", "security: starttls", "security: starttls\n  ca_file: "+fifo), "--timeout", "3s"}, "not a regular file"},
		{"ca_file: /dev/zero", []string{"apply", "--answers", withLine("a5.yaml", "security: starttls", "security: starttls\n  ca_file: /dev/zero"), "--timeout", "3s"}, "not a regular file"},
		{"--answers FIFO", []string{"apply", "--answers", fifo}, "not a regular file"},
		{"--answers /dev/zero", []string{"apply", "--answers", "/dev/zero"}, "not a regular file"},
		{"--answers of 2 MiB", []string{"apply", "--answers", hugeAnswers}, "too large"},
		{"--config FIFO", []string{"check", "--config", fifo}, "not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			r := runBinWithin(t, 20*time.Second, dir, loopbackEnv(t), tt.args...)
			if took := time.Since(start); took > 10*time.Second {
				t.Errorf("took %v", took)
			}
			if r.code == 0 || !strings.Contains(r.stdout+r.stderr, tt.want) {
				t.Errorf("exit %d, want an error saying %q\n%s%s", r.code, tt.want, r.stdout, r.stderr)
			}
			if len(r.stdout+r.stderr) > 20000 {
				t.Errorf("%d bytes of output", len(r.stdout+r.stderr))
			}
		})
	}
}

// Point 13: millions of unknown keys cost neither gigabytes nor a long
// wait, and at most MaxProblems are listed.
func TestManyUnknownKeysAreCapped(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("version: 1\nsmtp:\n  enabled: false\n")
	for i := 0; b.Len() < 900<<10; i++ {
		b.WriteString("k" + strconv.Itoa(i) + ": 1\n")
	}
	p := filepath.Join(dir, "keys.yaml")
	os.WriteFile(p, []byte(b.String()), 0o600)
	start := time.Now()
	r := runBin(t, dir, nil, "", "apply", "--answers", p, "--json")
	if took := time.Since(start); took > 15*time.Second {
		t.Errorf("took %v", took)
	}
	var res struct {
		Problems []json.RawMessage `json:"problems"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	if r.code != 3 || len(res.Problems) > 101 || !strings.Contains(r.stdout, "more problem(s) not listed") {
		t.Errorf("exit %d, %d problems", r.code, len(res.Problems))
	}
}

// runBinWithin is runBin with a deadline: a run that hangs (on a FIFO,
// say) is killed and fails the test instead of hanging the suite.
func runBinWithin(t *testing.T, limit time.Duration, dir string, env []string, args ...string) runResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, sitecfgBin(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%v: still running after %v (killed)", args, limit)
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return runResult{code, out.String(), errb.String()}
}
