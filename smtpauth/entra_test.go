package smtpauth_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"

	"sitecfg/internal/smtptest"
	"sitecfg/microsoft"
	"sitecfg/smtpauth"
)

// Entra's refusals beyond the secret and the IDs, each with its own cause,
// field and guide step, in Entra's words.
func TestEntraRefusals(t *testing.T) {
	tests := []struct {
		mode  string
		code  smtpauth.Code
		field string
		step  microsoft.GuideStep
		words []string
	}{
		{"900432", smtpauth.CodeAADSTS900432, "smtp.oauth.cloud", microsoft.GuideStepRegister, []string{"another Microsoft cloud", "usgov-gcchigh"}},
		{"90038", smtpauth.CodeAADSTS90038, "smtp.oauth.cloud", microsoft.GuideStepRegister, []string{"another Microsoft cloud"}},
		{"900382", smtpauth.CodeAADSTS900382, "smtp.oauth.cloud", microsoft.GuideStepRegister, []string{"another Microsoft cloud"}},
		{"7000112", smtpauth.CodeAADSTS7000112, "smtp.oauth.client_id", microsoft.GuideStepRegister, []string{"is disabled", "Enterprise applications"}},
		{"53003", smtpauth.CodeAADSTS53003, "", 0, []string{"Conditional Access", "sign-in logs"}},
		{"500011", smtpauth.CodeAADSTS500011, "smtp.oauth.cloud", microsoft.GuideStepPermission, []string{"Exchange Online", "cloud"}},
	}
	e := startEntra(t)
	srv := startExchange(t, e, smtptest.Options{})
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			e.setMode(tt.mode)
			s, o := e.settings(srv)
			r := run(t, s, o)
			d := wantDiag(t, r, smtpauth.StepToken, string(tt.code), tt.field)
			for _, w := range tt.words {
				if !strings.Contains(d.Summary+" "+d.Remedy, w) {
					t.Errorf("diagnosis lacks %q:\n %s\n %s", w, d.Summary, d.Remedy)
				}
			}
			if strings.Contains(d.Summary, "client ID or secret is wrong") {
				t.Errorf("the generic reading: %s", d.Summary)
			}
			if d.Code.GuideStep() != tt.step {
				t.Errorf("guide step %d, want %d", d.Code.GuideStep(), tt.step)
			}
			if !strings.Contains(d.ServerSaid, "AADSTS"+tt.mode) {
				t.Errorf("server said %q", d.ServerSaid)
			}
			noAuthSent(t, r)
		})
	}
}

// AADSTS700023 reads as an assertion's audience only when a certificate
// made one.
func TestAADSTS700023(t *testing.T) {
	e := startEntra(t)
	srv := startExchange(t, e, smtptest.Options{})
	e.setMode("700023")
	s, o := e.settings(srv)
	d := wantDiag(t, run(t, s, o), smtpauth.StepToken, "aadsts700023", "")
	if strings.Contains(d.Summary+d.Remedy, "audience") || strings.Contains(d.Summary+d.Remedy, "assertion") {
		t.Errorf("a secret's refusal read as an assertion's:\n %s\n %s", d.Summary, d.Remedy)
	}
	c := newClientCert(t, "rsa")
	e.register(c)
	s, o = e.certSettings(srv, c)
	d = wantDiag(t, run(t, s, o), smtpauth.StepToken, "aadsts700023", "smtp.oauth.tenant_id")
	if !strings.Contains(d.Summary, "audience") {
		t.Errorf("summary %q", d.Summary)
	}
}

// Microsoft's sign-in endpoint out of reach: this machine's DNS, firewall
// or proxy (HTTPS_PROXY), not a form field.
func TestEntraUnreachable(t *testing.T) {
	e := startEntra(t)
	srv := startExchange(t, e, smtptest.Options{})
	s, o := e.settings(srv)
	s.TokenURL = microsoft.CloudGlobal.TokenURL(e.tenant)
	o.HTTPClient = &http.Client{Transport: &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
		return nil, &net.DNSError{Err: "no such host", Name: "login.microsoftonline.com", IsNotFound: true}
	}}}
	d := wantDiag(t, run(t, s, o), smtpauth.StepToken, string(smtpauth.CodeEntraUnreachable), "")
	if !strings.Contains(d.Remedy, "HTTPS_PROXY") || !strings.Contains(d.Summary, "login.microsoftonline.com") || strings.Contains(d.Remedy, "IP address") {
		t.Errorf("diagnosis:\n %s\n %s", d.Summary, d.Remedy)
	}
}
