package smtpauth

import (
	"errors"

	"github.com/emersion/go-sasl"
)

// XOAuth2 is the name of Google's and Microsoft's bearer-token SASL
// mechanism.
const XOAuth2 = "XOAUTH2"

// xoauth2Client is the client side of XOAUTH2. It sends no initial
// response, so the exchange is AUTH XOAUTH2, 334, then the credentials, as
// Exchange Online documents it. go-sasl has no XOAUTH2 client.
type xoauth2Client struct {
	user, token string
	sent        bool
	// errChallenge is the server's JSON error challenge, when it sent one.
	errChallenge string
}

// newXOAuth2Client returns an XOAUTH2 client for mailbox user.
func newXOAuth2Client(user, token string) *xoauth2Client {
	return &xoauth2Client{user: user, token: token}
}

// Start implements sasl.Client.
func (a *xoauth2Client) Start() (string, []byte, error) {
	return XOAuth2, nil, nil
}

// Next implements sasl.Client. The first challenge is empty and is answered
// with the credentials; a second one is the server's error report, which
// the protocol requires answering with an empty line before the final 535.
func (a *xoauth2Client) Next(challenge []byte) ([]byte, error) {
	if !a.sent {
		a.sent = true
		return []byte("user=" + a.user + "\x01auth=Bearer " + a.token + "\x01\x01"), nil
	}
	if a.errChallenge != "" {
		return nil, sasl.ErrUnexpectedServerChallenge
	}
	a.errChallenge = string(challenge)
	if a.errChallenge == "" {
		a.errChallenge = "(empty challenge)"
	}
	return []byte{}, nil
}

func (a *xoauth2Client) errorDetail() string { return a.errChallenge }

// oauthBearerClient wraps go-sasl's OAUTHBEARER client so that an error
// challenge is answered as RFC 7628 §3.2.3 asks (a single 0x01) instead of
// cancelling, and so that the error is kept for the diagnosis.
type oauthBearerClient struct {
	sasl.Client
	errStatus string
}

// Next implements sasl.Client.
func (a *oauthBearerClient) Next(challenge []byte) ([]byte, error) {
	_, err := a.Client.Next(challenge)
	var oe *sasl.OAuthBearerError
	if errors.As(err, &oe) && a.errStatus == "" {
		a.errStatus = oe.Status
		if a.errStatus == "" {
			a.errStatus = string(challenge)
		}
		return []byte{0x01}, nil
	}
	if err == nil {
		err = sasl.ErrUnexpectedServerChallenge
	}
	return nil, err
}

func (a *oauthBearerClient) errorDetail() string { return a.errStatus }
