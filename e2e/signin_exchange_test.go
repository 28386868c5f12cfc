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

	"sitecfg/audit"
	"sitecfg/config"
	"sitecfg/internal/smtptest"
	"sitecfg/internal/testkit"
	"sitecfg/internal/testpki"
)

// exchangeSetup is signinSetup with a stand-in for Exchange Online too:
// an SMTP server with a certificate for smtp.office365.com (its CA is the
// config's ca_file) whose XOAUTH2 takes the imitation's access tokens.
// The binary built for the tests (sitecfgE2EBin) reaches it through
// SITECFG_E2E_EXCHANGE, as sitecfg demo reaches its own in-process; the
// sign-in host is reached as in signinSetup (HTTPS_PROXY, SSL_CERT_FILE).
func exchangeSetup(t *testing.T) (entra *smtptest.Entra, srv *smtptest.Server, dir, path string, env []string) {
	t.Helper()
	entra, dir, path, env = signinSetup(t)
	ca, err := testpki.NewCA("stand-in Exchange CA", time.Now().Add(-time.Hour), time.Now().Add(365*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ca.ServerCert(testpki.ServerCertOptions{DNSNames: []string{"smtp.office365.com"}})
	if err != nil {
		t.Fatal(err)
	}
	srv = smtptest.Start(t, smtptest.Options{Dir: dir, CA: ca, Certificate: &cert, Mechanisms: []string{"XOAUTH2"},
		Username: "alerts@contoso.test", Tokens: entra.AccessTokens})
	site, _, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	site.SMTP.CAFile = srv.CAFile
	data, err := config.Marshal(site)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return entra, srv, dir, path, append(env, "SITECFG_E2E_EXCHANGE="+srv.Addr)
}

// startE2E runs the e2e build with stdin a pipe, its output gathered.
func startE2E(t *testing.T, dir string, env []string, args ...string) (cmd *exec.Cmd, in io.WriteCloser, out *testkit.Buffer, done chan error) {
	t.Helper()
	cmd = exec.Command(sitecfgE2EBin(t), args...)
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

// runE2E runs the e2e build to its end.
func runE2E(t *testing.T, dir string, env []string, args ...string) runResult {
	t.Helper()
	cmd := exec.Command(sitecfgE2EBin(t), args...)
	cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return runResult{code, out.String(), errb.String()}
}

// storedToken is the refresh token the config holds, with its expiry.
func storedToken(t *testing.T, path string) (token string, expires time.Time) {
	t.Helper()
	site, _, err := config.Load(path)
	if err != nil {
		t.Fatalf("the config no longer loads: %v", err)
	}
	if site.SMTP.OAuth == nil {
		t.Fatal("the config holds no oauth section")
	}
	exp, err := time.Parse(time.RFC3339, site.SMTP.OAuth.RefreshTokenExpires)
	if err != nil && site.SMTP.OAuth.RefreshTokenExpires != "" {
		t.Fatalf("refresh_token_expires %q: %v", site.SMTP.OAuth.RefreshTokenExpires, err)
	}
	return site.SMTP.OAuth.RefreshToken.Value, exp
}

// The success path through the binary: the pasted-back sign-in passes
// the live check against the stand-in Exchange, so the config is written
// with the refresh token, its expiry (90 days) and the signed-in user as
// the mailbox, audit-logged; then sitecfg check rotates the token: the
// new one is stored, history has the check's write, no drift is said,
// and the next check works with the stored token. No token is ever shown
// or logged.
func TestSigninBinaryWritesAndCheckRotates(t *testing.T) {
	t.Parallel()
	entra, srv, dir, path, env := exchangeSetup(t)
	_, in, out, done := startE2E(t, dir, env, "signin", "--config", path, "--timeout", "10s")
	pasted, err := entra.SignIn(shownURL(t, waitOut(t, out, "paste it here: ")))
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(in, pasted+"\n")
	code := exitOf(t, done)
	text := out.String()
	if code != exitOK || !strings.Contains(text, "Signed in as alerts@contoso.test") || !strings.Contains(text, "passed in") ||
		!strings.Contains(text, "Wrote "+path+": the refresh token is stored") {
		t.Fatalf("signin: exit %d:\n%s", code, text)
	}
	signedIn, exp := storedToken(t, path)
	if signedIn == "" || signedIn != entra.Latest() {
		t.Fatalf("the config does not hold the token the sign-in got (stored: %v)", signedIn != "")
	}
	if d := time.Until(exp); d < 89*24*time.Hour || d > 91*24*time.Hour {
		t.Errorf("refresh_token_expires is %s, not 90 days from now", exp)
	}
	if site, _, _ := config.Load(path); site.SMTP.Username != "alerts@contoso.test" {
		t.Errorf("the mailbox is %q, not the signed-in user", site.SMTP.Username)
	}
	if len(srv.Messages()) != 0 {
		t.Error("signin sent a message")
	}
	h := runE2E(t, dir, env, "history", "--config", path)
	if h.code != exitOK || !strings.Contains(h.stdout, "signin") || !strings.Contains(h.stdout, "smtp.oauth.refresh_token") {
		t.Fatalf("history after signin: exit %d\n%s%s", h.code, h.stdout, h.stderr)
	}

	// The daily check: it redeems the stored token and stores the new one.
	c := runE2E(t, dir, env, "check", "--config", path, "--timeout", "10s")
	if c.code != exitOK || !strings.Contains(c.stdout, "passed in") {
		t.Fatalf("check: exit %d\n%s%s", c.code, c.stdout, c.stderr)
	}
	rotated, exp2 := storedToken(t, path)
	if rotated == signedIn || rotated != entra.Latest() {
		t.Fatal("check did not store the rotated refresh token")
	}
	if exp2.Before(exp) {
		t.Errorf("the expiry went back: %s after %s", exp2, exp)
	}
	h = runE2E(t, dir, env, "history", "--config", path)
	lines := strings.Split(strings.TrimSpace(h.stdout), "\n")
	if first := lines[0]; !strings.Contains(first, "check") || !strings.Contains(first, "changed smtp.oauth.refresh_token") {
		t.Errorf("history's newest entry is not check's rotation:\n%s", h.stdout)
	}
	if c2 := runE2E(t, dir, env, "check", "--config", path, "--timeout", "10s"); c2.code != exitOK {
		t.Errorf("the next check, with the rotated token: exit %d\n%s%s", c2.code, c2.stdout, c2.stderr)
	}
	logged, _ := os.ReadFile(audit.Path(path))
	all := text + h.stdout + h.stderr + c.stdout + c.stderr + string(logged)
	if strings.Contains(all, "edited outside sitecfg") {
		t.Errorf("the rotation is reported as drift:\n%s%s", c.stdout, h.stdout)
	}
	for _, tok := range []string{signedIn, rotated, entra.Latest()} {
		if strings.Contains(all, tok) {
			t.Error("a refresh token was shown or logged")
		}
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the config's mode: %v %v", info.Mode(), err)
	}
}

// The switch the tests use to reach a stand-in Exchange is not in the
// shipped build: the binary the other tests drive (go build ., as a
// release is built) holds no trace of it, so no environment can send a
// real config's mail elsewhere.
func TestShippedBinaryHasNoExchangeSwitch(t *testing.T) {
	t.Parallel()
	for bin, want := range map[string]bool{sitecfgBin(t): false, sitecfgE2EBin(t): true} {
		b, err := os.ReadFile(bin)
		if err != nil {
			t.Fatal(err)
		}
		if got := bytes.Contains(b, []byte("SITECFG_E2E_EXCHANGE")); got != want {
			t.Errorf("%s names SITECFG_E2E_EXCHANGE: %v", filepath.Base(filepath.Dir(bin)), got)
		}
	}
}
