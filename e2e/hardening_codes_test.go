//go:build linux

package e2e

import (
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"sitecfg/config"
	"sitecfg/recovery"
)

// Issue 10, point 1: the recovery-codes file and the config's hashes never
// disagree — under a full disk, a kill -9 at any moment, or a failing
// config update — for an SMTP-off apply and for recovery-codes --force.

var offEnv = []string{"ADMIN_PASSWORD=Canary-Admin-Pw-91!", "SUPPORT_PASSWORD=Canary-Supp-Pw-37!"}

// codesState says whether the codes the config at path holds hashes of
// are on disk: in out itself ("out"), or complete beside it where the
// next run puts them back into place: the file a run killed before its
// config write replaced ("replaced"), or the previous version's pending
// file ("pending"). "" means they are nowhere: the admin would be locked
// out.
func codesState(t *testing.T, path, out string) string {
	t.Helper()
	s, _, err := config.Load(path)
	if err != nil {
		t.Fatalf("config unreadable: %v", err)
	}
	hashes := s.Users.Admin.RecoveryCodes
	holds := func(file string) bool {
		data, err := os.ReadFile(file)
		if err != nil {
			return false
		}
		codes := recovery.ParseCodesFile(data)
		if len(codes) != recovery.DefaultCount {
			return false
		}
		// The first code against each hash, stopping at a match (Match
		// checks all ten: too slow for a loop).
		for _, h := range hashes {
			if ok, _ := recovery.Verify(h, recovery.Normalize(codes[0])); ok {
				return true
			}
		}
		return false
	}
	switch {
	case holds(out):
		return "out"
	case holds(recovery.ReplacedPath(out)):
		return "replaced"
	case holds(legacyPendingPath(out)):
		return "pending"
	}
	return ""
}

// legacyPendingPath is where the previous version staged new codes until
// its config was written.
func legacyPendingPath(out string) string {
	return filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".pending")
}

// noPlaintextLeft fails when a temporary, replaced or pending codes file
// is left in dir.
func noPlaintextLeft(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") || strings.HasSuffix(e.Name(), ".pending") || strings.HasSuffix(e.Name(), ".replaced") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// TestCodesFileSurvivesKill9 kills recovery-codes --force and an SMTP-off
// apply with SIGKILL at random moments around their writes: after every
// kill the config's codes are on disk (in the codes file, or complete in
// the file it replaced), and the next run leaves the codes file matching
// the config with no plaintext temporary or replaced file behind.
func TestCodesFileSurvivesKill9(t *testing.T) {
	slow(t, "a kill loop")
	t.Parallel()
	tests := []struct {
		name string
		args []string
		runs int
	}{
		{"recovery-codes --force", []string{"recovery-codes", "--user", "siteadmin", "--out", "siteadmin-recovery-codes.txt", "--force"}, 20},
		{"apply with SMTP off", []string{"apply", "--answers", "smtp-off.yaml"}, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, path, _ := setupLocalUsers(t)
			out := filepath.Join(dir, "siteadmin-recovery-codes.txt")
			// One whole run tells how long the command takes here; the
			// kills land around its end, where the writes are.
			start := time.Now()
			if r := runBin(t, dir, offEnv, "", tt.args...); r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			took := time.Since(start)
			deadline := time.Now().Add(60 * time.Second)
			states := map[string]int{}
			for i := 0; i < tt.runs && time.Now().Before(deadline); i++ {
				cmd := exec.Command(sitecfgBin(t), tt.args...)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), offEnv...)
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				at := time.Duration(float64(took) * (0.75 + 0.3*rand.Float64()))
				time.Sleep(at)
				_ = cmd.Process.Signal(syscall.SIGKILL)
				_ = cmd.Wait()
				st := codesState(t, path, out)
				if st == "" {
					t.Fatalf("kill %d after %v: the config holds hashes of codes that are on disk nowhere", i, at)
				}
				states[st]++
			}
			t.Logf("after the kills the codes were in: %v", states)
			// The next run finishes or discards what a killed one left.
			if r := runBin(t, dir, offEnv, "", tt.args...); r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			if st := codesState(t, path, out); st != "out" {
				t.Fatalf("after a whole run the codes file does not match the config (%q)", st)
			}
			noPlaintextLeft(t, dir)
		})
	}
}

