package smtpauth

import "github.com/emersion/go-sasl"

// method is one SMTP authentication method: what the check needs from it
// to log in. Each is one file (method_none.go, method_basic.go,
// method_oauth2.go, method_microsoft.go); methodFor picks one from
// Settings.Method.
type method interface {
	// validate rejects settings this method cannot run a check with.
	validate(s Settings) error
	// sendsCredentials reports whether the check logs in (runs AUTH).
	sendsCredentials(s Settings) bool
	// mechanisms are the SASL mechanisms it can log in with, in order of
	// preference.
	mechanisms(s Settings) []string
	// mechanismField is the answers-file field that decides the mechanism.
	mechanismField() string
	// saslClient is the client for mech (one of mechanisms), presenting
	// token when the method fetched one.
	saslClient(s Settings, mech, token string) sasl.Client
}

// tokenMethod is a method that logs in with an OAuth 2.0 access token,
// fetched with the client credentials grant before AUTH.
type tokenMethod interface {
	method
	// scopeField is the field to fix when the identity provider refuses
	// the scope.
	scopeField() string
	// endpointField is the field to fix when the token endpoint cannot be
	// reached.
	endpointField() string
	// refuseClaims explains a token the mail server is bound to refuse
	// (beyond its expiry, which every method checks), or returns nil.
	refuseClaims(s Settings, c tokenClaims) *Diagnosis
}

// methods are the methods by Settings.Method; no method means none.
var methods = map[Method]method{
	"":              noneMethod{},
	MethodNone:      noneMethod{},
	MethodBasic:     basicMethod{},
	MethodOAuth2:    oauth2Method{},
	MethodMicrosoft: microsoftMethod{},
}

// methodFor is the method m names, nil for an unknown one.
func methodFor(m Method) method { return methods[m] }

// tokenOf is m's token side, nil for a method that logs in without one.
func tokenOf(m method) tokenMethod {
	tm, _ := m.(tokenMethod)
	return tm
}

// tokenSide is the token side of the method s names. Only token methods
// fetch tokens; for any other the generic OAuth 2.0 fields are named.
func tokenSide(s Settings) tokenMethod {
	if tm := tokenOf(methodFor(s.Method)); tm != nil {
		return tm
	}
	return oauth2Method{}
}
