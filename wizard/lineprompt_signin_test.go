package wizard

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"sitecfg/config"
	"sitecfg/internal/smtptest"
)

// signInScreenURL is the sign-in address as the prompts show it: a whole
// line of its own.
func signInScreenURL(t *testing.T, screen string) string {
	t.Helper()
	for _, l := range strings.Split(screen, "\n") {
		if strings.HasPrefix(l, "https://login.microsoftonline.com/") {
			return l
		}
	}
	t.Fatalf("no sign-in address:\n%s", screen)
	return ""
}

// The line prompts' sign-in step, after the Microsoft 365 questions: the
// address shown whole, the pasted address redeemed (a declined one said
// and signed in again), the signed-in user as the empty mailbox, the
// refresh token written with the config and never shown.
func TestLinesSignIn(t *testing.T) {
	t.Parallel()
	entra, err := smtptest.NewEntra("contoso.onmicrosoft.com", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "alerts@contoso.test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(entra.Close)
	pr, pw := io.Pipe()
	scr := &lineScreen{}
	fc := &fakeCheck{}
	path := filepath.Join(t.TempDir(), "site-config.yaml")
	go func() {
		defer pw.Close()
		_, _ = io.WriteString(pw, strings.Join([]string{"y", "admin@example.com", "support@example.com", "health@example.com",
			"3", "1", "contoso.onmicrosoft.com", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "", "alerts@contoso.test", ""}, "\n")+"\n")
		// First sign-in declined, then accepted.
		entra.Decline(true)
		pasted, _ := entra.SignIn(signInScreenURL(t, scr.waitFor(t, "paste it here: ")))
		_, _ = io.WriteString(pw, pasted+"\n")
		scr.waitFor(t, "Sign in again?")
		entra.Decline(false)
		_, _ = io.WriteString(pw, "y\n")
		for strings.Count(scr.String(), "paste it here: ") < 2 {
			scr.waitFor(t, "paste it here: ")
		}
		screen := scr.String()
		pasted, _ = entra.SignIn(signInScreenURL(t, screen[strings.LastIndex(screen, "Open this address"):]))
		_, _ = io.WriteString(pw, pasted+"\n\ny\nn\n")
	}()
	out, err := RunLines(context.Background(), LineOptions{In: pr, Out: scr, InFD: -1, ConfigPath: path, Check: fc.check,
		SignInClient: entra.HTTPClient()})
	screen := scr.String()
	if err != nil || out == nil {
		t.Fatalf("run: %v\n%s", err, screen)
	}
	for _, want := range []string{"== Microsoft 365 sign-in ==", "the consent was declined (AADSTS65004)", "Signed in as alerts@contoso.test",
		"The mailbox (smtp.username) is alerts@contoso.test"} {
		if !strings.Contains(screen, want) {
			t.Errorf("output lacks %q:\n%s", want, screen)
		}
	}
	site, _, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if s := site.SMTP; s.Auth != config.AuthDelegated || s.Username != "alerts@contoso.test" || s.OAuth.RefreshToken.Value != entra.Latest() ||
		s.OAuth.RefreshTokenExpires == "" || !s.OAuth.ClientSecret.IsZero() {
		t.Errorf("written smtp %+v oauth %+v", s, s.OAuth)
	}
	if c := fc.calls[0]; c.RefreshToken != entra.Latest() || c.SignIn != "sitecfg signin --config "+path {
		t.Errorf("the check did not get the signed-in token")
	}
	if strings.Contains(screen, entra.Latest()) {
		t.Error("the refresh token was shown")
	}
}