// TestCodesFileKillBetweenConfigAndInstall stops recovery-codes exactly
// between writing the config and settling the codes file (the worst
// instant, which a random kill rarely hits) — this version's, whose codes
// are in place before the config is written, and the previous version's,
// whose codes waited in a pending file: the codes are complete on disk,
// and the next run settles the file before anything else, so that an
// upgrade loses no codes either.
func TestCodesFileKillBetweenConfigAndInstall(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	for _, tt := range []struct {
		name string
		// write puts the new codes on disk as that version did before
		// its config write.
		write func(t *testing.T, out string, codes []string)
		// state is where the config's codes are after the kill; changed
		// is what the next run's reconcile reports.
		state   string
		changed bool
	}{
		{"this version", func(t *testing.T, out string, codes []string) {
			if _, err := recovery.WriteCodesFile(out, "siteadmin", codes, time.Now(), true); err != nil {
				t.Fatal(err)
			}
			// Killed after the config write: Keep never runs.
		}, "out", false},
		{"previous version's pending file", func(t *testing.T, out string, codes []string) {
			if err := os.WriteFile(legacyPendingPath(out), recovery.CodesFileContent("siteadmin", codes, time.Now()), 0o600); err != nil {
				t.Fatal(err)
			}
			// Killed after the config write: the install never runs.
		}, "pending", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir, path, _ := setupLocalUsers(t)
			out := filepath.Join(dir, "siteadmin-recovery-codes.txt")
			s, _, err := config.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			codes, _ := recovery.Generate(recovery.DefaultCount)
			hashes, _ := recovery.HashCodes(codes)
			tt.write(t, out, codes)
			s.Users.Admin.RecoveryCodes = hashes
			l, err := config.Acquire(path, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := l.Save(s); err != nil {
				t.Fatal(err)
			}
			l.Release()
			if st := codesState(t, path, out); st != tt.state {
				t.Fatalf("codes state %q, want %s", st, tt.state)
			}
			// A recovery-codes run with another --out reconciles only its
			// own file; the same --out first settles the codes file, then
			// replaces the codes as asked.
			changed, err := recovery.ReconcileCodesFile(out, hashes)
			if err != nil || changed != tt.changed {
				t.Fatalf("reconcile: changed %v, %v", changed, err)
			}
			got := readCodes(t, out)
			if got[0] != codes[0] {
				t.Errorf("the codes file does not hold the config's codes")
			}
			noPlaintextLeft(t, dir)
		})
	}
}

// smallTmpfs mounts a tmpfs of size bytes at a new folder (root only).
func smallTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size+",mode=0700"); err != nil {
		t.Skipf("cannot mount a tmpfs (needs root): %v", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// fillUp fills dir's file system, then frees one page: the next file
// written there fits, the one after it does not.
func fillUp(t *testing.T, dir string) {
	t.Helper()
	page := make([]byte, os.Getpagesize())
	var last string
	for i := 0; ; i++ {
		p := filepath.Join(dir, "filler-"+strconv.Itoa(i))
		err := os.WriteFile(p, page, 0o600)
		if errors.Is(err, syscall.ENOSPC) {
			os.Remove(p)
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		last = p
	}
	if last == "" {
		t.Fatal("the tmpfs was full from the start")
	}
	os.Remove(last)
}

// TestCodesFileOnAFullDisk runs recovery-codes --force and an SMTP-off
// apply on a real, full tmpfs: the config cannot be written, the command
// exits 5 saying the previous file is intact — and it is: the codes file
// still holds the codes the config accepts, and no pending or temporary
// file is left.
func TestCodesFileOnAFullDisk(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	dir := smallTmpfs(t, "256k")
	answers := copyAnswers(t, dir, "smtp-off.yaml")
	if r := runBin(t, dir, offEnv, "", "apply", "--answers", answers); r.code != 0 {
		t.Fatalf("apply: %d\n%s", r.code, r.stderr)
	}
	path := filepath.Join(dir, "site-config.yaml")
	out := filepath.Join(dir, "siteadmin-recovery-codes.txt")
	before, _ := os.ReadFile(out)
	// The same answers would write nothing (apply is idempotent): a new
	// support username makes the apply write, with the admin's codes kept.
	changed := filepath.Join(dir, "changed.yaml")
	b, _ := os.ReadFile(answers)
	if err := os.WriteFile(changed, []byte(strings.Replace(string(b), "username: csupport", "username: csupport2", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	fillUp(t, dir)
	for _, args := range [][]string{
		{"recovery-codes", "--user", "siteadmin", "--out", out, "--force"},
		{"apply", "--answers", changed},
	} {
		r := runBin(t, dir, offEnv, "", args...)
		if r.code != 5 || !strings.Contains(r.stderr, "intact") {
			t.Fatalf("%s on a full disk: exit %d\n%s%s", args[0], r.code, r.stdout, r.stderr)
		}
		if st := codesState(t, path, out); st != "out" {
			t.Fatalf("%s on a full disk: the codes file does not match the config (%q)", args[0], st)
		}
		if after, _ := os.ReadFile(out); string(after) != string(before) {
			t.Fatalf("%s on a full disk changed the codes file", args[0])
		}
		noPlaintextLeft(t, dir)
	}
}
