package smtpauth

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// fetchToken asks the token endpoint for an access token with the client
// credentials grant. The token stays in memory; the transcript gets only
// the request line and the status, never a body.
func fetchToken(ctx context.Context, s Settings, hc *http.Client, tr *transcript) (*oauth2.Token, error) {
	cfg := clientcredentials.Config{
		ClientID:     s.ClientID,
		ClientSecret: s.ClientSecret,
		TokenURL:     s.TokenURL,
		// Entra takes the credentials in the body; auto-detection would
		// first try the header and cost a failed request.
		AuthStyle: oauth2.AuthStyleInParams,
	}
	if s.Scope != "" {
		cfg.Scopes = strings.Fields(s.Scope)
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, recordingClient(hc, tr))
	return cfg.Token(ctx)
}

// recordingClient is hc with every request and response status written to
// the transcript.
func recordingClient(hc *http.Client, tr *transcript) *http.Client {
	if hc == nil {
		hc = &http.Client{}
	}
	c := *hc
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Transport = recordingTransport{base: base, tr: tr}
	return &c
}

type recordingTransport struct {
	base http.RoundTripper
	tr   *transcript
}

// RoundTrip implements http.RoundTripper.
func (t recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	u := *req.URL
	u.RawQuery, u.User = "", nil
	t.tr.add("C: ", req.Method+" "+u.String())
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		t.tr.add("S: ", "(no response: "+err.Error()+")")
		return nil, err
	}
	t.tr.add("S: ", "HTTP "+resp.Status)
	return resp, nil
}

// cleartextTokenURL reports whether the token URL would carry the client
// secret unencrypted to another machine.
func cleartextTokenURL(raw string) (bool, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return false, err
	}
	switch u.Scheme {
	case "https":
		return false, nil
	case "http":
		ip := net.ParseIP(u.Hostname())
		local := u.Hostname() == "localhost" || (ip != nil && ip.IsLoopback())
		return !local, nil
	}
	return false, fmt.Errorf("token URL scheme %q is not https", u.Scheme)
}
