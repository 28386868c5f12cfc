package smtpauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"golang.org/x/oauth2"

	"sitecfg/internal/loopback"
)

// recordingContext is ctx carrying hc, recording to tr, as the HTTP
// client of golang.org/x/oauth2's token requests.
func recordingContext(ctx context.Context, hc *http.Client, tr *transcript) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, recordingClient(hc, tr))
}

// safeURLError is err with the URL it quotes made safe (safeURL): net/http
// strips a password from the URL it quotes, not a query.
func safeURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			ue.URL = safeURL(u)
		} else {
			ue.URL = "(the token URL)"
		}
	}
	return err
}

// assertionError is a client assertion that could not be made: nothing
// was sent.
type assertionError struct{ err error }

func (e *assertionError) Error() string { return "client assertion: " + e.err.Error() }
func (e *assertionError) Unwrap() error { return e.err }

// recordingClient is hc with every request and response status written to
// the transcript.
func recordingClient(hc *http.Client, tr *transcript) *http.Client {
	if hc == nil {
		hc = &http.Client{}
	}
	c := *hc
	// A token request carries the client secret (or an assertion): it is
	// never followed to another URL, whatever the status (a 307 or 308
	// would re-send the body, perhaps to plain http:// on another host).
	c.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		return &redirectError{to: safeURL(req.URL)}
	}
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

// redirectError is a token endpoint that answered with a redirect, which
// is not followed.
type redirectError struct{ to string }

func (e *redirectError) Error() string {
	return "the token endpoint redirected the request to " + e.to + " (not followed)"
}

// safeURL is u without its user information, query and fragment, which
// can hold credentials.
func safeURL(u *url.URL) string {
	c := *u
	c.RawQuery, c.User, c.Fragment, c.RawFragment, c.ForceQuery = "", nil, "", "", false
	return c.String()
}

// RoundTrip implements http.RoundTripper.
func (t recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.tr.add("C: ", req.Method+" "+safeURL(req.URL))
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
		return !loopback.Host(u.Hostname()), nil
	}
	return false, fmt.Errorf("token URL scheme %q is not https", u.Scheme)
}
