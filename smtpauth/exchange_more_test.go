package smtpauth_test

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"sitecfg/internal/smtptest"
	"sitecfg/microsoft"
	"sitecfg/smtpauth"
)

// 535 5.7.139 by its text, as Exchange Online words it: Set-CASMailbox
// is the remedy only where SMTP AUTH is disabled; security defaults, bad
// credentials and a locked account have their own; any other text gets
// the general reading.
func TestExchange5_7_139Texts(t *testing.T) {
	reply := func(text string) *smtp.SMTPError {
		return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 139}, Message: text + " [SN4PR0501CA0054.namprd05.prod.outlook.com]"}
	}
	tests := []struct {
		name, text string
		oauth      bool
		code       smtpauth.Code
		field      string
		words      string
	}{
		{"mailbox disabled", "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.",
			false, smtpauth.CodeExchangeSMTPAuthDisabled, "", "overrides the tenant's"},
		{"security defaults", "Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.",
			false, smtpauth.CodeExchangeSecurityDefaults, "smtp.auth", "microsoft-oauth"},
		{"security defaults, oauth", "Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.",
			true, smtpauth.CodeExchangeSignInPolicy, "", "not OAuth"},
		{"credentials", "Authentication unsuccessful, the user credentials were incorrect.",
			false, smtpauth.CodeExchangeBadCredentials, "smtp.password", "smtp.password"},
		{"account locked", "Authentication unsuccessful, account locked.",
			false, smtpauth.CodeExchangeAccountLocked, "", "sign-in logs"},
		{"unknown text", "Authentication unsuccessful, a policy this test has never seen.",
			false, smtpauth.CodeExchangeAuthPolicy, "", "Get-CASMailbox"},
	}
	e := startEntra(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s smtpauth.Settings
			var o smtpauth.Options
			if tt.oauth {
				srv := startExchange(t, e, smtptest.Options{AuthError: reply(tt.text)})
				s, o = e.settings(srv)
			} else {
				var srv *testServer
				srv, o = exchangeAt(t, smtptest.Options{Username: testUser, Password: testPass, AuthError: reply(tt.text)})
				s = srv.basic(smtpauth.SecurityStartTLS, testUser, testPass)
				s.Host = microsoft.GlobalSMTPHost
			}
			d := wantDiag(t, run(t, s, o), smtpauth.StepAuth, string(tt.code), tt.field)
			if !strings.Contains(d.Summary+" "+d.Remedy+" "+strings.Join(d.Commands, " "), tt.words) {
				t.Errorf("diagnosis does not say %q:\n %s\n %s\n %q", tt.words, d.Summary, d.Remedy, d.Commands)
			}
			enable := strings.Contains(strings.Join(d.Commands, "\n"), "-SmtpClientAuthenticationDisabled $false")
			if enable != (tt.code == smtpauth.CodeExchangeSMTPAuthDisabled) {
				t.Errorf("Set-CASMailbox offered: %v, for %s", enable, tt.code)
			}
			if !strings.Contains(d.ServerSaid, "535 5.7.139") {
				t.Errorf("server said %q", d.ServerSaid)
			}
		})
	}
}

// Exchange Online's replies that fell to a generic message: each has its
// own diagnosis, at whichever step it comes.
func TestExchangeMoreReplies(t *testing.T) {
	tests := []struct {
		name     string
		opts     smtptest.Options
		envelope bool
		recips   int
		code     smtpauth.Code
		field    string
		words    string
		warning  bool // the check passes with it as a warning
	}{
		{"451 4.7.550 throttled", smtptest.Options{MailError: &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 550}, Message: "Access denied, please try again later (AS8200000)"}},
			false, 1, smtpauth.CodeExchangeThrottled, "", "retry later", false},
		{"451 4.7.500 at the envelope", smtptest.Options{MailError: &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 500}, Message: "Server busy. Please try again later from [203.0.113.7]. (AS761)"}},
			true, 1, smtpauth.CodeExchangeThrottled, "smtp.from", "retry later", true},
		{"452 4.5.3 at the message", smtptest.Options{MaxRecipients: 1},
			false, 2, smtpauth.CodeExchangeTooManyRecipients, "smtp.default_recipients", "1 of 2 recipients were refused", true},
		{"452 4.5.3 at the envelope", smtptest.Options{MaxRecipients: 1},
			true, 2, smtpauth.CodeExchangeTooManyRecipients, "smtp.default_recipients", "500 recipients", true},
		{"550 5.7.501 spam abuse", smtptest.Options{MailError: &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 501}, Message: "Access denied, spam abuse detected"}},
			false, 1, smtpauth.CodeExchangeSpamBanned, "", "Microsoft support", false},
		{"550 5.7.503 banned sender", smtptest.Options{MailError: &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 503}, Message: "Access denied, banned sender"}},
			false, 1, smtpauth.CodeExchangeSpamBanned, "", "banned", false},
		{"554 5.6.211 invalid MIME", smtptest.Options{DataError: &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 211}, Message: "Invalid MIME Content: Single text value size (32770) exceeded allowed maximum (32768)"}},
			false, 1, smtpauth.CodeExchangeInvalidMIME, "", "MIME", false},
		{"552 5.3.4 too large", smtptest.Options{DataError: &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 3, 4}, Message: "Message size exceeds fixed maximum message size"}},
			false, 1, smtpauth.CodeExchangeMessageTooLarge, "", "MaxSendSize", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Username, tt.opts.Password = testUser, testPass
			srv, o := exchangeAt(t, tt.opts)
			s := srv.basic(smtpauth.SecurityStartTLS, testUser, testPass)
			s.Host = microsoft.GlobalSMTPHost
			s.Method = smtpauth.MethodBasic
			to := []string{"noc@example.test", "oncall@example.test"}[:tt.recips]
			if tt.envelope {
				for _, a := range to {
					s.Envelope = append(s.Envelope, smtpauth.Address{Addr: a, Field: "smtp.default_recipients"})
				}
			} else {
				s.SendTest, s.Recipients = true, to
			}
			r := run(t, s, o)
			var d *smtpauth.Diagnosis
			if tt.warning {
				if !r.OK {
					t.Fatalf("check failed: %+v", r.Diagnosis)
				}
				for i := range r.Warnings {
					if r.Warnings[i].Code == tt.code {
						d = &r.Warnings[i]
					}
				}
				if d == nil {
					t.Fatalf("no %s warning in %+v", tt.code, r.Warnings)
				}
				if d.Field != tt.field {
					t.Errorf("warning field %q, want %q", d.Field, tt.field)
				}
			} else {
				d = wantCode(t, r, tt.code, tt.field)
			}
			if !strings.Contains(d.Summary+" "+d.Remedy, tt.words) {
				t.Errorf("diagnosis does not say %q:\n %s\n %s", tt.words, d.Summary, d.Remedy)
			}
		})
	}
}

// 421 4.3.2 at connect from Exchange Online: its own reading; from any
// other server, the busy server's.
func TestExchangeBusyAtConnect(t *testing.T) {
	srv := scriptServer(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "421 4.3.2 Service not available, closing transmission channel\r\n")
	})
	var d net.Dialer
	s := srv.basic(smtpauth.SecurityStartTLS, testUser, testPass)
	s.Host = microsoft.GlobalSMTPHost
	o := smtpauth.Options{Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, srv.addr())
	}}
	got := wantDiag(t, run(t, s, o), smtpauth.StepBanner, string(smtpauth.CodeExchangeServiceUnavailable), "")
	if !strings.Contains(got.Remedy, "retry") {
		t.Errorf("remedy %q", got.Remedy)
	}
}
