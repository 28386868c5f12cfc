//go:build unix

package e2e

import (
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"sitecfg/audit"
	"sitecfg/internal/smtptest"
)

// signInE2E signs the config of exchangeSetup in through the e2e build
// (paste-back, live check passed, written) and returns the stored token.
func signInE2E(t *testing.T, entra *smtptest.Entra, dir, path string, env []string) string {
	t.Helper()
	_, in, out, done := startE2E(t, dir, env, "signin", "--config", path, "--timeout", "10s")
	pasted, err := entra.SignIn(shownURL(t, waitOut(t, out, "paste it here: ")))
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(in, pasted+"\n")
	if code := exitOf(t, done); code != exitOK {
		t.Fatalf("signin: exit %d\n%s", code, out.String())
	}
	tok, _ := storedToken(t, path)
	return tok
}

// kill -9 during the rotation, through the binary: sitecfg check is
// SIGKILLed at random moments across its run — before the refresh token
// is redeemed, between the redemption and the write of the new one,
// during and after the write and its audit line. After every kill the
// config still loads and holds a token that works: the next check, run
// to its end, passes (and stores the token it rotates), says nothing of
// drift, and leaves no temporary file beside the config. Entra does not
// revoke a redeemed refresh token (Microsoft: they "replace themselves
// with a fresh token upon every use"; the old one stays valid until it
// expires), and the imitation does the same: so a kill between the
// redemption and the write leaves the old token, still working, and the
// write itself is atomic, so the file holds the old token or the new one,
// never neither.
func TestCheckKilledDuringRotation(t *testing.T) {
	slow(t, "SIGKILL crash loop")
	t.Parallel()
	entra, _, dir, path, env := exchangeSetup(t)
	signInE2E(t, entra, dir, path, env)

	// How long a whole check takes here: the kills are spread over it.
	start := time.Now()
	if r := runE2E(t, dir, env, "check", "--config", path, "--timeout", "10s"); r.code != exitOK {
		t.Fatalf("check: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	whole := time.Since(start)

	var before, between, after, unlogged, finished int
	for i := 0; i < 80 && (i < 30 || between == 0 || after == 0); i++ {
		held, _ := storedToken(t, path)
		redeemed := entra.Redemptions()
		logged := auditCount(t, path)
		cmd := exec.Command(sitecfgE2EBin(t), "check", "--config", path, "--timeout", "10s")
		cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(whole/4 + time.Duration(rand.Int64N(int64(whole))))
		_ = cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		var ee *exec.ExitError
		killed := errors.As(err, &ee) && !ee.Exited()
		now, _ := storedToken(t, path)
		if _, err := os.Stat(path + ".intent"); err == nil && now != held && auditCount(t, path) == logged {
			unlogged++ // written, its audit line not yet: the next run recovers it
		}
		switch {
		case !killed:
			finished++
		case entra.Redemptions() == redeemed:
			before++
		case now == held:
			between++
		default:
			after++
		}
		if now == "" {
			t.Fatalf("kill %d: the config holds no refresh token", i)
		}
		// The operator's next check (the daily timer's) must work.
		r := runE2E(t, dir, env, "check", "--config", path, "--timeout", "10s")
		if r.code != exitOK {
			t.Fatalf("kill %d (killed: %v): the next check fails: exit %d\n%s%s", i, killed, r.code, r.stdout, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, "edited outside sitecfg") {
			t.Fatalf("kill %d: the next check reports drift:\n%s%s", i, r.stdout, r.stderr)
		}
		if next, _ := storedToken(t, path); next == now || next != entra.Latest() {
			t.Fatalf("kill %d: the next check did not store the token it rotated", i)
		}
	}
	t.Logf("killed before the redemption %d, between the redemption and the write %d, after the write %d (%d before its audit line); ended before the kill %d",
		before, between, after, unlogged, finished)
	if between+after == 0 {
		t.Fatal("no run was killed at or after the redemption: the kills missed the rotation")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, "site-config.yaml") && strings.Contains(n, ".tmp") {
			t.Errorf("a killed write's temporary is left: %s", n)
		}
	}
	h := runE2E(t, dir, env, "history", "--config", path)
	if h.code != exitOK || strings.Contains(h.stdout, "edited outside sitecfg") || strings.Contains(h.stdout, "took over an edit") {
		t.Errorf("history: exit %d\n%s%s", h.code, h.stdout, h.stderr)
	}
	if unlogged > 0 && !strings.Contains(h.stdout, "interrupted (line recovered)") {
		t.Errorf("a write killed before its audit line is not in the history:\n%s", h.stdout)
	}
}

// auditCount counts the entries of the config's audit log.
func auditCount(t *testing.T, path string) int {
	t.Helper()
	log, err := audit.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return len(log.Entries)
}
