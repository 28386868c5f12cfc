package smtpauth

import (
	"fmt"
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
