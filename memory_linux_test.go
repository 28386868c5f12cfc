package main

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// An SMTP-off apply hashes two passwords (argon2id, 64 MiB each) and ten
// recovery codes (19 MiB): its peak memory must stay near one hash's,
// under 100 MiB in all (it was ≈ 160 MiB while the first password's
// buffer was still live during the second hash). Measured on the real
// binary: the kernel's peak resident set size of the child.
func TestSMTPOffApplyPeakMemory(t *testing.T) {
	dir := t.TempDir()
	answers := copyAnswers(t, dir, "smtp-off.yaml")
	cmd := exec.Command(sitecfgBin(t), "apply", "--answers", answers, "--config", dir+"/site.yaml")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "ADMIN_PASSWORD=Canary-Admin-Pw-91!", "SUPPORT_PASSWORD=Canary-Supp-Pw-37!")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Skip("no rusage on this system")
	}
	peak := ru.Maxrss * 1024 // KiB on Linux
	t.Logf("peak RSS of an SMTP-off apply: %.1f MiB", float64(peak)/(1<<20))
	if peak >= 100<<20 {
		t.Errorf("peak RSS %.1f MiB, want < 100 MiB", float64(peak)/(1<<20))
	}
}
