package smtptest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"sitecfg/internal/testpki"
)

// Entra imitates the Microsoft identity platform's v2.0 endpoints for a
// public client (microsoft-delegated) and, for the app-only methods, the
// client credentials grant: authorize (the authorization code grant with
// PKCE S256), token (authorization code, refresh token with rotation,
// device code, client credentials) and devicecode, at any of the clouds'
// sign-in hosts (its HTTP client sends every host to it). Its access
// tokens are JWTs with the claims Exchange Online's carry; Valid tells a
// token it issued. The sign-in approves by itself (the demo's, at a
// console with no browser) unless told to decline.
type Entra struct {
	// Tenant, ClientID and User are the tenant, the public client app and
	// the user who signs in (preferred_username).
	Tenant, ClientID, User string
	// Audience is the access tokens' audience (default
	// https://outlook.office.com); Scopes their scp (default SMTP.Send).
	Audience, Scopes string
	// ClientSecret, when set, is the app's secret for the client
	// credentials grant (an app-only token with the role SMTP.SendAsApp);
	// a public client's token request must carry none.
	ClientSecret string

	srv    *httptest.Server
	ca     *testpki.CA
	key    []byte
	now    func() time.Time
	mu     sync.Mutex
	codes  map[string]*authCode
	valid  map[string]bool // refresh tokens that still work
	latest string          // the refresh token issued last
	access map[string]bool
	device map[string]*deviceGrant
	// refuse is the AADSTS number every refresh (and code) redemption
	// is refused with (0: none); decline makes the sign-in decline.
	refuse      int
	decline     bool
	redemptions int
	closers     []func() error
}

type authCode struct {
	challenge, redirect, scope string
	used                       bool
	at                         time.Time
}

type deviceGrant struct {
	userCode, scope  string
	expires          time.Time
	approved, denied bool
}

// NewEntra starts the imitation on 127.0.0.1 with a certificate, signed
// by a new CA, for every cloud's sign-in host. Close stops it.
func NewEntra(tenant, clientID, user string) (*Entra, error) {
	ca, err := testpki.NewCA("sitecfg Entra imitation CA (throwaway)", time.Now().Add(-time.Hour), time.Now().Add(caLife))
	if err != nil {
		return nil, err
	}
	cert, err := ca.ServerCert(testpki.ServerCertOptions{CommonName: "login.microsoftonline.com",
		DNSNames: []string{"login.microsoftonline.com", "login.microsoftonline.us", "login.partner.microsoftonline.cn", "localhost"},
		IPs:      []net.IP{net.IPv4(127, 0, 0, 1)}})
	if err != nil {
		return nil, err
	}
	e := &Entra{Tenant: tenant, ClientID: clientID, User: user, key: make([]byte, 32), now: time.Now,
		codes: map[string]*authCode{}, valid: map[string]bool{}, access: map[string]bool{}, device: map[string]*deviceGrant{}}
	if _, err := rand.Read(e.key); err != nil {
		return nil, err
	}
	e.ca = ca
	e.srv = httptest.NewUnstartedServer(http.HandlerFunc(e.serve))
	e.srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	// A client killed mid-handshake (the kill -9 tests) is no news.
	e.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	e.srv.StartTLS()
	return e, nil
}

// Close stops the imitation.
func (e *Entra) Close() {
	e.srv.Close()
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, c := range e.closers {
		_ = c()
	}
}

// Addr is the imitation's host:port.
func (e *Entra) Addr() string { return e.srv.Listener.Addr().String() }

// CAPEM is the CA certificate its TLS certificate is signed with.
func (e *Entra) CAPEM() []byte { return e.ca.PEM }

// HTTPClient sends every request, whatever its host (any cloud's sign-in
// host), to the imitation, trusting its CA; it follows no redirect.
func (e *Entra) HTTPClient() *http.Client {
	pool := e.ca.Pool()
	addr := e.Addr()
	return &http.Client{
		Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: pool},
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return (&net.Dialer{}).DialContext(ctx, network, addr)
			},
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Refuse makes every redemption fail with invalid_grant and AADSTS
// number n (0 stops refusing): 700082 an expired token, 50173 a changed
// password, and so on.
func (e *Entra) Refuse(n int) { e.mu.Lock(); e.refuse = n; e.mu.Unlock() }

// Decline makes the sign-in decline (access_denied, AADSTS65004), in the
// browser and for a device code.
func (e *Entra) Decline(yes bool) { e.mu.Lock(); e.decline = yes; e.mu.Unlock() }

