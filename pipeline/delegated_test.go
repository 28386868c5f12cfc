package pipeline_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"sitecfg/config"
	"sitecfg/internal/smtptest"
	"sitecfg/internal/testpki"
	"sitecfg/pipeline"
	"sitecfg/smtpauth"
)

const (
	dTenant  = "11111111-2222-3333-4444-555555555555"
	dClient  = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
	dMailbox = "alerts@contoso.test"
)

// delegatedKit is Entra's imitation and an Exchange-like SMTP server
// that takes the imitation's tokens over XOAUTH2, reached as
// smtp.office365.com, and a saved microsoft-delegated config.
type delegatedKit struct {
	entra *smtptest.Entra
	srv   *smtptest.Server
	path  string
}

func newDelegatedKit(t *testing.T, refresh config.Secret) *delegatedKit {
	t.Helper()
	entra, err := smtptest.NewEntra(dTenant, dClient, dMailbox)
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
		Username: dMailbox, Tokens: entra.AccessTokens})
	if refresh.Value == "" && refresh.Ref == "" {
		refresh = config.Secret{}
	}
	site := &config.Site{Version: 1, SMTP: config.SMTP{Enabled: true, Auth: config.AuthDelegated, Server: "smtp.office365.com", Port: 587,
		Security: config.SecurityStartTLS, CAFile: srv.CAFile, Username: dMailbox, From: dMailbox,
		OAuth: &config.OAuth{Cloud: config.CloudGlobal, TenantID: dTenant, ClientID: dClient, RefreshToken: refresh,
			RefreshTokenExpires: "2027-03-07T05:00:00Z"}},
		Emails: &config.Emails{UIAdmin: "admin@contoso.test", UISupport: "support@contoso.test", AdmiralAlerts: "health@contoso.test"}}
	data, err := config.Marshal(site)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "site-config.yaml")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return &delegatedKit{entra: entra, srv: srv, path: path}
}

// check is smtpauth.Check with the network of the kit.
func (k *delegatedKit) check(ctx context.Context, s smtpauth.Settings, o smtpauth.Options) (*smtpauth.Report, error) {
	o.Dial = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, k.srv.Addr)
	}
	o.HTTPClient = k.entra.HTTPClient()
	return smtpauth.Check(ctx, s, o)
}

type journalFunc func(before, after []byte, fields []string)

func (f journalFunc) Wrote(before, after []byte, fields []string) { f(before, after, fields) }

// runCheck is what 'sitecfg check' does with the saved config.
func (k *delegatedKit) runCheck(t *testing.T, j pipeline.Journal) (*smtpauth.Report, *pipeline.Run) {
	t.Helper()
	run, err := pipeline.Open(k.path, pipeline.Options{MustExist: true, Strict: true, Journal: j})
	if err != nil {
		t.Fatal(err)
	}
	return k.checkRun(t, run), run
}

