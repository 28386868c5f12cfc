package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Under tmux, a command that draws no TUI starts no child process:
// upstream lipgloss's package initialisation runs `tmux info` on every
// command (third_party/lipgloss detects on first use). The full-screen
// wizard still detects the terminal's colours under tmux — which also
// shows that the `tmux info` logger below sees such calls.
func TestNoTmuxInfoOutsideTheTUI(t *testing.T) {
	realTmux, err := exec.LookPath("tmux")
	if err != nil {
		startTUI(t, t.TempDir()) // skips, or fails in CI
	}
	bin := t.TempDir()
	log := filepath.Join(bin, "info.log")
	fake := "#!/bin/sh\n[ \"$1\" = info ] && echo \"tmux info\" >> " + log + "\nexec " + realTmux + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "tmux"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	// The tmux server, and so the pane, inherit this PATH.
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("TERM", "xterm-256color")
	calls := func() int {
		b, _ := os.ReadFile(log)
		return strings.Count(string(b), "tmux info")
	}

	dir := t.TempDir()
	for _, args := range [][]string{{"version"}, {"check", "--config", "missing.yaml"}} {
		s := startTUI(t, dir, args...)
		s.exitCode()
		if n := calls(); n != 0 {
			t.Fatalf("sitecfg %s ran `tmux info` %d times; the screen:\n%s", strings.Join(args, " "), n, s.screen())
		}
	}
	s := startTUI(t, dir, "--config", "site.yaml")
	s.waitFor("Welcome")
	if calls() == 0 {
		t.Error("the wizard did not detect the terminal's colours under tmux")
	}
	s.keys("C-c")
}
