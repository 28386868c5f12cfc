package smtpauth

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"golang.org/x/oauth2"

	"sitecfg/microsoft"
)

// Every code with a guide step, and the step: the table in code.go must
// say exactly this.
func TestCodeGuideSteps(t *testing.T) {
	want := map[Code]microsoft.GuideStep{
		CodeAADSTS700016: microsoft.GuideStepRegister, CodeAADSTS90002: microsoft.GuideStepRegister,
		CodeAADSTS900023: microsoft.GuideStepRegister, CodeAADSTS700023: microsoft.GuideStepRegister,
		CodeTokenUnauthorizedClient: microsoft.GuideStepRegister,
		CodeAADSTS900432:            microsoft.GuideStepRegister, CodeAADSTS7000112: microsoft.GuideStepRegister,
		CodeAADSTS90038: microsoft.GuideStepRegister, CodeAADSTS900382: microsoft.GuideStepRegister,
		CodeExchangeBasicAuthRetired: microsoft.GuideStepRegister, CodeExchangeBasicAuthDisabled: microsoft.GuideStepRegister,
		CodeExchangeBasicAuthRetiring: microsoft.GuideStepRegister, CodeExchangeSecurityDefaults: microsoft.GuideStepRegister,

		CodeAADSTS7000215: microsoft.GuideStepSecret, CodeAADSTS7000222: microsoft.GuideStepSecret,
		CodeAADSTS7000218: microsoft.GuideStepSecret, CodeAADSTS700027: microsoft.GuideStepSecret,
		CodeAADSTS7000274: microsoft.GuideStepSecret, CodeAADSTS1000502: microsoft.GuideStepSecret,
		CodeAADSTS7000214: microsoft.GuideStepSecret, CodeAADSTS7000277: microsoft.GuideStepSecret,
		CodeClientAssertionFailed: microsoft.GuideStepSecret, CodeTokenInvalidClient: microsoft.GuideStepSecret,

		CodeMissingSendAsApp: microsoft.GuideStepPermission, CodeWrongAudience: microsoft.GuideStepPermission,
		CodeAADSTS70011: microsoft.GuideStepPermission, CodeAADSTS1002012: microsoft.GuideStepPermission,
		CodeTokenInvalidScope: microsoft.GuideStepPermission, CodeAADSTS500011: microsoft.GuideStepPermission,
		CodeAADSTS7000229: microsoft.GuideStepPermission,

		CodeExchangeAuthUnsuccessful: microsoft.GuideStepPrincipal,
		CodeExchangeSendAsDenied:     microsoft.GuideStepMailbox, CodeExchangeSendAsDeniedAtData: microsoft.GuideStepMailbox,
		CodeExchangeSMTPAuthDisabled: microsoft.GuideStepSMTPAuth, CodeExchangeSignInPolicy: microsoft.GuideStepSMTPAuth,
		CodeExchangeAuthPolicy: microsoft.GuideStepSMTPAuth,
	}
	for code, step := range want {
		if got := code.GuideStep(); got != step {
			t.Errorf("%s.GuideStep() = %d, want %d", code, got, step)
		}
	}
	for code, step := range guideSteps {
		if _, ok := want[code]; !ok {
			t.Errorf("%s has guide step %d that this test does not expect", code, step)
		}
		if step < microsoft.GuideStepRegister || step > microsoft.GuideStepCheck {
			t.Errorf("%s points at step %d, which the guide does not print", code, step)
		}
	}
	for _, code := range []Code{CodeConnectRefused, CodeAADSTS700024, CodeTimeout, CodeAuthFailed, AADSTSCode(1), ReplyCode(550, "")} {
		if s := code.GuideStep(); s != 0 {
			t.Errorf("%s.GuideStep() = %d, want none", code, s)
		}
	}
}

// The constructors make the named constants, so a code built from a reply
// finds its guide step.
func TestCodeConstructors(t *testing.T) {
	for _, c := range []Code{CodeAADSTS7000215, CodeAADSTS7000222, CodeAADSTS7000218, CodeAADSTS700016, CodeAADSTS90002,
		CodeAADSTS900023, CodeAADSTS70011, CodeAADSTS1002012, CodeAADSTS700027, CodeAADSTS700024, CodeAADSTS7000274,
		CodeAADSTS1000502, CodeAADSTS7000214, CodeAADSTS7000277, CodeAADSTS700023, CodeAADSTS900432, CodeAADSTS7000112,
		CodeAADSTS53003, CodeAADSTS500011, CodeAADSTS90038, CodeAADSTS900382} {
		n, err := strconv.Atoi(strings.TrimPrefix(string(c), "aadsts"))
		if err != nil || AADSTSCode(n) != c {
			t.Errorf("AADSTSCode(%d) = %s, want %s", n, AADSTSCode(n), c)
		}
	}
	for oauthErr, c := range map[string]Code{"invalid_client": CodeTokenInvalidClient, "unauthorized_client": CodeTokenUnauthorizedClient,
		"invalid_scope": CodeTokenInvalidScope, "": CodeTokenRefused, "invalid_grant": "token-invalid-grant"} {
		if got := TokenErrorCode(oauthErr); got != c {
			t.Errorf("TokenErrorCode(%q) = %s, want %s", oauthErr, got, c)
		}
	}
	for _, tt := range []struct {
		code int
		enh  string
		want Code
	}{
		{535, "5.7.3", CodeExchangeAuthUnsuccessful}, {535, "5.7.139", CodeExchangeSMTPAuthDisabled},
		{530, "5.7.57", CodeExchangeNotAuthenticated}, {550, "5.7.60", CodeExchangeSendAsDenied},
		{432, "4.3.2", CodeExchangeTooManyConnections}, {421, "4.7.66", CodeExchangeTLSTooOld},
		{534, "5.7.9", CodeAppPasswordRequired}, {550, "", "smtp-550"},
		{550, "5.7.30", CodeExchangeBasicAuthRetired}, {554, "5.2.252", CodeExchangeSendAsDeniedAtData},
		{550, "5.7.708", CodeExchangeIPBlocked}, {550, "5.7.705", CodeExchangeTenantBlocked}, {550, "5.1.8", CodeExchangeSenderRestricted},
		{550, "5.7.512", CodeExchangeNoFromHeader}, {550, "5.7.750", CodeExchangeUnregisteredDomain}, {550, "5.7.68", CodeExchangeDirectSendRejected},
	} {
		if got := ReplyCode(tt.code, tt.enh); got != tt.want {
			t.Errorf("ReplyCode(%d, %q) = %s, want %s", tt.code, tt.enh, got, tt.want)
		}
	}
}

