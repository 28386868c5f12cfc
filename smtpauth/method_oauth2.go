package smtpauth

import (
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-sasl"
)

// oauthBearer is the name of the RFC 7628 SASL mechanism.
const oauthBearer = "OAUTHBEARER"

// oauth2Method logs in with a token from any OAuth 2.0 provider, fetched
// with the client credentials grant, over the configured mechanism
// (XOAUTH2 unless told otherwise).
type oauth2Method struct{ clientCredentials }

func (oauth2Method) validate(s Settings) error {
	if err := validateClientCredentials(s); err != nil {
		return err
	}
	if m := oauth2Mechanism(s); m != XOAuth2 && m != oauthBearer {
		return fmt.Errorf("unknown SASL mechanism %q (want xoauth2 or oauthbearer)", s.Mechanism)
	}
	return nil
}

func (oauth2Method) sendsCredentials(Settings) bool                { return true }
func (oauth2Method) mechanisms(s Settings) []string                { return []string{oauth2Mechanism(s)} }
func (oauth2Method) mechanismField() string                        { return "smtp.oauth.mechanism" }
func (oauth2Method) scopeField() string                            { return "smtp.oauth.scope" }
func (oauth2Method) endpointField() string                         { return "smtp.oauth.token_url" }
func (oauth2Method) refuseClaims(Settings, tokenClaims) *Diagnosis { return nil }

func (oauth2Method) saslClient(s Settings, mech, token string) sasl.Client {
	if mech == XOAuth2 {
		return newXOAuth2Client(s.Username, token)
	}
	return &oauthBearerClient{Client: sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{
		Username: s.Username, Token: token, Host: s.Host, Port: s.Port,
	})}
}

// oauth2Mechanism is the configured bearer mechanism, XOAUTH2 by default.
func oauth2Mechanism(s Settings) string {
	if s.Mechanism == "" {
		return XOAuth2
	}
	return strings.ToUpper(s.Mechanism)
}

// validateClientCredentials rejects OAuth settings without which no token
// can be asked for.
func validateClientCredentials(s Settings) error {
	switch {
	case s.TokenURL == "" || s.ClientID == "":
		return errors.New("OAuth needs a token URL and a client ID")
	case (s.ClientCertificate == nil) != (s.ClientKey == nil):
		return errors.New("a client certificate needs its private key, and a key its certificate")
	case s.ClientKey != nil && s.ClientSecret != "":
		return errors.New("give a client secret or a client certificate, not both")
	}
	return nil
}
