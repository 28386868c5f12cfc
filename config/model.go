// Package config owns the answers and site-config model: the values an
// operator gives, every rule they must meet, and the safe path of the
// site-config file to and from disk (atomic write, backup, lock, schema
// migration). It does no network I/O and has no user interface.
package config

// Version is the site-config and answers-file schema version this build
// reads and writes.
const Version = 1

// Security is how the SMTP connection is protected.
type Security string

// Security values, as spelled in the answers file.
const (
	SecurityStartTLS Security = "starttls"
	SecurityTLS      Security = "tls"
	SecurityNone     Security = "none"
)

// DefaultPort is the usual port for a security setting.
func (s Security) DefaultPort() int {
	switch s {
	case SecurityTLS:
		return 465
	case SecurityNone:
		return 25
	default:
		return 587
	}
}

// Mechanism is the SASL mechanism used with an OAuth 2.0 token.
type Mechanism string

// SASL mechanisms for the oauth2 method.
const (
	MechXOAuth2     Mechanism = "xoauth2"
	MechOAuthBearer Mechanism = "oauthbearer"
)

// Answers is everything the operator answers, from the wizard, the line
// prompts or an answers file. It holds plaintext UI passwords; it is never
// written to disk as it is (see Site).
type Answers struct {
	Version int
	SMTP    SMTP
	Emails  Emails
	Users   Users
	// RecoveryCodesOut is where the admin's recovery codes are written
	// (SMTP off).
	RecoveryCodesOut string
	// KeepCodes keeps the admin's saved recovery codes instead of making
	// new ones (SMTP off, a re-run: see CanKeepCodes; every front end
	// keeps them unless the operator asks for new ones).
	// RecoveryCodesOut is then not needed.
	KeepCodes bool

	// Pos maps a field path ("smtp.port") to where it was in the answers
	// file, for error messages. Nil for answers that came from elsewhere.
	Pos map[string]Pos

	// hidden are the values no message may show: secrets, and values
	// resolved from ${ENV} or file: references (filled by ParseAnswers).
	hidden hidden
}

// SMTP holds the mail server settings.
type SMTP struct {
	Enabled           bool       `yaml:"enabled"`
	Auth              AuthMethod `yaml:"auth,omitempty"`
	Server            string     `yaml:"server,omitempty"`
	Port              int        `yaml:"port,omitempty"`
	Security          Security   `yaml:"security,omitempty"`
	CAFile            string     `yaml:"ca_file,omitempty"`
	EHLOName          string     `yaml:"ehlo_name,omitempty"`
	Username          string     `yaml:"username,omitempty"`
	Password          Secret     `yaml:"password,omitempty"`
	From              string     `yaml:"from,omitempty"`
	DefaultRecipients []string   `yaml:"default_recipients,omitempty"`
	OAuth             *OAuth     `yaml:"oauth,omitempty"`
}

// OAuth holds OAuth 2.0 client-credentials settings. The client proves
// itself with ClientSecret or, instead, with ClientCertificate: the path
// of a PEM file with a certificate and its private key, which signs a
// client assertion per token request. That is a path, not a secret, so it
// is stored and exported as it is.
type OAuth struct {
	Cloud               Cloud     `yaml:"cloud,omitempty"`
	TenantID            string    `yaml:"tenant_id,omitempty"`
	ClientID            string    `yaml:"client_id,omitempty"`
	ClientSecret        Secret    `yaml:"client_secret,omitempty"`
	ClientSecretExpires string    `yaml:"client_secret_expires,omitempty"`
	ClientCertificate   string    `yaml:"client_certificate,omitempty"`
	RefreshToken        Secret    `yaml:"refresh_token,omitempty"`
	RefreshTokenExpires string    `yaml:"refresh_token_expires,omitempty"`
	TokenURL            string    `yaml:"token_url,omitempty"`
	Scope               string    `yaml:"scope,omitempty"`
	Mechanism           Mechanism `yaml:"mechanism,omitempty"`
}

// Emails are the notification addresses (SMTP on).
type Emails struct {
	UIAdmin       string `yaml:"ui_admin"`
	UISupport     string `yaml:"ui_support"`
	AdmiralAlerts string `yaml:"admiral_alerts"`
}

// Users are the UI accounts managed when SMTP is off.
type Users struct {
	Admin   UserAnswer
	Support UserAnswer
}

// UserAnswer is a username and its plaintext password as answered.
// An empty Password with Keep set means "keep the stored hash" (re-runs).
type UserAnswer struct {
	Username string
	Password Secret
	// Keep is set by front ends on a re-run when the operator left the
	// password empty and a hash is already stored for this username.
	Keep bool
}

// Pos is a position in a YAML file.
type Pos struct{ Line, Col int }
