package smtpauth_test

// Tests against real mail servers; how to start them, and how these tests
// skip without them, is in mta_env_test.go.

import (
	"strings"
	"testing"
	"time"

	"sitecfg/smtpauth"
)

// --- basic AUTH refused ---------------------------------------------------------

// A wrong password: 535 5.7.8 (after the auth failure delay); the diagnosis
// is at the AUTH step and points at the credentials.
func TestMTAWrongPassword(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		s := e.basicSettings(t, srv.StartTLSAddr, smtpauth.SecurityStartTLS)
		s.Password = "wrong-" + mtaTag(t)
		r := mtaCheck(t, e, s, smtpauth.Options{})
		d := mtaWantFailure(t, r, []smtpauth.StepName{smtpauth.StepAuth}, "auth-failed", "535", "password", "credential", "username")
		if d.Field != "" && !strings.Contains(d.Field, "password") && !strings.Contains(d.Field, "username") {
			t.Errorf("diagnosis points at field %q, want smtp.password or smtp.username", d.Field)
		}
		mtaWantNoSecret(t, r, s.Password)
	})
}

// An unknown user fails the same way (the server does not tell which).
func TestMTAUnknownUser(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		s := e.basicSettings(t, srv.StartTLSAddr, smtpauth.SecurityStartTLS)
		s.Username = "nobody-" + mtaTag(t) + "@example.test"
		r := mtaCheck(t, e, s, smtpauth.Options{})
		mtaWantFailure(t, r, []smtpauth.StepName{smtpauth.StepAuth}, "auth-failed", "535", "password", "credential", "username")
	})
}

// auth: none against a submission server: the server wants AUTH before it
// takes mail, so the test message is refused (Dovecot: 530 5.7.0 at MAIL;
// Postfix: 554 5.7.1 "Access denied" at RCPT).
func TestMTANoAuthIsRefused(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		s := e.basicSettings(t, srv.StartTLSAddr, smtpauth.SecurityStartTLS)
		s.Method, s.Username, s.Password = smtpauth.MethodNone, "", ""
		s.SendTest, s.Recipients = true, []string{"noc+" + mtaTag(t) + "@example.test"}
		r := mtaCheck(t, e, s, smtpauth.Options{})
		mtaWantFailure(t, r, []smtpauth.StepName{smtpauth.StepMessage, smtpauth.StepAuth},
			"auth-required", "530", "554", "auth", "relay", "denied", "rejected")
	})
}

// --- wrong security setting for the port ---------------------------------------

// security: starttls against the implicit-TLS port. The server waits for a
// TLS ClientHello, the client for a 220 greeting: the diagnosis must say to
// use implicit TLS (security: tls), not merely "timeout".
func TestMTAStartTLSAgainstImplicitTLSPort(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		r := mtaCheck(t, e, e.basicSettings(t, srv.TLSAddr, smtpauth.SecurityStartTLS), smtpauth.Options{Timeout: 20 * time.Second})
		d := mtaWantFailure(t, r,
			[]smtpauth.StepName{smtpauth.StepConnect, smtpauth.StepBanner, smtpauth.StepEHLO, smtpauth.StepTLS},
			"port-wants-implicit-tls", "implicit", "security: tls", "ssl", "465")
		mtaWantField(t, d, "smtp.security")
		if r.Duration > 25*time.Second {
			t.Errorf("check took %v, beyond its 20 s timeout", r.Duration)
		}
	})
}

// security: tls against the STARTTLS port. The TLS handshake reads
// "220 localhost ... ready": the diagnosis must say to use STARTTLS.
func TestMTAImplicitTLSAgainstStartTLSPort(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		r := mtaCheck(t, e, e.basicSettings(t, srv.StartTLSAddr, smtpauth.SecurityTLS), smtpauth.Options{Timeout: 20 * time.Second})
		d := mtaWantFailure(t, r,
			[]smtpauth.StepName{smtpauth.StepTLS, smtpauth.StepConnect, smtpauth.StepBanner},
			"port-wants-starttls", "starttls", "587")
		mtaWantField(t, d, "smtp.security")
	})
}

// security: none with a password on the STARTTLS port: neither server offers
// AUTH before TLS, so the password is never sent.
func TestMTANoTLSButPassword(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		r := mtaCheck(t, e, e.basicSettings(t, srv.StartTLSAddr, smtpauth.SecurityNone), smtpauth.Options{})
		d := mtaWantFailure(t, r,
			[]smtpauth.StepName{smtpauth.StepAuth, smtpauth.StepEHLO, smtpauth.StepTLS},
			"auth-not-offered", "starttls", "tls", "security")
		mtaWantField(t, d, "smtp.security")
		mtaWantNoSecret(t, r, e.Password, "\x00"+e.User+"\x00"+e.Password)
	})
}
