package smtpauth_test

// Tests against real mail servers; how to start them, and how these tests
// skip without them, is in mta_env_test.go.

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"sitecfg/smtpauth"
)

// --- OAuth 2.0: XOAUTH2 and OAUTHBEARER, tokens checked by Dovecot's oauth2 passdb -

// mtaIDP is a tiny OAuth 2.0 provider: a client-credentials token endpoint
// (HTTPS, on loopback) and the RFC 7662 introspection endpoint that Dovecot
// calls (plain HTTP on the fixed loopback address from start.sh).
type mtaIDP struct {
	clientID, clientSecret, scope, mailbox string

	mu       sync.Mutex
	tokens   map[string]bool // issued token -> active
	inactive bool            // issue tokens that introspection then calls inactive
	tokenSrv *httptest.Server
}

func mtaStartIDP(t *testing.T, e mtaEnv) *mtaIDP {
	t.Helper()
	if e.IntrospectListen == "" {
		t.Skip("start.sh did not set up the oauth2 passdb (no SITECFG_MTA_INTROSPECT_LISTEN)")
	}
	p := &mtaIDP{
		clientID:     "sitecfg-test-" + mtaTag(t),
		clientSecret: "s3cret-" + mtaTag(t),
		scope:        "smtp.send",
		mailbox:      e.User,
		tokens:       map[string]bool{},
	}

	p.tokenSrv = httptest.NewTLSServer(http.HandlerFunc(p.serveToken))
	t.Cleanup(p.tokenSrv.Close)

	ln, err := net.Listen("tcp", e.IntrospectListen)
	if err != nil {
		t.Fatalf("introspection endpoint %s: %v (another test run holding it?)", e.IntrospectListen, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/introspect", p.serveIntrospect)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return p
}

// serveToken: POST grant_type=client_credentials, client credentials in the
// body or as HTTP Basic auth (RFC 6749 §2.3.1 allows both).
func (p *mtaIDP) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	writeJSON := func(code int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(v)
	}
	if g := r.PostForm.Get("grant_type"); g != "client_credentials" {
		writeJSON(http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type", "error_description": "got " + g})
		return
	}
	if id != p.clientID || secret != p.clientSecret {
		writeJSON(http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "Client authentication failed."})
		return
	}
	tok := "at-" + mtaRandHex(24)
	p.mu.Lock()
	p.tokens[tok] = !p.inactive
	p.mu.Unlock()
	writeJSON(http.StatusOK, map[string]any{
		"access_token": tok,
		"token_type":   "Bearer",
		"expires_in":   3600,
		"scope":        p.scope,
	})
}

// serveIntrospect answers Dovecot's POST token=... (RFC 7662).
func (p *mtaIDP) serveIntrospect(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	tok := r.PostForm.Get("token")
	p.mu.Lock()
	active, known := p.tokens[tok]
	p.mu.Unlock()
	resp := map[string]any{"active": false}
	if known && active {
		resp = map[string]any{
			"active":    true,
			"username":  p.mailbox,
			"client_id": p.clientID,
			"scope":     p.scope,
			"exp":       time.Now().Add(time.Hour).Unix(),
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

func (p *mtaIDP) setInactive(v bool) {
	p.mu.Lock()
	p.inactive = v
	p.mu.Unlock()
}

func (p *mtaIDP) issuedTokens() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var toks []string
	for tok := range p.tokens {
		toks = append(toks, tok)
	}
	return toks
}

func (p *mtaIDP) settings(t *testing.T, e mtaEnv, addr string, sec smtpauth.Security, mech string) (smtpauth.Settings, smtpauth.Options) {
	host, port := mtaSplitAddr(t, addr)
	s := smtpauth.Settings{
		Host:         host,
		Port:         port,
		Security:     sec,
		CAFile:       e.CAFile,
		Method:       smtpauth.MethodOAuth2,
		Username:     p.mailbox,
		TokenURL:     p.tokenSrv.URL + "/token",
		Scope:        p.scope,
		ClientID:     p.clientID,
		ClientSecret: p.clientSecret,
		Mechanism:    mech,
		From:         p.mailbox,
	}
	// The token endpoint's certificate is httptest's own: trust it through
	// the HTTP client, as an operator's system roots would trust a real IdP.
	return s, smtpauth.Options{HTTPClient: p.tokenSrv.Client()}
}

// One test owns the fixed introspection address, so its cases run in turn.
// Postfix offers the same mechanisms (it asks Dovecot's auth service), so
// both servers are checked.
func TestMTAOAuth(t *testing.T) {
	e := realMTA(t)
	p := mtaStartIDP(t, e)

	for _, srv := range e.Servers {
		t.Run(srv.Name, func(t *testing.T) {
			for _, mech := range []string{"xoauth2", "oauthbearer"} {
				t.Run(mech, func(t *testing.T) {
					rcpt := "oauth+" + srv.Name + "-" + mech + "-" + mtaTag(t) + "@example.test"
					s, o := p.settings(t, e, srv.StartTLSAddr, smtpauth.SecurityStartTLS, mech)
					s.SendTest, s.Recipients = true, []string{rcpt}
					r := mtaCheck(t, e, s, o)
					mtaWantOK(t, r)
					mtaWantStepsOK(t, r, smtpauth.StepTLS, smtpauth.StepToken, smtpauth.StepAuth, smtpauth.StepMessage)
					if tr := strings.ToUpper(strings.Join(r.Transcript, "\n")); !strings.Contains(tr, "AUTH "+strings.ToUpper(mech)) {
						t.Errorf("transcript shows no AUTH %s", strings.ToUpper(mech))
					}
					mtaWantNoSecret(t, r, append(p.issuedTokens(), p.clientSecret)...)
					mtaWaitForMessage(t, e.MailDir, "<"+rcpt+">", 10*time.Second)
				})
			}

			t.Run("xoauth2-implicit-tls", func(t *testing.T) {
				s, o := p.settings(t, e, srv.TLSAddr, smtpauth.SecurityTLS, "xoauth2")
				mtaWantOK(t, mtaCheck(t, e, s, o))
			})

			// A token is issued but the mail server rejects it (introspection
			// says inactive): the server sends the RFC 7628 JSON error
			// challenge, the client must answer it, then 535.
			for _, mech := range []string{"xoauth2", "oauthbearer"} {
				t.Run("token-rejected-"+mech, func(t *testing.T) {
					p.setInactive(true)
					defer p.setInactive(false)
					s, o := p.settings(t, e, srv.StartTLSAddr, smtpauth.SecurityStartTLS, mech)
					r := mtaCheck(t, e, s, o)
					mtaWantFailure(t, r, []smtpauth.StepName{smtpauth.StepAuth}, "oauth-rejected", "535", "token", "oauth", "mailbox", "permission")
					mtaWantStepsOK(t, r, smtpauth.StepToken)
					mtaWantNoSecret(t, r, append(p.issuedTokens(), p.clientSecret)...)
				})
			}

			// The token is valid, but for another mailbox than the one named
			// in AUTH.
			t.Run("wrong-mailbox", func(t *testing.T) {
				s, o := p.settings(t, e, srv.StartTLSAddr, smtpauth.SecurityStartTLS, "xoauth2")
				s.Username = "someone-else@example.test"
				s.From = s.Username
				r := mtaCheck(t, e, s, o)
				mtaWantFailure(t, r, []smtpauth.StepName{smtpauth.StepAuth}, "oauth-rejected", "535", "token", "oauth", "mailbox", "username")
			})
		})
	}

	// The IdP refuses the client secret: a token-step diagnosis, and the
	// mail server is never asked.
	t.Run("bad-client-secret", func(t *testing.T) {
		s, o := p.settings(t, e, e.Servers[0].StartTLSAddr, smtpauth.SecurityStartTLS, "xoauth2")
		s.ClientSecret = "wrong-" + mtaTag(t)
		r := mtaCheck(t, e, s, o)
		d := mtaWantFailure(t, r, []smtpauth.StepName{smtpauth.StepToken}, "token-invalid-client", "invalid_client", "secret", "client")
		mtaWantField(t, d, "smtp.oauth.client_secret", "smtp.oauth.client_id")
		mtaWantNoSecret(t, r, s.ClientSecret)
		for _, st := range r.Steps {
			if st.Name == smtpauth.StepAuth && st.Status == smtpauth.StatusOK {
				t.Error("AUTH succeeded without a token")
			}
		}
	})
}

func mtaRandHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
