package smtpauth

import (
	"crypto/x509"
	"time"
)

// StepName names one step of the check, in the order they run.
type StepName string

// The steps of a check.
const (
	StepResolve StepName = "resolve"
	StepConnect StepName = "connect"
	StepBanner  StepName = "banner"
	StepEHLO    StepName = "ehlo"
	StepTLS     StepName = "tls"   // STARTTLS or the implicit TLS handshake
	StepToken   StepName = "token" // OAuth token fetch
	StepAuth    StepName = "auth"
	// StepEnvelope is MAIL FROM and RCPT TO for every address the
	// cluster will mail, then RSET: nothing is sent.
	StepEnvelope StepName = "envelope"
	StepMessage  StepName = "message" // MAIL/RCPT/DATA of the test message
	StepQuit     StepName = "quit"
)

// Status is a step's outcome.
type Status string

// Step statuses.
const (
	StatusRunning Status = "running"
	StatusOK      Status = "ok"
	StatusFailed  Status = "failed"
	StatusSkipped Status = "skipped"
	StatusWarning Status = "warning"
)

// Step is one step's outcome.
type Step struct {
	Name     StepName      `json:"name"`
	Status   Status        `json:"status"`
	Duration time.Duration `json:"duration_ns"`
	Detail   string        `json:"detail,omitempty"` // e.g. "TLS 1.3, cert for smtp.example.com valid until 2027-01-02"
}

// Diagnosis explains a failure (or a warning) in words an operator can act on.
type Diagnosis struct {
	Step    StepName `json:"step"`
	Code    Code     `json:"code"`            // stable identifier, e.g. "starttls-missing", "aadsts7000215", "smtp-535-5.7.3"
	Summary string   `json:"summary"`         // one line: what went wrong
	Field   string   `json:"field,omitempty"` // answers-file field path to edit, e.g. "smtp.port", "smtp.oauth.client_secret"
	Remedy  string   `json:"remedy"`          // what to do, plain words
	// Commands are ready-to-paste admin commands (PowerShell etc.) with the
	// operator's own IDs filled in.
	Commands []string `json:"commands,omitempty"`
	// ServerSaid is the server's or identity provider's own words (redacted).
	ServerSaid string `json:"server_said,omitempty"`
	// Chain is the certificates the server presented, leaf first, when
	// no trusted authority vouches for them (self-signed, private CA):
	// what an interactive front end offers to trust after the operator
	// compares the fingerprint. Never serialised.
	Chain []*x509.Certificate `json:"-"`
}

// RecipientResult is the server's answer to one RCPT TO: in the envelope
// step (every address the cluster will mail, with the field it came
// from) or for the test message.
type RecipientResult struct {
	Step     StepName `json:"step"` // StepEnvelope or StepMessage
	Address  string   `json:"address"`
	Field    string   `json:"field,omitempty"`
	Accepted bool     `json:"accepted"`
	// Deferred is a temporary refusal (4xx, greylisting): a warning, not
	// a failure.
	Deferred bool   `json:"deferred,omitempty"`
	Reply    string `json:"reply,omitempty"`
}

// Report is the whole outcome of a check.
type Report struct {
	OK     bool   `json:"ok"`
	Server string `json:"server"` // host:port
	// Method is the auth method checked (Settings.Method): what a front
	// end asks about a diagnosis, such as its set-up guide step
	// (Method.GuideStep). Not serialised.
	Method    Method      `json:"-"`
	Steps     []Step      `json:"steps"`
	Diagnosis *Diagnosis  `json:"diagnosis,omitempty"` // set when OK is false
	Warnings  []Diagnosis `json:"warnings,omitempty"`
	// Also are failures of steps that ran after Diagnosis's because they
	// do not need what failed: the OAuth token, fetched and judged when
	// the mail server could not be reached or spoken to.
	Also       []Diagnosis       `json:"also,omitempty"`
	Recipients []RecipientResult `json:"recipients,omitempty"`
	// Transcript is the SMTP (and token request) conversation, one line per
	// entry, prefixed "C: " or "S: ", with every credential and token
	// replaced by <redacted>.
	Transcript []string      `json:"transcript"`
	Duration   time.Duration `json:"duration_ns"`
	// SignedInAs is the user a delegated token was issued to (the ID
	// token's preferred_username), when there was one.
	SignedInAs string `json:"signed_in_as,omitempty"`
	// RefreshToken is the new refresh token a delegated check's
	// redemption returned ("" when none): the caller stores it unless
	// Settings.TokenStore already did. Never serialised.
	RefreshToken string `json:"-"`
}
