package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// In a real terminal, reset-password reads the code and the passwords
// with no echo (the terminal in raw mode, where Ctrl+C arrives as a byte,
// not a signal). Ctrl+C at any of them still exits 130 at once, and the
// terminal is given back with echo on.
func TestResetPasswordCtrlCInATerminal(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	dir, path, codes := setupLocalUsers(t)
	prompts := []string{"Recovery code:", "New password:", "New password again:"}
	tests := []struct {
		name   string
		typed  []string
		prompt string
	}{
		{"at the recovery code", nil, prompts[0]},
		{"at the new password", []string{codes[1]}, prompts[1]},
		{"at the confirmation", []string{codes[1], "New-Passw0rd-t1"}, prompts[2]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := os.ReadFile(path)
			stty := filepath.Join(dir, "stty.txt")
			// After sitecfg, the shell records the terminal's modes, then
			// passes sitecfg's exit code on.
			s := startTUI(t, dir, "reset-password --user siteadmin; code=$?; stty -a > "+stty+"; (exit $code)")
			for i, text := range tt.typed {
				s.waitFor(prompts[i])
				s.tmux("send-keys", "-t", s.session, "-l", text)
				s.keys("Enter")
			}
			s.waitFor(tt.prompt)
			s.keys("C-c")
			s.mustExit(exitCancel)
			scr := s.screen()
			if !strings.Contains(scr, "cancelled: nothing was written") {
				t.Errorf("no cancelled message:\n%s", scr)
			}
			for _, text := range tt.typed {
				if strings.Contains(scr, text) {
					t.Errorf("%q was echoed:\n%s", text, scr)
				}
			}
			modes, err := os.ReadFile(stty)
			if err != nil {
				t.Fatal(err)
			}
			for _, mode := range []string{" echo ", " icanon ", " isig "} {
				if !strings.Contains(" "+strings.Join(strings.Fields(string(modes)), " ")+" ", mode) {
					t.Errorf("the terminal was left without %s:\n%s", strings.TrimSpace(mode), modes)
				}
			}
			if after, _ := os.ReadFile(path); string(before) != string(after) {
				t.Error("the config changed")
			}
		})
	}
}

// The same prompts in a terminal take what is typed, edits included
// (Backspace, Ctrl+U), without showing it.
func TestResetPasswordInATerminal(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	dir, _, codes := setupLocalUsers(t)
	s := startTUI(t, dir, "reset-password", "--user", "siteadmin")
	s.waitFor("Recovery code:")
	s.tmux("send-keys", "-t", s.session, "-l", "not the code")
	s.keys("C-u")
	s.tmux("send-keys", "-t", s.session, "-l", codes[2]+"x")
	s.keys("BSpace", "Enter").waitFor("New password:")
	s.tmux("send-keys", "-t", s.session, "-l", "Term-Passw0rd-1")
	s.keys("Enter").waitFor("New password again:")
	s.tmux("send-keys", "-t", s.session, "-l", "Term-Passw0rd-1")
	s.keys("Enter")
	s.mustExit(exitOK)
	if scr := s.screen(); strings.Contains(scr, codes[2]) || strings.Contains(scr, "Term-Passw0rd-1") || !strings.Contains(scr, "was reset") {
		t.Errorf("the screen:\n%s", scr)
	}
}

// The line prompts read a password the same way: Ctrl+C there (a byte,
// the terminal being raw) cancels the run like the signal does.
func TestLinePromptsCtrlCAtAPasswordInATerminal(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	dir := t.TempDir()
	stty := filepath.Join(dir, "stty.txt")
	s := startTUI(t, dir, "--accessible --config site-config.yaml; code=$?; stty -a > "+stty+"; (exit $code)")
	s.waitFor("Ctrl+C quits without saving.")
	s.waitFor("SMTP server?").keys("n", "Enter")
	s.waitFor("username").tmux("send-keys", "-t", s.session, "-l", "siteadmin")
	s.keys("Enter").waitFor("password:")
	s.tmux("send-keys", "-t", s.session, "-l", "Half-typed")
	s.keys("C-c")
	s.mustExit(exitCancel)
	if scr := s.screen(); !strings.Contains(scr, "cancelled: nothing was written") || strings.Contains(scr, "Half-typed") {
		t.Errorf("the screen:\n%s", scr)
	}
	if _, err := os.Stat(filepath.Join(dir, "site-config.yaml")); err == nil {
		t.Error("a config was written")
	}
	modes, err := os.ReadFile(stty)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(" "+strings.Join(strings.Fields(string(modes)), " ")+" ", " echo ") {
		t.Errorf("the terminal was left without echo:\n%s", modes)
	}
}
