package config

import "time"

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
	if r := s.Auth.rules(); r != nil && s.OAuth != nil {
		return r.token(s)
	}
	return TokenRequest{}
}

// authMethods maps each method to its rules, in the order the wizard
// offers them (the wizard's questions_<method>.go files say how).
var authMethods = []struct {
	method AuthMethod
	rules  authRules
}{
	{AuthBasic, basicAuth{}},
	{AuthMicrosoft, microsoftAuth{}},
	{AuthOAuth2, oauth2Auth{}},
	{AuthNone, noneAuth{}},
}

// AuthMethods lists the methods in the order the wizard offers them.
func AuthMethods() []AuthMethod {
	out := make([]AuthMethod, len(authMethods))
	for i, m := range authMethods {
		out[i] = m.method
	}
	return out
}

// Known reports whether m is one of the methods.
func (m AuthMethod) Known() bool { return m.rules() != nil }

func (m AuthMethod) rules() authRules {
	for _, e := range authMethods {
		if e.method == m {
			return e.rules
		}
	}
	return nil
}
