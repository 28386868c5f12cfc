package smtpauth

import (
	"context"
	"net/http"
	"time"

	"github.com/emersion/go-sasl"
	"golang.org/x/oauth2"

	"sitecfg/microsoft"
)

// Method is an SMTP authentication method, as spelled in the answers
// file. It is the one type of methods: config's AuthMethod is this type.
type Method string

// The methods. What differs between them is a property of each, held in
// its own file (method_<name>.go, and config's and the wizard's): callers
// ask the method (IsOAuth, GuideStep), never which one it is.
const (
	MethodNone      Method = "none"
	MethodBasic     Method = "basic"
	MethodMicrosoft Method = "microsoft-oauth"
	MethodOAuth2    Method = "oauth2"
	MethodDelegated Method = "microsoft-delegated"
)

// IsOAuth reports whether the method logs in with an OAuth 2.0 access
// token, and so has OAuth client settings (smtp.oauth).
func (m Method) IsOAuth() bool { return tokenOf(methodFor(m)) != nil }

// GuideStep is the step of 'sitecfg guide microsoft' that fixes a
// diagnosis with code c in a check with this method, or 0 when none
// does. For a method the guide sets up, every step the code concerns; for
// the others only the way from basic authentication to OAuth at Exchange
// Online (Code.Microsoft).
func (m Method) GuideStep(c Code) microsoft.GuideStep {
	if g, ok := methodFor(m).(guidedMethod); ok {
		return g.guideStep(c)
	}
	if c.Microsoft() {
		return c.GuideStep()
	}
	return 0
}

// orNone is m, or MethodNone for no method (which is none).
func (m Method) orNone() Method {
	if m == "" {
		return MethodNone
	}
	return m
}

// method is one SMTP authentication method: what the check needs from it
// to log in. Each is one file (method_none.go, method_basic.go,
// method_oauth2.go, method_microsoft.go); methodFor picks one from
// Settings.Method. What only some methods have is an interface of its
// own below (tokenMethod, guidedMethod, rewordingMethod, warningMethod).
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
// fetched before AUTH with the method's own grant.
type tokenMethod interface {
	method
	grant
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

// claimsWarningMethod is a token method with a warning for a token it
// sends on: one the mail server may still take, whose verdict is the
// AUTH step's.
type claimsWarningMethod interface {
	tokenMethod
	// claimsWarning is the warning for a token with claims c that
	// refuseClaims let through, or nil.
	claimsWarning(s Settings, c tokenClaims) *Diagnosis
}

// loginRefusalMethod is a token method that explains the mail server's
// refusal of its token with what the token said.
type loginRefusalMethod interface {
	tokenMethod
	// loginRefused is d (the refusal of AUTH as read from the reply,
	// never nil) reworded with the token's claims c, nil when the token
	// was not a JWT.
	loginRefused(s Settings, c *tokenClaims, d *Diagnosis) *Diagnosis
}

// grant is how a token method gets its access token: the OAuth 2.0 grant
// it uses (clientCredentials for the app-only methods).
type grant interface {
	// token asks the identity provider for an access token through hc,
	// which writes each request's line and status to tr (never a body). A
	// secret the request carries beyond Settings' own (a client
	// assertion) is added to tr's secrets before it is sent.
	token(ctx context.Context, s Settings, hc *http.Client, tr *transcript, now time.Time) (*oauth2.Token, error)
}

// guidedMethod is a method that 'sitecfg guide microsoft' sets up.
type guidedMethod interface {
	method
	// guideStep is the guide's step that fixes a diagnosis with code c,
	// or 0.
	guideStep(c Code) microsoft.GuideStep
}

// rewordingMethod is a method that words some failures its own way.
type rewordingMethod interface {
	method
	// reword is d (a step's failure, never nil) as the method words it.
	reword(s Settings, d *Diagnosis) *Diagnosis
}

// warningMethod is a method with a warning for a login that worked.
type warningMethod interface {
	method
	// authWarning is the warning after AUTH succeeded, or nil.
	authWarning(s Settings) *Diagnosis
}

// methods are the methods by Settings.Method; no method means none.
var methods = map[Method]method{
	"":              noneMethod{},
	MethodNone:      noneMethod{},
	MethodBasic:     basicMethod{},
	MethodOAuth2:    oauth2Method{},
	MethodMicrosoft: microsoftMethod{},
	MethodDelegated: delegatedMethod{},
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

// reword is a step's failure d as the method s names words it (for most,
// d as it is).
func reword(s Settings, d *Diagnosis) *Diagnosis {
	if r, ok := methodFor(s.Method).(rewordingMethod); ok && d != nil {
		return r.reword(s, d)
	}
	return d
}

// authWarning is the method's warning after AUTH succeeded with s, or
// nil.
func authWarning(s Settings) *Diagnosis {
	if w, ok := methodFor(s.Method).(warningMethod); ok {
		return w.authWarning(s)
	}
	return nil
}
