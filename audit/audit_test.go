package audit

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// helperEnv makes the test binary, started again by
// TestParallelProcessesWriteWholeLines, append lines instead of testing.
const helperEnv = "SITECFG_AUDIT_APPEND_HELPER"

func TestMain(m *testing.M) {
	if spec := os.Getenv(helperEnv); spec != "" {
		// config path, writer id, lines
		parts := strings.Split(spec, "|")
		n, _ := strconv.Atoi(parts[2])
		for i := 0; i < n; i++ {
			// Long lines: a writer that did not append in one write(2)
			// would show here as torn or mixed lines.
			e := Entry{Command: "helper-" + parts[1], Result: i, Fields: []string{strings.Repeat("f", 2000+i)}}
			e.Who(time.Now())
			if err := Append(parts[0], e); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Real parallel processes appending at once: every line arrives whole,
// none is lost, each writer's lines keep their order.
func TestParallelProcessesWriteWholeLines(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "site-config.yaml")
	const writers, lines = 4, 150
	var cmds []*exec.Cmd
	for w := 0; w < writers; w++ {
		c := exec.Command(os.Args[0], "-test.run=^$")
		c.Env = append(os.Environ(), fmt.Sprintf("%s=%s|%d|%d", helperEnv, cfg, w, lines))
		c.Stderr = os.Stderr
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, c)
	}
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(Path(cfg))
	if err != nil {
		t.Fatal(err)
	}
	l := Parse(data)
	if l.Skipped != 0 || len(l.Entries) != writers*lines {
		t.Fatalf("%d entries and %d unreadable lines, want %d and 0", len(l.Entries), l.Skipped, writers*lines)
	}
	next := map[string]int{}
	for _, e := range l.Entries {
		if e.Result != next[e.Command] || len(e.Fields[0]) != 2000+e.Result {
			t.Fatalf("%s: line %d out of order or cut (want %d)", e.Command, e.Result, next[e.Command])
		}
		next[e.Command]++
	}
	if fi, err := os.Stat(Path(cfg)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("log mode: %v %v", fi.Mode(), err)
	}
}

// A last line a crash cut short is skipped, not an error; the next
// append starts a line of its own, which reads back.
func TestTornLastLine(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "site-config.yaml")
	first := Entry{Command: "apply", Written: true, After: Hash([]byte("a"))}
	first.Who(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	if err := Append(cfg, first); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(Path(cfg), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"time":"2026-11-02T00:00:00Z","user":"root","command":"wiz`)
	f.Close()
	l, err := Read(cfg)
	if err != nil || len(l.Entries) != 1 || l.Skipped != 1 {
		t.Fatalf("read: %v, %d entries, %d skipped", err, len(l.Entries), l.Skipped)
	}
	second := Entry{Command: "recovery-codes", Written: true, After: Hash([]byte("b"))}
	second.Who(time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC))
	if err := Append(cfg, second); err != nil {
		t.Fatal(err)
	}
	l, _ = Read(cfg)
	if len(l.Entries) != 2 || l.Skipped != 1 || l.Entries[1].Command != "recovery-codes" {
		t.Fatalf("after the torn line: %+v, %d skipped", l.Entries, l.Skipped)
	}
	if w := l.LastWrite(); w == nil || w.After != Hash([]byte("b")) {
		t.Errorf("last write: %+v", w)
	}
}

// Drift is the file's SHA-256 against the last write's; runs that wrote
// nothing and notices do not count.
func TestDrift(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "site-config.yaml")
	os.WriteFile(cfg, []byte("version: 1\n"), 0o600)
	if d, _, err := CheckDrift(cfg); d != nil || err != nil {
		t.Fatalf("no log yet: %+v %v", d, err)
	}
	at := time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)
	w := Entry{Command: "apply", Written: true, After: Hash([]byte("version: 1\n"))}
	w.Who(at)
	Append(cfg, w)
	failed := Entry{Command: "apply", Result: 3, Before: "x", After: "x"}
	failed.Who(at.Add(time.Hour))
	Append(cfg, failed)
	if d, _, _ := CheckDrift(cfg); d != nil {
		t.Fatalf("drift on an untouched file: %+v", d)
	}
	os.WriteFile(cfg, []byte("version: 1\n# edited\n"), 0o600)
	d, _, err := CheckDrift(cfg)
	if err != nil || d == nil || !d.Since.Equal(at) {
		t.Fatalf("hand edit not seen: %+v %v", d, err)
	}
	if dn, err := DriftNow(cfg); err != nil || dn == nil || *dn != *d {
		t.Errorf("DriftNow = %+v %v, CheckDrift = %+v", dn, err, d)
	}
	if msg := d.Message(cfg); !strings.Contains(msg, "edited outside sitecfg since 2026-11-20 09:30 UTC") {
		t.Errorf("message: %s", msg)
	}
}

