package smtpauth

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"golang.org/x/oauth2"
)

// tokenResult is the outcome of the token request.
type tokenResult struct {
	tok   *oauth2.Token
	err   error
	tr    *transcript // the request's lines, merged into the check's at the token step
	start time.Time
}

// startToken asks the identity provider for the token at once, beside
// the SMTP steps: the tenant, the client ID and the secret are proved (or
// not) whether or not the mail server can be reached, and the token step
// seldom waits. Not for a token URL the token step refuses, nor with
// security: none, where the token step first looks at the connection
// made (cleartextRefusal) before anything is asked for.
func (c *checker) startToken() {
	if tokenOf(c.m) == nil || c.s.Security == SecurityNone {
		return
	}
	if clear, err := cleartextTokenURL(c.s.TokenURL); err != nil || clear {
		return
	}
	ch := make(chan tokenResult, 1)
	c.tokenCh = ch
	go func() { ch <- c.requestToken() }()
}

// requestToken asks for the token with the method's grant, recording the
// request in a transcript of its own.
func (c *checker) requestToken() tokenResult {
	res := tokenResult{start: time.Now(), tr: newTranscript(c.s.secrets()...)}
	hc := c.o.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	if dl, ok := c.ctx.Deadline(); ok {
		bounded := *hc
		bounded.Timeout = time.Until(dl)
		hc = &bounded
	}
	res.tok, res.err = tokenOf(c.m).token(c.ctx, c.s, hc, res.tr, c.o.Now())
	return res
}

// takeToken is the token request's outcome: the one started with the
// check, or, when none was, one asked for now.
func (c *checker) takeToken() tokenResult {
	if c.tokenCh != nil {
		ch := c.tokenCh
		c.tokenCh = nil
		return <-ch
	}
	return c.requestToken()
}

// waitToken waits for a token request that no step took (the check
// stopped before the token step and did not run it alone), after
// cancelling it: nothing runs on once Check has returned.
func (c *checker) waitToken(cancel func()) {
	if c.tokenCh != nil {
		cancel()
		<-c.tokenCh
		c.tokenCh = nil
	}
}

// fetchToken is the token step: an OAuth 2.0 access token, got with the
// method's grant, and a look at its claims before SMTP sees it.
func (c *checker) fetchToken() (string, *Diagnosis) {
	if d := c.cleartextRefusal(); d != nil {
		return "", d
	}
	return c.getToken()
}

// tokenAlone runs the token step after an SMTP step failed: the Entra
// side is reported on its own (a failure of its own in Report.Also, next
// to the SMTP failure, which stays the diagnosis).
func (c *checker) tokenAlone() {
	primary := c.r.Diagnosis
	c.r.Diagnosis = nil
	c.step(StepToken, c.getToken)
	if d := c.r.Diagnosis; d != nil {
		c.r.Also = append(c.r.Also, *d)
	}
	c.r.Diagnosis = primary
}

// getToken gets the token and judges its claims.
func (c *checker) getToken() (string, *Diagnosis) {
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
	res := c.takeToken()
	c.tr.absorb(res.tr)
	tok, err := res.tok, res.err
	if err != nil {
		if d := c.cancelled(); d != nil {
			return "", d
		}
		if errors.Is(err, errNotSignedIn) {
			return "", notSignedIn(c.s)
		}
		d := diagnoseTokenError(c.s, err, c.elapsed(res.start))
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
