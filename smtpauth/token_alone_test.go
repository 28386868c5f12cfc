package smtpauth_test

import (
	"context"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"sitecfg/internal/smtptest"
	"sitecfg/internal/testkit"
	"sitecfg/smtpauth"
)

// The Entra side is proved even when the mail server cannot be reached:
// the token is fetched and judged beside the SMTP steps, and reported
// with the SMTP failure — its own failure in Report.Also.
func TestTokenWithoutSMTP(t *testing.T) {
	refused := func(context.Context, string, string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	}
	// Port 587 blocked: the connection is never answered, and the
	// check's whole time goes by waiting for it.
	blocked := func(ctx context.Context, _, _ string) (net.Conn, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	tests := []struct {
		name    string
		dial    func(context.Context, string, string) (net.Conn, error)
		mode    string
		smtp    smtpauth.Code
		also    smtpauth.Code
		warning smtpauth.Code
	}{
		{"refused, token good", refused, "", smtpauth.CodeConnectRefused, "", ""},
		{"blocked, token good", blocked, "", smtpauth.CodeConnectTimeout, "", ""},
		{"blocked, secret's ID", blocked, "7000215", smtpauth.CodeConnectTimeout, smtpauth.CodeAADSTS7000215, ""},
		{"refused, tenant unknown", refused, "90002", smtpauth.CodeConnectRefused, smtpauth.CodeAADSTS90002, ""},
		{"refused, App RBAC token", refused, "rbac", smtpauth.CodeConnectRefused, "", smtpauth.CodeMissingSendAsApp},
	}
	e := startEntra(t)
	srv := startExchange(t, e, smtptest.Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.setMode(tt.mode)
			s, o := e.settings(srv)
			s.Host = "smtp.office365.com"
			o.Dial, o.Timeout = tt.dial, 2*time.Second
			r := run(t, s, o)
			if r.OK || r.Diagnosis == nil || r.Diagnosis.Code != tt.smtp || r.Diagnosis.Step != smtpauth.StepConnect {
				t.Fatalf("diagnosis = %+v, want %s at connect", r.Diagnosis, tt.smtp)
			}
			var token *smtpauth.Step
			for i := range r.Steps {
				if r.Steps[i].Name == smtpauth.StepToken {
					token = &r.Steps[i]
				}
			}
			if token == nil {
				t.Fatalf("no token step: %+v", r.Steps)
			}
			switch {
			case tt.also == "":
				want := smtpauth.StatusOK
				if tt.warning != "" {
					want = smtpauth.StatusWarning
				}
				if token.Status != want || !strings.Contains(token.Detail, e.tenant) || len(r.Also) != 0 {
					t.Errorf("token step %+v, also %+v; want %s with the tenant", token, r.Also, want)
				}
			default:
				if token.Status != smtpauth.StatusFailed || len(r.Also) != 1 || r.Also[0].Code != tt.also || r.Also[0].Step != smtpauth.StepToken {
					t.Errorf("token step %+v, also %+v; want %s", token, r.Also, tt.also)
				}
			}
			if tt.warning != "" && (len(r.Warnings) != 1 || r.Warnings[0].Code != tt.warning) {
				t.Errorf("warnings = %+v", r.Warnings)
			}
			if !strings.Contains(transcript(r), "C: POST "+e.srv.URL) {
				t.Errorf("transcript lacks the token request:\n%s", transcript(r))
			}
			testkit.NoSecret(t, reportText(t, r), append(e.tokens(), e.clientSecret)...)
		})
	}
}

// With the server reached, the token fetched beside the SMTP steps joins
// the transcript at the token step, after STARTTLS, once.
func TestTokenTranscriptInPlace(t *testing.T) {
	e := startEntra(t)
	srv := startExchange(t, e, smtptest.Options{})
	s, o := e.settings(srv)
	r := run(t, s, o)
	wantOK(t, r)
	tr := transcript(r)
	post, tls, auth := strings.Index(tr, "C: POST "), strings.Index(tr, "C: STARTTLS"), strings.Index(tr, "C: AUTH XOAUTH2")
	if post < tls || post > auth || strings.Count(tr, "C: POST ") != 1 {
		t.Errorf("the token request is not between STARTTLS and AUTH, once:\n%s", tr)
	}
	if n, _ := e.lastRequest(); n != 1 {
		t.Errorf("%d token requests, want 1", n)
	}
}
