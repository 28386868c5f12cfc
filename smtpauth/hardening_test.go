package smtpauth_test

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"

	"sitecfg/internal/smtptest"
	"sitecfg/internal/testkit"
	"sitecfg/smtpauth"
)

// oauth2Settings are OAuth 2.0 settings against srv with the token
// endpoint at tokenURL.
func oauth2Settings(srv *testServer, tokenURL string) smtpauth.Settings {
	return smtpauth.Settings{
		Host: srv.host, Port: srv.port, Security: smtpauth.SecurityStartTLS, RootCAs: srv.pool,
		Method: smtpauth.MethodOAuth2, Username: "alerts@example.com", From: "alerts@example.com",
		TokenURL: tokenURL, Scope: "smtp.send", ClientID: "client", ClientSecret: "Oauth-Client-Secret-8812",
		Mechanism: "xoauth2",
	}
}

// Issue 10, point 7: a token endpoint answering 307/308 (or 301/302) to
// http:// on another host never gets the client secret re-sent: no
// redirect of a token request is followed, and the check fails saying so.
func TestTokenRedirectIsNotFollowed(t *testing.T) {
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusFound} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			var stolen atomic.Int32
			var body atomic.Value
			// The thief: another host (127.0.0.2 is loopback too on Linux,
			// but another address), plain http.
			l, err := net.Listen("tcp", "127.0.0.2:0")
			if err != nil {
				t.Skipf("no 127.0.0.2: %v", err)
			}
			thief := &httptest.Server{Listener: l, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				stolen.Add(1)
				b, _ := io.ReadAll(r.Body)
				body.Store(string(b))
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"access_token":"stolen-token","token_type":"Bearer","expires_in":3600}`)
			})}}
			thief.Start()
			defer thief.Close()
			idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, thief.URL+"/token", status)
			}))
			defer idp.Close()
			srv := startServer(t, smtptest.Options{Mechanisms: []string{sasl.Plain, "XOAUTH2"}, Username: "alerts@example.com", Tokens: func() []string { return []string{"stolen-token"} }})
			r := run(t, oauth2Settings(srv, idp.URL+"/token"), smtpauth.Options{Timeout: 10 * time.Second})
			if stolen.Load() > 0 {
				t.Fatalf("the token request was followed to %s (body %v)", thief.URL, body.Load())
			}
			d := wantDiag(t, r, smtpauth.StepToken, "token-redirect", "smtp.oauth.token_url")
			if !strings.Contains(d.Summary, thief.URL) {
				t.Errorf("summary = %q", d.Summary)
			}
			testkit.NoSecret(t, reportText(t, r), "Oauth-Client-Secret-8812")
		})
	}
}

// Nit: a 50 MB token body is an answer that is not a token, not an
// unreachable endpoint.
func TestHugeTokenBodyIsNotUnreachable(t *testing.T) {
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		chunk := strings.Repeat(" ", 1<<20)
		io.WriteString(w, `{"access_token":"`)
		for range 50 {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
	}))
	defer idp.Close()
	srv := startServer(t, smtptest.Options{Mechanisms: []string{sasl.Plain, "XOAUTH2"}, Username: "alerts@example.com"})
	r := run(t, oauth2Settings(srv, idp.URL+"/token"), smtpauth.Options{Timeout: 10 * time.Second})
	wantDiag(t, r, smtpauth.StepToken, "token-response-invalid", "smtp.oauth.token_url")
}

// Issue 10, point 10: escape sequences from the server (EHLO keywords,
// the 535 text) reach no report string raw.
func TestServerEscapeSequencesAreMadePrintable(t *testing.T) {
	const esc = "\x1b]52;c;ZXZpbA==\x07\x1b[2J\x1b]0;pwned\x07\u009b31m\u202e"
	srv := scriptServer(t, func(c net.Conn) {
		br := bufio.NewReader(c)
		io.WriteString(c, "220 mx.test ESMTP "+esc+"\r\n")
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			switch {
			case strings.HasPrefix(line, "EHLO"):
				io.WriteString(c, "250-mx.test "+esc+"\r\n250-X-"+esc+"\r\n250 AUTH PLAIN\r\n")
			case strings.HasPrefix(line, "AUTH"):
				io.WriteString(c, "535 5.7.8 "+esc+" \x1b[32m✓ all good\x1b[0m\r\n")
			case strings.HasPrefix(line, "QUIT"):
				io.WriteString(c, "221 bye\r\n")
				return
			default:
				io.WriteString(c, "250 ok\r\n")
			}
		}
	})
	r := run(t, srv.basic(smtpauth.SecurityNone, testUser, testPass), smtpauth.Options{})
	text := reportText(t, r)
	for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e"} {
		if strings.Contains(text, bad) {
			t.Errorf("report holds %q raw", bad)
		}
	}
	if r.Diagnosis == nil || !strings.Contains(r.Diagnosis.ServerSaid, `\x1b`) {
		t.Errorf("diagnosis = %+v", r.Diagnosis)
	}
}

// Issue 10, point 11: a reply that echoes the password across the 512-byte
// cut of a transcript line leaves no part of it behind.
func TestEchoedSecretScrubbedBeforeTheCut(t *testing.T) {
	// k is how many bytes of the password fit before the cut.
	for _, k := range []int{6, 12, 25} {
		pad := 512 - k - 2 - len(testUser)
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			srv := scriptServer(t, func(c net.Conn) {
				br := bufio.NewReader(c)
				io.WriteString(c, "220 mx.test\r\n")
				for {
					line, err := br.ReadString('\n')
					if err != nil {
						return
					}
					switch {
					case strings.HasPrefix(line, "EHLO"):
						io.WriteString(c, "250-mx.test\r\n250 AUTH PLAIN\r\n")
					case strings.HasPrefix(line, "AUTH"):
						f := strings.Fields(line)
						raw, _ := base64.StdEncoding.DecodeString(f[len(f)-1])
						io.WriteString(c, "535 "+strings.Repeat("x", pad-4)+strings.ReplaceAll(string(raw), "\x00", " ")+"\r\n")
					case strings.HasPrefix(line, "QUIT"):
						io.WriteString(c, "221 bye\r\n")
						return
					default:
						io.WriteString(c, "250 ok\r\n")
					}
				}
			})
			const pass = "Echoed-Long-Password-Canary-2026"
			r := run(t, srv.basic(smtpauth.SecurityNone, testUser, pass), smtpauth.Options{})
			text := reportText(t, r)
			testkit.NoSecret(t, text, pass)
			for n := 6; n < len(pass); n++ {
				if strings.Contains(text, pass[:n]) {
					t.Fatalf("the first %d characters of the password are in the report", n)
				}
			}
		})
	}
}

// Issue 10, point 14: a partial line when the deadline strikes is not a
// reply: "220 s" without its CRLF is no banner, and the diagnosis says
// so instead of blaming EHLO.
func TestPartialLineAtTheDeadlineIsNoReply(t *testing.T) {
	srv := scriptServer(t, func(c net.Conn) {
		io.WriteString(c, "220 s")
		_, _ = io.Copy(io.Discard, c)
	})
	r := run(t, srv.basic(smtpauth.SecurityNone, testUser, testPass), smtpauth.Options{Timeout: 2 * time.Second})
	if r.OK || r.Diagnosis == nil || r.Diagnosis.Step != smtpauth.StepBanner {
		t.Fatalf("want a failure at the banner, got %+v", r.Diagnosis)
	}
	for _, s := range r.Steps {
		if s.Name == smtpauth.StepBanner && s.Status == smtpauth.StatusOK {
			t.Errorf("banner step passed with %q", s.Detail)
		}
	}
}