// Revoke revokes every refresh token issued so far (an admin's
// revocation, a password reset): their redemption fails with AADSTS50173.
func (e *Entra) Revoke() { e.mu.Lock(); clear(e.valid); e.mu.Unlock() }

// Latest is the refresh token issued last; Redemptions how many refresh
// token redemptions there were.
func (e *Entra) Latest() string { e.mu.Lock(); defer e.mu.Unlock(); return e.latest }

// Redemptions counts the refresh token redemptions.
func (e *Entra) Redemptions() int { e.mu.Lock(); defer e.mu.Unlock(); return e.redemptions }

// NewRefreshToken issues a refresh token as a completed sign-in would.
func (e *Entra) NewRefreshToken() string { e.mu.Lock(); defer e.mu.Unlock(); return e.issueRefresh() }

// AccessTokens are the access tokens it issued (what the SMTP server's
// XOAUTH2 accepts: Options.Tokens).
func (e *Entra) AccessTokens() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]string, 0, len(e.access))
	for t := range e.access {
		out = append(out, t)
	}
	return out
}

// SignIn does what the operator's browser does with a sign-in address:
// it asks the authorize endpoint, which approves by itself (or declines,
// see Decline), and returns the address the browser lands on (the
// paste-back: http://localhost/?code=…&state=…, or ?error=…).
func (e *Entra) SignIn(authorizeURL string) (string, error) {
	resp, err := e.HTTPClient().Get(authorizeURL)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if loc := resp.Header.Get("Location"); loc != "" {
		return loc, nil
	}
	return "", fmt.Errorf("the authorize endpoint answered %s", resp.Status)
}

// ApproveDevice completes (or, with Decline, declines) the sign-in of a
// device code by its user code.
func (e *Entra) ApproveDevice(userCode string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, d := range e.device {
		if d.userCode == userCode {
			d.approved, d.denied = !e.decline, e.decline
			return nil
		}
	}
	return fmt.Errorf("no device code with user code %s", userCode)
}

func (e *Entra) serve(w http.ResponseWriter, r *http.Request) {
	// /TENANT/oauth2/v2.0/ENDPOINT
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) != 4 || parts[1]+"/"+parts[2] != "oauth2/v2.0" {
		http.NotFound(w, r)
		return
	}
	if !strings.EqualFold(parts[0], e.Tenant) {
		e.fail(w, http.StatusBadRequest, "invalid_request", 90002, "Tenant '"+parts[0]+"' not found.")
		return
	}
	switch parts[3] {
	case "authorize":
		e.authorize(w, r)
	case "token":
		_ = r.ParseForm()
		e.token(w, r.PostForm)
	case "devicecode":
		_ = r.ParseForm()
		e.deviceCode(w, r.PostForm)
	default:
		http.NotFound(w, r)
	}
}

// authorize checks the request as Entra does and redirects the browser
// to the redirect URI with a code, or with the error.
func (e *Entra) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect := q.Get("redirect_uri")
	back := func(v url.Values) {
		http.Redirect(w, r, redirect+"?"+v.Encode(), http.StatusFound)
	}
	switch {
	case q.Get("client_id") != e.ClientID:
		e.fail(w, http.StatusBadRequest, "unauthorized_client", 700016, "Application with identifier '"+q.Get("client_id")+"' was not found in the directory.")
		return
	case redirect != "http://localhost" && !strings.HasPrefix(redirect, "http://localhost:"):
		e.fail(w, http.StatusBadRequest, "invalid_request", 50011, "The redirect URI '"+redirect+"' specified in the request does not match the redirect URIs configured for the application.")
		return
	}
	e.mu.Lock()
	decline := e.decline
	e.mu.Unlock()
	state := q.Get("state")
	switch {
	case q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "":
		back(url.Values{"error": {"invalid_request"}, "error_description": {"AADSTS900144: The request body must contain code_challenge with S256."}, "state": {state}})
	case !strings.Contains(q.Get("scope"), "SMTP.Send") || !strings.Contains(q.Get("scope"), "offline_access"):
		back(url.Values{"error": {"invalid_scope"}, "error_description": {"AADSTS70011: The provided value for the input parameter 'scope' is not valid."}, "state": {state}})
	case decline:
		back(url.Values{"error": {"access_denied"}, "error_description": {"AADSTS65004: User declined to consent to access the app."}, "state": {state}})
	default:
		code := "0.A" + randomToken(24)
		e.mu.Lock()
		e.codes[code] = &authCode{challenge: q.Get("code_challenge"), redirect: redirect, scope: q.Get("scope"), at: e.now()}
		e.mu.Unlock()
		back(url.Values{"code": {code}, "state": {state}, "session_state": {randomToken(8)}})
	}
}

