//go:build linux

package e2e

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
)

// A config whose folder is missing, or that this user may not write in,
// is refused before anything is asked or checked (exit 5), not after every
// question and a live check that passed; a dry run, which writes nothing,
// goes on.
func TestConfigFolderMustBeWritableFirst(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	answers := copyAnswers(t, dir, "basic-loopback.yaml")
	relay, contacted := countingListener(t)
	env := []string{"SITECFG_TEST_SMTP_PASSWORD=Relay-Pass-1", "SITECFG_TEST_PORT=" + strconv.Itoa(relay)}
	missing := filepath.Join(dir, "missing", "site-config.yaml")
	const said = "does not exist: create it, or give another --config"

	for _, extra := range [][]string{{}, {"--json"}} {
		r := runBin(t, dir, env, "", append([]string{"apply", "--answers", answers, "--config", missing}, extra...)...)
		if r.code != 5 || !strings.Contains(r.stdout+r.stderr, "the folder "+filepath.Dir(missing)+" "+said) {
			t.Errorf("apply %v: exit %d\n%s%s", extra, r.code, r.stdout, r.stderr)
		}
	}
	if n := contacted.Load(); n != 0 {
		t.Errorf("the mail server was contacted %d times before the write was found impossible", n)
	}
	r := runBin(t, dir, nil, "y\n", "--accessible", "--config", missing)
	if r.code != 5 || !strings.Contains(r.stderr, said) || strings.Contains(r.stdout, "Send email") {
		t.Errorf("wizard: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runBin(t, dir, env, "", "apply", "--answers", answers, "--config", missing, "--dry-run")
	if r.code == 5 || contacted.Load() == 0 {
		t.Errorf("--dry-run: exit %d, server contacted %d times\n%s", r.code, contacted.Load(), r.stderr)
	}

	// A folder this user may not create files in: as root, the command
	// runs as nobody; otherwise the folder is made read-only.
	shared, err := os.MkdirTemp("", "sitecfg-writable-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(shared, 0o755); os.RemoveAll(shared) })
	bin := filepath.Join(shared, "sitecfg")
	copyFile(t, sitecfgBin(t), bin, 0o755)
	ans := filepath.Join(shared, "answers.yaml")
	copyFile(t, answers, ans, 0o644)
	locked := filepath.Join(shared, "etc")
	if err := os.Mkdir(locked, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "apply", "--answers", ans, "--config", filepath.Join(locked, "site-config.yaml"))
	cmd.Dir, cmd.Env = shared, append(os.Environ(), env...)
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	} else if err := os.Chmod(locked, 0o555); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(shared, 0o755); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 5 || !strings.Contains(stderr.String(), "this user may not create files in "+locked) {
		t.Errorf("a folder this user may not write: %v\n%s", err, stderr.String())
	}
	if n := contacted.Load(); n != 1 {
		t.Errorf("the mail server was contacted %d times; only the dry run should have", n)
	}
}

// countingListener accepts TCP connections on loopback and closes them,
// counting.
func countingListener(t *testing.T) (int, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var n atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			c.Close()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port, &n
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
