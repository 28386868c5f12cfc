package lipgloss

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
)

// detectedAtInit is whether Writer existed, i.e. stdout's color profile
// was detected, before any test ran.
var detectedAtInit bool

func TestMain(m *testing.M) {
	detectedAtInit = Writer != nil
	os.Exit(m.Run())
}

// inChild reports whether this is the child process started by runChild.
func inChild() bool { return os.Getenv("LIPGLOSS_LAZY_CHILD") == "1" }

// runChild runs test name alone in a new process (Writer is detected once
// per process), with stdout sent to a file, and returns what it printed
// there before the testing package's own "PASS".
func runChild(t *testing.T, name string, env ...string) string {
	t.Helper()
	out, err := os.Create(filepath.Join(t.TempDir(), "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	var stderr bytes.Buffer
	cmd := exec.Command(os.Args[0], "-test.run", "^"+name+"$")
	cmd.Env = append(os.Environ(), append([]string{"LIPGLOSS_LAZY_CHILD=1"}, env...)...)
	cmd.Stdout, cmd.Stderr = out, &stderr
	if err := cmd.Run(); err != nil {
		b, _ := os.ReadFile(out.Name())
		t.Fatalf("child: %v\nstdout:\n%s\nstderr:\n%s", err, b, stderr.Bytes())
	}
	b, err := os.ReadFile(out.Name())
	if err != nil {
		t.Fatal(err)
	}
	printed, ok := strings.CutSuffix(string(b), "PASS\n")
	if !ok {
		t.Fatalf("child's stdout does not end in PASS:\n%q", b)
	}
	return printed
}

var purple = NewStyle().Foreground(Color("#6a00ff"))

// The sitecfg patch: linking the package detects nothing; the first
// Println detects stdout's profile, from the environment as it is then,
// and downsamples to it.
func TestWriterDetectedOnFirstUse(t *testing.T) {
	if detectedAtInit {
		t.Fatal("Writer (stdout's color profile) was detected during package initialisation")
	}
	if inChild() {
		// Set after init: only a detection on first use sees it. Stdout is
		// a file, so without it the profile would be NoTTY.
		t.Setenv("CLICOLOR_FORCE", "1")
		if _, err := Println("time for a", purple.Render("sandwich")); err != nil {
			t.Fatal(err)
		}
		if Writer == nil || Writer.Forward != os.Stdout || Writer.Profile != colorprofile.ANSI256 {
			t.Fatalf("after Println, Writer = %+v; want stdout with profile ANSI256", Writer)
		}
		return
	}
	got := runChild(t, t.Name(), "TERM=xterm-256color", "COLORTERM=", "CLICOLOR_FORCE=", "NO_COLOR=", "TTY_FORCE=")
	// #6a00ff downsampled to the 256-color palette.
	if want := "time for a \x1b[38;5;57msandwich\x1b[m\n"; got != want {
		t.Fatalf("Println wrote %q; want %q", got, want)
	}
}

// A Writer the caller assigned before first use is used as is, by the
// Print and Sprint functions alike, and not replaced by a detected one.
func TestAssignedWriterRespected(t *testing.T) {
	if !inChild() {
		if got := runChild(t, t.Name()); got != "" {
			t.Fatalf("wrote %q to stdout; want nothing there", got)
		}
		return
	}
	var buf bytes.Buffer
	mine := &colorprofile.Writer{Forward: &buf, Profile: colorprofile.NoTTY}
	Writer = mine
	Println("time for a", purple.Render("sandwich"))
	Printf("%s!", purple.Render("now"))
	if Writer != mine {
		t.Fatalf("Writer was replaced by %+v", Writer)
	}
	if got, want := buf.String(), "time for a sandwich\nnow!"; got != want {
		t.Fatalf("the assigned Writer received %q; want %q", got, want)
	}
	if got := Sprint(purple.Render("plain")); got != "plain" {
		t.Fatalf("Sprint ignored the assigned Writer's profile: %q", got)
	}
}