// A log that is a symbolic link is refused, and the file it points at is
// left alone; a damaged line in the middle costs only itself.
func TestSymlinkAndDamagedLines(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "site-config.yaml")
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("keep\n"), 0o644)
	os.Symlink(victim, Path(cfg))
	if err := Append(cfg, Entry{Command: "apply"}); err == nil {
		t.Error("appended through a symbolic link")
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep\n" {
		t.Errorf("the link's target changed: %q", b)
	}
	long := strings.Repeat("x", maxLine+1)
	l := Parse([]byte(`{"command":"apply","result":0}` + "\n" + long + "\nnot json\n" + `{"command":"wizard","result":130}` + "\n"))
	if len(l.Entries) != 2 || l.Skipped != 2 || l.Entries[1].Command != "wizard" {
		t.Errorf("%d entries, %d skipped", len(l.Entries), l.Skipped)
	}
}

// ReadLastWrite, which parses from the end, finds what Read and LastWrite
// find on logs of every shape: writes and non-writes in any order, blank,
// torn, foreign and oversized lines, no trailing newline, no write at all.
func TestReadLastWriteFromTheEnd(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "site-config.yaml")
	lines := []string{
		`{"time":"2026-11-01T00:00:00Z","command":"apply","written":true,"after":"A"}`,
		`{"time":"2026-11-02T00:00:00Z","command":"check","notified":["client_secret"]}`,
		`{"time":"2026-11-03T00:00:00Z","command":"apply","result":3}`,
		`{"time":"2026-11-04T00:00:00Z","command":"recovery-codes","written":true,"after":"B"}`,
		``, `not json`, `{"written":true,"after":"no command"}`, strings.Repeat("x", maxLine+1),
		`{"time":"2026-11-05T00:00:00Z","command":"wiz`,
	}
	r := rand.New(rand.NewPCG(3, 4))
	for n := range 500 {
		var b strings.Builder
		for range r.IntN(7) {
			b.WriteString(lines[r.IntN(len(lines))])
			b.WriteString("\n")
		}
		data := b.String()
		if n%3 == 0 {
			data = strings.TrimSuffix(data, "\n")
		}
		if err := os.WriteFile(Path(cfg), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		l, err := Read(cfg)
		if err != nil {
			t.Fatal(err)
		}
		want := l.LastWrite()
		got, err := ReadLastWrite(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if (got == nil) != (want == nil) || got != nil && (got.After != want.After || !got.Time.Equal(want.Time)) {
			t.Fatalf("log %q: ReadLastWrite = %+v, Read().LastWrite() = %+v", data, got, want)
		}
	}
	os.Remove(Path(cfg))
	if e, err := ReadLastWrite(cfg); e != nil || err != nil {
		t.Errorf("no log: %+v %v", e, err)
	}
}

// A FIFO (or any non-regular file) where the log should be is refused at
// once by every reader and by Append: `check` and `history` must not
// hang on it, and nothing is "logged" into a pipe.
func TestLogThatIsAFIFO(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "site-config.yaml")
	os.WriteFile(cfg, []byte("version: 1\n"), 0o600)
	if err := syscall.Mkfifo(Path(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan string)
	go func() {
		var out []string
		if _, err := Read(cfg); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			out = append(out, fmt.Sprintf("Read: %v", err))
		}
		if _, err := ReadLastWrite(cfg); err == nil {
			out = append(out, "ReadLastWrite: no error")
		}
		if d, err := DriftNow(cfg); err == nil || d != nil {
			out = append(out, fmt.Sprintf("DriftNow: %+v %v", d, err))
		}
		if err := Append(cfg, Entry{Command: "apply"}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			out = append(out, fmt.Sprintf("Append: %v", err))
		}
		done <- strings.Join(out, "; ")
	}()
	select {
	case bad := <-done:
		if bad != "" {
			t.Error(bad)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a reader or Append blocked on the FIFO")
	}
}

// A config that became a FIFO after sitecfg wrote it is an error for
// drift, not a wait.
func TestDriftOfAConfigThatIsAFIFO(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "site-config.yaml")
	w := Entry{Command: "apply", Written: true, After: Hash([]byte("version: 1\n"))}
	w.Who(time.Now())
	if err := Append(cfg, w); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := DriftNow(cfg); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("DriftNow = %v, want not a regular file", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("DriftNow blocked on the FIFO")
	}
}
