package smtpauth_test

// Tests against real mail servers; how to start them, and how these tests
// skip without them, is in mta_env_test.go.

import (
	"crypto/x509"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"sitecfg/smtpauth"
)

// --- basic AUTH ---------------------------------------------------------------

// STARTTLS, certificate checked against the CA given in CAFile, AUTH PLAIN
// (or whatever smtpauth prefers among PLAIN/LOGIN), a test message — which
// must really arrive at the far end of the relay.
func TestMTAStartTLSAuthAndMessageArrives(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		rcpt := "noc+" + srv.Name + "-" + mtaTag(t) + "@example.test"
		s := e.basicSettings(t, srv.StartTLSAddr, smtpauth.SecurityStartTLS)
		s.SendTest = true
		s.Recipients = []string{rcpt}

		var mu sync.Mutex
		var seen []smtpauth.Step
		r := mtaCheck(t, e, s, smtpauth.Options{OnStep: func(st smtpauth.Step) {
			mu.Lock()
			seen = append(seen, st)
			mu.Unlock()
		}})
		mtaWantOK(t, r)
		mtaWantStepsOK(t, r, smtpauth.StepConnect, smtpauth.StepBanner, smtpauth.StepEHLO, smtpauth.StepTLS, smtpauth.StepAuth, smtpauth.StepMessage)
		mtaWantNoSecret(t, r, e.Password, "\x00"+e.User+"\x00"+e.Password)
		if r.Server != srv.StartTLSAddr {
			t.Errorf("report server = %q, want %q", r.Server, srv.StartTLSAddr)
		}
		accepted := false
		for _, rr := range r.Recipients {
			accepted = accepted || (strings.EqualFold(rr.Address, rcpt) && rr.Accepted)
		}
		if !accepted {
			t.Errorf("recipient %s not reported accepted: %+v", rcpt, r.Recipients)
		}
		mu.Lock()
		if len(seen) == 0 {
			t.Error("Options.OnStep was never called")
		}
		mu.Unlock()
		// The transcript shows that TLS really was negotiated with STARTTLS.
		if tr := strings.ToUpper(strings.Join(r.Transcript, "\n")); !strings.Contains(tr, "STARTTLS") {
			t.Errorf("transcript shows no STARTTLS:\n%s", tr)
		}

		// The message went through the server, was relayed to the sink, and
		// the sink stored it: envelope recipient and sender as given, with a
		// Subject, submitted over TLS with AUTH ("ESMTPSA" in Received:).
		msg := mtaWaitForMessage(t, e.MailDir, "<"+rcpt+">", 10*time.Second)
		if !strings.Contains(msg, "X-Mail-Args: <"+e.User+">") {
			t.Errorf("stored message has another envelope sender than %s:\n%s", e.User, msg)
		}
		if !strings.Contains(msg, "\nSubject: ") {
			t.Errorf("stored message has no Subject header:\n%s", msg)
		}
		if !receivedTLSAuth.MatchString(msg) {
			t.Errorf("stored message was not submitted over TLS with AUTH (no \"with ESMTPSA\" in Received):\n%s", msg)
		}
	})
}

// receivedTLSAuth matches the protocol a server writes in its Received:
// header for a message submitted over TLS with AUTH (RFC 3848, RFC 6531).
var receivedTLSAuth = regexp.MustCompile(`with (ESMTP|UTF8SMTP)SA\b`)

// Implicit TLS ("SSL", port 465 style) with the same user, and a message.
func TestMTAImplicitTLS(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		r := mtaCheck(t, e, e.basicSettings(t, srv.TLSAddr, smtpauth.SecurityTLS), smtpauth.Options{})
		mtaWantOK(t, r)
		mtaWantStepsOK(t, r, smtpauth.StepConnect, smtpauth.StepTLS, smtpauth.StepBanner, smtpauth.StepAuth)
		mtaWantNoSecret(t, r, e.Password)

		rcpt := "oncall+" + srv.Name + "-" + mtaTag(t) + "@example.test"
		s := e.basicSettings(t, srv.TLSAddr, smtpauth.SecurityTLS)
		s.SendTest, s.Recipients = true, []string{rcpt}
		mtaWantOK(t, mtaCheck(t, e, s, smtpauth.Options{}))
		mtaWaitForMessage(t, e.MailDir, "<"+rcpt+">", 10*time.Second)
	})
}

// --- certificates ------------------------------------------------------------------

// Without the test CA the server's certificate cannot be verified: a
// certificate diagnosis at the TLS step (never a silent fallback), and the
// password is not sent.
func TestMTAUntrustedCertificate(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		for _, tc := range []struct {
			name string
			addr string
			sec  smtpauth.Security
		}{
			{"starttls", srv.StartTLSAddr, smtpauth.SecurityStartTLS},
			{"implicit-tls", srv.TLSAddr, smtpauth.SecurityTLS},
		} {
			t.Run(tc.name, func(t *testing.T) {
				s := e.basicSettings(t, tc.addr, tc.sec)
				s.CAFile = ""
				r := mtaCheck(t, e, s, smtpauth.Options{})
				d := mtaWantFailure(t, r, []smtpauth.StepName{smtpauth.StepTLS}, "cert-untrusted", "certif", "x509", "authority", "ca_file")
				mtaWantField(t, d, "smtp.ca_file")
				for _, st := range r.Steps {
					if st.Name == smtpauth.StepAuth && st.Status == smtpauth.StatusOK {
						t.Error("AUTH ran over a connection whose certificate failed verification")
					}
				}
				mtaWantNoSecret(t, r, e.Password, "\x00"+e.User+"\x00"+e.Password)
			})
		}
	})
}

// The CA given as a pool (RootCAs) works as well as the file.
func TestMTARootCAsPool(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		pem, err := os.ReadFile(e.CAFile)
		if err != nil {
			t.Fatal(err)
		}
		s := e.basicSettings(t, srv.StartTLSAddr, smtpauth.SecurityStartTLS)
		s.CAFile = ""
		s.RootCAs = mtaPoolFromPEM(t, pem)
		mtaWantOK(t, mtaCheck(t, e, s, smtpauth.Options{}))
	})
}

func mtaPoolFromPEM(t *testing.T, pem []byte) *x509.CertPool {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("no PEM certificate in the CA file")
	}
	return pool
}