func (k *delegatedKit) checkRun(t *testing.T, run *pipeline.Run) *smtpauth.Report {
	t.Helper()
	a, ps := run.ValidateSaved()
	if ps.HasErrors() {
		t.Fatalf("saved config: %v", ps)
	}
	rep, err := pipeline.Check(context.Background(), a, pipeline.CheckOptions{Run: run, Check: k.check})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func stored(t *testing.T, path string) *config.OAuth {
	t.Helper()
	site, _, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return site.SMTP.OAuth
}

func noSecretIn(t *testing.T, rep *smtpauth.Report, secrets ...string) {
	t.Helper()
	all := strings.Join(rep.Transcript, "\n")
	if rep.Diagnosis != nil {
		all += rep.Diagnosis.Summary + rep.Diagnosis.Remedy + rep.Diagnosis.ServerSaid
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(all, s) {
			t.Errorf("the report shows a refresh token")
		}
	}
}

// check redeems the stored refresh token and stores the new one Entra
// returned, with its expiry 90 days on, under the lock, telling the
// journal (the audit log) which fields changed, so it is no drift.
func TestCheckRotatesTheStoredRefreshToken(t *testing.T) {
	k := newDelegatedKit(t, config.Secret{})
	first := k.entra.NewRefreshToken()
	k = rewriteToken(t, k, first)
	var fields []string
	rep, _ := k.runCheck(t, journalFunc(func(_, _ []byte, f []string) { fields = f }))
	if !rep.OK {
		t.Fatalf("check failed: %+v", rep.Diagnosis)
	}
	o := stored(t, k.path)
	if o.RefreshToken.Value == first || o.RefreshToken.Value != k.entra.Latest() {
		t.Fatalf("stored token is not the new one")
	}
	exp, err := config.ParseRefreshExpiry(o.RefreshTokenExpires)
	if err != nil || time.Until(exp) < 89*24*time.Hour || time.Until(exp) > 91*24*time.Hour {
		t.Errorf("refresh_token_expires %q, want now + 90 days", o.RefreshTokenExpires)
	}
	if strings.Join(fields, ",") != "smtp.oauth.refresh_token,smtp.oauth.refresh_token_expires" {
		t.Errorf("journal told of %v", fields)
	}
	if rep.SignedInAs != dMailbox {
		t.Errorf("signed in as %q", rep.SignedInAs)
	}
	noSecretIn(t, rep, first, o.RefreshToken.Value)
	// The next check redeems the new one.
	rep, _ = k.runCheck(t, nil)
	if !rep.OK || stored(t, k.path).RefreshToken.Value != k.entra.Latest() {
		t.Fatalf("second check: ok %v", rep.OK)
	}
}

// rewriteToken stores tok as the config's refresh token.
func rewriteToken(t *testing.T, k *delegatedKit, tok string) *delegatedKit {
	t.Helper()
	if err := config.Update(k.path, 0, func(s *config.Site) error {
		s.SMTP.OAuth.RefreshToken = config.Secret{Value: tok}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return k
}

// Two checks that read the same token and redeem at once leave the
// newest token stored: the redemption and the write are one step under
// the lock, so the second redeems what the first stored.
func TestConcurrentChecksLeaveTheNewestToken(t *testing.T) {
	k := newDelegatedKit(t, config.Secret{})
	rewriteToken(t, k, k.entra.NewRefreshToken())
	var runs []*pipeline.Run
	for range 3 {
		run, err := pipeline.Open(k.path, pipeline.Options{MustExist: true, Strict: true})
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, run)
	}
	var wg sync.WaitGroup
	oks := make([]bool, len(runs))
	for i, run := range runs {
		wg.Go(func() { oks[i] = k.checkRun(t, run).OK })
	}
	wg.Wait()
	for i, ok := range oks {
		if !ok {
			t.Errorf("check %d failed", i)
		}
	}
	if k.entra.Redemptions() != 3 {
		t.Errorf("%d redemptions", k.entra.Redemptions())
	}
	if stored(t, k.path).RefreshToken.Value != k.entra.Latest() {
		t.Fatal("an older refresh token is stored")
	}
}

// A refresh token Entra refuses fails the token step with its cause and
// the way out; nothing is written.
func TestRefusedRefreshToken(t *testing.T) {
	for _, c := range []struct {
		refuse int
		revoke bool
		code   string
		want   string
	}{
		{revoke: true, code: "aadsts50173", want: "password was changed"},
		{refuse: 700082, code: "aadsts700082", want: "expired"},
		{refuse: 70044, code: "aadsts70044", want: "sign-in frequency"},
		{refuse: 65001, code: "aadsts65001", want: "consented"},
		{refuse: 90094, code: "aadsts90094", want: "admin to consent"},
		{refuse: 50076, code: "aadsts50076", want: "multi-factor"},
		{refuse: 53003, code: "aadsts53003", want: "Conditional Access"},
	} {
		t.Run(c.code, func(t *testing.T) {
			k := newDelegatedKit(t, config.Secret{})
			rewriteToken(t, k, k.entra.NewRefreshToken())
			before, _ := os.ReadFile(k.path)
			if c.revoke {
				k.entra.Revoke()
			}
			k.entra.Refuse(c.refuse)
			rep, _ := k.runCheck(t, nil)
			d := rep.Diagnosis
			if rep.OK || d == nil || d.Step != smtpauth.StepToken || string(d.Code) != c.code {
				t.Fatalf("report ok %v diagnosis %+v", rep.OK, d)
			}
			if !strings.Contains(d.Summary, c.want) || !strings.Contains(d.Remedy, "sitecfg signin --config "+k.path) {
				t.Errorf("diagnosis:\n %s\n %s", d.Summary, d.Remedy)
			}
			after, _ := os.ReadFile(k.path)
			if string(after) != string(before) {
				t.Error("a refused token changed the config")
			}
		})
	}
}

// No refresh token: the token step says to sign in.
func TestNotSignedIn(t *testing.T) {
	k := newDelegatedKit(t, config.Secret{})
	rep, _ := k.runCheck(t, nil)
	if rep.OK || rep.Diagnosis == nil || rep.Diagnosis.Code != smtpauth.CodeNotSignedIn ||
		!strings.Contains(rep.Diagnosis.Summary, "not signed in: run `sitecfg signin`") {
		t.Fatalf("report %+v", rep.Diagnosis)
	}
}

// A token held by reference is redeemed, the reference kept (with the
// rules' warning), and the config not rewritten.
func TestRotationKeepsAReference(t *testing.T) {
	k := newDelegatedKit(t, config.Secret{})
	t.Setenv("SMTP_OAUTH_REFRESH_TOKEN", k.entra.NewRefreshToken())
	if err := config.Update(k.path, 0, func(s *config.Site) error {
		s.SMTP.OAuth.RefreshToken = config.Secret{Ref: "${SMTP_OAUTH_REFRESH_TOKEN}"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(k.path)
	run, err := pipeline.Open(k.path, pipeline.Options{MustExist: true, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	_, ps := run.ValidateSaved()
	if w := ps.For("smtp.oauth.refresh_token"); len(w) != 1 || !strings.Contains(w[0].String(), "rotates") {
		t.Errorf("no warning about the reference: %v", ps)
	}
	if rep := k.checkRun(t, run); !rep.OK {
		t.Fatalf("check: %+v", rep.Diagnosis)
	}
	after, _ := os.ReadFile(k.path)
	if string(after) != string(before) {
		t.Error("the reference was replaced")
	}
}

// A run killed between the redemption and the write (here: a check that
// does not write) leaves the stored token, which still works: Entra does
// not revoke a redeemed refresh token. The next check stores the newest.
func TestARotationCutShortLeavesAWorkingToken(t *testing.T) {
	k := newDelegatedKit(t, config.Secret{})
	first := k.entra.NewRefreshToken()
	rewriteToken(t, k, first)
	run, err := pipeline.Open(k.path, pipeline.Options{MustExist: true, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := run.ValidateSaved()
	if rep, err := pipeline.Check(context.Background(), a, pipeline.CheckOptions{Run: run, Check: k.check, NoWrite: true}); err != nil || !rep.OK {
		t.Fatalf("check: %v", err)
	}
	if stored(t, k.path).RefreshToken.Value != first {
		t.Fatal("a check that may not write stored a token")
	}
	rep, _ := k.runCheck(t, nil)
	if !rep.OK || stored(t, k.path).RefreshToken.Value != k.entra.Latest() {
		t.Fatalf("the token left behind does not work: %+v", rep.Diagnosis)
	}
}

// A mailbox other than the signed-in user's earns the Send As warning.
func TestSignedInAsAnotherUserWarnsSendAs(t *testing.T) {
	k := newDelegatedKit(t, config.Secret{})
	k.entra.User = "operator@contoso.test"
	rewriteToken(t, k, k.entra.NewRefreshToken())
	rep, _ := k.runCheck(t, nil)
	if !rep.OK || rep.SignedInAs != "operator@contoso.test" {
		t.Fatalf("check: ok %v, signed in as %q", rep.OK, rep.SignedInAs)
	}
	for _, w := range rep.Warnings {
		if w.Code == smtpauth.CodeSendAsNeeded && strings.Contains(w.Summary, "operator@contoso.test needs Send As") &&
			strings.Contains(w.Remedy, "Add-RecipientPermission -Identity "+dMailbox+" -Trustee operator@contoso.test") {
			return
		}
	}
	t.Errorf("no Send As warning: %+v", rep.Warnings)
}
