package e2e

import (
	"os"
	"strings"
	"testing"
	"time"

	"sitecfg/audit"
)

// The full-screen wizard on a config whose stored sign-in Entra has
// revoked (a password change): the live check fails at the token step
// with the cause, and the failed check offers "i sign in again"; the
// sign-in runs on the plain terminal (the address whole, pasted back),
// the wizard resumes, the check passes with the new sign-in and the
// config is written with its token, audit-logged. Through the e2e build
// at 80x24, against the Entra imitation and a stand-in Exchange.
func TestTUISignInAgain(t *testing.T) {
	t.Parallel()
	entra, _, dir, path, env := exchangeSetup(t)
	first := signInE2E(t, entra, dir, path, env)
	entra.Revoke()
	s := startTUIIn(t, termCase{w: 80, h: 24, env: env, bin: sitecfgE2EBin(t)}, dir, "--config", path, "--timeout", "10s")
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(s.screen(), "Failed at") {
		if time.Now().After(deadline) {
			t.Fatalf("the check did not fail; the screen:\n%s", s.screen())
		}
		s.keys("Enter")
		time.Sleep(150 * time.Millisecond)
	}
	if scr := s.screen(); !strings.Contains(scr, "i sign in again") || !strings.Contains(scr, "AADSTS50173") {
		t.Fatalf("the failed check does not offer to sign in again:\n%s", scr)
	}
	s.keys("i")
	s.waitFor("paste it here")
	joined := s.tmux("capture-pane", "-p", "-J", "-t", s.session)
	url := ""
	for _, l := range strings.Split(joined, "\n") {
		if strings.HasPrefix(l, "https://login.microsoftonline.com/") {
			url = strings.TrimSpace(l)
		}
	}
	pasted, err := entra.SignIn(url)
	if err != nil {
		t.Fatalf("the address as copied does not sign in: %v\n%s", err, joined)
	}
	s.tmux("send-keys", "-t", s.session, "-l", pasted)
	s.keys("Enter")
	s.waitFor("Wrote")
	now, _ := storedToken(t, path)
	if now == first || now != entra.Latest() {
		t.Fatalf("the config does not hold the new sign-in's token; the screen:\n%s", s.screen())
	}
	scr := s.screen()
	logged, _ := os.ReadFile(audit.Path(path))
	if strings.Contains(scr+string(logged), now) || strings.Contains(scr+string(logged), first) {
		t.Error("a refresh token was shown or logged")
	}
	s.keys("Enter")
	if code := s.exitCode(); code != exitOK {
		t.Errorf("exit %d; the screen:\n%s", code, s.screen())
	}
	if c := runE2E(t, dir, env, "check", "--config", path, "--timeout", "10s"); c.code != exitOK {
		t.Errorf("check after signing in again: exit %d\n%s%s", c.code, c.stdout, c.stderr)
	}
}
