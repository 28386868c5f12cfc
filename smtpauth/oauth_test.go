package smtpauth_test

import (
	"strings"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"sitecfg/internal/smtptest"
	"sitecfg/internal/testkit"
	"sitecfg/smtpauth"
)

// An Exchange-like server: AUTH LOGIN XOAUTH2 after STARTTLS only, and the
// token must be exactly the one the fake Entra issued, for the mailbox.
func startExchange(t *testing.T, e *fakeEntra, o smtptest.Options) *testServer {
	t.Helper()
	o.Username, o.Tokens = e.mailbox, e.tokens
	if o.Mechanisms == nil {
		o.Mechanisms = []string{sasl.Login, "XOAUTH2"}
	}
	return startServer(t, o)
}

func TestMicrosoftXOAuth2(t *testing.T) {
	e := startEntra(t)
	srv := startExchange(t, e, smtptest.Options{})
	s, o := e.settings(srv)
	s.SendTest, s.Recipients = true, []string{"noc@example.test"}
	r := run(t, s, o)
	wantOK(t, r)
	wantSteps(t, r, smtpauth.StepResolve, smtpauth.StepConnect, smtpauth.StepBanner, smtpauth.StepEHLO,
		smtpauth.StepTLS, smtpauth.StepToken, smtpauth.StepAuth, smtpauth.StepMessage, smtpauth.StepQuit)
	if len(e.tokens()) != 1 {
		t.Fatalf("%d tokens issued, want 1", len(e.tokens()))
	}
	// AuthStyleInParams: the secret in the body, one request only.
	n, form := e.lastRequest()
	if n != 1 || form["client_secret"] != e.clientSecret || form["grant_type"] != "client_credentials" ||
		form["scope"] != exchangeAud+"/.default" {
		t.Errorf("token request: %d requests, form %v", n, keys(form))
	}
	tr := transcript(r)
	// The two-step exchange: AUTH XOAUTH2 alone, 334, then the blob.
	for _, want := range []string{"C: POST " + e.srv.URL + "/", "S: HTTP 200 OK", "C: AUTH XOAUTH2\nS: 334 \nC: <redacted>\nS: 235"} {
		if !strings.Contains(tr, want) {
			t.Errorf("transcript lacks %q:\n%s", want, tr)
		}
	}
	if d := r.Steps[5].Detail; !strings.Contains(d, "SMTP.SendAsApp") || !strings.Contains(d, e.tenant) {
		t.Errorf("token detail = %q", d)
	}
	testkit.NoSecret(t, srv.wire.String(), append(e.tokens(), e.clientSecret)...)
}

func TestOAuthBearer(t *testing.T) {
	e := startEntra(t)
	e.setMode("opaque")
	srv := startExchange(t, e, smtptest.Options{Mechanisms: []string{sasl.Plain, sasl.OAuthBearer}})
	s, o := e.settings(srv)
	s.Method, s.Mechanism, s.Audience = smtpauth.MethodOAuth2, "oauthbearer", ""
	r := run(t, s, o)
	wantOK(t, r)
	if !strings.Contains(transcript(r), "C: AUTH OAUTHBEARER <redacted>") {
		t.Errorf("transcript:\n%s", transcript(r))
	}
	if d := r.Steps[5].Detail; !strings.Contains(d, "opaque") {
		t.Errorf("token detail = %q", d)
	}
	testkit.NoSecret(t, srv.wire.String(), append(e.tokens(), e.clientSecret)...)
}