func (e *Entra) token(w http.ResponseWriter, f url.Values) {
	e.mu.Lock()
	defer e.mu.Unlock()
	grant := f.Get("grant_type")
	if grant == "client_credentials" {
		e.clientCredentials(w, f)
		return
	}
	switch {
	case f.Get("client_id") != e.ClientID:
		e.fail(w, http.StatusBadRequest, "unauthorized_client", 700016, "Application with identifier '"+f.Get("client_id")+"' was not found in the directory.")
		return
	case f.Get("client_secret") != "" || f.Get("client_assertion") != "":
		e.fail(w, http.StatusUnauthorized, "invalid_client", 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.")
		return
	}
	switch grant {
	case "authorization_code":
		c := e.codes[f.Get("code")]
		switch {
		case c == nil:
			e.fail(w, http.StatusBadRequest, "invalid_grant", 70000, "The provided value for the 'code' parameter is not valid.")
		case c.used:
			e.fail(w, http.StatusBadRequest, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed.")
		case e.now().Sub(c.at) > 10*time.Minute:
			e.fail(w, http.StatusBadRequest, "invalid_grant", 70000, "The provided authorization code is expired.")
		case f.Get("redirect_uri") != c.redirect:
			e.fail(w, http.StatusBadRequest, "invalid_grant", 500113, "No reply address is registered for the application.")
		case s256(f.Get("code_verifier")) != c.challenge:
			e.fail(w, http.StatusBadRequest, "invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.")
		case e.refuse != 0:
			e.fail(w, http.StatusBadRequest, "invalid_grant", e.refuse, "Refused by the imitation.")
		default:
			c.used = true
			e.issue(w, c.scope, true)
		}
	case "refresh_token":
		e.redemptions++
		rt := f.Get("refresh_token")
		switch {
		case e.refuse != 0:
			e.fail(w, http.StatusBadRequest, "invalid_grant", e.refuse, "Refused by the imitation.")
		case !e.valid[rt]:
			e.fail(w, http.StatusBadRequest, "invalid_grant", 50173, "The provided grant has expired due to it being revoked, a fresh auth token is needed.")
		default:
			// The old one is not revoked (as Entra does).
			e.issue(w, f.Get("scope"), true)
		}
	case "urn:ietf:params:oauth:grant-type:device_code":
		d := e.device[f.Get("device_code")]
		switch {
		case d == nil:
			e.fail(w, http.StatusBadRequest, "invalid_grant", 70000, "The provided value for the 'device_code' parameter is not valid.")
		case e.now().After(d.expires):
			e.fail(w, http.StatusBadRequest, "expired_token", 70020, "The provided value for the input parameter 'device_code' is not valid. This device code has expired.")
		case d.denied:
			e.fail(w, http.StatusBadRequest, "authorization_declined", 0, "The end user denied the authorization request.")
		case !d.approved:
			e.fail(w, http.StatusBadRequest, "authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling.")
		default:
			delete(e.device, f.Get("device_code"))
			e.issue(w, d.scope, true)
		}
	default:
		e.fail(w, http.StatusBadRequest, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '"+grant+"'.")
	}
}

// clientCredentials is the app-only grant, for microsoft-oauth.
func (e *Entra) clientCredentials(w http.ResponseWriter, f url.Values) {
	if f.Get("client_id") != e.ClientID || e.ClientSecret == "" || f.Get("client_secret") != e.ClientSecret {
		e.fail(w, http.StatusUnauthorized, "invalid_client", 7000215, "Invalid client secret provided.")
		return
	}
	at := e.jwt(jwt.MapClaims{"aud": audienceOf(f.Get("scope"), "https://outlook.office365.com"), "roles": []string{"SMTP.SendAsApp"}})
	e.access[at] = true
	writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": 3599, "access_token": at})
}

func (e *Entra) deviceCode(w http.ResponseWriter, f url.Values) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if f.Get("client_id") != e.ClientID {
		e.fail(w, http.StatusBadRequest, "unauthorized_client", 700016, "Application with identifier '"+f.Get("client_id")+"' was not found in the directory.")
		return
	}
	dc := randomToken(32)
	uc := strings.ToUpper(randomToken(5))[:9]
	e.device[dc] = &deviceGrant{userCode: uc, scope: f.Get("scope"), expires: e.now().Add(DeviceCodeLife)}
	writeJSON(w, http.StatusOK, map[string]any{
		"device_code": dc, "user_code": uc, "verification_uri": "https://microsoft.com/devicelogin",
		"expires_in": int(DeviceCodeLife / time.Second), "interval": 1,
		"message": "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code " + uc + " to authenticate.",
	})
}

// DeviceCodeLife is how long a device code waits for its sign-in.
var DeviceCodeLife = 15 * time.Minute

// issue answers with a delegated access token, an ID token and a new
// refresh token (the lock is held).
func (e *Entra) issue(w http.ResponseWriter, scope string, refresh bool) {
	aud := e.Audience
	if aud == "" {
		aud = audienceOf(scope, "https://outlook.office.com")
	}
	scp := e.Scopes
	if scp == "" {
		scp = "SMTP.Send"
	}
	at := e.jwt(jwt.MapClaims{"aud": aud, "scp": scp, "upn": e.User})
	e.access[at] = true
	id := e.jwt(jwt.MapClaims{"aud": e.ClientID, "preferred_username": e.User, "name": e.User})
	body := map[string]any{"token_type": "Bearer", "scope": aud + "/SMTP.Send", "expires_in": 3599,
		"access_token": at, "id_token": id}
	if refresh {
		body["refresh_token"] = e.issueRefresh()
	}
	writeJSON(w, http.StatusOK, body)
}

// audienceOf is the resource a token asked for with scope is for (the
// first scope's resource: "https://outlook.office365.us/SMTP.Send" is
// for https://outlook.office365.us), or def.
func audienceOf(scope, def string) string {
	for _, f := range strings.Fields(scope) {
		if i := strings.LastIndex(f, "/"); strings.HasPrefix(f, "https://") && i > len("https://") {
			return f[:i]
		}
	}
	return def
}

func (e *Entra) issueRefresh() string {
	rt := "1.AR" + randomToken(48)
	e.valid[rt] = true
	e.latest = rt
	return rt
}

func (e *Entra) jwt(c jwt.MapClaims) string {
	now := e.now()
	c["iss"] = "https://login.microsoftonline.com/" + e.Tenant + "/v2.0"
	c["tid"], c["azp"], c["appid"] = e.Tenant, e.ClientID, e.ClientID
	c["iat"], c["nbf"], c["exp"] = now.Unix(), now.Unix(), now.Add(time.Hour).Unix()
	c["jti"] = randomToken(8)
	s, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(e.key)
	return s
}

// fail answers with Entra's JSON error body.
func (e *Entra) fail(w http.ResponseWriter, status int, oauthErr string, code int, desc string) {
	body := map[string]any{"error": oauthErr}
	trace := fmt.Sprintf(" Trace ID: %s Correlation ID: %s Timestamp: %s", randomToken(8), randomToken(8), e.now().UTC().Format("2006-01-02 15:04:05Z"))
	if code != 0 {
		body["error_description"] = fmt.Sprintf("AADSTS%d: %s%s", code, desc, trace)
		body["error_codes"] = []int{code}
	} else {
		body["error_description"] = desc + trace
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Proxy starts an HTTP proxy that tunnels every CONNECT, whatever the
// host asked for, to the imitation, and returns its URL: with
// HTTPS_PROXY set to it and SSL_CERT_FILE to the imitation's CA (CAPEM),
// a sitecfg binary reaches the imitation as Microsoft's sign-in hosts.
// It stops with Close.
func (e *Entra) Proxy() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		up, err := net.Dial("tcp", e.Addr())
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		hj, ok := w.(http.Hijacker)
		if !ok {
			up.Close()
			return
		}
		c, buf, err := hj.Hijack()
		if err != nil {
			up.Close()
			return
		}
		_, _ = c.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
		go func() { _, _ = io.Copy(up, buf); up.Close() }()
		_, _ = io.Copy(c, up)
		c.Close()
	}), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	e.mu.Lock()
	e.closers = append(e.closers, srv.Close)
	e.mu.Unlock()
	return "http://" + ln.Addr().String(), nil
}
