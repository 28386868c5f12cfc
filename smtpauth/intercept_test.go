package smtpauth_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"sitecfg/internal/testkit"
	"sitecfg/smtpauth"
)

// A port that never greets, and answers a TLS handshake with a
// certificate for unrelated names (a TLS-inspecting proxy that last
// relayed package mirrors): the check names the proxy rather than
// advising implicit TLS, and offers no certificate to trust.
func TestTLSInterceptingProxy(t *testing.T) {
	t.Parallel()
	cert := testkit.MustServerCert(t, testkit.TestCA(t), testkit.ServerCertOptions{CommonName: "deb.debian.org", DNSNames: []string{"deb.debian.org", "security.debian.org"}})
	srv := scriptServer(t, func(c net.Conn) {
		tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{cert}})
		if tc.Handshake() == nil {
			_, _ = io.Copy(io.Discard, tc)
		}
	})
	addr := net.JoinHostPort(srv.host, strconv.Itoa(srv.port))
	s := smtpauth.Settings{Host: "smtp.example.com", Port: 587, Security: smtpauth.SecurityStartTLS, Method: smtpauth.MethodNone}
	o := smtpauth.Options{Timeout: 6 * time.Second, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
	r := run(t, s, o)
	d := wantDiag(t, r, smtpauth.StepBanner, "tls-intercepted", "smtp.server")
	for _, want := range []string{"deb.debian.org", "not for smtp.example.com", "proxy"} {
		if !strings.Contains(d.Summary, want) {
			t.Errorf("summary lacks %q: %q", want, d.Summary)
		}
	}
	if strings.Contains(d.Remedy, "security: tls") || len(d.Chain) > 0 {
		t.Errorf("advises implicit TLS or trusting the proxy: %+v", d)
	}
}

// The running step says when it gives up: connect after at most 10 s,
// the others when the check's timeout is up.
func TestRunningStepSaysItsLimit(t *testing.T) {
	t.Parallel()
	var running []smtpauth.Step
	s := smtpauth.Settings{Host: "127.0.0.1", Port: testkit.ClosedPort(t), Security: smtpauth.SecurityStartTLS, Method: smtpauth.MethodNone}
	run(t, s, smtpauth.Options{Timeout: 30 * time.Second, OnStep: func(st smtpauth.Step) {
		if st.Status == smtpauth.StatusRunning {
			running = append(running, st)
		}
	}})
	if len(running) < 2 || running[1].Name != smtpauth.StepConnect || running[1].Detail != "gives up after 10 s" ||
		running[0].Detail != "gives up after 30 s" {
		t.Errorf("running steps = %+v", running)
	}
}

// An EHLO reply with a blank line ("250-") offers nothing: the step
// lists the keywords without an empty one ("offers , 8BITMIME").
func TestEHLOBlankLine(t *testing.T) {
	t.Parallel()
	srv := scriptServer(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "220 mx.test ESMTP\r\n")
		br := bufio.NewReader(c)
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			switch strings.ToUpper(strings.Fields(line + " x")[0]) {
			case "EHLO":
				_, _ = io.WriteString(c, "250-mx.test\r\n250-\r\n250 8BITMIME\r\n")
			case "QUIT":
				_, _ = io.WriteString(c, "221 bye\r\n")
				return
			default:
				_, _ = io.WriteString(c, "250 ok\r\n")
			}
		}
	})
	s := smtpauth.Settings{Host: srv.host, Port: srv.port, Security: smtpauth.SecurityNone, Method: smtpauth.MethodNone}
	r := run(t, s, smtpauth.Options{})
	for _, st := range r.Steps {
		if st.Name == smtpauth.StepEHLO && (!strings.HasSuffix(st.Detail, "offers 8BITMIME") || strings.Contains(st.Detail, ", ,")) {
			t.Errorf("EHLO detail = %q", st.Detail)
		}
	}
}