// The mail server refuses an issued token: XOAUTH2's error challenge is
// answered and the 535 explained at the AUTH step.
func TestOAuthTokenRefusedBySMTP(t *testing.T) {
	for _, mech := range []string{"xoauth2", "oauthbearer"} {
		t.Run(mech, func(t *testing.T) {
			e := startEntra(t)
			e.setMode("opaque")
			srv := startExchange(t, e, smtptest.Options{Mechanisms: []string{"XOAUTH2", sasl.OAuthBearer}})
			s, o := e.settings(srv)
			s.Method, s.Mechanism, s.Audience = smtpauth.MethodOAuth2, mech, ""
			s.Username = "someone-else@contoso.test"
			r := run(t, s, o)
			d := r.Diagnosis
			if d == nil || d.Step != smtpauth.StepAuth {
				t.Fatalf("diagnosis = %+v", d)
			}
			if mech == "xoauth2" && (d.Code != "oauth-rejected" || d.Field != "smtp.username" || !strings.Contains(d.ServerSaid, "401")) {
				t.Errorf("diagnosis = %+v", d)
			}
			testkit.NoSecret(t, srv.wire.String(), append(e.tokens(), e.clientSecret)...)
		})
	}
}

func TestMechanismNotOffered(t *testing.T) {
	e := startEntra(t)
	srv := startExchange(t, e, smtptest.Options{Mechanisms: []string{sasl.Plain, sasl.Login}})
	s, o := e.settings(srv)
	r := run(t, s, o)
	d := wantDiag(t, r, smtpauth.StepAuth, "mechanism-not-offered", "smtp.auth")
	if !strings.Contains(d.Summary, "PLAIN LOGIN") || !strings.Contains(d.Summary, "XOAUTH2") {
		t.Errorf("summary does not list what is offered and wanted: %s", d.Summary)
	}
}

// Every row of the notes' table that the token endpoint or the token's
// claims reveal: the check stops at the token step, before any AUTH. (A
// token without SMTP.SendAsApp goes on to AUTH: rbac_test.go.)
func TestEntraErrors(t *testing.T) {
	tests := []struct {
		mode, code, field, words string
	}{
		{"7000215", "aadsts7000215", "smtp.oauth.client_secret", "Value, not its ID"},
		{"7000222", "aadsts7000222", "smtp.oauth.client_secret", "new client secret"},
		{"700016", "aadsts700016", "smtp.oauth.client_id", "tenant"},
		{"90002", "aadsts90002", "smtp.oauth.tenant_id", "Directory (tenant) ID"},
		{"900023", "aadsts900023", "smtp.oauth.tenant_id", "Directory (tenant) ID"},
		{"70011", "aadsts70011", "smtp.oauth.cloud", "/.default"},
		{"1002012", "aadsts1002012", "smtp.oauth.cloud", "/.default"},
		{"7000229", "aadsts7000229", "smtp.oauth.client_id", "Grant admin consent creates it"},
		{"wrong-aud", "wrong-audience", "smtp.oauth.cloud", "https://outlook.office365.com/.default"},
		{"expired", "token-expired", "", "clock"},
	}
	e := startEntra(t)
	srv := startExchange(t, e, smtptest.Options{})
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			e.setMode(tt.mode)
			s, o := e.settings(srv)
			r := run(t, s, o)
			d := wantDiag(t, r, smtpauth.StepToken, tt.code, tt.field)
			if !strings.Contains(d.Remedy+d.Summary, tt.words) {
				t.Errorf("diagnosis does not say %q:\n %s\n %s", tt.words, d.Summary, d.Remedy)
			}
			if strings.HasPrefix(tt.mode, "7") || strings.HasPrefix(tt.mode, "9") || strings.HasPrefix(tt.mode, "1") {
				if !strings.Contains(d.ServerSaid, "AADSTS"+tt.mode) || strings.Contains(d.ServerSaid, "Trace ID") {
					t.Errorf("server said = %q", d.ServerSaid)
				}
			}
			if _, isRow := entraErrors[tt.mode]; isRow && !strings.Contains(transcript(r), "S: error "+entraErrors[tt.mode].err+" (AADSTS"+tt.mode+")") {
				t.Errorf("transcript lacks the error code:\n%s", transcript(r))
			}
			noAuthSent(t, r)
			testkit.NoSecret(t, srv.wire.String(), append(e.tokens(), e.clientSecret)...)
		})
	}
	t.Run("generic-oauth2-invalid-client", func(t *testing.T) {
		e.setMode("")
		s, o := e.settings(srv)
		s.Method, s.Audience, s.ClientSecret = smtpauth.MethodOAuth2, "", "wrong-secret-value"
		r := run(t, s, o)
		wantDiag(t, r, smtpauth.StepToken, "aadsts7000215", "smtp.oauth.client_secret")
	})
}

