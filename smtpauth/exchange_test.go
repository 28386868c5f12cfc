package smtpauth_test

import (
	"context"
	"net"
	"strings"
	"syscall"
	"testing"

	"github.com/emersion/go-smtp"

	"sitecfg/internal/smtptest"
	"sitecfg/internal/testkit"
	"sitecfg/microsoft"
	"sitecfg/smtpauth"
)

// Exchange Online's own replies, word for word (Exchange Online NDR
// reference and the basic-auth retirement announcement; see the notes).
var (
	replyBasicRetired   = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 30}, Message: "Basic authentication is not supported for Client Submission."}
	replyTenantDisabled = &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 139}, Message: "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [SN4PR0501CA0054.namprd05.prod.outlook.com]"}
	replyCriteria       = &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 139}, Message: "Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator. [MN2PR01CA0040.prod.exchangelabs.com]"}
	replyBasicDisabled  = &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 139}, Message: "Authentication unsuccessful, basic authentication is disabled. [BN9PR03CA0105.namprd03.prod.outlook.com]"}
)

// exchangeAt runs an Exchange-like server on loopback under Exchange
// Online's own name: its certificate is for smtp.office365.com and the
// check dials the loopback address for it, so host-based rules apply.
func exchangeAt(t *testing.T, o smtptest.Options) (*testServer, smtpauth.Options) {
	t.Helper()
	o.Certificate = serverCert(t, false, testkit.ServerCertOptions{CommonName: microsoft.GlobalSMTPHost, DNSNames: []string{microsoft.GlobalSMTPHost}})
	srv := startServer(t, o)
	var d net.Dialer
	return srv, smtpauth.Options{Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, srv.addr())
	}}
}

// wantCode asserts the failure's code and field, whichever step of the
// message's envelope or DATA it came at.
func wantCode(t *testing.T, r *smtpauth.Report, code smtpauth.Code, field string) *smtpauth.Diagnosis {
	t.Helper()
	if r.OK || r.Diagnosis == nil {
		t.Fatalf("check passed, want %s", code)
	}
	d := r.Diagnosis
	if d.Code != code || d.Field != field || d.Summary == "" || d.Remedy == "" || d.ServerSaid == "" {
		t.Fatalf("diagnosis = code %q field %q, want %q %q\n summary: %s\n remedy: %s\n said: %s", d.Code, d.Field, code, field, d.Summary, d.Remedy, d.ServerSaid)
	}
	return d
}

// Basic authentication against Exchange Online: 550 5.7.30 once it is
// retired; a warning with Microsoft's timeline, once, while it works.
func TestExchangeBasicAuthRetirement(t *testing.T) {
	t.Run("550 5.7.30", func(t *testing.T) {
		srv, o := exchangeAt(t, smtptest.Options{Username: testUser, Password: testPass, AuthError: replyBasicRetired})
		s := srv.basic(smtpauth.SecurityStartTLS, testUser, testPass)
		s.Host = microsoft.GlobalSMTPHost
		r := run(t, s, o)
		d := wantDiag(t, r, smtpauth.StepAuth, string(smtpauth.CodeExchangeBasicAuthRetired), "smtp.auth")
		if !strings.Contains(d.Remedy, "microsoft-oauth") || !strings.Contains(d.Remedy, "December 2026") || d.ServerSaid != "550 5.7.30 Basic authentication is not supported for Client Submission." {
			t.Errorf("diagnosis %+v", d)
		}
		if !d.Code.Microsoft() || d.Code.GuideStep() != microsoft.GuideStepRegister {
			t.Errorf("%s: guide step %d", d.Code, d.Code.GuideStep())
		}
		testkit.NoSecret(t, reportText(t, r), testPass)
	})
	t.Run("535 5.7.139 basic authentication is disabled", func(t *testing.T) {
		srv, o := exchangeAt(t, smtptest.Options{Username: testUser, Password: testPass, AuthError: replyBasicDisabled})
		s := srv.basic(smtpauth.SecurityStartTLS, testUser, testPass)
		s.Host = microsoft.GlobalSMTPHost
		d := wantDiag(t, run(t, s, o), smtpauth.StepAuth, string(smtpauth.CodeExchangeBasicAuthDisabled), "smtp.auth")
		if !strings.Contains(d.Remedy, "microsoft-oauth") {
			t.Errorf("remedy %q", d.Remedy)
		}
	})
	t.Run("success says the timeline once", func(t *testing.T) {
		srv, o := exchangeAt(t, smtptest.Options{Username: testUser, Password: testPass})
		s := srv.basic(smtpauth.SecurityStartTLS, testUser, testPass)
		s.Host, s.SendTest, s.Recipients = microsoft.GlobalSMTPHost, true, []string{"noc@example.test"}
		r := run(t, s, o)
		wantOK(t, r)
		var got []smtpauth.Diagnosis
		for _, w := range r.Warnings {
			if w.Code == smtpauth.CodeExchangeBasicAuthRetiring {
				got = append(got, w)
			}
		}
		if len(got) != 1 || got[0].Remedy != microsoft.BasicAuthRetirement || got[0].Field != "smtp.auth" {
			t.Fatalf("retirement warnings: %+v", got)
		}
	})
	t.Run("no warning elsewhere", func(t *testing.T) {
		srv := startServer(t, smtptest.Options{Username: testUser, Password: testPass})
		r := run(t, srv.basic(smtpauth.SecurityStartTLS, testUser, testPass), smtpauth.Options{})
		wantOK(t, r)
		if len(r.Warnings) != 0 {
			t.Errorf("warnings %+v", r.Warnings)
		}
	})
}

