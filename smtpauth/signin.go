package smtpauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"

	"sitecfg/microsoft"
)

// SignIn is one delegated sign-in (microsoft-delegated): the
// authorization code grant with PKCE (S256) and a state, for a console
// without a browser. The operator opens URL in any browser, signs in and
// consents, and pastes back the http://localhost… address the browser
// lands on; Redeem trades its code for the tokens, with the code
// verifier and no client secret. With a device code (Device) the
// operator enters a code at Microsoft's address instead. Every front end
// (sitecfg signin, the wizard, the line prompts) uses it.
type SignIn struct {
	cfg      oauth2.Config
	verifier string
	state    string
	hc       *http.Client
	again    string
}

// SignedIn is what a completed sign-in brings: the refresh token (a
// secret, never shown) and the signed-in user (preferred_username).
type SignedIn struct {
	RefreshToken string
	User         string
}

// NewSignIn prepares a sign-in with s's cloud, tenant, client ID and
// scope (as pipeline.CheckSettings builds them); hc, when set, makes the
// requests (tests, the demo). A fresh verifier and state are made for
// each.
func NewSignIn(s Settings, hc *http.Client) *SignIn {
	c := microsoft.Cloud(s.Cloud)
	if hc == nil {
		hc = &http.Client{}
	}
	return &SignIn{
		cfg: oauth2.Config{
			ClientID:    s.ClientID,
			RedirectURL: microsoft.RedirectURI,
			Scopes:      strings.Fields(s.Scope),
			Endpoint: oauth2.Endpoint{
				AuthURL: c.AuthorizeURL(s.TenantID), TokenURL: s.TokenURL, DeviceAuthURL: c.DeviceCodeURL(s.TenantID),
				AuthStyle: oauth2.AuthStyleInParams,
			},
		},
		verifier: oauth2.GenerateVerifier(),
		state:    oauth2.GenerateVerifier()[:22],
		hc:       hc,
		again:    s.SignIn,
	}
}

// URL is the sign-in address to open in a browser.
func (si *SignIn) URL() string {
	return si.cfg.AuthCodeURL(si.state, oauth2.S256ChallengeOption(si.verifier))
}

// Redeem checks the pasted address (its state, an error Entra put in it)
// and redeems its code. A refusal comes back as a diagnosis with its
// cause and the way out.
func (si *SignIn) Redeem(ctx context.Context, pasted string) (*SignedIn, *Diagnosis) {
	pasted = strings.TrimSpace(pasted)
	u, err := url.Parse(pasted)
	if err != nil || u.Scheme != "http" || u.Hostname() != "localhost" {
		return nil, &Diagnosis{Step: StepToken, Code: CodeSignInPaste,
			Summary: "that is not the address the browser landed on: it starts with http://localhost",
			Remedy:  "after signing in, copy the whole address from the browser's address bar (the page itself does not load) and paste it here"}
	}
	q := u.Query()
	if e := q.Get("error"); e != "" {
		return nil, DiagnoseSignIn(e, q.Get("error_description"), si.again)
	}
	if q.Get("state") != si.state {
		return nil, &Diagnosis{Step: StepToken, Code: CodeSignInState,
			Summary: "the address is not from this sign-in (its state does not match): nothing was redeemed",
			Remedy:  "open the sign-in address shown here (not an older one), sign in, and paste the address the browser then lands on"}
	}
	code := q.Get("code")
	if code == "" {
		return nil, &Diagnosis{Step: StepToken, Code: CodeSignInPaste,
			Summary: "the address has no code: it is not the one the browser lands on after signing in",
			Remedy:  "copy the whole address, with its ?code=… part"}
	}
	tok, err := si.cfg.Exchange(si.ctx(ctx), code, oauth2.VerifierOption(si.verifier))
	return si.done(tok, err)
}

// Device starts a device code sign-in: the verification address and the
// user code to show. Poll then waits for it.
func (si *SignIn) Device(ctx context.Context) (*oauth2.DeviceAuthResponse, *Diagnosis) {
	da, err := si.cfg.DeviceAuth(si.ctx(ctx))
	if err != nil {
		_, d := si.done(nil, err)
		return nil, d
	}
	return da, nil
}

// Poll polls the token endpoint at the interval Entra gave until the
// sign-in completes, is declined, or expires (or ctx ends).
func (si *SignIn) Poll(ctx context.Context, da *oauth2.DeviceAuthResponse) (*SignedIn, *Diagnosis) {
	tok, err := si.cfg.DeviceAccessToken(si.ctx(ctx), da)
	return si.done(tok, err)
}

func (si *SignIn) ctx(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, si.hc)
}

// done turns a token response into what the sign-in brings, or a
// refusal into its diagnosis.
func (si *SignIn) done(tok *oauth2.Token, err error) (*SignedIn, *Diagnosis) {
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			oauthErr, desc, _ := parseTokenError(re)
			return nil, DiagnoseSignIn(oauthErr, desc, si.again)
		}
		return nil, &Diagnosis{Step: StepToken, Code: CodeTokenEndpointUnreachable, ServerSaid: safeURLError(err).Error(),
			Summary: "could not reach Microsoft's sign-in endpoint " + hostOf(si.cfg.Endpoint.TokenURL),
			Remedy:  "this machine must reach it over HTTPS (port 443): check DNS and the firewall, or set HTTPS_PROXY"}
	}
	if tok.RefreshToken == "" {
		return nil, &Diagnosis{Step: StepToken, Code: CodeTokenEmpty,
			Summary: "Entra answered without a refresh token",
			Remedy:  "the sign-in must ask for offline_access; check that the app is a public client (Mobile and desktop applications)"}
	}
	return &SignedIn{RefreshToken: tok.RefreshToken, User: IDTokenUser(tok)}, nil
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Host
	}
	return raw
}

// Diagnosis codes of a pasted address that cannot be redeemed.
const (
	CodeSignInPaste Code = "signin-paste"
	CodeSignInState Code = "signin-state"
)

// String describes the signed-in user, never the token.
func (s *SignedIn) String() string {
	return fmt.Sprintf("signed in as %s", orDefault(s.User, "(unknown)"))
}
