package config

import (
	"strings"
	"time"
)

// oauth2Auth is any OAuth 2.0 client-credentials provider: token URL,
// scope, and the SASL mechanism (XOAUTH2 or OAUTHBEARER).
type oauth2Auth struct{}

func (oauth2Auth) defaults(s *SMTP) {
	if s.OAuth == nil {
		s.OAuth = &OAuth{}
	}
	if s.OAuth.Mechanism == "" {
		s.OAuth.Mechanism = MechXOAuth2
	}
}

func (oauth2Auth) validate(ps *problemSet, s *SMTP, now time.Time) {
	o := s.OAuth
	if err := ValidateTokenURL(o.TokenURL); err != nil {
		ps.errorf("smtp.oauth.token_url", "%v", err)
	}
	if strings.TrimSpace(o.ClientID) == "" {
		ps.errorf("smtp.oauth.client_id", "the client ID is required")
	}
	validateOAuthCommon(ps, s, now, oauth2Auth{})
	switch o.Mechanism {
	case MechXOAuth2, MechOAuthBearer:
	default:
		ps.errorf("smtp.oauth.mechanism", "unknown mechanism %q: use xoauth2 or oauthbearer", o.Mechanism)
	}
}

// mailbox: any provider's name for the mailbox will do.
func (oauth2Auth) mailbox(*problemSet, string) {}

// certificate: the provider decides which keys it takes.
func (oauth2Auth) certificate(*problemSet, string, *ClientCertificate) {}

func (oauth2Auth) sendsCredentials(*SMTP) bool { return true }

// stored: a client-credentials method keeps no refresh token.
func (oauth2Auth) stored(s *SMTP) { s.OAuth.RefreshToken, s.OAuth.RefreshTokenExpires = Secret{}, "" }

func (oauth2Auth) token(s *SMTP) TokenRequest {
	return TokenRequest{URL: s.OAuth.TokenURL, Scope: s.OAuth.Scope}
}
