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
	s.Written.Nonce = fmt.Sprintf("%032d", which) // the same bytes in the child and here
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

// TestParallelWriterChild is a child of TestParallelWritersOfNeighbours:
// it writes the config at SITECFG_PARALLEL_CHILD many times, each under
// the lock, and exits 1 on the first failure.
func TestParallelWriterChild(t *testing.T) {
	path := os.Getenv("SITECFG_PARALLEL_CHILD")
	if path == "" {
		t.Skip("helper process for TestParallelWritersOfNeighbours")
	}
	data := crashContent(0)
	for i := range 150 {
		l, err := Acquire(path, 30*time.Second)
		if err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
		if _, err := l.SaveBytes(data); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
		l.Release()
	}
}

// TestParallelWritersOfNeighbours runs two processes writing a.yaml and
// a.yaml2 in one folder at once (issue 10, point 5): one's stale-temp
// clean-up must never delete the other's temporary file.
func TestParallelWritersOfNeighbours(t *testing.T) {
	if testing.Short() {
		t.Skip("parallel processes")
	}
	dir := t.TempDir()
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for _, name := range []string{"a.yaml", "a.yaml2", "a.yaml.tmp-1"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestParallelWriterChild$")
		cmd.Env = append(os.Environ(), "SITECFG_PARALLEL_CHILD="+filepath.Join(dir, name))
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, &out)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("writer %d failed: %v\n%s", i, err, outs[i])
		}
	}
}

// TestPlantedLockSymlinkIsRefused plants PATH.lock as a symlink to a file
// that does not exist (issue 10, point 15): Acquire refuses it and creates
// nothing at the link's target; a lock that is not a regular file is
// refused too.
func TestPlantedLockSymlinkIsRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "site.yaml")
	victim := filepath.Join(dir, "victim")
	if err := os.Symlink(victim, path+".lock"); err != nil {
		t.Fatal(err)
	}
	if l, err := Acquire(path, 0); err == nil {
		l.Release()
		t.Fatal("a symlinked lock file was accepted")
	}
	if _, err := os.Lstat(victim); err == nil {
		t.Fatal("the link's target was created")
	}
	other := filepath.Join(dir, "other.yaml")
	if err := os.Mkdir(other+".lock", 0o700); err != nil {
		t.Fatal(err)
	}
	if l, err := Acquire(other, 0); err == nil {
		l.Release()
		t.Fatal("a folder as lock file was accepted")
	}
	fifo := filepath.Join(dir, "third.yaml")
	if err := syscall.Mkfifo(fifo+".lock", 0o600); err != nil {
		t.Fatal(err)
	}
	if l, err := Acquire(fifo, 0); err == nil {
		l.Release()
		t.Fatal("a FIFO as lock file was accepted")
	}
}
