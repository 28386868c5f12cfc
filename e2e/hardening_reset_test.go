//go:build unix

package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// runParallel runs the binary once per stdin, all at once, and returns
// the exit codes and standard errors.
func runParallel(t *testing.T, dir string, inputs []string, args ...string) ([]int, []string) {
	t.Helper()
	codes := make([]int, len(inputs))
	errs := make([]string, len(inputs))
	var wg sync.WaitGroup
	for i, in := range inputs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(sitecfgBin(t), args...)
			cmd.Dir = dir
			cmd.Stdin = strings.NewReader(in)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			_ = cmd.Run()
			codes[i], errs[i] = cmd.ProcessState.ExitCode(), stderr.String()
		}()
	}
	wg.Wait()
	return codes, errs
}

// attemptsPath is the file beside the config where reset-password counts
// a user's consecutive wrong codes.
func attemptsPath(path, user string) string {
	return path + ".attempts-" + strings.ToLower(user)
}

// failures is the count in user's attempts file: 0 when there is none.
func failures(path, user string) int {
	b, _ := os.ReadFile(attemptsPath(path, user))
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
}

// Issue 10, point 16: the wrong-code slow-down holds across parallel
// processes: wrong guesses queue under the lock, each served its delay
// (0, 0, 0, 1 s, 2 s for five), instead of all being tried at once.
func TestWrongCodeSlowDownQueuesParallelGuesses(t *testing.T) {
	slow(t, "waits by design: the guesses are served in turn, 3 s in all")
	t.Parallel()
	dir, path, _ := setupLocalUsers(t)
	guess := "0000-0000-0000-0000\nNew-Passw0rd-x9Q\nNew-Passw0rd-x9Q\n"
	start := time.Now()
	codes, errs := runParallel(t, dir, []string{guess, guess, guess, guess, guess}, "reset-password", "--user", "siteadmin")
	took := time.Since(start)
	for i, c := range codes {
		if c != 3 {
			t.Errorf("guess %d: exit %d\n%s", i, c, errs[i])
		}
	}
	// Each later guess was told of its wait: 1 s, then 2 s.
	all := strings.Join(errs, "\n")
	for _, w := range []string{"waiting 1s", "waiting 2s"} {
		if !strings.Contains(all, w) {
			t.Errorf("no guess was made to wait (%q):\n%s", w, all)
		}
	}
	if took < 3*time.Second {
		t.Errorf("five parallel wrong guesses took %v: the slow-down (0+0+0+1+2 s) was not served in turn", took)
	}
	if n := failures(path, "siteadmin"); n != 5 {
		t.Errorf("%d failures counted, want 5", n)
	}
}

// A valid code redeemed by two runs at once: one wins, the other is told
// the code was just used — and it does not count as a wrong guess.
func TestLostRaceOfAValidCodeIsNoFailure(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	dir, path, codes := setupLocalUsers(t)
	in := codes[0] + "\nNew-Passw0rd-x9Q\nNew-Passw0rd-x9Q\n"
	exits, errs := runParallel(t, dir, []string{in, in}, "reset-password", "--user", "siteadmin")
	ok, lost := 0, 0
	for i, c := range exits {
		switch {
		case c == 0:
			ok++
		case c == 3 && strings.Contains(errs[i], "just used"):
			lost++
		default:
			t.Errorf("run %d: exit %d\n%s", i, c, errs[i])
		}
	}
	if ok != 1 || lost != 1 {
		t.Errorf("%d succeeded, %d lost the race", ok, lost)
	}
	if _, err := os.Stat(attemptsPath(path, "siteadmin")); err == nil {
		t.Errorf("the lost race counted as a wrong guess (%d)", failures(path, "siteadmin"))
	}
}

// Nits: --timeout must be positive; the support user is not sent to a
// command that refuses it.
func TestHardeningNits(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	dir, _, _ := setupLocalUsers(t)
	for _, args := range [][]string{{"check", "--timeout", "-5s"}, {"check", "--timeout", "0"}, {"apply", "--answers", "x.yaml", "--timeout", "-1s"}} {
		if r := runBin(t, dir, nil, "", args...); r.code != 2 || !strings.Contains(r.stderr, "positive") {
			t.Errorf("%v: exit %d\n%s", args, r.code, r.stderr)
		}
	}
	r := runBin(t, dir, nil, "", "reset-password", "--user", "csupport")
	if r.code != 3 || strings.Contains(r.stderr, "recovery-codes --user csupport") {
		t.Errorf("support user: exit %d\n%s", r.code, r.stderr)
	}
}

// Issue 10, point 12: SIGTERM and SIGINT end a run promptly with exit 130
// even while it waits for another run's lock.
func TestSignalEndsAWaitForTheLock(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	dir, path, codes := setupLocalUsers(t)
	f, err := os.OpenFile(path+".lock", os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	for _, tt := range []struct {
		sig   os.Signal
		stdin string
		args  []string
	}{
		{syscall.SIGTERM, codes[0] + "\nNew-Passw0rd-x9Q\nNew-Passw0rd-x9Q\n", []string{"reset-password", "--user", "siteadmin"}},
		{syscall.SIGINT, "", []string{"recovery-codes", "--user", "siteadmin", "--out", "new.txt"}},
	} {
		cmd := exec.Command(sitecfgBin(t), tt.args...)
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(tt.stdin)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(1500 * time.Millisecond) // past the prompts and hashing, waiting for the lock
		_ = cmd.Process.Signal(tt.sig)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("%v: still running 5 s after %v", tt.args, tt.sig)
		}
		if c := cmd.ProcessState.ExitCode(); c != 130 {
			t.Errorf("%v after %v: exit %d, want 130", tt.args, tt.sig, c)
		}
	}
	if now, _ := os.ReadFile(path); string(now) != string(before) {
		t.Error("the config changed")
	}
	if _, err := os.Stat(dir + "/new.txt"); err == nil {
		t.Error("codes were written")
	}
}
