// Package smtpauth proves SMTP settings with a live conversation: it dials,
// negotiates TLS, fetches OAuth 2.0 tokens, authenticates, optionally sends a
// test message, and explains any failure in words an operator can act on.
// It owns no configuration file and no user interface.
package smtpauth

import (
	"context"
	"crypto"
	"crypto/x509"
	"net"
	"net/http"
	"time"
)

// Security is how the connection is protected.
type Security string

// Security values, as in the answers file.
const (
	SecurityStartTLS Security = "starttls" // plain connect, STARTTLS required
	SecurityTLS      Security = "tls"      // implicit TLS ("SSL"), usually port 465
	SecurityNone     Security = "none"     // no TLS at all
)

// Settings is everything the check needs, already resolved by the caller
// (no ${ENV} references, token URL and scope filled in for Microsoft).
type Settings struct {
	Host     string
	Port     int
	Security Security
	// RootCAs, when non-nil, is used instead of the system roots.
	// CAFile, when set, adds its PEM certificates to the system roots.
	RootCAs *x509.CertPool
	CAFile  string

	Method   Method
	Username string // basic: optional; OAuth: the mailbox
	Password string // basic only
	// Secrets are the caller's secrets, by value: every one is scrubbed,
	// with its base64 forms, from everything the report holds. Password
	// and ClientSecret are scrubbed whether or not they are listed here.
	Secrets []string

	// OAuth 2.0 client credentials, for a method that logs in with a
	// token (Method.IsOAuth).
	TokenURL     string
	Scope        string
	ClientID     string
	ClientSecret string
	// ClientCertificate and ClientKey, when set, replace ClientSecret:
	// each token request carries a fresh client assertion (RFC 7523), a
	// JWT signed with ClientKey (RS256 for RSA, ES256/384/512 for ECDSA)
	// that names ClientCertificate by its thumbprints. Both or neither.
	ClientCertificate *x509.Certificate
	ClientKey         crypto.Signer
	// Mechanism is "xoauth2" or "oauthbearer"; Microsoft is always xoauth2.
	Mechanism string
	// Audience is the token audience expected for Microsoft
	// (for example https://outlook.office365.com); empty skips that check.
	Audience string
	// RefreshToken is a delegated sign-in's refresh token
	// (microsoft-delegated), redeemed for the access token; TokenStore,
	// when set, is where it is stored instead, and where the new one goes
	// (see TokenStore). SignIn is the command that signs in again, for
	// the diagnoses ("sitecfg signin --config /etc/…").
	RefreshToken string
	TokenStore   TokenStore
	SignIn       string
	// TenantID and Cloud are only used to fill in diagnoses and commands.
	TenantID string
	Cloud    string

	// EHLOName is the name sent in EHLO (smtp.ehlo_name); empty means
	// DefaultEHLOName of the connection's local address.
	EHLOName string

	// From is the sender (smtp.from). Envelope are the addresses the
	// cluster will mail, each with the field it came from: the envelope
	// step sends MAIL FROM:<From> and one RCPT TO per address, then RSET,
	// so a refused sender or recipient is found without sending anything.
	// With no Envelope the step is left out.
	From     string
	Envelope []Address

	// Test message: sent only when SendTest is true, to Recipients.
	SendTest   bool
	Recipients []string
	// Message, when set, is sent instead of the test message: a notice
	// from sitecfg (check --notify) rather than a test.
	Message *Message
}

// Address is an email address and the answers-file field it came from
// ("emails.ui_admin", "smtp.default_recipients[1]").
type Address struct {
	Addr  string
	Field string
}

// Options tune how a check runs. The zero value is usable.
type Options struct {
	// Timeout bounds the whole check; zero means 30 seconds.
	Timeout time.Duration
	// Dial, when set, replaces the default dialer (tests, proxies).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// HTTPClient is used for token requests; nil means a client bounded by Timeout.
	HTTPClient *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// OnStep, when set, is called as each step starts and ends (from the
	// checking goroutine), so a user interface can show progress.
	OnStep func(Step)
}

// secrets are the values a check scrubs from its report: the caller's
// Secrets, and the credentials the check itself was given.
func (s Settings) secrets() []string {
	return append([]string{s.Password, s.ClientSecret, s.RefreshToken}, s.Secrets...)
}
