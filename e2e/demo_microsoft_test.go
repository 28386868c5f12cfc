package e2e

import (
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sitecfg/config"
	"sitecfg/internal/testkit"
	"sitecfg/wizard"
)

// startPiped runs the binary with stdin a pipe, its output gathered.
func startPiped(t *testing.T, dir string, args ...string) (in io.WriteCloser, out *testkit.Buffer, done chan error) {
	t.Helper()
	cmd := exec.Command(sitecfgBin(t), args...)
	cmd.Dir = dir
	out = &testkit.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done = make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return in, out, done
}

// sendLines writes answers, one per line.
func sendLines(t *testing.T, in io.Writer, lines ...string) {
	t.Helper()
	if _, err := io.WriteString(in, strings.Join(lines, "\n")+"\n"); err != nil {
		t.Fatal(err)
	}
}

// The demo rehearses both Microsoft methods against its imitation of
// Entra and Exchange Online, with no tenant and no network: client
// credentials with the demo's secret, and the delegated sign-in, whose
// sign-in page approves by itself and shows the address to paste back.
func TestDemoMicrosoftMethods(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		method  string
		answers []string
		want    config.AuthMethod
	}{
		{"microsoft-oauth", "2", []string{"", wizard.DemoTenant, wizard.DemoClientID, "", "", wizard.DemoClientSecret, "", "", ""}, config.AuthMicrosoft},
		{"microsoft-delegated", "3", []string{"", wizard.DemoTenant, wizard.DemoClientID, "", "", ""}, config.AuthDelegated},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			in, out, done := startPiped(t, dir, "demo", "--accessible", "--dir", dir)
			sendLines(t, in, append([]string{"", "", "", "", c.method}, c.answers...)...)
			if c.want == config.AuthDelegated {
				text := waitOut(t, out, "paste it below:")
				landed := ""
				for _, l := range strings.Split(text, "\n") {
					if strings.HasPrefix(l, "http://localhost") {
						landed = l
					}
				}
				if landed == "" || !strings.Contains(text, "approved this sign-in by itself") {
					t.Fatalf("no address to paste back:\n%s", text)
				}
				sendLines(t, in, landed)
			}
			waitOut(t, out, "press Enter to go on")
			sendLines(t, in, "")
			waitOut(t, out, "Run the live check now?")
			sendLines(t, in, "", "", "")
			in.Close()
			code := exitOf(t, done)
			text := out.String()
			if code != 0 || !strings.Contains(text, "Live check passed") || !strings.Contains(text, "authenticated as demo@sitecfg.test") {
				t.Fatalf("exit %d:\n%s", code, text)
			}
			site, _, err := config.Load(filepath.Join(dir, "site-config.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if site.SMTP.Auth != c.want || site.SMTP.Server != "smtp.office365.com" {
				t.Errorf("written: auth %s server %s", site.SMTP.Auth, site.SMTP.Server)
			}
			if c.want == config.AuthDelegated {
				if site.SMTP.OAuth.RefreshToken.Value == "" || site.SMTP.OAuth.RefreshTokenExpires == "" || !strings.Contains(text, "Signed in as demo@sitecfg.test") {
					t.Errorf("no refresh token stored:\n%s", text)
				}
				if strings.Contains(text, site.SMTP.OAuth.RefreshToken.Value) {
					t.Error("the refresh token was shown")
				}
			}
			// The demo's secret is shown once, in the demo's description.
			if n := strings.Count(text, wizard.DemoClientSecret); n != 1 {
				t.Errorf("the demo's client secret is shown %d times", n)
			}
		})
	}
}
