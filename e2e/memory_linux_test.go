package e2e

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// An SMTP-off apply hashes two passwords (argon2id, 64 MiB each) and ten
// recovery codes (19 MiB): its peak memory must stay near one hash's,
// under 100 MiB in all (it was ≈ 157 MiB while the first password's
// buffer was still live during the second hash, and 142 MiB on one CI
// machine while it was collected but still resident). Measured on the real
// binary: the kernel's high-water mark of its resident set (VmHWM),
// read while it runs. (Not the child's rusage: Go starts children with
// vfork, and Linux then counts the parent's resident set — a race-enabled
// test binary's is over 100 MiB — in the child's ru_maxrss.)
func TestSMTPOffApplyPeakMemory(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	dir := t.TempDir()
	answers := copyAnswers(t, dir, "smtp-off.yaml")
	cmd := exec.Command(sitecfgBin(t), "apply", "--answers", answers, "--config", dir+"/site.yaml")
	cmd.Dir = dir
	// The collector's trace goes with the output: should the peak ever
	// be over, the failure shows which heap was live when.
	cmd.Env = append(os.Environ(), "ADMIN_PASSWORD=Canary-Admin-Pw-91!", "SUPPORT_PASSWORD=Canary-Supp-Pw-37!", "GODEBUG=gctrace=1")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var peak int64 // KiB
	status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
	for waiting := true; waiting; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("apply: %v\n%s", err, out.String())
			}
			waiting = false
		case <-time.After(2 * time.Millisecond):
			// The mark only grows, and the last hash (the recovery
			// codes, ≈ 0.1 s) follows the passwords': a read after the
			// peak always comes.
			if kib, ok := vmHWM(status); ok && kib > peak {
				peak = kib
			}
		}
	}
	if peak == 0 {
		t.Skip("no VmHWM in /proc on this system")
	}
	t.Logf("peak RSS of an SMTP-off apply: %.1f MiB", float64(peak)/1024)
	if peak >= 100*1024 {
		t.Errorf("peak RSS %.1f MiB, want < 100 MiB; the run's output and GC trace:\n%s", float64(peak)/1024, out.String())
	}
}

// vmHWM reads the VmHWM line (KiB) of a /proc/PID/status file.
func vmHWM(path string) (int64, bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}
