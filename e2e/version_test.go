package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A plain `go build` in a checkout names the commit it was built from
// and whether the tree was modified, as git itself sees them.
func TestVersionOfPlainBuildNamesTheCommit(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	git, err := exec.LookPath("git")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("git is required in CI")
		}
		t.Skip("no git")
	}
	head, err := exec.Command(git, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not a git checkout (a source archive?): %v", err)
	}
	statusBefore, err := exec.Command(git, "status", "--porcelain").Output()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "sitecfg")
	// -buildvcs=true: the default for a checkout, spelled out so that a
	// GOFLAGS=-buildvcs=false in the environment does not change the test.
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".")
	build.Dir = ".." // the module root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	status, err := exec.Command(git, "status", "--porcelain").Output()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatalf("sitecfg version: %v", err)
	}
	got := string(out)
	if !strings.Contains(got, "commit: "+strings.TrimSpace(string(head))) {
		t.Errorf("does not name HEAD %s:\n%s", head, got)
	}
	if strings.HasPrefix(got, "sitecfg dev\n") {
		t.Errorf("version is still 'dev':\n%s", got)
	}
	want := "tree: clean\n"
	if len(status) > 0 {
		want = "tree: modified"
	}
	if string(status) != string(statusBefore) {
		want = "tree: " // the tree changed during the build: either is right
	}
	if !strings.Contains(got, want) {
		t.Errorf("lacks %q (git status: %q):\n%s", want, status, got)
	}
}
