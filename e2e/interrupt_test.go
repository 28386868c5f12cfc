//go:build unix

package e2e

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sitecfg/internal/testkit"
)

// Ctrl+C (SIGINT) at any prompt ends the command at once with exit 130
// and the cancelled message, even though stdin is a pipe that never ends
// and nothing was typed: nothing is written, no code is used up.
func TestCtrlCAtAPromptExits130(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	dir, path, codes := setupLocalUsers(t)
	tests := []struct {
		name  string
		args  []string
		typed string
		// prompt is the last thing shown before the program waits.
		prompt string
	}{
		{"reset-password at the recovery code", []string{"reset-password", "--user", "siteadmin"}, "", "Recovery code: "},
		{"reset-password at the new password", []string{"reset-password", "--user", "siteadmin"}, codes[0] + "\n", "New password: "},
		{"reset-password at the confirmation", []string{"reset-password", "--user", "siteadmin"}, codes[0] + "\nNew-Passw0rd-x9\n", "New password again: "},
		{"line prompts at the first question", []string{"--accessible", "--config", filepath.Join(dir, "other.yaml")}, "", "Ctrl+C quits without saving."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(sitecfgBin(t), tt.args...)
			cmd.Dir = dir
			var out testkit.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			defer stdin.Close() // only after the program is gone: the pipe never ends
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			if _, err := stdin.Write([]byte(tt.typed)); err != nil {
				t.Fatal(err)
			}
			waitForOutput(t, &out, tt.prompt, done)
			time.Sleep(100 * time.Millisecond) // let it sit in the read
			sent := time.Now()
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			select {
			case err = <-done:
			case <-time.After(2 * time.Second):
				_ = cmd.Process.Kill()
				<-done
				t.Fatalf("still running 2 s after Ctrl+C; output:\n%s", out.String())
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != exitCancel {
				t.Fatalf("exit %v after %s, want %d; output:\n%s", err, time.Since(sent), exitCancel, out.String())
			}
			if !strings.Contains(out.String(), "cancelled: nothing was written") {
				t.Errorf("no cancelled message:\n%s", out.String())
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
				t.Error("the config changed")
			}
		})
	}
	// The code typed before Ctrl+C was not used up.
	r := runBin(t, dir, nil, codes[0]+"\nNew-Passw0rd-x9\nNew-Passw0rd-x9\n", "reset-password", "--user", "siteadmin")
	if r.code != 0 {
		t.Fatalf("the code no longer works after the cancelled runs: exit %d\n%s", r.code, r.stderr)
	}
}

// waitForOutput waits until the program has shown want.
func waitForOutput(t *testing.T, out *testkit.Buffer, want string, done <-chan error) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !strings.Contains(out.String(), want) {
		select {
		case err := <-done:
			t.Fatalf("ended (%v) before showing %q:\n%s", err, want, out.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("never showed %q:\n%s", want, out.String())
		}
	}
}
