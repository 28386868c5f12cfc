package e2e

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sitecfg/config"
	"sitecfg/internal/smtptest"
	"sitecfg/internal/testkit"
)

// exitCheckFailed is the contract's exit code of a failed live check,
// which a refused sign-in also gets.
const exitCheckFailed = 4

// signinSetup is Entra's imitation reached by the binary as Microsoft's
// sign-in hosts (HTTPS_PROXY, SSL_CERT_FILE) and a saved
// microsoft-delegated config nobody has signed in to. Exchange itself is
// not imitated here: the live check cannot pass, so these runs show what
// happens before it and that nothing is written without it.
func signinSetup(t *testing.T) (entra *smtptest.Entra, dir, path string, env []string) {
	t.Helper()
	entra, err := smtptest.NewEntra("11111111-2222-3333-4444-555555555555", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "alerts@contoso.test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(entra.Close)
	proxy, err := entra.Proxy()
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	ca := filepath.Join(dir, "entra-ca.pem")
	if err := os.WriteFile(ca, entra.CAPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	site := &config.Site{Version: 1, SMTP: config.SMTP{Enabled: true, Auth: config.AuthDelegated, Server: "smtp.office365.com", Port: 587,
		Security: config.SecurityStartTLS, From: "alerts@contoso.test",
		OAuth: &config.OAuth{Cloud: config.CloudGlobal, TenantID: entra.Tenant, ClientID: entra.ClientID}},
		Emails: &config.Emails{UIAdmin: "admin@contoso.test", UISupport: "support@contoso.test", AdmiralAlerts: "health@contoso.test"}}
	data, err := config.Marshal(site)
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(dir, "site-config.yaml")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return entra, dir, path, []string{"HTTPS_PROXY=" + proxy, "https_proxy=" + proxy, "SSL_CERT_FILE=" + ca, "NO_PROXY=", "no_proxy="}
}

// startSignin runs sitecfg signin with stdin a pipe, its output
// gathered as it comes.
func startSignin(t *testing.T, dir string, env []string, args ...string) (cmd *exec.Cmd, in io.WriteCloser, out *testkit.Buffer, done chan error) {
	t.Helper()
	cmd = exec.Command(sitecfgBin(t), append([]string{"signin"}, args...)...)
	cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
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
	return cmd, in, out, done
}

func waitOut(t *testing.T, out *testkit.Buffer, want string) string {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if s := out.String(); strings.Contains(s, want) {
			return s
		}
	}
	t.Fatalf("timed out waiting for %q:\n%s", want, out.String())
	return ""
}

func exitOf(t *testing.T, done chan error) int {
	t.Helper()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(60 * time.Second):
		t.Fatal("sitecfg signin did not end")
	}
	return -1
}

// shownURL is the sign-in address: a whole line of its own.
func shownURL(t *testing.T, out string) string {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "https://login.microsoftonline.com/") {
			return l
		}
	}
	t.Fatalf("no sign-in address:\n%s", out)
	return ""
}

// The paste-back through the binary: the address is shown whole on its
// own line with PKCE and a state; the pasted address is redeemed (the
// user's name comes back); the live check cannot reach Exchange here, so
// nothing is written and no token is shown.
func TestSigninBinaryPasteBack(t *testing.T) {
	t.Parallel()
	entra, dir, path, env := signinSetup(t)
	before, _ := os.ReadFile(path)
	_, in, out, done := startSignin(t, dir, env, "--config", path, "--timeout", "3s")
	u := shownURL(t, waitOut(t, out, "paste it here: "))
	for _, p := range []string{"code_challenge_method=S256", "state=", "redirect_uri=http%3A%2F%2Flocalhost", "response_type=code"} {
		if !strings.Contains(u, p) {
			t.Errorf("the sign-in address lacks %s: %s", p, u)
		}
	}
	pasted, err := entra.SignIn(u)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(in, pasted+"\n")
	code := exitOf(t, done)
	text := out.String()
	if code != exitCheckFailed || !strings.Contains(text, "Signed in as alerts@contoso.test") || !strings.Contains(text, "nothing was written") {
		t.Fatalf("exit %d:\n%s", code, text)
	}
	if strings.Contains(text, entra.Latest()) {
		t.Error("the refresh token was shown")
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("the config was written although the live check failed")
	}
}

