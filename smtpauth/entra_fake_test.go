package smtpauth_test

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"sitecfg/smtpauth"
)

// fakeEntra answers token requests like the Microsoft identity platform:
// a JWT on success, or the JSON error body of one row of the notes' table.
type fakeEntra struct {
	srv                            *httptest.Server
	tenant, clientID, clientSecret string
	mailbox                        string

	mu       sync.Mutex
	mode     string // "" (success), an AADSTS code, "no-role", "rbac", "wrong-aud", "expired", "opaque"
	issued   []string
	requests int
	form     map[string]string // the last request's form, secret included (for asserting AuthStyleInParams)

	// Certificate credentials (see cert_test.go): the certificates
	// registered on the app, by x5t#S256, and what the assertions used.
	certs      map[string]*x509.Certificate
	assertions []string
	jtis       map[string]bool
	refused    string // why the last assertion was refused
}

const exchangeAud = "https://outlook.office365.com"

func startEntra(t *testing.T) *fakeEntra {
	t.Helper()
	e := &fakeEntra{
		tenant:       "11111111-2222-3333-4444-555555555555",
		clientID:     "aaaaaaaa-bbbb-cccc-dddd-" + randHex(t, 6),
		clientSecret: "Zx8Q~canary-client-secret-" + randHex(t, 8),
		mailbox:      "alerts@contoso.test",
	}
	e.srv = httptest.NewTLSServer(http.HandlerFunc(e.serve))
	t.Cleanup(e.srv.Close)
	return e
}

func (e *fakeEntra) setMode(m string) {
	e.mu.Lock()
	e.mode = m
	e.mu.Unlock()
}

func (e *fakeEntra) lastRequest() (int, map[string]string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.requests, e.form
}

func (e *fakeEntra) tokens() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.issued...)
}

// settings for Microsoft OAuth against the SMTP test server.
func (e *fakeEntra) settings(s *testServer) (smtpauth.Settings, smtpauth.Options) {
	return smtpauth.Settings{
			Host: s.host, Port: s.port, Security: smtpauth.SecurityStartTLS, RootCAs: s.pool,
			Method: smtpauth.MethodMicrosoft, Username: e.mailbox, From: e.mailbox,
			TokenURL: e.srv.URL + "/" + e.tenant + "/oauth2/v2.0/token", Scope: exchangeAud + "/.default",
			ClientID: e.clientID, ClientSecret: e.clientSecret, Mechanism: "xoauth2",
			Audience: exchangeAud, TenantID: e.tenant, Cloud: "global",
		}, smtpauth.Options{
			HTTPClient: e.srv.Client(), Timeout: 10 * time.Second,
		}
}

// entraErrors are the rows of the notes' table, as Entra words them.
var entraErrors = map[string]struct {
	status int
	err    string
	desc   string
}{
	"7000215": {401, "invalid_client", "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'."},
	"7000222": {401, "invalid_client", "AADSTS7000222: The provided client secret keys for app '%s' are expired."},
	"700016":  {400, "unauthorized_client", "AADSTS700016: Application with identifier '%s' was not found in the directory 'Contoso'."},
	"90002":   {400, "invalid_request", "AADSTS90002: Tenant '%s' not found. Check to make sure you have the correct tenant ID."},
	"900023":  {400, "invalid_request", "AADSTS900023: Specified tenant identifier '%s' is neither a valid DNS name, nor a valid external domain."},
	"70011":   {400, "invalid_scope", "AADSTS70011: The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. (app %s)"},
	"1002012": {400, "invalid_scope", "AADSTS1002012: The provided value for scope openid is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (app %s)."},
	// The Entra error-code reference's rows the notes add.
	"900432":  {400, "invalid_client", "AADSTS900432: Confidential Client is not supported in Cross Cloud request. (app %s)"},
	"7000112": {400, "unauthorized_client", "AADSTS7000112: Application '%s'(sitecfg SMTP) is disabled."},
	"53003":   {400, "invalid_grant", "AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance. (app %s)"},
	"500011":  {400, "invalid_resource", "AADSTS500011: The resource principal named https://outlook.office365.com was not found in the tenant named Contoso. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant. (app %s)"},
	"90038":   {400, "invalid_request", "AADSTS90038: NationalCloudTenantRedirection: The specified tenant 'contoso.onmicrosoft.us' belongs to the National Cloud 'USGovGCCHigh'. Current cloud instance 'Prod' does not federate with 'USGovGCCHigh'. (app %s)"},
	"900382":  {400, "unauthorized_client", "AADSTS900382: Confidential Client is not supported in Cross Cloud request. (app %s)"},
	"700023":  {400, "invalid_request", "AADSTS700023: Client assertion audience claim does not match Realm issuer. (app %s)"},
	"7000229": {400, "invalid_client", "AADSTS7000229: The client application %s is missing service principal in the tenant 11111111-2222-3333-4444-555555555555."},
}

func (e *fakeEntra) serve(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.requests++
	e.form = map[string]string{}
	for k := range r.PostForm {
		e.form[k] = r.PostForm.Get(k)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if row, ok := entraErrors[e.mode]; ok {
		w.WriteHeader(row.status)
		var code int
		fmt.Sscan(e.mode, &code)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"error":             row.err,
			"error_description": fmt.Sprintf(row.desc, e.clientID) + "\r\nTrace ID: 0000 Correlation ID: 1111 Timestamp: 2026-01-01 00:00:00Z",
			"error_codes":       []int{code},
			"trace_id":          "0000",
		})
		return
	}
	if r.PostForm.Has("client_assertion") || r.PostForm.Has("client_assertion_type") {
		if code, desc := e.verifyAssertion(r); code != 0 {
			e.refused = desc
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]any{"error": "invalid_client",
				"error_description": fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: 0000", code, desc), "error_codes": []int{code}})
			return
		}
	} else if r.PostForm.Get("client_id") != e.clientID || r.PostForm.Get("client_secret") != e.clientSecret {
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided.", "error_codes": []int{7000215}})
		return
	}
	claims := jwt.MapClaims{
		"aud": exchangeAud, "iss": "https://sts.windows.net/" + e.tenant + "/",
		"tid": e.tenant, "appid": e.clientID, "roles": []string{"SMTP.SendAsApp"},
		"iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix(),
	}
	switch e.mode {
	case "no-role":
		claims["roles"] = []string{"Mail.Read"}
	case "rbac":
		// App RBAC: no API permission was consented, so no roles claim
		// at all; Exchange's role assignment decides.
		delete(claims, "roles")
	case "wrong-aud":
		claims["aud"] = "https://graph.microsoft.com"
	case "expired":
		claims["exp"] = time.Now().Add(-time.Hour).Unix()
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte("test-signing-key"))
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	if e.mode == "opaque" {
		tok = "opaque-" + hex.EncodeToString([]byte(tok))[:40]
	}
	e.issued = append(e.issued, tok)
	_ = json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "expires_in": 3599, "access_token": tok})
}

func randHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