// 535 5.7.139 read by its text: each cause its own remedy, and never the
// tenant-wide switch.
func TestExchange5739Texts(t *testing.T) {
	e := startEntra(t)
	tests := []struct {
		reply     *smtp.SMTPError
		code      smtpauth.Code
		step      microsoft.GuideStep
		words     []string
		commands  []string
		notInText string
	}{
		{replyTenantDisabled, smtpauth.CodeExchangeSMTPAuthDisabled, microsoft.GuideStepSMTPAuth,
			[]string{"disabled for the tenant", "for this mailbox only", "overrides the tenant"},
			[]string{"Set-CASMailbox -Identity " + e.mailbox + " -SmtpClientAuthenticationDisabled $false", "Get-CASMailbox -Identity " + e.mailbox},
			"Set-TransportConfig"},
		{replyCriteria, smtpauth.CodeExchangeSignInPolicy, microsoft.GuideStepSMTPAuth,
			[]string{"Conditional Access", "security defaults"}, nil, "Set-CASMailbox"},
	}
	for _, tt := range tests {
		t.Run(string(tt.code), func(t *testing.T) {
			srv := startExchange(t, e, smtptest.Options{AuthError: tt.reply})
			s, o := e.settings(srv)
			d := wantDiag(t, run(t, s, o), smtpauth.StepAuth, string(tt.code), "")
			text := d.Summary + " " + d.Remedy + " " + strings.Join(d.Commands, " ")
			for _, w := range append(tt.words, tt.commands...) {
				if !strings.Contains(text, w) {
					t.Errorf("diagnosis lacks %q:\n%s", w, text)
				}
			}
			if strings.Contains(text, tt.notInText) {
				t.Errorf("diagnosis advises %q:\n%s", tt.notInText, text)
			}
			if d.Code.GuideStep() != tt.step {
				t.Errorf("guide step %d", d.Code.GuideStep())
			}
		})
	}
}

