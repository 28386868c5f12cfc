package main

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sitecfg/audit"
	"sitecfg/config"
	"sitecfg/internal/smtptest"
	"sitecfg/internal/testkit"
	"sitecfg/internal/testpki"
	"sitecfg/pipeline"
	"sitecfg/smtpauth"
)

// signinKit is Entra's imitation, an SMTP server that takes its tokens
// as smtp.office365.com would, and a saved microsoft-delegated config
// that nobody has signed in to yet (and no mailbox: the sign-in gives it).
type signinKit struct {
	entra *smtptest.Entra
	srv   *smtptest.Server
	path  string
}

func newSigninKit(t *testing.T) *signinKit {
	t.Helper()
	entra, err := smtptest.NewEntra("11111111-2222-3333-4444-555555555555", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "alerts@contoso.test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(entra.Close)
	ca, err := testpki.NewCA("test CA", time.Now().Add(-time.Hour), time.Now().Add(48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ca.ServerCert(testpki.ServerCertOptions{DNSNames: []string{"smtp.office365.com"}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	srv := smtptest.Start(t, smtptest.Options{Dir: dir, CA: ca, Certificate: &cert, Mechanisms: []string{"XOAUTH2"},
		Username: "alerts@contoso.test", Tokens: entra.AccessTokens})
	site := &config.Site{Version: 1, SMTP: config.SMTP{Enabled: true, Auth: config.AuthDelegated, Server: "smtp.office365.com", Port: 587,
		Security: config.SecurityStartTLS, CAFile: srv.CAFile, From: "alerts@contoso.test",
		OAuth: &config.OAuth{Cloud: config.CloudGlobal, TenantID: entra.Tenant, ClientID: entra.ClientID}},
		Emails: &config.Emails{UIAdmin: "admin@contoso.test", UISupport: "support@contoso.test", AdmiralAlerts: "health@contoso.test"}}
	data, err := config.Marshal(site)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "site-config.yaml")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return &signinKit{entra: entra, srv: srv, path: path}
}

func (k *signinKit) check(ctx context.Context, s smtpauth.Settings, o smtpauth.Options) (*smtpauth.Report, error) {
	o.Dial = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, k.srv.Addr)
	}
	return smtpauth.Check(ctx, s, o)
}

// signin runs sitecfg signin in-process; answer gets what was shown on
// stderr once the prompt is there and returns the line to paste.
func (k *signinKit) signin(t *testing.T, device bool, answer func(shown string) string) (stdout, stderr string, err error) {
	t.Helper()
	pr, pw := io.Pipe()
	var out, errb testkit.Buffer
	e := &env{stdin: pr, stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, now: time.Now}
	go func() {
		want := "paste it here: "
		if device {
			want = "code: "
		}
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			if s := errb.String(); strings.Contains(s, want) {
				time.Sleep(20 * time.Millisecond)
				_, _ = io.WriteString(pw, answer(errb.String())+"\n")
				return
			}
		}
		pw.Close()
	}()
	rec := newAuditRun(e, k.path, "signin")
	err = rec.finish(runSignin(context.Background(), e, signinOptions{path: k.path, device: device, journal: rec,
		hc: k.entra.HTTPClient(), check: k.check, timeout: 10 * time.Second}))
	return out.String(), errb.String(), err
}

// signInURL is the sign-in address as shown: a line of its own.
func signInURL(t *testing.T, shown string) string {
	for _, l := range strings.Split(shown, "\n") {
		if strings.HasPrefix(l, "https://login.microsoftonline.com/") {
			return l
		}
	}
	t.Fatalf("no sign-in address in:\n%s", shown)
	return ""
}

// The paste-back sign-in: the check runs with the new token and passes,
// then the config holds the (rotated) refresh token, its expiry and the
// signed-in user as the mailbox; the audit log has the write; no token
// is shown.
func TestSigninPasteBack(t *testing.T) {
	k := newSigninKit(t)
	stdout, stderr, err := k.signin(t, false, func(shown string) string {
		pasted, err := k.entra.SignIn(signInURL(t, shown))
		if err != nil {
			t.Error(err)
		}
		return pasted
	})
	if err != nil {
		t.Fatalf("signin: %v\n%s\n%s", err, stdout, stderr)
	}
	site, _, err := config.Load(k.path)
	if err != nil {
		t.Fatal(err)
	}
	o := site.SMTP.OAuth
	if o.RefreshToken.Value != k.entra.Latest() || o.RefreshTokenExpires == "" || site.SMTP.Username != "alerts@contoso.test" {
		t.Fatalf("stored: username %q, expires %q, latest token %v", site.SMTP.Username, o.RefreshTokenExpires, o.RefreshToken.Value == k.entra.Latest())
	}
	if strings.Contains(stdout+stderr, o.RefreshToken.Value) {
		t.Error("the refresh token was shown")
	}
	if !strings.Contains(stderr, "Signed in as alerts@contoso.test") || !strings.Contains(stdout, "Wrote "+k.path) {
		t.Errorf("output:\n%s\n%s", stdout, stderr)
	}
	log, err := audit.Read(k.path)
	if err != nil || len(log.Entries) != 1 || log.Entries[0].Command != "signin" || !log.Entries[0].Written {
		t.Fatalf("audit: %+v %v", log, err)
	}
	// A check then rotates the token: audit-logged as check's write, so
	// no drift is said.
	e := &env{stdout: io.Discard, stderr: io.Discard, now: time.Now}
	rec := newAuditRun(e, k.path, "check")
	run, err := pipeline.Open(k.path, pipeline.Options{MustExist: true, Strict: true, Journal: rec})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := run.ValidateSaved()
	rep, err := pipeline.Check(context.Background(), a, pipeline.CheckOptions{Run: run, Check: signinOptions{hc: k.entra.HTTPClient(), check: k.check}.withNetwork()})
	if err != nil || !rep.OK {
		t.Fatalf("check: %v %+v", err, rep.Diagnosis)
	}
	site, _, _ = config.Load(k.path)
	if site.SMTP.OAuth.RefreshToken.Value != k.entra.Latest() || site.SMTP.OAuth.RefreshToken.Value == o.RefreshToken.Value {
		t.Fatal("the check did not store the rotated token")
	}
	if log, _ := audit.Read(k.path); len(log.Entries) != 2 || log.Entries[1].Command != "check" ||
		log.Entries[1].Fields[0] != "smtp.oauth.refresh_token" {
		t.Errorf("audit after the check: %+v", log)
	}
	if d, err := audit.DriftNow(k.path); d != nil || err != nil {
		t.Errorf("the rotation is taken for drift: %+v %v", d, err)
	}
}

// A refused sign-in (declined consent) says its cause and the way out,
// and writes nothing.
func TestSigninDeclined(t *testing.T) {
	k := newSigninKit(t)
	before, _ := os.ReadFile(k.path)
	k.entra.Decline(true)
	_, stderr, err := k.signin(t, false, func(shown string) string {
		pasted, _ := k.entra.SignIn(signInURL(t, shown))
		return pasted
	})
	if err == nil || exitCode(err) != exitCheck || !strings.Contains(stderr, "declined") || !strings.Contains(stderr, "sitecfg signin --config "+k.path) {
		t.Fatalf("err %v\n%s", err, stderr)
	}
	after, _ := os.ReadFile(k.path)
	if string(after) != string(before) {
		t.Error("a refused sign-in changed the config")
	}
}

// The device code sign-in: the code shown, approved, checked, stored.
func TestSigninDeviceCode(t *testing.T) {
	k := newSigninKit(t)
	stdout, stderr, err := k.signin(t, true, func(shown string) string {
		i := strings.Index(shown, "code: ")
		code := strings.TrimSpace(strings.SplitN(shown[i+len("code: "):], "\n", 2)[0])
		if err := k.entra.ApproveDevice(code); err != nil {
			t.Error(err)
		}
		return ""
	})
	if err != nil {
		t.Fatalf("signin: %v\n%s\n%s", err, stdout, stderr)
	}
	site, _, _ := config.Load(k.path)
	if site.SMTP.OAuth.RefreshToken.Value != k.entra.Latest() {
		t.Fatal("the device sign-in's token is not stored")
	}
}