// Refusals through the binary: an address from another sign-in (state),
// a declined consent (error= in the pasted address), a config of another
// method, and input that ends; each says why and writes nothing.
func TestSigninBinaryRefusals(t *testing.T) {
	t.Parallel()
	entra, dir, path, env := signinSetup(t)
	before, _ := os.ReadFile(path)

	_, in, out, done := startSignin(t, dir, env, "--config", path)
	u := shownURL(t, waitOut(t, out, "paste it here: "))
	pasted, err := entra.SignIn(strings.Replace(u, "state=", "state=x", 1))
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(in, pasted+"\n")
	if code := exitOf(t, done); code != exitCheckFailed || !strings.Contains(out.String(), "state does not match") {
		t.Errorf("state mismatch: exit %d\n%s", code, out.String())
	}

	entra.Decline(true)
	_, in, out, done = startSignin(t, dir, env, "--config", path)
	pasted, _ = entra.SignIn(shownURL(t, waitOut(t, out, "paste it here: ")))
	_, _ = io.WriteString(in, pasted+"\n")
	if code := exitOf(t, done); code != exitCheckFailed || !strings.Contains(out.String(), "declined") ||
		!strings.Contains(out.String(), "sitecfg signin --config "+path) {
		t.Errorf("declined: exit %d\n%s", code, out.String())
	}

	if r := runBin(t, dir, env, "", "signin", "--config", path); r.code != exitInvalid || !strings.Contains(r.stderr, "input ended before the address was pasted") {
		t.Errorf("no input: exit %d\n%s", r.code, r.stderr)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("a refused sign-in changed the config")
	}
	other := filepath.Join(dir, "basic.yaml")
	basic := &config.Site{Version: 1, SMTP: config.SMTP{Enabled: true, Auth: config.AuthBasic, Server: "127.0.0.1", Port: 2525,
		Security: config.SecurityStartTLS, From: "alerts@contoso.test"},
		Emails: &config.Emails{UIAdmin: "admin@contoso.test", UISupport: "support@contoso.test", AdmiralAlerts: "health@contoso.test"}}
	data, err := config.Marshal(basic)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runBin(t, dir, env, "", "signin", "--config", other); r.code != exitInvalid || !strings.Contains(r.stderr, "sitecfg signin is for auth: microsoft-delegated") {
		t.Errorf("basic config: exit %d\n%s", r.code, r.stderr)
	}
}

// --device-code through the binary: the address and code are shown, the
// sign-in is polled until approved, or said to be declined.
func TestSigninBinaryDeviceCode(t *testing.T) {
	t.Parallel()
	entra, dir, path, env := signinSetup(t)
	_, _, out, done := startSignin(t, dir, env, "--config", path, "--device-code", "--timeout", "3s")
	text := waitOut(t, out, "Waiting for the sign-in")
	i := strings.Index(text, "code: ")
	code := strings.TrimSpace(strings.SplitN(text[i+len("code: "):], "\n", 2)[0])
	if !strings.Contains(text, "https://microsoft.com/devicelogin") {
		t.Errorf("no verification address:\n%s", text)
	}
	if err := entra.ApproveDevice(code); err != nil {
		t.Fatal(err)
	}
	if c := exitOf(t, done); c != exitCheckFailed || !strings.Contains(out.String(), "Signed in as alerts@contoso.test") {
		t.Errorf("approved: exit %d\n%s", c, out.String())
	}

	entra.Decline(true)
	_, _, out, done = startSignin(t, dir, env, "--config", path, "--device-code")
	text = waitOut(t, out, "Waiting for the sign-in")
	i = strings.Index(text, "code: ")
	_ = entra.ApproveDevice(strings.TrimSpace(strings.SplitN(text[i+len("code: "):], "\n", 2)[0]))
	if c := exitOf(t, done); c != exitCheckFailed || !strings.Contains(out.String(), "declined") {
		t.Errorf("declined: exit %d\n%s", c, out.String())
	}
}