// The diagnoses Entra and Exchange failures get point at the guide step
// that fixes them.
func TestDiagnosisGuideSteps(t *testing.T) {
	ms := Settings{Method: MethodMicrosoft, Username: "alerts@contoso.com", ClientID: "c", TenantID: "t",
		Scope: "https://outlook.office365.com/.default", Audience: "https://outlook.office365.com"}
	token := func(oauthErr string, aadsts int) *Diagnosis {
		body := `{"error":"` + oauthErr + `","error_description":"AADSTS` + strconv.Itoa(aadsts) + `: text"}`
		if aadsts == 0 {
			body = `{"error":"` + oauthErr + `"}`
		}
		re := &oauth2.RetrieveError{Response: &http.Response{StatusCode: 400}, Body: []byte(body)}
		return diagnoseTokenError(ms, re, "1 s")
	}
	reply := func(code int, enh smtp.EnhancedCode) *Diagnosis {
		return diagnoseExchange(ms, StepAuth, &smtp.SMTPError{Code: code, EnhancedCode: enh, Message: "refused"})
	}
	enc := base64.RawURLEncoding.EncodeToString
	claims := func(payload string) *Diagnosis {
		c, _ := parseClaims(enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(payload)) + ".sig")
		if d := checkClaims(ms, c, time.Unix(1900000000, 0)); d != nil {
			return d
		}
		return claimsWarning(ms, c) // a warning: the check goes on to AUTH
	}
	tests := []struct {
		name string
		d    *Diagnosis
		want microsoft.GuideStep
	}{
		{"secret ID instead of value", token("invalid_client", 7000215), microsoft.GuideStepSecret},
		{"secret expired", token("invalid_client", 7000222), microsoft.GuideStepSecret},
		{"certificate not registered", token("invalid_client", 700027), microsoft.GuideStepSecret},
		{"invalid_client without AADSTS", token("invalid_client", 0), microsoft.GuideStepSecret},
		{"unknown app", token("unauthorized_client", 700016), microsoft.GuideStepRegister},
		{"unknown tenant", token("invalid_request", 90002), microsoft.GuideStepRegister},
		{"bad scope", token("invalid_scope", 1002012), microsoft.GuideStepPermission},
		{"clock skew", token("invalid_client", 700024), 0},
		{"no SMTP.SendAsApp (warning)", claims(`{"aud":"https://outlook.office365.com","roles":[],"exp":2000000000}`), microsoft.GuideStepPermission},
		{"wrong audience", claims(`{"aud":"https://graph.microsoft.com","roles":["SMTP.SendAsApp"],"exp":2000000000}`), microsoft.GuideStepPermission},
		{"535 5.7.3 service principal", reply(535, smtp.EnhancedCode{5, 7, 3}), microsoft.GuideStepPrincipal},
		{"535 5.7.139 SMTP AUTH disabled", reply(535, smtp.EnhancedCode{5, 7, 139}), microsoft.GuideStepSMTPAuth},
		{"550 5.7.60 Send As", reply(550, smtp.EnhancedCode{5, 7, 60}), microsoft.GuideStepMailbox},
		{"432 4.3.2 connections", reply(432, smtp.EnhancedCode{4, 3, 2}), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.d == nil {
				t.Fatal("no diagnosis")
			}
			if got := tt.d.Code.GuideStep(); got != tt.want {
				t.Errorf("diagnosis %s: guide step %d, want %d", tt.d.Code, got, tt.want)
			}
		})
	}
	if d := diagnoseTokenError(ms, errors.New("dial tcp: no route"), "1 s"); d.Code.GuideStep() != 0 {
		t.Errorf("an unreachable endpoint points at step %d", d.Code.GuideStep())
	}
}

// A client assertion that could not be signed: Microsoft's remedy names
// RSA alone (Entra refuses ECDSA), another provider's ECDSA P-256 too.
func TestAssertionKeysRemedy(t *testing.T) {
	err := &assertionError{errors.New("unsupported key")}
	ms := diagnoseTokenError(Settings{Method: MethodMicrosoft}, err, "1 s")
	entra := diagnoseTokenError(Settings{Method: MethodOAuth2, TokenURL: "https://login.microsoftonline.com/t/oauth2/v2.0/token"}, err, "1 s")
	other := diagnoseTokenError(Settings{Method: MethodOAuth2, TokenURL: "https://idp.example.com/token"}, err, "1 s")
	for _, d := range []*Diagnosis{ms, entra} {
		if d.Code != CodeClientAssertionFailed || strings.Contains(d.Remedy, "or ECDSA") || !strings.Contains(d.Remedy, "refuses ECDSA") {
			t.Errorf("Entra: %s", d.Remedy)
		}
	}
	if !strings.Contains(other.Remedy, "or ECDSA P-256") {
		t.Errorf("other provider: %s", other.Remedy)
	}
}
