//go:build linux

package clipboard

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// detectedAtInit is whether the clipboard programs were looked for
// before any test ran.
var detectedAtInit bool

func TestMain(m *testing.M) {
	detectedAtInit = pasteCmdArgs != nil || copyCmdArgs != nil || Unsupported
	os.Exit(m.Run())
}

// The sitecfg patch: linking the package searches $PATH for nothing; the
// first ReadAll finds xclip there and uses it, and WriteAll after it.
func TestProgramsLookedForOnFirstUse(t *testing.T) {
	if detectedAtInit {
		t.Fatal("the clipboard programs were looked for during package initialisation")
	}
	dir := t.TempDir()
	copied := filepath.Join(dir, "copied")
	xclip := "#!/bin/sh\ncase \"$1\" in\n-in) /bin/cat > " + copied + " ;;\n*) printf 'from the clipboard' ;;\nesac\n"
	if err := os.WriteFile(filepath.Join(dir, "xclip"), []byte(xclip), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	t.Setenv("WAYLAND_DISPLAY", "")
	got, err := ReadAll()
	if err != nil || got != "from the clipboard" {
		t.Fatalf("ReadAll() = %q, %v; want the fake xclip's output", got, err)
	}
	if Unsupported {
		t.Error("Unsupported is set although xclip was found")
	}
	if err := WriteAll("to the clipboard"); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(copied); string(b) != "to the clipboard" {
		t.Fatalf("xclip -in received %q", b)
	}
}

// With no clipboard program on $PATH, the first use says so (in a child
// process: detection happens once per process).
func TestNoProgramsFoundOnFirstUse(t *testing.T) {
	if os.Getenv("CLIPBOARD_CHILD") == "1" {
		_, err := ReadAll()
		if err != missingCommands || !Unsupported {
			t.Fatalf("ReadAll() error = %v, Unsupported = %v; want missingCommands and true", err, Unsupported)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestNoProgramsFoundOnFirstUse$")
	cmd.Env = append(os.Environ(), "CLIPBOARD_CHILD=1", "PATH="+t.TempDir(), "WAYLAND_DISPLAY=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
}
