package smtpauth

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// clientCredentials is the OAuth 2.0 client credentials grant (RFC 6749
// section 4.4): the app asks for a token in its own name, with its client
// secret or, when a certificate is given, with a client assertion minted
// for the request (RFC 7523). The app-only methods embed it as their
// grant.
type clientCredentials struct{}

// token implements grant. The token stays in memory; the transcript gets
// only the request line and the status, never a body.
func (clientCredentials) token(ctx context.Context, s Settings, hc *http.Client, tr *transcript, now time.Time) (*oauth2.Token, error) {
	cfg := clientcredentials.Config{
		ClientID:     s.ClientID,
		ClientSecret: s.ClientSecret,
		TokenURL:     s.TokenURL,
		// Entra takes the credentials in the body; auto-detection would
		// first try the header and cost a failed request.
		AuthStyle: oauth2.AuthStyleInParams,
	}
	if s.ClientKey != nil {
		assertion, err := clientAssertion(s, now)
		if err != nil {
			return nil, &assertionError{err}
		}
		tr.addSecret(assertion)
		cfg.ClientSecret = ""
		cfg.EndpointParams = url.Values{
			"client_assertion_type": {JWTBearerAssertionType},
			"client_assertion":      {assertion},
		}
	}
	if s.Scope != "" {
		cfg.Scopes = strings.Fields(s.Scope)
	}
	tok, err := cfg.Token(recordingContext(ctx, hc, tr))
	return tok, safeURLError(err)
}