// Refusals of the sender or the message, at MAIL FROM or at the end of
// DATA, in Exchange's words.
func TestExchangeMessageRefusals(t *testing.T) {
	e := startEntra(t)
	const from = "noc-sender@contoso.test"
	mail := func(code int, enh smtp.EnhancedCode, msg string) smtptest.Options {
		return smtptest.Options{MailError: &smtp.SMTPError{Code: code, EnhancedCode: enh, Message: msg}}
	}
	data := func(code int, enh smtp.EnhancedCode, msg string) smtptest.Options {
		return smtptest.Options{DataError: &smtp.SMTPError{Code: code, EnhancedCode: enh, Message: msg}}
	}
	tests := []struct {
		name  string
		opts  smtptest.Options
		code  smtpauth.Code
		field string
		words []string
	}{
		{"554 5.2.252 SendAsDenied", data(554, smtp.EnhancedCode{5, 2, 252}, "SendAsDenied; "+e.mailbox+" not allowed to send as "+from+"; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied"),
			smtpauth.CodeExchangeSendAsDeniedAtData, "smtp.from", []string{"Add-RecipientPermission -Identity " + from + " -Trustee " + e.mailbox + " -AccessRights SendAs", "mailbox itself"}},
		{"554 5.2.0 SendAsDeniedException", data(554, smtp.EnhancedCode{5, 2, 0}, "STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message Cannot submit message."),
			smtpauth.CodeExchangeSendAsDeniedAtData, "smtp.from", []string{"-Trustee " + e.mailbox}},
		{"554 5.2.0 SubmissionQuotaExceeded", data(554, smtp.EnhancedCode{5, 2, 0}, "STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception with message Cannot submit message."),
			smtpauth.CodeExchangeQuotaExceeded, "", []string{"10,000 recipients a day", "30 messages a minute", "3 concurrent connections"}},
		{"550 5.7.708", mail(550, smtp.EnhancedCode{5, 7, 708}, "Service unavailable. Access denied, traffic not accepted from this IP."),
			smtpauth.CodeExchangeIPBlocked, "", []string{"Microsoft support"}},
		{"550 5.7.705", mail(550, smtp.EnhancedCode{5, 7, 705}, "Access denied, tenant has exceeded threshold."),
			smtpauth.CodeExchangeTenantBlocked, "", []string{"Microsoft support"}},
		{"550 5.1.8", mail(550, smtp.EnhancedCode{5, 1, 8}, "Access denied, bad outbound sender."),
			smtpauth.CodeExchangeSenderRestricted, "", []string{"Defender portal", "Restricted entities"}},
		{"550 5.7.512", data(550, smtp.EnhancedCode{5, 7, 512}, "Access denied, message must be RFC 5322 section 3.6.2 compliant and include a valid From address."),
			smtpauth.CodeExchangeNoFromHeader, "smtp.from", []string{"From header"}},
		{"550 5.7.750", data(550, smtp.EnhancedCode{5, 7, 750}, "Service unavailable. Client blocked from sending from unregistered domains."),
			smtpauth.CodeExchangeUnregisteredDomain, "smtp.from", []string{"accepted domain", from}},
		{"432 4.3.2", smtptest.Options{AuthError: &smtp.SMTPError{Code: 432, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "STOREDRV.ClientSubmit; sender thread limit exceeded"}},
			smtpauth.CodeExchangeTooManyConnections, "", []string{"3 concurrent connections", "30 messages a minute"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startExchange(t, e, tt.opts)
			s, o := e.settings(srv)
			s.SendTest, s.Recipients, s.From = true, []string{"noc@example.test"}, from
			d := wantCode(t, run(t, s, o), tt.code, tt.field)
			text := d.Summary + " " + d.Remedy + " " + strings.Join(d.Commands, " ")
			for _, w := range tt.words {
				if !strings.Contains(text, w) {
					t.Errorf("diagnosis lacks %q:\n%s", w, text)
				}
			}
			if strings.Contains(text, "content filter") || strings.Contains(text, "relay") {
				t.Errorf("the generic reading:\n%s", text)
			}
			testkit.NoSecret(t, srv.wire.String(), append(e.tokens(), e.clientSecret)...)
		})
	}
}

// Direct send (auth none to the tenant's MX) refused: authenticate.
func TestExchangeDirectSendRejected(t *testing.T) {
	srv := startServer(t, smtptest.Options{MailError: &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 68},
		Message: "TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources"}})
	s := srv.basic(smtpauth.SecurityStartTLS, "", "")
	s.Method, s.From, s.SendTest, s.Recipients = smtpauth.MethodNone, "a@example.test", true, []string{"b@example.test"}
	d := wantCode(t, run(t, s, smtpauth.Options{}), smtpauth.CodeExchangeDirectSendRejected, "smtp.auth")
	if !strings.Contains(d.Remedy, "microsoft-oauth") {
		t.Errorf("remedy %q", d.Remedy)
	}
}

// No route to Exchange Online: this machine's network, never "use an IP
// address", and not smtp.server's fault.
func TestExchangeUnreachable(t *testing.T) {
	s := smtpauth.Settings{Host: microsoft.GlobalSMTPHost, Port: 587, Security: smtpauth.SecurityStartTLS, Method: smtpauth.MethodBasic,
		Username: testUser, Password: testPass, From: testUser}
	o := smtpauth.Options{Dial: func(context.Context, string, string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.EHOSTUNREACH}
	}}
	r := run(t, s, o)
	d := wantDiag(t, r, smtpauth.StepConnect, string(smtpauth.CodeConnectUnreachable), "")
	if !strings.Contains(d.Remedy, "firewall or proxy") || !strings.Contains(d.Remedy, "do not put an IP address") {
		t.Errorf("remedy %q", d.Remedy)
	}
}
