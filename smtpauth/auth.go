package smtpauth

import (
	"encoding/base64"
	"slices"
	"strings"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// wantsAuth reports whether the settings call for SMTP AUTH at all: not for
// method none, nor for basic without a username (an open relay that only
// checks the sender's address).
func wantsAuth(s Settings) bool {
	switch s.Method {
	case MethodBasic:
		return s.Username != ""
	case MethodMicrosoft, MethodOAuth2:
		return true
	}
	return false
}

// isOAuth reports whether the method needs a token.
func isOAuth(m Method) bool {
	return m == MethodMicrosoft || m == MethodOAuth2
}

// oauthMechanism is the SASL mechanism an OAuth method uses.
func oauthMechanism(s Settings) string {
	if s.Method == MethodMicrosoft || s.Mechanism == "" {
		return XOAuth2
	}
	return strings.ToUpper(s.Mechanism)
}

// pickMechanism chooses among what the server offers: PLAIN, else LOGIN for
// basic; the configured bearer mechanism for OAuth. It returns "" when
// nothing fits.
func pickMechanism(s Settings, offered []string) string {
	if isOAuth(s.Method) {
		m := oauthMechanism(s)
		if slices.Contains(offered, m) {
			return m
		}
		return ""
	}
	for _, m := range []string{sasl.Plain, sasl.Login} {
		if slices.Contains(offered, m) {
			return m
		}
	}
	return ""
}

// saslClient builds the client for mech.
func saslClient(s Settings, mech, token string) sasl.Client {
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainClient("", s.Username, s.Password)
	case sasl.Login:
		return &loginClient{user: s.Username, pass: s.Password}
	case XOAuth2:
		return newXOAuth2Client(s.Username, token)
	default: // OAUTHBEARER
		return &oauthBearerClient{Client: sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{
			Username: s.Username, Token: token, Host: s.Host, Port: s.Port,
		})}
	}
}

// authenticate runs the SASL exchange. Every line the client sends during
// it is redacted in the transcript. The caller has checked that the
// connection is encrypted or local.
func (c *smtpConn) authenticate(a sasl.Client) error {
	c.rec.setRedacting(true)
	defer c.rec.setRedacting(false)
	enc := base64.StdEncoding
	mech, ir, err := a.Start()
	if err != nil {
		return err
	}
	line := "AUTH " + mech
	if ir != nil {
		if len(ir) == 0 {
			line += " ="
		} else {
			line += " " + enc.EncodeToString(ir)
		}
	}
	code, msg, err := c.cmd(0, "%s", line)
	for err == nil {
		switch code {
		case 235:
			return nil
		case 334:
		default:
			return toSMTPError(code, msg)
		}
		var challenge, resp []byte
		challenge, err = enc.DecodeString(strings.TrimSpace(msg))
		if err == nil {
			resp, err = a.Next(challenge)
		}
		if err != nil {
			// Cancel the exchange (RFC 4954 §4) and report why.
			_, _, _ = c.cmd(0, "*")
			return err
		}
		code, msg, err = c.cmd(0, "%s", enc.EncodeToString(resp))
	}
	return err
}

// authErrorDetail is what the mechanism learnt from an error challenge.
func authErrorDetail(a sasl.Client) string {
	switch a := a.(type) {
	case *xoauth2Client:
		return a.errChallenge
	case *oauthBearerClient:
		return a.errStatus
	}
	return ""
}

// isSMTPCode reports whether err is a reply with this code and, when
// given, this enhanced code ("5.7.3").
func isSMTPCode(err error, code int, enh string) (*smtp.SMTPError, bool) {
	se, ok := asSMTP(err)
	if !ok || se.Code != code {
		return se, false
	}
	return se, enh == "" || enhanced(se) == enh
}
