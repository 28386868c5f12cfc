package smtpauth

import (
	"encoding/base64"
	"slices"
	"strings"

	"github.com/emersion/go-sasl"
)

// pickMechanism chooses the first of the method's mechanisms that the
// server offers, or "" when none is.
func pickMechanism(m method, s Settings, offered []string) string {
	for _, mech := range m.mechanisms(s) {
		if slices.Contains(offered, mech) {
			return mech
		}
	}
	return ""
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

// errorDetailer is a SASL client that keeps the server's error challenge
// (XOAUTH2's JSON, OAUTHBEARER's status).
type errorDetailer interface{ errorDetail() string }

// authErrorDetail is what the mechanism learnt from an error challenge.
func authErrorDetail(a sasl.Client) string {
	if e, ok := a.(errorDetailer); ok {
		return e.errorDetail()
	}
	return ""
}
