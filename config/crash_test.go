package config

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// crashContent is one of two configs the child alternates between; each is
// large enough (~256 KiB) that a write takes a while, so kills land mid-write.
func crashContent(which int) []byte {
	s := sampleSite(fmt.Sprintf("server-%d.example.com", which))
	for i := range 4000 {
		s.SMTP.DefaultRecipients = append(s.SMTP.DefaultRecipients, fmt.Sprintf("r%d-%04d@example.com", which, i))
	}
	b, err := Marshal(s)
	if err != nil {
		panic(err)
	}
	return b
}

// TestCrashChild is the child process of TestCrashSafety: it writes the
// two configs in turn until it is killed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv("SITECFG_CRASH_CHILD")
	if path == "" {
		t.Skip("helper process for TestCrashSafety")
	}
	contents := [][]byte{crashContent(0), crashContent(1)}
	l, err := Acquire(path, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path+".ready", nil, 0o600)
	for i := 0; ; i++ {
		if _, err := l.SaveBytes(contents[i%2]); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCrashSafety kills a writing process with SIGKILL at random moments
// and checks that the config is always exactly the old or the new file,
// with mode 0600, and that the lock is free again.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "site-config.yaml")
	a, b := crashContent(0), crashContent(1)
	if err := WriteAtomic(path, a); err != nil {
		t.Fatal(err)
	}
	const runs = 200
	for i := range runs {
		os.Remove(path + ".ready")
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
		cmd.Env = append(os.Environ(), "SITECFG_CRASH_CHILD="+path)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for start := time.Now(); ; time.Sleep(time.Millisecond) {
			if _, err := os.Stat(path + ".ready"); err == nil {
				break
			}
			if time.Since(start) > 10*time.Second {
				cmd.Process.Kill()
				t.Fatal("child never started writing")
			}
		}
		time.Sleep(time.Duration(rand.IntN(15000)) * time.Microsecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("run %d: config unreadable after kill: %v", i, err)
		}
		if !bytes.Equal(got, a) && !bytes.Equal(got, b) {
			t.Fatalf("run %d: config is neither the old nor the new file (%d bytes)", i, len(got))
		}
		if _, _, err := Parse(got); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
		fi, _ := os.Stat(path)
		if fi.Mode().Perm() != 0o600 {
			t.Fatalf("run %d: mode %o", i, fi.Mode().Perm())
		}
		if bak, err := os.ReadFile(path + ".bak"); err == nil && !bytes.Equal(bak, a) && !bytes.Equal(bak, b) {
			t.Fatalf("run %d: backup is torn", i)
		}
	}
	l, err := Acquire(path, time.Second)
	if err != nil {
		t.Fatalf("lock still held after the writer died: %v", err)
	}
	l.Release()
	// The next run cleans up the temporary files killed runs left.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("stale temporary file left: %s", e.Name())
		}
	}
}
