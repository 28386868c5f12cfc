package e2e

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

// The full-screen wizard's sign-in step at 80 columns: after the review,
// the terminal is handed to the sign-in, whose address is one line (the
// terminal wraps it; tmux joins it back, as a copy does), pasted back
// from the browser's address bar; the wizard then resumes and runs the
// live check, which cannot reach Exchange here: nothing is written.
func TestTUISignIn(t *testing.T) {
	t.Parallel()
	entra, dir, path, env := signinSetup(t)
	before, _ := os.ReadFile(path)
	s := startTUIIn(t, termCase{w: 80, h: 24, env: env}, dir, "--config", path, "--timeout", "3s")
	// Through the welcome, the pages (every answer already given) and
	// the review, Enter by Enter.
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(s.screen(), "paste it here") {
		if time.Now().After(deadline) {
			t.Fatalf("no sign-in; the screen:\n%s", s.screen())
		}
		s.keys("Enter")
		time.Sleep(150 * time.Millisecond)
	}
	joined := s.tmux("capture-pane", "-p", "-J", "-t", s.session)
	url := ""
	for _, l := range strings.Split(joined, "\n") {
		if strings.HasPrefix(l, "https://login.microsoftonline.com/") {
			url = strings.TrimSpace(l)
		}
	}
	if url == "" || !strings.Contains(url, "code_challenge_method=S256") || !strings.Contains(url, "&state=") {
		t.Fatalf("the sign-in address is not shown whole on a line of its own:\n%s", joined)
	}
	pasted, err := entra.SignIn(url)
	if err != nil {
		t.Fatalf("the address as copied does not sign in: %v\n%s", err, url)
	}
	s.tmux("send-keys", "-t", s.session, "-l", pasted)
	s.keys("Enter")
	s.waitFor("Live check")
	s.waitFor("Failed at")
	s.keys("q")
	code := s.exitCode()
	if code != exitCheckFailed {
		t.Errorf("exit %d; the screen:\n%s", code, s.screen())
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("the config was written although the live check failed")
	}
}
