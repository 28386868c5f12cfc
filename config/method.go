package config

import (
	"time"

	"sitecfg/microsoft"
	"sitecfg/smtpauth"
)

// AuthMethod is the SMTP authentication method: the live check's own
// type (smtpauth.Method), so that there is one list of methods and the
// settings for a check carry it as it is. What the check knows of a
// method (IsOAuth, GuideStep) comes with it; what config knows is its
// authRules.
type AuthMethod = smtpauth.Method

// Authentication methods, as spelled in the answers file.
const (
	AuthNone      = smtpauth.MethodNone
	AuthBasic     = smtpauth.MethodBasic
	AuthMicrosoft = smtpauth.MethodMicrosoft
	AuthOAuth2    = smtpauth.MethodOAuth2
	AuthDelegated = smtpauth.MethodDelegated
)

// DefaultAuth is the method of SMTP settings that name none, and the one
// a first deploy starts from.
const DefaultAuth = AuthBasic

// authRules is everything config knows about one auth method: what it
// implies, the rules it adds, and what the written file holds. (Which stored
// secrets an empty answer keeps on a re-run is each secret's rule, in
// secretFields.) Each method is one file
// (method_*.go); adding a method is one more file and one line in
// authMethods.
type authRules interface {
	// defaults fills what the method implies; it never overrides a value
	// the operator gave, except where the method fixes it.
	defaults(s *SMTP)
	// validate adds the method's own rules (the shared SMTP rules are
	// applied by validateSMTP).
	validate(ps *problemSet, s *SMTP, now time.Time)
	// sendsCredentials reports whether the method sends credentials, so
	// that security none is refused off loopback.
	sendsCredentials(s *SMTP) bool
	// stored trims what the written file holds for the method.
	stored(s *SMTP)
	// token is where and for what an OAuth method asks for its token
	// ("" for the others).
	token(s *SMTP) TokenRequest
}

// TokenRequest is where an OAuth method fetches its access token and for
// what: the endpoint, the scope, and the audience the token must carry
// ("" when any will do).
type TokenRequest struct {
	URL, Scope, Audience string
}

// Token is the OAuth token request the method makes with these settings;
// the zero value for a method without tokens.
func (s *SMTP) Token() TokenRequest {
	if r := rulesOf(s.Auth); r != nil && s.OAuth != nil {
		return r.token(s)
	}
	return TokenRequest{}
}

// guidedRules is a method that 'sitecfg guide microsoft' sets up.
type guidedRules interface {
	// guide is what the guide fills in from these settings.
	guide(s *SMTP) microsoft.GuideInput
	// credentialPlace is where a new client secret or certificate is
	// made ("in Entra ID (…)").
	credentialPlace() string
}

// Guide is what 'sitecfg guide microsoft' fills in from these settings,
// and false when their method is not one the guide sets up.
func (s *SMTP) Guide() (microsoft.GuideInput, bool) {
	if g, ok := rulesOf(s.Auth).(guidedRules); ok && s.OAuth != nil {
		return g.guide(s), true
	}
	return microsoft.GuideInput{}, false
}

// CredentialPlace is where the operator makes a new client secret or
// certificate for these settings, or "" when the method does not say
// (the OAuth provider's own console).
func (s *SMTP) CredentialPlace() string {
	if g, ok := rulesOf(s.Auth).(guidedRules); ok {
		return g.credentialPlace()
	}
	return ""
}

// Client is the OAuth client settings whose credential (a client secret
// or certificate) the method logs in with, so whose expiry matters; nil
// for a method without one.
func (s *SMTP) Client() *OAuth {
	if _, ok := rulesOf(s.Auth).(clientRules); ok {
		return s.OAuth
	}
	return nil
}

// retiringRules is a method that Microsoft retires at Exchange Online.
type retiringRules interface {
	// retiring reports whether s reaches Exchange Online with it.
	retiring(s *SMTP) bool
}

// RetiringAtExchange reports whether the settings reach Exchange Online
// without OAuth (basic authentication, or none), which Microsoft is
// retiring for SMTP AUTH.
func (s *SMTP) RetiringAtExchange() bool {
	r, ok := rulesOf(s.Auth).(retiringRules)
	return ok && r.retiring(s)
}

// authMethods maps each method to its rules, in the order the wizard
// offers them (the wizard's questions_<method>.go files say how).
var authMethods = []struct {
	method AuthMethod
	rules  authRules
}{
	{AuthBasic, basicAuth{}},
	{AuthMicrosoft, microsoftAuth{}},
	{AuthDelegated, delegatedAuth{}},
	{AuthOAuth2, oauth2Auth{}},
	{AuthNone, noneAuth{}},
}

// methodChoices names the methods in the message for an unknown one.
const methodChoices = "none, basic, microsoft-oauth, microsoft-delegated or oauth2"

// AuthMethods lists the methods in the order the wizard offers them.
func AuthMethods() []AuthMethod {
	out := make([]AuthMethod, len(authMethods))
	for i, m := range authMethods {
		out[i] = m.method
	}
	return out
}

// rulesOf is m's rules, nil for an unknown method.
func rulesOf(m AuthMethod) authRules {
	for _, e := range authMethods {
		if e.method == m {
			return e.rules
		}
	}
	return nil
}
