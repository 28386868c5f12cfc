package e2e

import (
	"os"
	"strings"
	"testing"

	"sitecfg/audit"
)

// rerunLines runs the line prompts (sitecfg --accessible) on the signed-in
// config of exchangeSetup through the e2e build, keeping every answer, and
// answers "Sign in again?" with again; signIn, when it is asked, does what
// the operator's browser does and returns the address to paste back.
func rerunLines(t *testing.T, dir, path string, env []string, again string, signIn func(shown string) string) (code int, text string) {
	t.Helper()
	_, in, out, done := startE2E(t, dir, env, "--accessible", "--config", path, "--timeout", "10s")
	// SMTP on, the three addresses, the method, the cloud, tenant, client,
	// mailbox, sender and recipients: each kept with Enter.
	sendLines(t, in, "", "", "", "", "", "", "", "", "", "", "")
	waitOut(t, out, "Sign in again? [y/N]: ")
	sendLines(t, in, again)
	if signIn != nil {
		sendLines(t, in, signIn(waitOut(t, out, "paste it here: ")))
	}
	waitOut(t, out, "press Enter to go on")
	sendLines(t, in, "")
	waitOut(t, out, "Run the live check now?")
	sendLines(t, in, "", "")
	in.Close()
	return exitOf(t, done), out.String()
}

// The line prompts on a config that is already signed in offer to sign in
// again. After Entra has revoked the stored sign-in (a password change),
// answering yes shows the sign-in address, the pasted-back address is
// redeemed, the live check passes with the new sign-in and the config is
// written with its token, audit-logged; the revoked token is gone.
// Answering no (the default) keeps the stored sign-in, shows no sign-in
// address, and the check's rotation is stored as usual.
func TestLinesSignInAgain(t *testing.T) {
	t.Parallel()
	entra, _, dir, path, env := exchangeSetup(t)
	first := signInE2E(t, entra, dir, path, env)

	code, text := rerunLines(t, dir, path, env, "", nil)
	kept, _ := storedToken(t, path)
	if code != exitOK || strings.Contains(text, "https://login.microsoftonline.com/") || !strings.Contains(text, "Live check passed") ||
		kept == first || kept != entra.Latest() {
		t.Fatalf("keeping the sign-in: exit %d, token rotated and stored %v:\n%s", code, kept != first && kept == entra.Latest(), text)
	}

	entra.Revoke() // the user's password changed: the stored sign-in is void
	code, text = rerunLines(t, dir, path, env, "y", func(shown string) string {
		pasted, err := entra.SignIn(shownURL(t, shown))
		if err != nil {
			t.Fatal(err)
		}
		return pasted
	})
	now, _ := storedToken(t, path)
	if code != exitOK || !strings.Contains(text, "Signed in as alerts@contoso.test") || !strings.Contains(text, "Live check passed") {
		t.Fatalf("signing in again: exit %d:\n%s", code, text)
	}
	if now == kept || now != entra.Latest() {
		t.Fatal("the config does not hold the new sign-in's token")
	}
	if c := runE2E(t, dir, env, "check", "--config", path, "--timeout", "10s"); c.code != exitOK {
		t.Errorf("check after signing in again: exit %d\n%s%s", c.code, c.stdout, c.stderr)
	}
	logged, _ := os.ReadFile(audit.Path(path))
	for _, tok := range []string{first, kept, now} {
		if strings.Contains(text+string(logged), tok) {
			t.Error("a refresh token was shown or logged")
		}
	}
	h := runE2E(t, dir, env, "history", "--config", path)
	if lines := strings.Split(h.stdout, "\n"); len(lines) < 2 || !strings.Contains(lines[1], "smtp.oauth.refresh_token") {
		t.Errorf("the new sign-in's write is not in the history:\n%s", h.stdout)
	}
}
