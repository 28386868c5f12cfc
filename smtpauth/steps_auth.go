package smtpauth

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// cleartextRefusal stops a check that would send a credential unencrypted
// to another machine. It looks at the connection actually made (TLS state
// and peer address), not at the settings, so it holds whatever the steps
// before it did. net/smtp's rule, and ours.
func (c *checker) cleartextRefusal() *Diagnosis {
	if c.conn.tls != nil || c.conn.remoteIsLoopback() {
		return nil
	}
	return &Diagnosis{
		Code:    CodeCleartextCredentials,
		Field:   "smtp.security",
		Summary: fmt.Sprintf("the connection to %s is not encrypted, so no credential was sent: credentials never cross the network in clear text", c.addr),
		Remedy:  "use security: starttls (port 587) or security: tls (port 465); security: none with credentials is only for a server on this machine",
	}
}

// fetchToken is the token step: an OAuth 2.0 access token, got with the
// method's grant, and a look at its claims before SMTP sees it.
func (c *checker) fetchToken() (string, *Diagnosis) {
	start := time.Now()
	if d := c.cleartextRefusal(); d != nil {
		return "", d
	}
	if clear, err := cleartextTokenURL(c.s.TokenURL); err != nil || clear {
		why := "it is not https"
		if err != nil {
			why = err.Error()
		}
		return "", &Diagnosis{
			Code: CodeCleartextTokenURL, Field: "smtp.oauth.token_url",
			Summary: "the client " + credentialName(c.s) + " would be sent to the token URL unencrypted (" + why + ")",
			Remedy:  "use the identity provider's https:// token URL",
		}
	}
	hc := c.o.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	if dl, ok := c.ctx.Deadline(); ok {
		bounded := *hc
		bounded.Timeout = time.Until(dl)
		hc = &bounded
	}
	tok, err := tokenOf(c.m).token(c.ctx, c.s, hc, c.tr, c.o.Now())
	if err != nil {
		if d := c.cancelled(); d != nil {
			return "", d
		}
		if errors.Is(err, errNotSignedIn) {
			return "", notSignedIn(c.s)
		}
		d := diagnoseTokenError(c.s, err, c.elapsed(start))
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			// The error code, not the body: the transcript never holds a
			// token request's or response's body.
			oauthErr, _, code := parseTokenError(re)
			line := "error " + orDefault(oauthErr, "(none)")
			if code != 0 {
				line += fmt.Sprintf(" (AADSTS%d)", code)
			}
			c.tr.add("S: ", line)
		}
		return "", d
	}
	if tok.AccessToken == "" {
		return "", &Diagnosis{Code: CodeTokenEmpty, Summary: "the identity provider answered without an access token",
			Remedy: "check the token URL: it must be the OAuth 2.0 token endpoint"}
	}
	c.token = tok.AccessToken
	c.tr.addSecret(c.token)
	c.signedIn(tok)
	claims, isJWT := parseClaims(c.token)
	if !isJWT {
		return "opaque token (not a JWT): claims not checked", nil
	}
	c.claims = &claims
	now := c.o.Now()
	if d := checkClaims(c.s, claims, now); d != nil {
		return claims.describe(now), d
	}
	if w := claimsWarning(c.s, claims); w != nil {
		c.warn(*w)
	}
	return claims.describe(now), nil
}

// signedIn takes what a delegated token response brings beyond the
// access token: the new refresh token, for the caller to store, and the
// signed-in user (the ID token's preferred_username), who is the mailbox
// when none is given; another mailbox needs Send As.
func (c *checker) signedIn(tok *oauth2.Token) {
	if tok.RefreshToken != "" && tok.RefreshToken != c.s.RefreshToken {
		c.tr.addSecret(tok.RefreshToken)
		c.r.RefreshToken = tok.RefreshToken
	}
	user := IDTokenUser(tok)
	if user == "" {
		return
	}
	c.r.SignedInAs = user
	switch {
	case c.s.Username == "":
		c.s.Username = user
	case !strings.EqualFold(c.s.Username, user):
		c.warn(Diagnosis{
			Step: StepToken, Code: CodeSendAsNeeded, Field: "smtp.username",
			Summary: fmt.Sprintf("signed in as %s, but the mailbox is %s: %s needs Send As on it (Exchange refuses the message otherwise)", user, c.s.Username, user),
			Remedy:  fmt.Sprintf("Add-RecipientPermission -Identity %s -Trustee %s -AccessRights SendAs; or sign in as %s", c.s.Username, user, c.s.Username),
		})
	}
}

// auth is the AUTH step.
func (c *checker) auth() (string, *Diagnosis) {
	start := time.Now()
	if d := c.cleartextRefusal(); d != nil {
		return "", d
	}
	offered := c.conn.authMechs()
	if len(offered) == 0 {
		return "", c.authNotOffered()
	}
	mech := pickMechanism(c.m, c.s, offered)
	if mech == "" {
		want := strings.Join(c.m.mechanisms(c.s), " or ")
		return "", &Diagnosis{
			Code: CodeMechanismNotOffered, Field: c.m.mechanismField(),
			Summary: fmt.Sprintf("the server offers AUTH %s but not %s", strings.Join(offered, " "), want),
			Remedy:  "choose an authentication method the server offers, or enable " + want + " on the server",
		}
	}
	client := c.m.saslClient(c.s, mech, c.token)
	if err := c.conn.authenticate(client); err != nil {
		if d := c.cancelled(); d != nil {
			return "", d
		}
		return "", c.diagnoseAuth(err, mech, authErrorDetail(client), start)
	}
	if w := authWarning(c.s); w != nil {
		c.warn(*w)
	}
	return fmt.Sprintf("AUTH %s accepted for %s", mech, c.s.Username), nil
}

// authNotOffered explains an EHLO without AUTH, which before TLS is the
// server protecting passwords and after it a relay that takes no logins.
func (c *checker) authNotOffered() *Diagnosis {
	d := &Diagnosis{Code: CodeAuthNotOffered, Field: "smtp.auth"}
	switch {
	case c.conn.tls == nil && c.conn.has("STARTTLS"):
		d.Field = "smtp.security"
		d.Summary = "the server offers no AUTH over an unencrypted connection (it offers STARTTLS, and logins only after it)"
		d.Remedy = "set security: starttls so the connection is encrypted before logging in"
	case c.conn.helo:
		d.Summary = "the server only speaks plain SMTP (HELO): it offers no AUTH"
		d.Remedy = "use auth: none if this relay accepts mail without a login, or the server's submission port (587)"
	default:
		d.Summary = "the server offers no AUTH on this connection (" + c.extensionsDetail() + ")"
		d.Remedy = "use auth: none if this relay accepts mail without a login (by IP address), or the submission port (587) where logins are taken"
	}
	return d
}