// Exchange's SMTP replies, with the operator's own client ID and mailbox in
// the commands to paste.
func TestExchangeReplies(t *testing.T) {
	e := startEntra(t)
	tests := []struct {
		name      string
		opts      smtptest.Options
		send      bool
		step      smtpauth.StepName
		code      string
		field     string
		commands  []string
		noMessage bool
	}{
		{"535-5.7.3", smtptest.Options{AuthError: &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 3}, Message: "Authentication unsuccessful [PR3P191CA0031.EURP191.PROD.OUTLOOK.COM]"}},
			false, smtpauth.StepAuth, "smtp-535-5.7.3", "",
			[]string{"New-ServicePrincipal -AppId " + e.clientID, "Add-MailboxPermission -Identity " + e.mailbox}, false},
		{"535-5.7.139", smtptest.Options{AuthError: &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 139}, Message: "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox."}},
			false, smtpauth.StepAuth, "smtp-535-5.7.139", "",
			[]string{"Set-CASMailbox -Identity " + e.mailbox + " -SmtpClientAuthenticationDisabled $false"}, false},
		{"550-5.7.60", smtptest.Options{DataError: &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 60}, Message: "SMTP; Client does not have permissions to send as this sender"}},
			true, smtpauth.StepMessage, "smtp-550-5.7.60", "smtp.from",
			[]string{"Add-RecipientPermission -Identity noc-sender@contoso.test -Trustee " + e.mailbox}, false},
		{"432-4.3.2", smtptest.Options{AuthError: &smtp.SMTPError{Code: 432, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "STOREDRV.ClientSubmit; sender thread limit exceeded"}},
			false, smtpauth.StepAuth, "smtp-432-4.3.2", "", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startExchange(t, e, tt.opts)
			s, o := e.settings(srv)
			if tt.send {
				s.SendTest, s.Recipients, s.From = true, []string{"noc@example.test"}, "noc-sender@contoso.test"
			}
			r := run(t, s, o)
			d := wantDiag(t, r, tt.step, tt.code, tt.field)
			all := strings.Join(d.Commands, "\n")
			for _, c := range tt.commands {
				if !strings.Contains(all, c) {
					t.Errorf("commands lack %q:\n%s", c, all)
				}
			}
			if d.ServerSaid == "" {
				t.Error("no ServerSaid")
			}
			testkit.NoSecret(t, srv.wire.String(), append(e.tokens(), e.clientSecret)...)
		})
	}
}

// Basic authentication refused: the diagnosis points at the password.
func TestBasicWrongPassword(t *testing.T) {
	srv := startServer(t, smtptest.Options{Username: testUser, Password: testPass})
	r := run(t, srv.basic(smtpauth.SecurityStartTLS, testUser, "Wrong-"+testPass), smtpauth.Options{})
	d := wantDiag(t, r, smtpauth.StepAuth, "auth-failed", "smtp.password")
	if !strings.Contains(d.ServerSaid, "535 5.7.8") {
		t.Errorf("server said %q", d.ServerSaid)
	}
	testkit.NoSecret(t, srv.wire.String(), testPass, "Wrong-"+testPass)
}

// auth: none against a server that wants a login: 530 5.7.57 at MAIL.
func TestExchangeNoAuth(t *testing.T) {
	srv := startServer(t, smtptest.Options{MailError: &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 57}, Message: "Client not authenticated to send mail."}})
	s := srv.basic(smtpauth.SecurityStartTLS, "", "")
	s.Method, s.From, s.SendTest, s.Recipients = smtpauth.MethodNone, "a@example.test", true, []string{"b@example.test"}
	r := run(t, s, smtpauth.Options{})
	wantDiag(t, r, smtpauth.StepMessage, "smtp-530-5.7.57", "smtp.auth")
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
