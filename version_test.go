package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestReadBuildStamp(t *testing.T) {
	vcs := func(version string, settings ...string) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			bi := &debug.BuildInfo{Main: debug.Module{Path: "sitecfg", Version: version}}
			for i := 0; i+1 < len(settings); i += 2 {
				bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
			}
			return bi, true
		}
	}
	none := func() (*debug.BuildInfo, bool) { return nil, false }
	clean, dirty := false, true
	for _, tt := range []struct {
		name    string
		stamped buildStamp
		read    func() (*debug.BuildInfo, bool)
		want    []string
	}{
		{
			name: "plain go build in a modified checkout",
			read: vcs("v0.0.0-20261207061234-fa22cec0ffee+dirty",
				"vcs", "git", "vcs.revision", "fa22cec0ffee1234", "vcs.time", "2026-12-07T06:12:34Z", "vcs.modified", "true"),
			want: []string{"sitecfg v0.0.0-20261207061234-fa22cec0ffee+dirty\n", "commit: fa22cec0ffee1234 (2026-12-07T06:12:34Z)\n", "tree: modified"},
		},
		{
			name: "plain go build in a clean checkout",
			read: vcs("v0.0.0-20261207061234-fa22cec0ffee", "vcs.revision", "fa22cec0ffee1234", "vcs.modified", "false"),
			want: []string{"commit: fa22cec0ffee1234\n", "tree: clean\n"},
		},
		{
			name:    "release: the stamps win over the build info",
			stamped: buildStamp{Version: "v1.4.0", Commit: "0123abcd", CommitTime: "2026-12-01T00:00:00Z", Modified: &clean},
			read:    vcs("(devel)", "vcs.revision", "ffff", "vcs.modified", "true"),
			want:    []string{"sitecfg v1.4.0\n", "commit: 0123abcd (2026-12-01T00:00:00Z)\n", "tree: clean\n"},
		},
		{
			name:    "release from a modified tree",
			stamped: buildStamp{Version: "v1.4.0", Commit: "0123abcd", Modified: &dirty},
			read:    none,
			want:    []string{"sitecfg v1.4.0\n", "tree: modified"},
		},
		{
			name: "no version control information",
			read: vcs("(devel)"),
			want: []string{"sitecfg dev\n", "commit: unknown", "tree: unknown\n", "go: go"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := readBuildStamp(tt.stamped, tt.read).String()
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

// A plain `go build` in a checkout names the commit it was built from
// and whether the tree was modified, as git itself sees them.
func TestVersionOfPlainBuildNamesTheCommit(t *testing.T) {
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
	bin := filepath.Join(t.TempDir(), "sitecfg")
	// -buildvcs=true: the default for a checkout, spelled out so that a
	// GOFLAGS=-buildvcs=false in the environment does not change the test.
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".")
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
	if !strings.Contains(got, want) {
		t.Errorf("lacks %q (git status: %q):\n%s", want, status, got)
	}
}
