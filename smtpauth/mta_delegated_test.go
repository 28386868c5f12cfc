package smtpauth_test

import (
	"encoding/json"
	"net"
	"net/http"
	"slices"
	"testing"
	"time"

	"sitecfg/internal/smtptest"
	"sitecfg/microsoft"
	"sitecfg/smtpauth"
)

// microsoft-delegated against the real Dovecot (and Postfix) of .ci/run:
// the refresh token is redeemed at the Entra imitation, the delegated
// access token goes to the server over XOAUTH2, and Dovecot's oauth2
// passdb asks the imitation's introspection whether it is one it issued.
// Not parallel: the introspection address is fixed (as TestMTAOAuth's).
func TestMTADelegated(t *testing.T) {
	e := realMTA(t)
	if e.IntrospectListen == "" {
		t.Skip("start.sh did not set up the oauth2 passdb (no SITECFG_MTA_INTROSPECT_LISTEN)")
	}
	entra, err := smtptest.NewEntra("11111111-2222-3333-4444-555555555555", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", e.User)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(entra.Close)
	ln, err := net.Listen("tcp", e.IntrospectListen)
	if err != nil {
		t.Fatalf("introspection endpoint %s: %v", e.IntrospectListen, err)
	}
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		resp := map[string]any{"active": false}
		if slices.Contains(entra.AccessTokens(), r.PostForm.Get("token")) {
			resp = map[string]any{"active": true, "username": e.User, "client_id": entra.ClientID, "exp": time.Now().Add(time.Hour).Unix()}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(resp)
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	c := microsoft.CloudGlobal
	for _, s := range e.Servers {
		t.Run(s.Name, func(t *testing.T) {
			host, port := mtaSplitAddr(t, s.StartTLSAddr)
			first := entra.NewRefreshToken()
			set := smtpauth.Settings{Host: host, Port: port, Security: smtpauth.SecurityStartTLS, CAFile: e.CAFile,
				Method: smtpauth.MethodDelegated, Username: e.User, From: e.User, ClientID: entra.ClientID, TenantID: entra.Tenant,
				Cloud: string(c), TokenURL: c.TokenURL(entra.Tenant), Scope: c.DelegatedScope(), Audience: c.DelegatedAudience(),
				RefreshToken: first}
			r := mtaCheck(t, e, set, smtpauth.Options{HTTPClient: entra.HTTPClient()})
			mtaWantOK(t, r)
			mtaWantStepsOK(t, r, smtpauth.StepTLS, smtpauth.StepToken, smtpauth.StepAuth)
			if r.RefreshToken != entra.Latest() || r.RefreshToken == first || r.SignedInAs != e.User {
				t.Errorf("no rotated token in the report (signed in as %q)", r.SignedInAs)
			}
			mtaWantNoSecret(t, r, append(entra.AccessTokens(), first, entra.Latest())...)
		})
	}
}
